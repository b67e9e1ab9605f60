/**
 * The engineering hand-off: a ticket becomes (or joins) an issue in GitHub Issues, Jira or Linear.
 * "Escalate to engineering" opens a preview of the exact issue (title and body, see
 * issue-body.ts) in the tracker/project the routes pick; only on submit is the issue created
 * through the TrackerPort, then stored and linked (TrackerRepo) in ONE transaction with each
 * ticket's `tracker_linked` event, and announced in the ticket's internal thread. "Link to
 * existing issue" searches the tracker and links (idempotent) with an "another report" comment
 * on the issue; a cluster of similar tickets links at once; a handling plan's follow-ups become
 * issues with one click. Everything here is internal: nothing reaches a customer.
 */
import { within } from '../util/within.js';
import type { Logger } from 'pino';
import { AiRepo } from '../store/ai-repo.js';
import type { HandlingPlan } from '../ai/handling-plan.js';
import { createRedactor, type Redactor } from '../ai/redact.js';
import type { FrontdeskConfig } from '../config/schema.js';
import { FrontdeskError, InputInvalidError } from '../domain/errors.js';
import type { Priority, Ticket } from '../domain/types.js';
import { distinctiveWords, isSimilar } from '../escalation/similarity.js';
import type { IssueTarget, TrackerIssue, TrackerKind, TrackerPort } from '../ports/tracker-port.js';
import { TrackerError } from '../ports/tracker-port.js';
import type { StoredIssue } from '../store/tracker-repo.js';
import { TrackerRepo } from '../store/tracker-repo.js';
import { isOpen } from '../domain/lifecycle.js';
import type { TicketService } from '../tickets/ticket-service.js';
import type { Block, FormView, MessageView } from '../ports/message-view.js';
import {
  anotherReportComment,
  engineeringSection,
  escalatedLine,
  HANDOFF_REPLY,
  type LinkedIssue,
  linkedIssuesBlocks,
  linkedLine,
  NO_TRACKER,
  unlinkedLine,
  previewForm,
  searchForm,
  searchResultsView,
  TRACKER_NAME,
} from '../views/handoff-views.js';
import { followUpDraft, type ImpactTicket, issueDraft, newHandoffRef, scrub, withHandoffRef } from './issue-body.js';
import { ACTIONS } from '../views/action-ids.js';
import { syncTx } from '../store/sync-tx.js';

/** One place an issue can be created: a tracker and its project/repo/team with labels. */
export interface TrackerChoice {
  tracker: TrackerKind;
  target: IssueTarget;
}

/** What the hand-off needs from the configured trackers (see src/trackers/). */
export interface HandoffTrackers {
  /** The client of a configured tracker, or null. */
  port(kind: TrackerKind): TrackerPort | null;
  /** Each configured tracker's default place (the preview's choices). */
  choices(): TrackerChoice[];
  /** Where a ticket's issue goes (trackers.routes by category/team, else the default tracker). */
  route(ticket: Ticket): TrackerChoice;
}

export interface HandoffDeps {
  config: FrontdeskConfig;
  tickets: TicketService;
  trackers: HandoffTrackers | null;
  logger?: Logger;
  /** Absolute base for relative chat links (the playground's `#msg/…`), e.g. `http://localhost:3000/`. */
  publicBase: string;
  /** The related tickets of an escalation prompt (cluster prompts), by escalation id. */
  promptRelated?: (ticketId: number, escalationId: number) => string[] | null;
  /**
   * Mark an escalation prompt as acted on (the agent escalated to engineering from it) and, when
   * the prompt message is known, show the decision on it in place. Call inside a transaction.
   */
  promptActed?: (ticketId: number, escalationId: number, by: string, decided: string, prompt: PromptMessage | null) => void;
  /** How long a click or submit that calls a tracker waits for it before answering "Creating the issue…" (default ANSWER_WITHIN_MS). */
  answerWithinMs?: number;
}

/** The prompt message a button was clicked on (to update it in place). */
export interface PromptMessage {
  channelId: string;
  messageId: string;
}

interface PreviewState {
  ticket: string;
  similar: string[];
  escalationId: number | null;
  prompt?: PromptMessage | null;
  routed: TrackerChoice;
  by: string;
}

/**
 * What is about to be sent to the tracker, stored with the "creating" mark before the call (see
 * TrackerRepo.beginCreate): enough to find the issue by its ref and link it after a crash.
 */
interface PendingCreate {
  /** The hand-off id written into the issue body. */
  ref: string;
  /** When the create was started (epoch ms). */
  at: number;
  tracker: TrackerKind;
  target: IssueTarget;
  title: string;
  body: string;
  priority: Priority;
  /** The tickets to link, the first being the one escalated. */
  keys: string[];
  via: string;
  by: string;
  escalationId?: number | null;
  prompt?: PromptMessage | null;
  followUp?: { planId: number; index: number };
  /** The agent's form values, kept for a retry. */
  edits?: { title: string; body: string; target: string };
}

