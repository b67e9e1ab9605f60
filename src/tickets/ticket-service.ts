/**
 * TicketService: the core use cases (open, triage, assign, change status/priority/category,
 * record replies, escalate, snooze). Each change is ONE transaction that writes the ticket,
 * its timeline events, and the outbox rows announcing it (card refresh, thread line).
 * Listeners (AI drafts, escalation prompts, the playground's live view) hear about changes
 * after the commit.
 */
import type { Logger } from 'pino';
import type { FrontdeskConfig } from '../config/schema.js';
import { InputInvalidError, TicketNotFoundError } from '../domain/errors.js';
import {
  type Attachment,
  type Platform,
  type Priority,
  PRIORITIES,
  type Signal,
  type Ticket,
  type TicketEventType,
  type TicketStatus,
} from '../domain/types.js';
import { AudienceGuard, cardChannelOf, triageChannelFor } from '../audience/placement.js';
import { TicketMessenger } from '../audience/ticket-messenger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Clock } from '../ports/clock.js';
import type { Directory } from '../routing/directory.js';
import type { Router } from '../routing/routing.js';
import { nextSlaCheckAt, pauseDuration, reachedThresholds, snapshotPolicy } from '../sla/policy.js';
import type { Db } from '../store/db.js';
import { type TicketPatch, TicketRepo } from '../store/ticket-repo.js';
import { TrainingRepo } from '../store/training-repo.js';
import type { Triage } from '../triage/triage.js';
import { cleanText, extractLinks, titleOf } from '../util/text.js';
import { acknowledgementView, agentReplyMirror, agentReplyView, customerMessageMirror } from '../views/customer-views.js';
import { createRedactor, type Redactor } from '../ai/redact.js';
import { type Block, type MessageView, mention, plain } from '../ports/message-view.js';
import { ticketCard } from '../views/ticket-card.js';
import { assertTransition, isOpen } from '../domain/lifecycle.js';
import { resolvedByDeflection } from './resolution-outcome.js';

export interface OpenTicketInput {
  platform: Platform;
  channelId: string;
  /** The chat message the request came from (null for /ticket new and the CLI). */
  sourceMessageId?: string | null;
  /** Thread to answer in; defaults to the source message. */
  threadId?: string | null;
  requesterId: string;
  requesterName?: string | null;
  text: string;
  attachments?: Attachment[];
  /** Who created it when not the requester (🎫 reaction, shortcut, /ticket new). */
  createdBy?: string;
  /** Create even when triage says it is not a request (explicit ticket creation). */
  force?: boolean;
  overrides?: { category?: string; priority?: Priority; ownerId?: string | null };
  /** Platform event id, for idempotency of redelivered events. */
  eventId?: string;
  /** The channel is a VIP channel. */
  vipChannel?: boolean;
}

export type OpenTicketResult =
  | { outcome: 'created'; ticket: Ticket }
  | { outcome: 'exists'; ticket: Ticket }
  | { outcome: 'duplicate_event'; ticket: Ticket | null }
  | { outcome: 'not_a_request'; ticket: null };

export interface TicketChange {
  ticket: Ticket;
  kind: 'created' | 'updated';
  events: TicketEventType[];
  actor: string;
}

export type ChangeListener = (change: TicketChange) => void | Promise<void>;

/** Work that belongs to a change, run inside its transaction (see onChangedInTransaction). */
export type ChangeHook = (before: Ticket, after: Ticket, actor: string) => void;

interface Mutation {
  patch: TicketPatch;
  events: { type: TicketEventType; data?: Record<string, unknown> }[];
  /** A short line in the thread, only when a person should notice. */
  threadLine?: string;
  /** `work` lines (escalations, notes) go privately in inline mode. */
  linePurpose?: 'line' | 'work';
}

export interface ReplyInput {
  platform: Platform;
  channelId: string;
  threadId: string;
  messageId: string;
  authorId: string;
  text: string;
  isBot?: boolean;
  eventId?: string;
}

export interface CoreDeps {
  config: FrontdeskConfig;
  db: Db;
  clock: Clock;
  outbox: Outbox;
  triage: Triage;
  router: Router;
  directory: Directory;
  logger?: Logger;
}

const BOT = 'frontdesk';

export class TicketService {
  readonly repo: TicketRepo;
  readonly training: TrainingRepo;
  /** Says things about tickets, at the place the two-audiences rule decides. */
  readonly messenger: TicketMessenger;
  /** The two-audiences guard: every delivery (outbox, command answers, replaced messages) is checked against it. */
  readonly audience: AudienceGuard;
  private readonly listeners: ChangeListener[] = [];
  private readonly creationHooks: ((ticket: Ticket) => void)[] = [];
  private readonly changeHooks: ChangeHook[] = [];
  private readonly cardSections: ((ticket: Ticket) => Block[])[] = [];
  private readonly detailSections: ((ticket: Ticket) => Block[])[] = [];
  /** Redacts text before it is cut (titles, length limits), with the configured extra patterns. */
  private readonly redactor: Redactor;

