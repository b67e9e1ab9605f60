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
import type { Logger } from 'pino';
import { AiRepo } from '../store/ai-repo.js';
import type { HandlingPlan } from '../ai/handling-plan.js';
import { createRedactor, type Redactor } from '../ai/redact.js';
import type { FrontdeskConfig } from '../config/schema.js';
import { FrontdeskError, InputInvalidError } from '../domain/errors.js';
import type { Ticket } from '../domain/types.js';
import { distinctiveWords, isSimilar } from '../escalation/similarity.js';
import type { IssueTarget, TrackerIssue, TrackerKind, TrackerPort } from '../ports/tracker-port.js';
import { TrackerError } from '../ports/tracker-port.js';
import type { StoredIssue } from '../store/tracker-repo.js';
import { TrackerRepo } from '../store/tracker-repo.js';
import { isOpen } from '../tickets/lifecycle.js';
import type { TicketService } from '../tickets/ticket-service.js';
import type { Block, FormView, MessageView } from '../views/message-view.js';
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
import { followUpDraft, type ImpactTicket, issueDraft, scrub } from './issue-body.js';

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
      this.repo.savePreview(stateKey, { ticket: t.key, similar: similar.map((s) => s.key), escalationId: o.escalationId ?? null, prompt: o.escalationId ? (o.prompt ?? null) : null, routed, by: actor } satisfies PreviewState, this.d.tickets.clock.now());
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

  /** Submit a preview: create the issue, then link and announce in one transaction. */
  async submitPreview(stateKey: string, values: Record<string, string>, actor: string): Promise<MessageView> {
    const trackers = this.trackers();
    const st = this.repo.preview<PreviewState>(stateKey);
    if (!st) throw new InputInvalidError(HANDOFF_REPLY.expired);
    if (st.status !== 'open') return HANDOFF_REPLY.alreadyCreated(st.issueKey);
    const title = (values.title ?? '').replace(/\s+/g, ' ').trim();
    const body = (values.body ?? '').trim();
    if (!title) throw new InputInvalidError(HANDOFF_REPLY.needTitle);
    if (!body) throw new InputInvalidError(HANDOFF_REPLY.needBody);
    const chosen = values.target || choiceValue(st.routed);
    const choice = [st.routed, ...trackers.choices()].find((c) => choiceValue(c) === chosen);
    if (!choice) throw new InputInvalidError(HANDOFF_REPLY.badTarget(chosen.slice(0, 60)));
    const t = this.d.tickets.require(st.ticket);
    const port = this.port(choice.tracker);
    const now = () => this.d.tickets.clock.now();
    if (!this.repo.movePreview(stateKey, 'open', 'creating', now())) return HANDOFF_REPLY.alreadyCreated(this.repo.preview(stateKey)?.issueKey);
    let issue: TrackerIssue;
    try {
      // The agent approved this text; redact once more in case they pasted a secret while editing.
      issue = await port.createIssue({ target: choice.target, title: this.redactor(title).text, body: this.redactor(body).text, priority: t.priority });
    } catch (e) {
      this.repo.movePreview(stateKey, 'creating', 'open', now());
      this.repo.keepPreviewEdits(stateKey, { title, body, target: chosen }, now());
      this.trackerFailure(e, `create the issue in ${TRACKER_NAME[choice.tracker]} ${choice.target.project}`, 'your edits are kept: click **Escalate to engineering** again to retry');
    }
    const keys = [t.key, ...(values.similar === 'all' ? st.similar.filter((k) => k !== t.key) : [])];
    const linked = this.d.tickets.repo.db.transaction(() => {
      const stored = this.repo.upsert(issue, now(), actor);
      const done = this.linkInTransaction(keys, stored, actor, { created: true, via: st.escalationId ? 'escalation_prompt' : 'preview' });
      this.repo.movePreview(stateKey, 'creating', 'created', now(), issue.key);
      if (st.escalationId) this.d.promptActed?.(t.id, st.escalationId, actor, escalatedLine(actor, issue), st.prompt ?? null);
      return done;
    })();
    return HANDOFF_REPLY.created(issue, linked.length ? linked : [t.key]);
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
  async search(ref: string, query: string): Promise<MessageView> {
    const trackers = this.trackers();
    const t = this.d.tickets.require(ref);
    const q = this.redactor(query.replace(/\s+/g, ' ').trim()).text;
    if (!q) throw new InputInvalidError(HANDOFF_REPLY.needQuery);
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
    let issue: TrackerIssue;
    try {
      issue = await port.getIssue(ref.key);
    } catch (e) {
      this.trackerFailure(e, `read ${TRACKER_NAME[ref.tracker]} ${ref.key}`);
    }
    const now = this.d.tickets.clock.now();
    const done = this.d.tickets.repo.db.transaction(() => {
      const stored = this.repo.upsert(issue, now);
      return this.linkInTransaction(keys, stored, actor, { created: false, via });
    })();
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
    if (!issue) return { form: await this.preview(t.key, actor, { escalationId, linkSimilar: true, similar, prompt }) };
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

  /** A handling plan's follow-up as an issue, in one click (idempotent per plan and item). */
  async createFromFollowUp(planId: number, index: number, actor: string): Promise<MessageView> {
    const trackers = this.trackers();
    const stored = this.ai.getPlan<HandlingPlan>(planId);
    const followUp = stored?.plan.followUps?.[index];
    if (!stored || !followUp) throw new InputInvalidError('That follow-up is no longer available. Run `/ticket plan ID` again for a fresh plan.');
    const source = this.d.tickets.require(stored.ticketId);
    const stateKey = `fu-${planId}-${index}`;
    const prior = this.repo.preview<object>(stateKey);
    if (prior && prior.status !== 'open') return prior.issueKey ? HANDOFF_REPLY.followUpExists(prior.issueKey, source.key) : HANDOFF_REPLY.alreadyCreated(undefined);
    const now = () => this.d.tickets.clock.now();
    if (!prior) this.repo.savePreview(stateKey, { ticket: source.key }, now());
    if (!this.repo.movePreview(stateKey, 'open', 'creating', now())) return HANDOFF_REPLY.alreadyCreated(this.repo.preview(stateKey)?.issueKey);
    const choice = trackers.route(source);
    const draft = followUpDraft({ ticket: source, followUp, internalLink: await this.internalLink(source), people: this.people([source]), redactor: this.redactor });
    let issue: TrackerIssue;
    try {
      issue = await this.port(choice.tracker).createIssue({ target: choice.target, title: draft.title, body: draft.body, priority: source.priority });
    } catch (e) {
      this.repo.movePreview(stateKey, 'creating', 'open', now());
      this.trackerFailure(e, `create the follow-up issue in ${TRACKER_NAME[choice.tracker]} ${choice.target.project}`);
    }
    this.d.tickets.repo.db.transaction(() => {
      const s = this.repo.upsert(issue, now(), actor);
      this.linkInTransaction([source.key], s, actor, { created: true, via: 'plan_follow_up', followUp: { planId, index } });
      this.repo.movePreview(stateKey, 'creating', 'created', now(), issue.key);
    })();
    return HANDOFF_REPLY.followUpCreated(issue, source.key);
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