/** `createdBefore`: the issues created for the ticket when the preview was opened (absent in previews saved before it was recorded). */
type StoredPreview = PreviewState & { ref?: string; pending?: PendingCreate; createdBefore?: string[] };

/** Default {@link HandoffDeps.answerWithinMs}: inside Slack's 3 s and Teams' few seconds. */
export const ANSWER_WITHIN_MS = 1_500;

/** A create whose issue is not found by its ref this long after it started goes back to "open". */
export const RECOVER_GIVE_UP_MS = 10 * 60_000;


/** Similar open tickets considered for a cluster link. */
const MAX_SIMILAR = 10;

/** Value of a tracker choice in the preview form. */
function choiceValue(c: TrackerChoice): string {
  return `${c.tracker}|${c.target.project}`;
}

/** Is this a search query or an issue reference? GitHub `owner/repo#12`/`#12`/URL, Jira/Linear `ABC-12`/URL. */
export function parseIssueRef(q: string): { kinds: TrackerKind[]; key: string; repoless?: boolean } | null {
  const s = q.trim();
  let m = /^https?:\/\/[^/]+\/([\w.-]+\/[\w.-]+)\/issues\/(\d+)\b/.exec(s);
  if (m) return { kinds: ['github'], key: `${m[1]}#${m[2]}` };
  m = /^([\w.-]+\/[\w.-]+)#(\d+)$/.exec(s);
  if (m) return { kinds: ['github'], key: `${m[1]}#${m[2]}` };
  m = /^#(\d+)$/.exec(s);
  if (m) return { kinds: ['github'], key: m[1]!, repoless: true };
  m = /^https?:\/\/\S+\/browse\/([A-Z][A-Z0-9_]+-\d+)\b/.exec(s);
  if (m) return { kinds: ['jira'], key: m[1]! };
  m = /^https?:\/\/linear\.app\/[^/]+\/issue\/([A-Z][A-Z0-9]*-\d+)\b/i.exec(s);
  if (m) return { kinds: ['linear'], key: m[1]!.toUpperCase() };
  m = /^([A-Z][A-Z0-9_]*-\d+)$/.exec(s);
  if (m) return { kinds: ['jira', 'linear'], key: m[1]! };
  return null;
}

export class HandoffService {
  readonly repo: TrackerRepo;
  private readonly ai: AiRepo;
  private readonly redactor: Redactor;
  /** Previews whose tracker call runs in this process now (not to be recovered meanwhile). */
  private readonly inFlight = new Set<string>();

  constructor(private readonly d: HandoffDeps) {
    this.repo = new TrackerRepo(d.tickets.repo.db);
    this.ai = new AiRepo(d.tickets.repo.db);
    this.redactor = createRedactor(d.config.ai.redactPatterns);
  }

  get enabled(): boolean {
    return this.d.trackers !== null && this.d.trackers.choices().length > 0;
  }

  private trackers(): HandoffTrackers {
    if (!this.d.trackers || this.d.trackers.choices().length === 0) throw new FrontdeskError('frontdesk_tracker_missing', NO_TRACKER);
    return this.d.trackers;
  }

  private port(kind: TrackerKind): TrackerPort {
    const p = this.trackers().port(kind);
    if (!p) throw new FrontdeskError('frontdesk_tracker_missing', `${TRACKER_NAME[kind]} is not configured: add it under \`trackers:\` (see README "Engineering hand-off").`);
    return p;
  }

  /** A tracker failure as a message for the agent (what to fix), logged without secrets. */
  private trackerFailure(e: unknown, doing: string, next = 'try again'): never {
    if (e instanceof FrontdeskError) throw e;
    const reason = e instanceof TrackerError ? e.message.replace(/\.$/, '') : 'the tracker did not answer';
    this.d.logger?.warn({ err: e instanceof TrackerError ? { code: e.code, tracker: e.tracker, message: e.message } : String(e) }, `engineering hand-off: ${doing} failed`);
    throw new FrontdeskError('frontdesk_tracker_failed', `Could not ${doing}: ${reason}. Nothing was changed in frontdesk; ${next}.`);
  }

  // ---------------------------------------------------------------- context

  private people(tickets: readonly Ticket[]): string[] {
    const dir = this.d.tickets.directory;
    const ids = new Set<string>();
    const names = new Set<string>();
    for (const t of tickets) {
      ids.add(t.requesterId);
      if (t.requesterName) names.add(t.requesterName);
      for (const m of this.d.tickets.repo.messages(t.id)) ids.add(m.authorId);
    }
    for (const id of ids) {
      const n = dir.nameOf(id);
      if (n && n !== id) names.add(n);
    }
    return [...ids, ...names];
  }

  /** A link to the ticket's internal thread (the card in the triage channel); null in inline mode. */
  async internalLink(t: Ticket): Promise<string | null> {
    if (!t.triageChannelId || !t.cardMessageId) return null;
    const link = await this.d.tickets.outbox.permalink(t.platform, { channelId: t.triageChannelId, messageId: t.cardMessageId });
    if (!link) return null;
    return /^https?:\/\//.test(link) ? link : `${this.d.publicBase.replace(/\/?$/, '/')}${link.replace(/^\//, '')}`;
  }