  constructor(private readonly deps: CoreDeps) {
    this.redactor = createRedactor(deps.config.ai.redactPatterns);
    this.repo = new TicketRepo(deps.db);
    this.training = new TrainingRepo(deps.db);
    this.messenger = new TicketMessenger({ config: deps.config, outbox: deps.outbox, directory: deps.directory });
    this.audience = new AudienceGuard(deps.config, (platform, channelId, threadId) => this.repo.findByThread(platform, channelId, threadId));
    deps.outbox.setGuard(this.audience);
    deps.outbox.setCardSource({
      card: (id) => {
        const t = this.repo.get(id);
        if (!t) return null;
        const triage = Boolean(t.triageChannelId);
        return {
          channelId: cardChannelOf(t),
          // In a triage channel the card is a new message (its thread is the internal thread).
          threadId: triage ? null : t.threadId,
          cardMessageId: t.cardMessageId,
          view: this.card(t),
          needsLink: triage && !t.sourceLink && (t.sourceMessageId ?? t.threadId) ? { channelId: t.channelId, messageId: (t.sourceMessageId ?? t.threadId)! } : null,
        };
      },
      threadOf: (id) => this.repo.get(id)?.threadId ?? null,
      internalThreadOf: (id) => {
        const t = this.repo.get(id);
        return t?.triageChannelId ? t.cardMessageId : null;
      },
      ticket: (id) => this.repo.get(id),
      cardPosted: (id, res, startedThread) => {
        const t = this.repo.get(id);
        const patch: TicketPatch = { cardMessageId: res.messageId };
        if (startedThread && !t?.triageChannelId) patch.threadId = res.messageId;
        this.repo.update(id, patch, this.deps.clock.now());
      },
      linkKnown: (id, link) => {
        this.repo.update(id, { sourceLink: link }, this.deps.clock.now());
      },
      ackPosted: (id, res, startedThread) => {
        const patch: TicketPatch = { ackMessageId: res.messageId };
        if (startedThread) patch.threadId = res.messageId;
        this.repo.update(id, patch, this.deps.clock.now());
      },
    });
  }

  get config(): FrontdeskConfig {
    return this.deps.config;
  }