  /** Open tickets similar to `t` that are not linked to `issueId` yet (most similar first). */
  similarOpen(t: Ticket, issueId: number | null = null): Ticket[] {
    const words = distinctiveWords(`${t.title}\n${t.text}`);
    const linked = issueId === null ? new Set<number>() : new Set(this.repo.ticketsOf(issueId));
    return this.d.tickets.repo
      .similar(`${t.title} ${t.text}`.slice(0, 2000), { excludeId: t.id, limit: 25 })
      .filter((c) => !c.deleted && isOpen(c.status) && !linked.has(c.id) && isSimilar(words, distinctiveWords(`${c.title}\n${c.text}`)))
      .slice(0, MAX_SIMILAR);
  }

  private tierOf(t: Ticket): { tier: string; vip: boolean } {
    const { config } = this.d;
    return {
      tier: config.customerTiers[t.requesterId] ?? 'standard',
      vip: config.vipCustomers.includes(t.requesterId) || t.signals.some((s) => s.source === 'vip') || config.channels.some((c) => c.id === t.channelId && c.vip),
    };
  }

  private analystChecks(t: Ticket): string[] {
    const plan = this.ai.latestPlan<HandlingPlan>(t.id);
    return plan?.plan.resolutionChecks ?? [];
  }

  /** The issue draft for a ticket and the other reports counted in its impact. */
  async draft(t: Ticket, others: readonly Ticket[]): Promise<{ title: string; body: string }> {
    const linked = this.repo.issuesOf(t.id).flatMap((i) => this.repo.ticketsOf(i.id));
    const impactTickets = new Map<number, Ticket>([[t.id, t]]);
    for (const o of others) impactTickets.set(o.id, o);
    for (const id of linked) {
      const x = this.d.tickets.repo.get(id);
      if (x && !x.deleted) impactTickets.set(x.id, x);
    }
    const all = [...impactTickets.values()];
    const impact: ImpactTicket[] = all.map((x) => ({ key: x.key, requesterId: x.requesterId, createdAt: x.createdAt }));
    const thread = this.d.tickets.repo
      .messages(t.id)
      .filter((m) => !m.deleted && m.messageId !== t.sourceMessageId && m.authorRole !== 'bot')
      .map((m) => m.text);
    return issueDraft({
      ticket: t,
      thread,
      impact,
      ...this.tierOf(t),
      checks: this.analystChecks(t),
      internalLink: await this.internalLink(t),
      people: this.people(all),
      timezone: this.d.config.timezone,
      redactor: this.redactor,
    });
  }

  // ---------------------------------------------------------------- escalate (preview → create)

  /**
   * The preview form for escalating `ref` to engineering. `escalationId`: opened from a triage
   * prompt (a cluster prompt's related tickets are offered for linking too).
   */
  async preview(ref: string, actor: string, o: { escalationId?: number | null; linkSimilar?: boolean; similar?: readonly string[]; prompt?: PromptMessage | null } = {}): Promise<FormView> {
    const trackers = this.trackers();
    const t = this.d.tickets.require(ref);
    const related = o.similar ?? (o.escalationId ? (this.d.promptRelated?.(t.id, o.escalationId) ?? null) : null);
    const similar = (related ? related.map((k) => this.d.tickets.repo.getByKey(k)).filter((x): x is Ticket => Boolean(x && !x.deleted && isOpen(x.status) && x.id !== t.id)) : this.similarOpen(t)).slice(
      0,
      MAX_SIMILAR,
    );
    // Edits kept from a submit the tracker refused: the retry starts from them.
    const kept = this.repo.openPreviewWithEdits<PreviewState & { edits: { title: string; body: string; target: string } }>(`ho-${t.id}-`, actor);
    const { title, body } = kept ? kept.state.edits : await this.draft(t, similar);
    const routed = trackers.route(t);
    const choices = trackers.choices();
    if (!choices.some((c) => choiceValue(c) === choiceValue(routed))) choices.unshift(routed);
    const stateKey = kept?.key ?? `ho-${t.id}-${this.d.tickets.clock.now()}-${Math.random().toString(36).slice(2, 10)}`;
    if (!kept)
      this.repo.savePreview(stateKey, { ticket: t.key, similar: similar.map((s) => s.key), escalationId: o.escalationId ?? null, prompt: o.escalationId ? (o.prompt ?? null) : null, routed, by: actor, ref: newHandoffRef(), createdBefore: this.createdIssues(t.id) } satisfies StoredPreview, this.d.tickets.clock.now());
    return previewForm({
      stateKey,
      ticket: t,
      title,
      body,
      targets: choices.map((c) => ({ value: choiceValue(c), label: `${TRACKER_NAME[c.tracker]} ${c.target.project}` })),
      initialTarget: kept?.state.edits.target ?? choiceValue(routed),
      similar: similar.map((s) => s.key),
      linkSimilar: o.linkSimilar ?? Boolean(o.escalationId && related?.length),
    });
  }

  /** The ticket's `tracker_linked` events of issues created for it (not linked existing ones). */
  private createdEvents(ticketId: number) {
    return this.d.tickets.repo.events(ticketId).filter((e) => e.type === 'tracker_linked' && e.data.created === true);
  }

  private createdIssues(ticketId: number): string[] {
    return this.createdEvents(ticketId).map((e) => String(e.data.key));
  }

  /**
   * Submit a preview: durably mark it "creating" with a hand-off ref (also written into the issue
   * body), create the issue, then link and announce in one transaction. A preview found
   * "creating" (frontdesk stopped mid-way) or tried before first looks for its issue by the ref
   * and adopts it, so an issue is never lost nor created twice. Answers within `answerWithinMs`;
   * a slower tracker's result follows as a private message to the agent.
   */
  async submitPreview(stateKey: string, values: Record<string, string>, actor: string): Promise<MessageView> {
    const trackers = this.trackers();
    const st = this.repo.preview<StoredPreview>(stateKey);
    if (!st) throw new InputInvalidError(HANDOFF_REPLY.expired);
    if (st.status === 'created') return HANDOFF_REPLY.alreadyCreated(st.issueKey);
    if (st.status === 'creating') {
      // Left "creating" by a stop between the tracker and the database: find and adopt, else create.
      if (this.inFlight.has(stateKey) || !st.pending) return HANDOFF_REPLY.alreadyCreated(undefined);
      const pending = st.pending;
      return this.answer(this.createPending(stateKey, pending, true), this.d.tickets.require(pending.keys[0]!), actor, pending, stateKey);
    }
    const title = (values.title ?? '').replace(/\s+/g, ' ').trim();
    const body = (values.body ?? '').trim();
    if (!title) throw new InputInvalidError(HANDOFF_REPLY.needTitle);
    if (!body) throw new InputInvalidError(HANDOFF_REPLY.needBody);
    const chosen = values.target || choiceValue(st.routed);
    const choice = [st.routed, ...trackers.choices()].find((c) => choiceValue(c) === chosen);
    if (!choice) throw new InputInvalidError(HANDOFF_REPLY.badTarget(chosen.slice(0, 60)));
    const t = this.d.tickets.require(st.ticket);
    this.port(choice.tracker);
    // Two previews of one ticket (the command run twice, two agents): once one has created an
    // issue, the other does not silently create a second one; opening a new preview does.
    const before = st.createdBefore;
    const meanwhile = before ? this.createdEvents(t.id).find((e) => !before.includes(String(e.data.key))) : undefined;
    if (meanwhile) {
      this.repo.movePreview(stateKey, 'open', 'created', this.d.tickets.clock.now(), String(meanwhile.data.key));
      return HANDOFF_REPLY.createdMeanwhile(t.key, { tracker: meanwhile.data.tracker as TrackerKind, key: String(meanwhile.data.key), url: String(meanwhile.data.url ?? '') }, meanwhile.actor);
    }
    const pending: PendingCreate = {
      ref: st.pending?.ref ?? st.ref ?? newHandoffRef(),
      at: this.d.tickets.clock.now(),
      tracker: choice.tracker,
      target: choice.target,
      // The agent approved this text; redact once more in case they pasted a secret while editing.
      title: this.redactor(title).text,
      body: this.redactor(body).text,
      priority: t.priority,
      keys: [t.key, ...(values.similar === 'all' ? st.similar.filter((k) => k !== t.key) : [])],
      via: st.escalationId ? 'escalation_prompt' : 'preview',
      by: actor,
      escalationId: st.escalationId,
      prompt: st.prompt ?? null,
      edits: { title, body, target: chosen },
    };
    // Tried before (the tracker failed or did not answer): the issue may exist, so look first.
    const triedBefore = Boolean(st.pending);
    if (!this.repo.beginCreate(stateKey, pending, pending.at)) return HANDOFF_REPLY.alreadyCreated(this.repo.preview(stateKey)?.issueKey);
    return this.answer(this.createPending(stateKey, pending, triedBefore), t, actor, pending, stateKey);
  }