  get logger(): Logger | undefined {
    return this.deps.logger;
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  get directory(): Directory {
    return this.deps.directory;
  }

  get outbox(): Outbox {
    return this.deps.outbox;
  }

  get router(): Router {
    return this.deps.router;
  }

  get triage(): Triage {
    return this.deps.triage;
  }

  /** Subscribe to changes (called after each commit). */
  onChange(fn: ChangeListener): void {
    this.listeners.push(fn);
  }

  /**
   * Run `fn` inside the transaction that creates each ticket, after its card is queued — for
   * work that must happen exactly when the ticket exists (escalation prompts at triage). Each
   * hook runs in its own savepoint: if it throws, only its writes are undone and it is logged.
   */
  onCreatedInTransaction(fn: (ticket: Ticket) => void): void {
    this.creationHooks.push(fn);
  }

  /**
   * Run `fn` inside the transaction of every change made through `change()` (status, owner, …),
   * with the ticket before and after — for writes that belong to the change, such as the CSAT
   * question on resolution. Each hook runs in its own savepoint: if it throws, only its writes
   * are undone and it is logged.
   */
  onChangedInTransaction(fn: ChangeHook): void {
    this.changeHooks.push(fn);
  }

  private emit(change: TicketChange): void {
    for (const fn of this.listeners) {
      try {
        const r = fn(change);
        if (r && typeof (r as Promise<void>).catch === 'function')
          (r as Promise<void>).catch((e) => this.deps.logger?.error({ err: e, ticket: change.ticket.key }, 'ticket change listener failed'));
      } catch (e) {
        this.deps.logger?.error({ err: e, ticket: change.ticket.key }, 'ticket change listener failed');
      }
    }
  }

  /**
   * Add a section to every ticket card (a feature's own lines and buttons, e.g. known answers),
   * rendered with the card from the ticket's current state and placed above the card's buttons.
   * A section that throws is left out (and logged): the card still goes out.
   */
  addCardSection(fn: (ticket: Ticket) => Block[]): void {
    this.cardSections.push(fn);
  }

  /**
   * Add lines to the agents' ticket detail (`/ticket show`), e.g. linked engineering issues.
   * A section that throws is left out (and logged).
   */
  addDetailSection(fn: (ticket: Ticket) => Block[]): void {
    this.detailSections.push(fn);
  }

  /** The extra detail sections for a ticket (see addDetailSection). */
  details(t: Ticket): Block[] {
    const out: Block[] = [];
    for (const fn of this.detailSections) {
      try {
        out.push(...fn(t));
      } catch (e) {
        this.deps.logger?.error({ err: e, ticket: t.key }, 'a detail section failed; the ticket is shown without it');
      }
    }
    return out;
  }

  /** The current card for a ticket. */
  card(t: Ticket): MessageView {
    const view = this.baseCard(t);
    if (this.cardSections.length === 0) return view;
    const extra: Block[] = [];
    for (const fn of this.cardSections) {
      try {
        extra.push(...fn(t));
      } catch (e) {
        this.deps.logger?.error({ err: e, ticket: t.key }, 'a card section failed; the card goes out without it');
      }
    }
    if (extra.length === 0) return view;
    const at = view.blocks.findIndex((b) => b.type === 'actions' && b.blockId === 'ticket-actions');
    const blocks = [...view.blocks];
    blocks.splice(at < 0 ? blocks.length : at, 0, ...extra);
    return { ...view, blocks };
  }

  private baseCard(t: Ticket): MessageView {
    const draft = this.deps.db
      .prepare<[number], { status: string; path: 'ai' | 'offline' }>("SELECT status, path FROM drafts WHERE ticket_id = ? ORDER BY id DESC LIMIT 1")
      .get(t.id);
    return ticketCard(t, {
      now: this.deps.clock.now(),
      categories: this.deps.config.categories,
      draft: draft?.status === 'pending' ? { state: 'ready', path: draft.path } : null,
      placement: t.triageChannelId ? { kind: 'triage', sourceLink: t.sourceLink ?? null } : { kind: 'inline' },
      deflected: !isOpen(t.status) && resolvedByDeflection(this.repo.events(t.id)),
    });
  }

  /** Find a ticket by key ("T-1042") or throw a helpful error. */
  require(ref: string | number): Ticket {
    const t = typeof ref === 'number' ? this.repo.get(ref) : this.repo.getByKey(ref);
    if (!t || t.deleted) throw new TicketNotFoundError(String(ref));
    return t;
  }

  private firedThresholds(ticketId: number): Set<string> {
    const rows = this.deps.db
      .prepare<[number], { clock: string; threshold: number }>('SELECT clock, threshold FROM sla_pings WHERE ticket_id = ?')
      .all(ticketId);
    return new Set(rows.map((r) => `${r.clock}:${r.threshold}`));
  }

  /** Write a patch and, in the same UPDATE, when the SLA watcher next needs to look at the ticket. */
  private save(t: Ticket, patch: TicketPatch, now: number): Ticket {
    const merged: Ticket = { ...t, ...patch };
    return this.repo.update(t.id, { ...patch, nextSlaCheckAt: this.nextCheck(merged, now) }, now);
  }

  /** Recompute when the SLA watcher next needs to look at a ticket. */
  nextCheck(t: Ticket, now: number): number | null {
    if (!isOpen(t.status)) return null;
    const fired = this.firedThresholds(t.id);
    // Thresholds already reached but not handled yet (priority raised, pause ended): due now.
    if (reachedThresholds(t, fired, now).length > 0) return now;
    return nextSlaCheckAt(t, fired, now);
  }

  // ---------------------------------------------------------------- open

  /**
   * Turn a request into a ticket: triage, route, snapshot the SLA policy, store it with its
   * events and queue the card — in one transaction. The same message twice yields one ticket.
   */
  open(input: OpenTicketInput): OpenTicketResult {
    const { config, db, clock } = this.deps;
    const now = clock.now();
    const clean = cleanText(input.text, config.limits.maxTextLength, this.redactor);
    const result = db.transaction((): OpenTicketResult => {
      if (input.eventId && !this.repo.markInbound(input.platform, input.eventId, now)) {
        const existing = input.sourceMessageId ? this.repo.findBySource(input.platform, input.channelId, input.sourceMessageId) : null;
        return { outcome: 'duplicate_event', ticket: existing };
      }
      if (input.sourceMessageId) {
        const existing = this.repo.findBySource(input.platform, input.channelId, input.sourceMessageId);
        if (existing) return { outcome: 'exists', ticket: existing };
      }
      const channel = config.channels.find((c) => c.id === input.channelId);
      const vip = Boolean(input.vipChannel || channel?.vip);
      const tri = this.deps.triage.classify({ text: clean.text, requesterId: input.requesterId, channelId: input.channelId, vipChannel: vip });
      if (!tri.isRequest && !input.force) return { outcome: 'not_a_request', ticket: null };
      const signals: Signal[] = [...tri.signals];
      let category = tri.category;
      let priority = tri.priority;
      if (input.overrides?.category) {
        if (!config.categories.includes(input.overrides.category)) throw new InputInvalidError(unknownCategory(input.overrides.category, config.categories));
        if (input.overrides.category !== category)
          signals.push({ kind: 'category', label: 'set when the ticket was opened', source: 'agent', value: input.overrides.category, by: input.createdBy ?? input.requesterId, from: category, triaged: category });
        category = input.overrides.category;
      }
      if (input.overrides?.priority) {
        if (input.overrides.priority !== priority)
          signals.push({ kind: 'priority', label: 'set when the ticket was opened', source: 'agent', value: input.overrides.priority, by: input.createdBy ?? input.requesterId, from: priority, triaged: priority });
        priority = input.overrides.priority;
      }
      if (clean.truncated) signals.push({ kind: 'request', label: `message cut to ${config.limits.maxTextLength} characters`, source: 'limits' });
      const route = this.deps.router.route(input.channelId, category, now);
      const ownerId = input.overrides && 'ownerId' in input.overrides ? (input.overrides.ownerId ?? null) : route.ownerId;
      const links = extractLinks(clean.text).map((url): Attachment => ({ kind: 'link', name: url.replace(/^https?:\/\//, '').slice(0, 60), url }));
      const attachments = [...(input.attachments ?? []), ...links];
      const sla = snapshotPolicy(config, priority, { team: route.team });
      const draft = {
        platform: input.platform,
        channelId: input.channelId,
        sourceMessageId: input.sourceMessageId ?? null,
        threadId: input.threadId ?? input.sourceMessageId ?? null,
        cardMessageId: null,
        requesterId: input.requesterId,
        requesterName: input.requesterName ?? null,
        title: titleOf(clean.text, this.redactor),
        text: clean.text,
        category,
        priority,
        status: 'triaged' as TicketStatus,
        ownerId,
        team: route.team,
        signals,
        attachments,
        sla,
        createdAt: now,
        updatedAt: now,
        firstResponseAt: null,
        resolvedAt: null,
        closedAt: null,
        pausedMs: 0,
        pausedSince: null,
        snoozedUntil: null,
        incidentKey: null,
        triageChannelId: input.platform === 'cli' ? null : triageChannelFor(config, input.channelId),
      };
      const ticket = this.repo.insert({ ...draft, nextSlaCheckAt: nextSlaCheckAt(draft, new Set(), now) });
      const by = input.createdBy ?? input.requesterId;
      this.repo.appendEvent(ticket.id, 'created', by, now, { platform: input.platform, channel: input.channelId, source: input.sourceMessageId ?? null });
      this.repo.appendEvent(ticket.id, 'triaged', BOT, now, { category, priority, isRequest: tri.isRequest, signals, confidence: tri.confidence });
      if (ownerId) this.repo.appendEvent(ticket.id, 'assigned', BOT, now, { to: ownerId, reason: route.reason });
      if (input.sourceMessageId)
        this.repo.addMessage({
          ticketId: ticket.id,
          platform: input.platform,
          channelId: input.channelId,
          messageId: input.sourceMessageId,
          authorId: input.requesterId,
          authorRole: 'customer',
          text: clean.text,
          at: now,
        });
      if (input.platform !== 'cli') {
        // Triage mode: exactly one acknowledgement in the customer's thread; the card goes to the triage channel.
        if (ticket.triageChannelId) this.messenger.send(ticket, acknowledgementView(ticket, now, config.timezone), { purpose: 'line', key: `ack:${ticket.id}`, ack: true });
        this.deps.outbox.enqueue({
          platform: input.platform,
          ticketId: ticket.id,
          payload: { kind: 'card', ticketId: ticket.id, channelId: cardChannelOf(ticket), mode: 'post' },
          idempotencyKey: `card-post:${ticket.id}`,
        });
      }
      for (const hook of this.creationHooks) {
        try {
          db.transaction(() => hook(ticket))();
        } catch (e) {
          this.deps.logger?.error({ err: e, ticket: ticket.key }, 'a ticket-creation hook failed; the ticket was kept');
        }
      }
      return { outcome: 'created', ticket };
    })();
    if (result.outcome === 'created') this.emit({ ticket: result.ticket, kind: 'created', events: ['created', 'triaged'], actor: input.createdBy ?? input.requesterId });
    return result;
  }

  // ---------------------------------------------------------------- generic change

  /**
   * Apply a mutation to a ticket in one transaction: ticket row, events, SLA check time,
   * card refresh and optional thread line. Returns the updated ticket.
   */
  change(ref: string | number, actor: string, mutate: (t: Ticket, now: number) => Mutation | null): Ticket {
    const { db, clock } = this.deps;
    let changed: Ticket | null = null;
    let types: TicketEventType[] = [];
    const updated = db.transaction((): Ticket => {
      const t = this.require(ref);
      const now = clock.now();
      const m = mutate(t, now);
      if (!m) return t;
      const next = this.save(t, m.patch, now);
      for (const e of m.events) this.repo.appendEvent(t.id, e.type, actor, now, e.data ?? {});
      this.announce(next, m.threadLine, m.linePurpose);
      for (const hook of this.changeHooks) {
        try {
          db.transaction(() => hook(t, next, actor))();
        } catch (e) {
          this.deps.logger?.error({ err: e, ticket: t.key }, 'a ticket-change hook failed; the change was kept');
        }
      }
      changed = next;
      types = m.events.map((e) => e.type);
      return next;
    })();
    if (changed) this.emit({ ticket: changed, kind: 'updated', events: types, actor });
    return updated;
  }

  /**
   * Queue a card refresh and, optionally, a short internal line (the ticket's internal thread in
   * triage mode; the requester's thread in inline mode, or privately when it is `work`). Call
   * inside a transaction.
   */
  announce(t: Ticket, threadLine?: string, purpose: 'line' | 'work' = 'line'): void {
    if (t.platform === 'cli') return;
    this.deps.outbox.enqueueCardUpdate(t.platform, t.id, cardChannelOf(t));
    if (threadLine)
      this.messenger.send(t, { audience: 'internal', text: threadLine, blocks: [{ type: 'text', text: threadLine }] }, {
        purpose,
        key: `line:${t.id}:${this.deps.clock.now()}:${threadLine.slice(0, 40)}`,
      });
  }

  // ---------------------------------------------------------------- use cases

  /** Give the ticket an owner (null to unassign). */
  assign(ref: string | number, ownerId: string | null, actor: string): Ticket {
    return this.change(ref, actor, (t) => {
      if (t.ownerId === ownerId) return null;
      return {
        patch: { ownerId },
        events: [{ type: ownerId ? 'assigned' : 'unassigned', data: { from: t.ownerId, to: ownerId } }],
        threadLine: ownerId ? (ownerId === actor ? `${mention(ownerId)} took ${t.key}.` : `${t.key} is now assigned to ${mention(ownerId)} (by ${mention(actor)}).`) : undefined,
      };
    });
  }

  /** Acknowledge: the ticket is seen; the acknowledging agent becomes owner if there is none. */
  acknowledge(ref: string | number, actor: string): Ticket {
    return this.change(ref, actor, (t) => {
      const patch: TicketPatch = {};
      const events: Mutation['events'] = [];
      if (t.status === 'new' || t.status === 'triaged') {
        patch.status = 'acknowledged';
        events.push({ type: 'status_changed', data: { from: t.status, to: 'acknowledged' } });
      }
      if (!t.ownerId) {
        patch.ownerId = actor;
        events.push({ type: 'assigned', data: { from: null, to: actor } });
      }
      if (events.length === 0) return null;
      return { patch, events, threadLine: patch.ownerId ? `${mention(actor)} is looking at ${t.key}.` : undefined };
    });
  }

  /** Move to another status, applying the lifecycle and the SLA pause rules. */
  setStatus(ref: string | number, to: TicketStatus, actor: string, note?: string): Ticket {
    return this.change(ref, actor, (t, now) => {
      assertTransition(t.key, t.status, to);
      const patch: TicketPatch = { status: to };
      const events: Mutation['events'] = [];
      let threadLine: string | undefined;
      if (t.status === 'waiting_on_customer' && t.pausedSince !== null) {
        patch.pausedMs = t.pausedMs + pauseDuration(t.sla, t.pausedSince, now);
        patch.pausedSince = null;
      }
      if (to === 'waiting_on_customer') patch.pausedSince = now;
      const reopening = (t.status === 'resolved' || t.status === 'closed') && to === 'in_progress';
      if (reopening) {
        patch.resolvedAt = null;
        patch.closedAt = null;
        const row = this.deps.db.prepare<[number], { n: number }>('SELECT reopened_count AS n FROM tickets WHERE id = ?').get(t.id);
        patch.reopenedCount = (row?.n ?? 0) + 1;
        events.push({ type: 'reopened', data: { from: t.status } });
        threadLine = `${t.key} was reopened by ${mention(actor)}.`;
      }
      if (to === 'resolved') {
        patch.resolvedAt = now;
        // A note given with the resolution is the resolution note: internal, never in the thread line.
        threadLine = `${t.key} was resolved by ${mention(actor)}.`;
      }
      if (to === 'closed') patch.closedAt = now;
      events.push({ type: 'status_changed', data: { from: t.status, to } });
      if (note) events.push({ type: to === 'resolved' ? 'resolution_note' : 'note', data: { text: note } });
      return { patch, events, threadLine };
    });
  }

  resolve(ref: string | number, actor: string, note?: string): Ticket {
    return this.setStatus(ref, 'resolved', actor, note);
  }

  reopen(ref: string | number, actor: string): Ticket {
    const t = this.require(ref);
    if (t.status !== 'resolved' && t.status !== 'closed') throw new InputInvalidError(`${t.key} is ${t.status.replace(/_/g, ' ')}, not resolved or closed: there is nothing to reopen.`);
    return this.setStatus(ref, 'in_progress', actor);
  }

  /** Change priority (an agent's correction: the learner trains on it; SLA targets follow the new priority). */
  setPriority(ref: string | number, priority: Priority, actor: string): Ticket {
    if (!PRIORITIES.includes(priority)) throw new InputInvalidError(`"${priority}" is not a priority. Use one of ${PRIORITIES.join(', ')}.`);
    const out = this.change(ref, actor, (t, now) => {
      if (t.priority === priority) return null;
      this.training.add({ text: t.text, priority, source: 'correction', ticketId: t.id }, now);
      const signals = personSignal(t.signals, 'priority', t.priority, priority, actor);
      return {
        patch: { priority, sla: snapshotPolicy(this.deps.config, priority, { team: t.team }), signals },
        events: [{ type: 'priority_changed', data: { from: t.priority, to: priority, correction: true } }],
      };
    });
    this.learn({ text: out.text, priority, channel: out.channelId });
    return out;
  }

  /** Change category (an agent's correction: the learner trains on it). */
  setCategory(ref: string | number, category: string, actor: string): Ticket {
    const cats = this.deps.config.categories;
    if (!cats.includes(category)) throw new InputInvalidError(unknownCategory(category, cats));
    const out = this.change(ref, actor, (t, now) => {
      if (t.category === category) return null;
      this.training.add({ text: t.text, category, source: 'correction', ticketId: t.id }, now);
      const signals = personSignal(t.signals, 'category', t.category, category, actor);
      return { patch: { category, signals }, events: [{ type: 'category_changed', data: { from: t.category, to: category, correction: true } }] };
    });
    this.learn({ text: out.text, category, channel: out.channelId });
    return out;
  }

  private learn(ex: { text: string; category?: string; priority?: Priority; channel?: string }): void {
    try {
      this.deps.triage.learn(ex, 3);
    } catch (e) {
      this.deps.logger?.warn({ err: e }, 'learner could not learn from a correction (it is stored and used at the next start)');
    }
  }

  /** An internal note: on the timeline, and in the ticket's internal thread in triage mode. */
  addNote(ref: string | number, text: string, actor: string): Ticket {
    const clean = cleanText(text, 4000, this.redactor).text;
    return this.change(ref, actor, (t) => ({
      patch: {},
      events: [{ type: 'note', data: { text: clean } }],
      ...(t.triageChannelId ? { threadLine: `:memo: Note on ${t.key} by ${mention(actor)}: ${plain(clean)}`, linePurpose: 'work' as const } : {}),
    }));
  }

  /** Escalate to a tier/team/user: recorded, mentioned in the thread. */
  escalate(ref: string | number, actor: string, target: { id: string; name: string; members: string[] }, reason?: string): Ticket {
    return this.change(ref, actor, (t) => {
      const who = target.members.length ? target.members.map(mention).join(' ') : `**${plain(target.name)}**`;
      return {
        patch: {},
        events: [{ type: 'escalated', data: { to: target.id, reason: reason ?? null } }],
        threadLine: `:rotating_light: ${t.key} escalated to ${who} by ${mention(actor)}${reason ? ` — ${plain(reason)}` : ''}.`,
        linePurpose: 'work',
      };
    });
  }

  snooze(ref: string | number, until: number, actor: string): Ticket {
    return this.change(ref, actor, (t) => ({ patch: { snoozedUntil: until }, events: [{ type: 'snoozed', data: { until, previous: t.snoozedUntil } }] }));
  }

  /**
   * A message in a ticket's thread. In the customer's thread: an agent's reply is a response
   * (the first records the first response; it also assigns an unowned ticket to that agent and
   * moves it to in progress); a customer reply while waiting on the customer resumes the clock;
   * in triage mode both are mirrored into the internal thread. In the internal thread (triage
   * channel): agents talking among themselves — kept on the timeline as notes, never a response.
   * Returns null when the thread belongs to no ticket.
   */
  recordReply(r: ReplyInput): Ticket | null {
    const { db, clock, directory } = this.deps;
    const now = clock.now();
    let changed: { t: Ticket; types: TicketEventType[] } | null = null;
    const res = db.transaction((): Ticket | null => {
      if (r.eventId && !this.repo.markInbound(r.platform, r.eventId, now)) return null;
      const internal = this.repo.findByInternalThread(r.platform, r.channelId, r.threadId);
      if (internal) {
        if (r.isBot) return internal;
        const text = cleanText(r.text || ' (no text)', 4000).text;
        this.repo.appendEvent(internal.id, 'note', r.authorId, now, { text, via: 'internal_thread', messageId: r.messageId });
        changed = { t: internal, types: ['note'] };
        return internal;
      }
      const t = this.repo.findByThread(r.platform, r.channelId, r.threadId);
      if (!t) return null;
      const role = r.isBot ? 'bot' : directory.isAgent(r.authorId) ? 'agent' : 'customer';
      const text = cleanText(r.text || ' (no text)', this.deps.config.limits.maxTextLength, this.redactor).text;
      if (!this.repo.addMessage({ ticketId: t.id, platform: r.platform, channelId: r.channelId, messageId: r.messageId, authorId: r.authorId, authorRole: role, text, at: now }))
        return t;
      if (role === 'bot') return t;
      const patch: TicketPatch = {};
      const events: { type: TicketEventType; data: Record<string, unknown> }[] = [{ type: 'replied', data: { role, messageId: r.messageId } }];
      let threadLine: string | undefined;
      if (role === 'agent') threadLine = this.responded(t, r.authorId, now, patch, events, 'thread');
      if (role === 'customer' && t.status === 'waiting_on_customer') {
        patch.status = 'in_progress';
        if (t.pausedSince !== null) {
          patch.pausedMs = t.pausedMs + pauseDuration(t.sla, t.pausedSince, now);
          patch.pausedSince = null;
        }
        events.push({ type: 'status_changed', data: { from: t.status, to: 'in_progress', reason: 'customer replied' } });
      }
      const next = this.save(t, patch, now);
      for (const e of events) this.repo.appendEvent(t.id, e.type, r.authorId, now, e.data);
      if (t.triageChannelId)
        this.messenger.send(next, role === 'agent' ? agentReplyMirror(next, r.authorId, text, 'thread') : customerMessageMirror(next, r.authorId, text), {
          purpose: 'work',
          key: `mirror:${t.id}:${r.messageId}`,
        });
      if (patch.firstResponseAt || patch.status || patch.ownerId) this.announce(next, threadLine);
      changed = { t: next, types: events.map((e) => e.type) };
      return next;
    })();
    if (changed) {
      const c = changed as { t: Ticket; types: TicketEventType[] };
      this.emit({ ticket: c.t, kind: 'updated', events: c.types, actor: r.authorId });
    }
    return res;
  }

  /**
   * An agent answered the customer: the first answer records the first response; an unowned
   * ticket becomes theirs; a ticket not yet worked on moves to in progress. Fills `patch` and
   * `events`; returns the internal line to announce, if any.
   */
  private responded(
    t: Ticket,
    agentId: string,
    now: number,
    patch: TicketPatch,
    events: { type: TicketEventType; data: Record<string, unknown> }[],
    via: string,
  ): string | undefined {
    if (t.firstResponseAt === null) {
      patch.firstResponseAt = now;
      events.push({ type: 'first_response', data: { by: agentId, via, afterMs: now - t.createdAt } });
    }
    let line: string | undefined;
    if (!t.ownerId) {
      patch.ownerId = agentId;
      events.push({ type: 'assigned', data: { from: null, to: agentId, reason: 'answered the customer' } });
      line = `${mention(agentId)} answered the customer and now owns ${t.key}.`;
    }
    if (t.status === 'new' || t.status === 'triaged' || t.status === 'acknowledged') {
      patch.status = 'in_progress';
      events.push({ type: 'status_changed', data: { from: t.status, to: 'in_progress', reason: 'agent answered' } });
    }
    return line;
  }

  /**
   * An agent's answer to the customer from the internal side ("Reply to customer", a sent
   * suggested reply): posted in the customer's thread in the agent's name, mirrored into the
   * internal thread, and counted as a response (see recordReply). One transaction.
   * @example svc.replyToCustomer('T-1042', 'U_DANA', 'We found it — a fix is rolling out.', 'reply_form', 'reply:abc')
   */
  replyToCustomer(ref: string | number, agentId: string, text: string, via: 'reply_form' | 'suggested_reply' | 'known_answer', key: string, extraEvents: { type: TicketEventType; data: Record<string, unknown> }[] = []): Ticket {
    const clean = cleanText(text, 3000).text.trim();
    if (!clean) throw new InputInvalidError('Write the reply first: an empty message cannot be sent to the customer.');
    return this.change(ref, agentId, (t, now) => {
      if (t.platform !== 'cli') {
        this.messenger.send(t, agentReplyView(clean), { purpose: 'line', key: `customer-reply:${key}`, as: { userId: agentId, name: this.deps.directory.nameOf(agentId) } });
        if (t.triageChannelId) this.messenger.send(t, agentReplyMirror(t, agentId, clean, via), { purpose: 'work', key: `mirror:${key}` });
      }
      const patch: TicketPatch = {};
      const events: { type: TicketEventType; data: Record<string, unknown> }[] = [...extraEvents, { type: 'replied', data: { role: 'agent', via, text: clean } }];
      const threadLine = this.responded(t, agentId, now, patch, events, via);
      return { patch, events, ...(threadLine ? { threadLine } : {}) };
    });
  }

  /** Record the bot's own reply (a sent suggested reply) as the first response. */
  recordFirstResponse(ref: string | number, actor: string, via: string): Ticket {
    return this.change(ref, actor, (t, now) =>
      t.firstResponseAt === null
        ? { patch: { firstResponseAt: now }, events: [{ type: 'first_response', data: { by: actor, via, afterMs: now - t.createdAt } }] }
        : null,
    );
  }

  /** The original message was edited on the platform. */
  sourceEdited(platform: Platform, channelId: string, messageId: string, text: string, eventId?: string): Ticket | null {
    const t = this.repo.findBySource(platform, channelId, messageId);
    if (!t) return null;
    if (eventId && !this.repo.markInbound(platform, eventId, this.deps.clock.now())) return t;
    const clean = cleanText(text || ' ', this.deps.config.limits.maxTextLength, this.redactor).text;
    this.repo.updateMessage(platform, channelId, messageId, { text: clean }, this.deps.clock.now());
    return this.change(t.id, t.requesterId, (cur) => ({
      patch: { text: clean, title: titleOf(clean, this.redactor) },
      events: [{ type: 'message_edited', data: { previous: cur.text } }],
    }));
  }

  /** The original message was deleted on the platform: the ticket stays, marked as such. */
  sourceDeleted(platform: Platform, channelId: string, messageId: string): Ticket | null {
    const t = this.repo.findBySource(platform, channelId, messageId);
    if (!t) return null;
    this.repo.updateMessage(platform, channelId, messageId, { deleted: true }, this.deps.clock.now());
    return this.change(t.id, t.requesterId, (cur) =>
      cur.signals.some((s) => s.source === 'platform' && s.label.includes('deleted'))
        ? null
        : {
            patch: { signals: [...cur.signals, { kind: 'escalation', label: 'the original message was deleted', source: 'platform' }] },
            events: [{ type: 'message_deleted', data: {} }],
          },
    );
  }

  /** Link tickets as one incident. */
  linkIncident(keys: string[], actor: string): string {
    const incident = `INC-${this.require(keys[0]!).key.slice(2)}`;
    for (const k of keys)
      this.change(k, actor, (t) => (t.incidentKey === incident ? null : { patch: { incidentKey: incident }, events: [{ type: 'linked_incident', data: { incident, with: keys } }] }));
    return incident;
  }
}

export function unknownCategory(cat: string, cats: readonly string[]): string {
  return `"${cat}" is not a category. Use one of: ${cats.join(', ')}.`;
}

/**
 * The signals after a person changed `kind` from `from` to `to`: triage's own signals stay (the
 * card shows them as the superseded original triage); an earlier person's change is replaced by
 * this one, which remembers who, the value it replaced and the value triage had given.
 * @example personSignal(t.signals, 'priority', 'P0', 'P1', 'U1') // [...triage signals, { source: 'agent', value: 'P1', by: 'U1', from: 'P0', triaged: 'P0', ... }]
 */
export function personSignal(signals: readonly Signal[], kind: 'priority' | 'category', from: string, to: string, actor: string): Signal[] {
  const earlier = signals.find((s) => s.kind === kind && s.source === 'agent');
  const triaged = earlier ? (earlier.triaged ?? earlier.from ?? from) : from;
  return [
    ...signals.filter((s) => !(s.kind === kind && s.source === 'agent')),
    { kind, label: `changed from ${from}`, source: 'agent', value: to, by: actor, from, triaged },
  ];
}