  /**
   * The tracker part of a "creating" preview: look for its issue by the ref when it may exist
   * (`lookFirst`), else create it; then link in one transaction. A tracker failure puts the
   * preview back to "open" (edits and ref kept: the retry looks first).
   */
  private async createPending(stateKey: string, p: PendingCreate, lookFirst: boolean): Promise<MessageView> {
    const port = this.port(p.tracker);
    const now = () => this.d.tickets.clock.now();
    this.inFlight.add(stateKey);
    try {
      let issue: TrackerIssue;
      let adopted = false;
      try {
        const found = lookFirst ? await this.findByRef(port, p) : null;
        adopted = found !== null;
        issue = found ?? (await port.createIssue({ target: p.target, title: p.title, body: withHandoffRef(p.tracker, p.body, p.ref), priority: p.priority }));
      } catch (e) {
        this.repo.movePreview(stateKey, 'creating', 'open', now());
        if (p.edits) this.repo.keepPreviewEdits(stateKey, p.edits, now());
        const where = `${TRACKER_NAME[p.tracker]} ${p.target.project}`;
        // No clear answer (timeout, network): the issue may exist after all; the retry finds it by its ref.
        const unsure = !(e instanceof TrackerError) || e.code === 'unavailable';
        const retry = p.followUp ? 'click Create issue on the plan again to retry' : 'your edits are kept: click Escalate to engineering again to retry';
        this.trackerFailure(e, p.followUp ? `create the follow-up issue in ${where}` : `create the issue in ${where}`, unsure ? `${retry} (if it was created after all, the retry links it instead of creating another)` : retry);
      }
      const linked = this.finishCreate(stateKey, p, issue);
      if (adopted) this.d.logger?.info({ issue: issue.key, ref: p.ref }, 'engineering hand-off: found the issue of an interrupted create and linked it');
      return p.followUp ? HANDOFF_REPLY.followUpCreated(issue, p.keys[0]!) : HANDOFF_REPLY.created(issue, linked.length ? linked : [p.keys[0]!]);
    } finally {
      this.inFlight.delete(stateKey);
    }
  }

  /** The issue carrying this create's ref (exactly where the tracker can say; else a search hit with its title), or null. */
  private async findByRef(port: TrackerPort, p: PendingCreate): Promise<TrackerIssue | null> {
    if (port.findByMarker) return port.findByMarker(`frontdesk ref: ${p.ref}`, { project: p.target.project });
    const hits = await port.searchIssues(p.ref, { project: p.target.project, limit: 5 });
    const norm = (x: string) => x.replace(/\s+/g, ' ').replace(/…$/, '').trim().toLowerCase();
    const want = norm(p.title);
    return hits.find((h) => norm(h.title) === want || (norm(h.title).length >= 40 && want.startsWith(norm(h.title)))) ?? null;
  }

  /** Store and link a created (or found) issue, close the preview, and mark the prompt: one transaction. */
  private finishCreate(stateKey: string, p: PendingCreate, issue: TrackerIssue): string[] {
    const now = this.d.tickets.clock.now();
    return syncTx(this.d.tickets.repo.db, () => {
      const stored = this.repo.upsert(issue, now, p.by);
      const done = this.linkInTransaction(p.keys, stored, p.by, { created: true, via: p.via, ...(p.followUp ? { followUp: p.followUp } : {}) });
      this.repo.movePreview(stateKey, 'creating', 'created', now, issue.key);
      const t = this.d.tickets.repo.getByKey(p.keys[0]!);
      if (p.escalationId && t) this.d.promptActed?.(t.id, p.escalationId, p.by, escalatedLine(p.by, issue), p.prompt ?? null);
      return done;
    });
  }

  /**
   * The answer to a click or submit that calls a tracker: its result when the tracker answers
   * within `answerWithinMs` (Slack wants an answer within 3 s, Teams within a few), else
   * "Creating the issue…" at once and the result later, privately to the agent — with a Retry
   * button when it failed.
   */
  private answer(work: Promise<MessageView>, t: Ticket, actor: string, p: PendingCreate, stateKey: string): Promise<MessageView> {
    const retry = p.followUp
      ? { actionId: ACTIONS.followUpIssue, label: 'Retry: create issue', value: `${p.followUp.planId}|${p.followUp.index}` }
      : { actionId: ACTIONS.handoffEscalate, label: 'Retry: escalate to engineering', value: t.key };
    return this.inTime(work, t, actor, HANDOFF_REPLY.creating(`${TRACKER_NAME[p.tracker]} ${p.target.project}`, t.key), `handoff-result:${stateKey}:${p.at}`, retry);
  }

  /**
   * `work`'s answer when it settles within `answerWithinMs`; else `waiting` at once, and the
   * answer (or the error, with a `retry` button) later as a private message to `actor` about `t`.
   */
  private async inTime(work: Promise<MessageView>, t: Ticket, actor: string, waiting: MessageView, key: string, retry: { actionId: string; label: string; value: string } | null): Promise<MessageView> {
    const r = await within(work, this.d.answerWithinMs ?? ANSWER_WITHIN_MS);
    if (r.done) return r.value;
    void work.then(
      (view) => this.d.tickets.messenger.sendToAgent(t, view, actor, key),
      (e: unknown) => {
        if (!(e instanceof FrontdeskError)) this.d.logger?.error({ err: e, ticket: t.key }, 'engineering hand-off: finishing a tracker call failed');
        const message = e instanceof FrontdeskError ? e.message : HANDOFF_REPLY.unfinished(t.key);
        try {
          this.d.tickets.messenger.sendToAgent(t, HANDOFF_REPLY.failed(message, retry), actor, key);
        } catch (err) {
          this.d.logger?.error({ err, ticket: t.key }, 'engineering hand-off: could not tell the agent how a tracker call ended');
        }
      },
    );
    return waiting;
  }

  /**
   * Settle previews left "creating" (frontdesk stopped between the tracker and the database, or
   * the tracker did not answer): the issue found by its ref is linked; one still not found
   * `giveUpMs` after its create started goes back to "open" (edits and ref kept) and the agent is
   * told to retry. Runs at start-up and every few minutes. Returns the issues adopted and the
   * previews reopened.
   */
  async recoverInterrupted(o: { minAgeMs?: number; giveUpMs?: number } = {}): Promise<{ adopted: string[]; reopened: string[] }> {
    const out = { adopted: [] as string[], reopened: [] as string[] };
    if (!this.enabled) return out;
    for (const c of this.repo.creatingPreviews<StoredPreview>(this.d.tickets.clock.now() - (o.minAgeMs ?? 0), 50)) {
      const r = await this.settle(c.key, c.state, o.giveUpMs ?? RECOVER_GIVE_UP_MS);
      if (r.issue) out.adopted.push(r.issue.key);
      else if (r.reopened) out.reopened.push(c.key);
    }
    return out;
  }

  /** Settle one "creating" preview: link the issue found by its ref, or reopen it after `giveUpMs`. */
  private async settle(key: string, st: StoredPreview, giveUpMs: number, tell = true): Promise<{ issue?: TrackerIssue; reopened?: boolean }> {
    const now = () => this.d.tickets.clock.now();
    if (this.inFlight.has(key)) return {};
    const p = st.pending;
    if (!p) {
      // From before hand-off refs: nothing to look for; let the agent retry.
      return { reopened: this.repo.movePreview(key, 'creating', 'open', now()) };
    }
    const port = this.d.trackers?.port(p.tracker);
    if (!port) return {};
    this.inFlight.add(key);
    try {
      const found = await this.findByRef(port, p);
      if (found) {
        this.finishCreate(key, p, found);
        this.d.logger?.info({ issue: found.key, ref: p.ref }, 'engineering hand-off: linked the issue of an interrupted create');
        return { issue: found };
      }
      if (now() - p.at < giveUpMs) {
        this.repo.touchCreating(key, now());
        return {};
      }
      this.repo.movePreview(key, 'creating', 'open', now());
      if (p.edits) this.repo.keepPreviewEdits(key, p.edits, now());
      const t = this.d.tickets.repo.getByKey(p.keys[0]!);
      if (t && tell) this.d.tickets.messenger.sendToAgent(t, HANDOFF_REPLY.notCreated(t.key, Boolean(p.followUp)), p.by, `handoff-reopened:${key}:${p.at}`);
      return { reopened: true };
    } catch (e) {
      this.d.logger?.warn({ err: e instanceof TrackerError ? { code: e.code, message: e.message } : String(e), preview: key }, 'engineering hand-off: checking an interrupted create failed; will try again');
      return {};
    } finally {
      this.inFlight.delete(key);
    }
  }

  /**
   * "Escalate to engineering": the preview form — unless an earlier create for this ticket was
   * interrupted (frontdesk stopped mid-way): its issue, found by its ref, is linked and named
   * instead; not found, the preview reopens with the agent's edits (and looks again on submit).
   */
  async escalate(ref: string, actor: string, o: Parameters<HandoffService['preview']>[2] = {}): Promise<{ form?: FormView; ephemeral?: MessageView }> {
    const t = this.d.tickets.require(ref);
    this.trackers();
    for (const c of this.repo.creatingPreviews<StoredPreview>(this.d.tickets.clock.now())) {
      if (!c.key.startsWith(`ho-${t.id}-`)) continue;
      if (this.inFlight.has(c.key)) return { ephemeral: HANDOFF_REPLY.alreadyCreated(undefined) };
      const r = await this.settle(c.key, c.state, 0, false);
      if (r.issue) return { ephemeral: HANDOFF_REPLY.recovered(r.issue, t.key) };
    }
    return { form: await this.preview(t.key, actor, o) };
  }

  /**
   * Link tickets to a stored issue: one `tracker_linked` event each and a line in each internal
   * thread. Call inside a transaction. Returns the keys newly linked (already linked ones are skipped).
   */
  private linkInTransaction(keys: readonly string[], issue: StoredIssue, actor: string, o: { created: boolean; via: string; followUp?: { planId: number; index: number } }): string[] {
    const done: string[] = [];
    for (const key of [...new Set(keys)]) {
      const t = this.d.tickets.repo.getByKey(key);
      if (!t || t.deleted) continue;
      this.d.tickets.change(t.id, actor, (cur, at) => {
        if (!this.repo.link(cur.id, issue.id, actor, at)) return null;
        done.push(cur.key);
        const others = keys.filter((k) => k !== cur.key);
        return {
          patch: {},
          events: [
            {
              type: 'tracker_linked',
              data: { tracker: issue.tracker, key: issue.key, url: issue.url, title: issue.title, created: o.created && cur.key === keys[0], via: o.via, ...(o.followUp ? { followUp: o.followUp } : {}) },
            },
          ],
          threadLine: linkedLine(cur, issue, actor, { created: o.created && cur.key === keys[0], others }),
          linePurpose: 'work',
        };
      });
    }
    return done;
  }

  // ---------------------------------------------------------------- link to an existing issue

  /** The search form, with a redacted, name-free query from the ticket's title. */
  searchForm(ref: string): FormView {
    this.trackers();
    const t = this.d.tickets.require(ref);
    const q = scrub(t.title, this.people([t]), this.redactor).replace(/\[[a-z_]+\]/g, ' ').replace(/\s+/g, ' ').trim();
    return searchForm(t, q.slice(0, 200));
  }

  /** Search the routed tracker (or resolve a typed key/URL) and list the results with Link buttons. */
  async search(ref: string, query: string, actor?: string): Promise<MessageView> {
    const trackers = this.trackers();
    const t = this.d.tickets.require(ref);
    const q = this.redactor(query.replace(/\s+/g, ' ').trim()).text;
    if (!q) throw new InputInvalidError(HANDOFF_REPLY.needQuery);
    const work = this.runSearch(trackers, t, q);
    if (!actor) return work;
    return this.inTime(work, t, actor, HANDOFF_REPLY.searching(q, t.key), `handoff-search:${t.id}:${actor}:${this.d.tickets.clock.now()}`, { actionId: ACTIONS.handoffLink, label: 'Search again', value: t.key });
  }

  private async runSearch(trackers: HandoffTrackers, t: Ticket, q: string): Promise<MessageView> {
    const routed = trackers.route(t);
    const asRef = parseIssueRef(q);
    const results: TrackerIssue[] = [];
    try {
      if (asRef) {
        for (const kind of asRef.kinds) {
          const p = trackers.port(kind);
          if (!p) continue;
          const key = asRef.repoless ? `${kind === routed.tracker ? routed.target.project : (trackers.choices().find((c) => c.tracker === kind)?.target.project ?? '')}#${asRef.key}` : asRef.key;
          const found = await p.getIssue(key).catch((e: unknown) => {
            if (e instanceof TrackerError && e.code === 'not_found') return null;
            throw e;
          });
          if (found) {
            results.push(found);
            break;
          }
        }
      } else results.push(...(await this.port(routed.tracker).searchIssues(q, { project: routed.target.project, limit: 8 })));
    } catch (e) {
      this.trackerFailure(e, `search ${TRACKER_NAME[routed.tracker]}`);
    }
    return searchResultsView(t, q, results);
  }

  /**
   * Link tickets to an existing issue (read fresh from the tracker), idempotently; a comment
   * "another report: <internal link>" goes on the issue for the tickets newly linked.
   */
  async linkExisting(keys: readonly string[], ref: { tracker: TrackerKind; key: string }, actor: string, via: string): Promise<MessageView> {
    const port = this.port(ref.tracker);
    const t = this.d.tickets.require(keys[0]!);
    return this.inTime(this.runLink(port, keys, ref, actor, via), t, actor, HANDOFF_REPLY.linking(ref.key, keys), `handoff-link:${t.id}:${ref.key}:${actor}:${this.d.tickets.clock.now()}`, null);
  }

  private async runLink(port: TrackerPort, keys: readonly string[], ref: { tracker: TrackerKind; key: string }, actor: string, via: string): Promise<MessageView> {
    let issue: TrackerIssue;
    try {
      issue = await port.getIssue(ref.key);
    } catch (e) {
      this.trackerFailure(e, `read ${TRACKER_NAME[ref.tracker]} ${ref.key}`);
    }
    const now = this.d.tickets.clock.now();
    const done = syncTx(this.d.tickets.repo.db, () => {
      const stored = this.repo.upsert(issue, now);
      return this.linkInTransaction(keys, stored, actor, { created: false, via });
    });
    if (done.length === 0) return HANDOFF_REPLY.alreadyLinked(issue, keys);
    const reports = await Promise.all(
      done.map(async (k) => {
        const t = this.d.tickets.repo.getByKey(k);
        return { key: k, link: t ? await this.internalLink(t) : null };
      }),
    );
    try {
      await port.addComment(issue.key, anotherReportComment(reports));
    } catch (e) {
      this.d.logger?.warn({ err: e instanceof TrackerError ? { code: e.code, message: e.message } : String(e), issue: issue.key }, 'engineering hand-off: the "another report" comment failed; the link stands');
    }
    return HANDOFF_REPLY.linked(issue, done);
  }

  /**
   * "Link all N similar tickets": with an issue already linked to `ref`, link the similar open
   * tickets to it; without one, open the preview with all of them selected.
   */
  async linkSimilar(ref: string, actor: string, escalationId: number | null, prompt: PromptMessage | null = null): Promise<{ form?: FormView; ephemeral?: MessageView }> {
    this.trackers();
    const t = this.d.tickets.require(ref);
    const issue = this.currentIssue(t);
    const related = escalationId ? this.d.promptRelated?.(t.id, escalationId) : null;
    const similar = related
      ? related.filter((k) => k !== t.key && isOpen(this.d.tickets.repo.getByKey(k)?.status ?? 'closed'))
      : this.similarOpen(t, issue?.id ?? null).map((s) => s.key);
    if (!issue) return this.escalate(t.key, actor, { escalationId, linkSimilar: true, similar, prompt });
    if (similar.length === 0) return { ephemeral: HANDOFF_REPLY.alreadyLinked(issue, [t.key]) };
    return { ephemeral: await this.linkExisting([t.key, ...similar], issue, actor, 'cluster') };
  }

  /** The issue a ticket is worked under: its most recently linked open issue, else the latest. */
  currentIssue(t: Ticket): StoredIssue | null {
    const all = this.repo.issuesOf(t.id);
    return [...all].reverse().find((i) => i.state !== 'closed') ?? all.at(-1) ?? null;
  }

  /** Remove a ticket's link to an issue (the issue itself is not touched). */
  unlink(ref: string, issueRef: string, actor: string): MessageView {
    const t = this.d.tickets.require(ref);
    const linked = this.repo.issuesOf(t.id);
    const wanted = issueRef.trim();
    const issue = linked.find((i) => i.key === wanted || i.url === wanted || i.key.toLowerCase() === wanted.toLowerCase());
    if (!issue) throw new InputInvalidError(linked.length ? `${t.key} is not linked to "${wanted.slice(0, 80)}"; it is linked to ${linked.map((i) => i.key).join(', ')}.` : `${t.key} is not linked to any issue.`);
    this.d.tickets.change(t.id, actor, (cur) => {
      if (!this.repo.unlink(cur.id, issue.id)) return null;
      return {
        patch: {},
        events: [{ type: 'tracker_unlinked', data: { tracker: issue.tracker, key: issue.key, url: issue.url } }],
        threadLine: unlinkedLine(cur, issue, actor),
        linePurpose: 'work',
      };
    });
    return HANDOFF_REPLY.unlinked(issue, t.key);
  }

  // ---------------------------------------------------------------- plan follow-ups

  /** A handling plan's follow-up as an issue, in one click (idempotent per plan and item; answered within `answerWithinMs`). */
  async createFromFollowUp(planId: number, index: number, actor: string): Promise<MessageView> {
    const trackers = this.trackers();
    const stored = this.ai.getPlan<HandlingPlan>(planId);
    const followUp = stored?.plan.followUps?.[index];
    if (!stored || !followUp) throw new InputInvalidError('That follow-up is no longer available. Run `/ticket plan ID` again for a fresh plan.');
    const source = this.d.tickets.require(stored.ticketId);
    const stateKey = `fu-${planId}-${index}`;
    const prior = this.repo.preview<StoredPreview>(stateKey);
    if (prior?.status === 'created') return prior.issueKey ? HANDOFF_REPLY.followUpExists(prior.issueKey, source.key) : HANDOFF_REPLY.alreadyCreated(undefined);
    if (prior?.status === 'creating') {
      // Left "creating" by a stop between the tracker and the database: find and adopt, else create.
      if (this.inFlight.has(stateKey) || !prior.pending) return HANDOFF_REPLY.alreadyCreated(undefined);
      return this.answer(this.createPending(stateKey, prior.pending, true), source, actor, prior.pending, stateKey);
    }
    const now = this.d.tickets.clock.now();
    const ref = prior?.pending?.ref ?? prior?.ref ?? newHandoffRef();
    if (!prior) this.repo.savePreview(stateKey, { ticket: source.key, ref }, now);
    const choice = trackers.route(source);
    this.port(choice.tracker);
    const draft = followUpDraft({ ticket: source, followUp, internalLink: await this.internalLink(source), people: this.people([source]), redactor: this.redactor });
    const pending: PendingCreate = {
      ref,
      at: now,
      tracker: choice.tracker,
      target: choice.target,
      title: draft.title,
      body: draft.body,
      priority: source.priority,
      keys: [source.key],
      via: 'plan_follow_up',
      by: actor,
      followUp: { planId, index },
    };
    if (!this.repo.beginCreate(stateKey, pending, now)) return HANDOFF_REPLY.alreadyCreated(this.repo.preview(stateKey)?.issueKey);
    return this.answer(this.createPending(stateKey, pending, Boolean(prior?.pending)), source, actor, pending, stateKey);
  }

  // ---------------------------------------------------------------- card and detail

  private linked(t: Ticket): LinkedIssue[] {
    return this.repo.issuesOf(t.id);
  }

  /** The card's engineering section (issue lines only on an internal card; buttons on open tickets). */
  cardSection(t: Ticket): Block[] {
    if (!this.enabled) return [];
    const issues = this.linked(t);
    const open = isOpen(t.status);
    const current = issues.length ? this.currentIssue(t) : null;
    // Only worth a search when there is an issue to link the others to.
    const similar = open && current && t.triageChannelId ? this.similarOpen(t, current.id).length : 0;
    return engineeringSection(t, issues, { open, showIssues: Boolean(t.triageChannelId), similar });
  }

  /** `/ticket show`: linked issues with state. */
  detailSection(t: Ticket): Block[] {
    return linkedIssuesBlocks(this.linked(t));
  }
}
