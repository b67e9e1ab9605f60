/**
 * The store port: persistence as async repositories with an explicit transaction scope, the
 * same for every engine (SQLite for one process, PostgreSQL for several replicas). One contract
 * suite (tests/contract/store-contract.ts) runs against every implementation.
 *
 * Writes that belong together go through `store.tx(async (repos) => …)`: everything done with
 * `repos` commits together or not at all. The repositories on `store` itself auto-commit each
 * call. Never call `store.tx` (or `store.<repo>`) from inside a transaction: use its `repos`.
 *
 * Groundwork for issue #13: the running app still uses the synchronous repositories in
 * src/store/*.ts; the switch-over moves the use cases onto this port.
 */
import type { Attachment, Platform, Priority, Signal, SlaSnapshot, Ticket, TicketEvent, TicketEventType, TicketStatus } from '../domain/types.js';
import type { AiRepository, AiTaskRepository, TrainingRepository } from './store-ai.js';
import type { IssueRef, TrackerIssue } from './tracker-port.js';
import type { RateLimitRepository } from './rate-limiter.js';
import type { ConversationRefRepository, DirectoryRepository, RoutingRepository } from './store-routing.js';
import type { DigestRepository, EscalationRepository, MetricsQueries, SlaRepository } from './store-escalation.js';
import type { AnswerSearch, CsatRepository, KnowledgeRepository, OfferRepository } from './store-knowledge.js';

// ─── tickets ──────────────────────────────────────────────────────────────────────────────────

/** A ticket to create: the store assigns its id and human key (T-1001, …). */
export type NewTicket = Omit<Ticket, 'id' | 'key' | 'deleted'> & { nextSlaCheckAt: number | null };

/** Fields a use case may change. */
export type TicketPatch = Partial<
  Pick<
    Ticket,
    | 'threadId'
    | 'cardMessageId'
    | 'title'
    | 'text'
    | 'category'
    | 'priority'
    | 'status'
    | 'ownerId'
    | 'team'
    | 'signals'
    | 'attachments'
    | 'sla'
    | 'firstResponseAt'
    | 'resolvedAt'
    | 'closedAt'
    | 'pausedMs'
    | 'pausedSince'
    | 'snoozedUntil'
    | 'incidentKey'
    | 'deleted'
    | 'triageChannelId'
    | 'sourceLink'
    | 'ackMessageId'
  >
> & { nextSlaCheckAt?: number | null; reopenedCount?: number };

/** What `frontdesk tickets list` and the queues filter on (all optional, ANDed). */
export interface TicketFilter {
  status?: TicketStatus | TicketStatus[];
  open?: boolean;
  /** null = unassigned only. */
  ownerId?: string | null;
  team?: string;
  channelId?: string;
  requesterId?: string;
  priority?: Priority;
  createdFrom?: number;
  createdTo?: number;
  /** Default 500, at most 10,000. Ordered by priority, then age. */
  limit?: number;
}

/** A message in a ticket's conversation. */
export interface StoredMessage {
  ticketId: number;
  platform: string;
  channelId: string;
  messageId: string;
  authorId: string;
  authorRole: 'customer' | 'agent' | 'bot';
  text: string;
  at: number;
  deleted?: boolean;
}

export interface TicketRepository {
  get(id: number): Promise<Ticket | null>;
  /** By human key ("T-1042", case-insensitive; a bare "1042" works too). */
  getByKey(key: string): Promise<Ticket | null>;
  findBySource(platform: string, channelId: string, messageId: string): Promise<Ticket | null>;
  findByThread(platform: string, channelId: string, threadId: string): Promise<Ticket | null>;
  /** The ticket whose card is this message (in its triage channel, else its own channel). */
  findByCard(platform: string, channelId: string, cardMessageId: string): Promise<Ticket | null>;
  findByInternalThread(platform: string, triageChannelId: string, threadId: string): Promise<Ticket | null>;
  /** Insert with the next human key. Use inside `store.tx` together with its events. */
  create(t: NewTicket): Promise<Ticket>;
  /** Apply a patch (updated_at = at); throws when the ticket does not exist. */
  update(id: number, patch: TicketPatch, at: number): Promise<Ticket>;
  list(filter?: TicketFilter): Promise<Ticket[]>;
  /** Append to the timeline (append-only: the engines reject updates and deletes). */
  appendEvent(ticketId: number, type: TicketEventType, actor: string, at: number, data?: Record<string, unknown>): Promise<void>;
  events(ticketId: number): Promise<TicketEvent[]>;
  /** Attach a message; false when it was stored before (a redelivery). */
  addMessage(m: StoredMessage): Promise<boolean>;
  messages(ticketId: number): Promise<StoredMessage[]>;
  updateMessage(platform: string, channelId: string, messageId: string, patch: { text?: string; deleted?: boolean }, at: number): Promise<void>;
}

/** Full-text "similar past tickets" (FTS5 + bm25 on SQLite, tsvector + GIN + ts_rank on PostgreSQL). */
export interface SimilarTickets {
  similar(text: string, opts?: { limit?: number; resolvedOnly?: boolean; excludeId?: number; since?: number }): Promise<Ticket[]>;
}

// ─── inbound ──────────────────────────────────────────────────────────────────────────────────

export type InboxStatus = 'pending' | 'done' | 'failed';

export interface InboxItem {
  id: number;
  platform: string;
  deliveryId: string;
  payload: string;
  retryNum: number;
  receivedAt: number;
  status: InboxStatus;
  attempts: number;
  lastError: string | null;
  processedAt: number | null;
  result: string | null;
}

/** A key of a signed request remembered for the replay window. */
export interface SeenKey {
  platform: string;
  key: string;
  /** The request's own timestamp (ms); pruned once outside the window. */
  at: number;
}

export interface NewInboxItem {
  platform: string;
  deliveryId: string;
  payload: string;
  retryNum?: number;
  receivedAt: number;
  /** Replay keys recorded in the same commit. */
  seen?: SeenKey[];
}

/** 'stored'; 'duplicate' = the delivery id is already there; 'replayed' = a replay key was seen. */
export type InsertOutcome = 'stored' | 'duplicate' | 'replayed';

export interface InboxRepository {
  /** Store many deliveries in ONE transaction (the group commit); one outcome per item. */
  insertMany(items: readonly NewInboxItem[]): Promise<InsertOutcome[]>;
  /** Remember replay keys; returns those already seen (empty = first delivery). */
  rememberKeys(keys: readonly SeenKey[]): Promise<SeenKey[]>;
  find(platform: string, deliveryId: string): Promise<{ id: number; status: InboxStatus; result: string | null } | null>;
  get(id: number): Promise<InboxItem | null>;
  pending(platform: string, afterId: number, limit: number): Promise<InboxItem[]>;
  markDone(id: number, at: number): Promise<boolean>;
  markDoneWithResult(id: number, at: number, result: string): Promise<void>;
  recordDone(platform: string, deliveryId: string, payload: string, result: string, at: number): Promise<void>;
  maxId(platform: string): Promise<number>;
  markFailed(id: number, at: number, error: string): Promise<void>;
  markAttempt(id: number, error: string): Promise<void>;
  counts(platform: string): Promise<Record<InboxStatus, number>>;
  /** Inbound event ids (idempotency for retried deliveries): true the first time. */
  markInbound(platform: string, eventId: string, at: number): Promise<boolean>;
}

// ─── outbox ───────────────────────────────────────────────────────────────────────────────────

export type OutboxKind = 'post' | 'update' | 'ephemeral' | 'dm' | 'card';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dropped';

export interface OutboxEnqueue {
  idempotencyKey: string;
  platform: string;
  /** The lane: rows of one (platform, channel) are sent in id order, one at a time. */
  channelId: string;
  kind: OutboxKind;
  /** Opaque to the store (the outbox's JSON payload). */
  payload: string;
  ticketId?: number | null;
  createdAt: number;
  /** Due from (default createdAt). */
  notBefore?: number;
}

export interface OutboxItem {
  id: number;
  idempotencyKey: string;
  platform: string;
  channelId: string;
  kind: OutboxKind;
  payload: string;
  ticketId: number | null;
  status: OutboxStatus;
  attempts: number;
  /** Due time while pending; the lease expiry while sending. */
  nextAttemptAt: number;
  createdAt: number;
  sentAt: number | null;
  result: string | null;
  lastError: string | null;
  firstAttemptAt: number | null;
  /** The last attempt may have reached the platform: look for it before sending again. */
  unsure: boolean;
}

/**
 * A row handed to one sender under a lease. `token` fences it: a sender whose lease expired and
 * was taken over can no longer mark the row (its marks return false).
 */
export interface OutboxClaim {
  id: number;
  token: number;
  leaseUntil: number;
}

export interface ClaimedOutboxItem extends OutboxItem {
  claim: OutboxClaim;
}

export interface ClaimOptions {
  now: number;
  /** At most this many rows (one per channel: the channel's head). */
  limit: number;
  leaseMs: number;
  /** Only these platforms (those with a registered port). Default: all. */
  platforms?: readonly string[];
  /** Only this channel's head (a sender going on with the channel it is working through). */
  channel?: { platform: string; channelId: string };
  /** Leave these channels alone (e.g. ones this sender must pace). */
  exclude?: readonly { platform: string; channelId: string }[];
}

export interface OutboxRepository {
  /** Add a row; false when the idempotency key was seen before. */
  enqueue(req: OutboxEnqueue): Promise<boolean>;
  /**
   * Claim the head row of up to `limit` channels whose head is due (pending and due, or sending
   * under an EXPIRED lease — that one is taken over and marked unsure). Claimed rows are
   * 'sending' until `now + leaseMs`. Concurrent claimers (other connections, other replicas)
   * never get the same row: PostgreSQL uses FOR UPDATE SKIP LOCKED; SQLite has one writer.
   */
  claimDue(opts: ClaimOptions): Promise<ClaimedOutboxItem[]>;
  /** Extend a live lease (a slow send); false when the claim was lost. */
  renewLease(claim: OutboxClaim, until: number): Promise<boolean>;
  markSent(claim: OutboxClaim, at: number, result: string | null): Promise<boolean>;
  /** Back to pending, due at `nextAttemptAt`; `unsure` when the attempt may have landed. */
  markRetry(claim: OutboxClaim, nextAttemptAt: number, error: string, unsure: boolean): Promise<boolean>;
  /**
   * Hand the row back without an error, due at `until` (a paced channel waits its turn). The
   * claim still counts in `attempts` (the fencing token never goes back).
   */
  defer(claim: OutboxClaim, until: number): Promise<boolean>;
  /**
   * A platform answers again: pending rows of these channels that were waiting out a failure
   * (attempted before, due after `now`) become due now. Returns how many.
   */
  releaseWaiting(platform: string, channelIds: readonly string[], now: number): Promise<number>;
  /** Whether a card refresh for this ticket is already waiting (idempotency keys `card-update:…`). */
  hasPendingCardUpdate(ticketId: number): Promise<boolean>;
  /** Give up: 'failed' (kept for an operator) or 'dropped' (nothing to send). */
  markFailed(claim: OutboxClaim, error: string, status?: 'failed' | 'dropped'): Promise<boolean>;
  /**
   * Rows left 'sending' whose lease expired before `now` go back to pending, unsure (their
   * sender crashed). Rows under a live lease are never touched: another replica is sending them.
   * `everyLease` (SQLite: one process per database file, so every lease is a previous run's):
   * every 'sending' row goes back, due at `now`.
   */
  recoverExpired(now: number, opts?: { everyLease?: boolean }): Promise<number>;
  get(id: number): Promise<OutboxItem | null>;
  stats(): Promise<Partial<Record<OutboxStatus, number>>>;
}

// ─── trackers ─────────────────────────────────────────────────────────────────────────────────

export interface StoredIssue extends TrackerIssue {
  id: number;
  createdBy: string | null;
  createdAt: number;
  polledAt: number | null;
}

export interface TrackerRepository {
  /** Insert or refresh; an older state (out-of-order webhook) does not overwrite a newer one. */
  upsert(issue: TrackerIssue, at: number, createdBy?: string | null): Promise<StoredIssue>;
  find(ref: Pick<IssueRef, 'tracker' | 'key'>): Promise<StoredIssue | null>;
  get(id: number): Promise<StoredIssue | null>;
  link(ticketId: number, issueId: number, by: string, at: number): Promise<boolean>;
  unlink(ticketId: number, issueId: number): Promise<boolean>;
  issuesOf(ticketId: number): Promise<(StoredIssue & { linkedBy: string; linkedAt: number })[]>;
  ticketsOf(issueId: number): Promise<number[]>;
  openForPolling(limit: number): Promise<StoredIssue[]>;
  markPolled(id: number, at: number): Promise<void>;
}

// ─── the store ────────────────────────────────────────────────────────────────────────────────

export interface Repos {
  tickets: TicketRepository;
  search: SimilarTickets;
  inbox: InboxRepository;
  outbox: OutboxRepository;
  trackers: TrackerRepository;
  ai: AiRepository;
  training: TrainingRepository;
  aiTasks: AiTaskRepository;
  routing: RoutingRepository;
  directory: DirectoryRepository;
  conversationRefs: ConversationRefRepository;
  rateLimits: RateLimitRepository;
  escalations: EscalationRepository;
  sla: SlaRepository;
  digests: DigestRepository;
  gauges: MetricsQueries;
  knowledge: KnowledgeRepository;
  answerSearch: AnswerSearch;
  offers: OfferRepository;
  csat: CsatRepository;
}

export interface PruneCutoffs {
  /** Processed inbox rows older than this (ms); also the default of the other cut-offs. */
  before: number;
  /** Sent outbox rows (default: `before`); they are kept while their posts may still be replaced. */
  outboxBefore?: number;
  /** Inbound event ids (default: `before`). */
  inboundEventsBefore?: number;
  /** Replay keys older than this (default: `before`); their window is usually much shorter. */
  seenBefore?: number;
  /**
   * Expired form state older than this: stashed "Create ticket" forms and engineering hand-off
   * previews that are not in the middle of a create (default: nothing pruned).
   */
  formsBefore?: number;
}

export interface PruneCounts {
  outbox: number;
  inbox: number;
  seen: number;
  inboundEvents: number;
  /** Shared pacing rows of channels idle since before `before`. */
  rateLimits: number;
  /** Finished AI tasks older than the sent-outbox cut-off. */
  aiTasks: number;
  /** Form state pruned (present when `formsBefore` was given). */
  forms?: number;
}

export type LeaderResult<T> = { ran: true; value: T } | { ran: false };

export type StoreEngine = 'sqlite' | 'postgres';

export interface Store extends Repos {
  readonly engine: StoreEngine;
  /**
   * Run `fn` in one transaction: commits when it resolves, rolls back when it throws.
   * @example await store.tx(async (r) => { const t = await r.tickets.create(draft); await r.tickets.appendEvent(t.id, 'created', by, now); })
   */
  tx<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
  /**
   * Run `fn` only if this process holds the leader lock `name` (PostgreSQL: an advisory lock, so
   * exactly one replica runs a scheduled job per tick; SQLite: one process, one run at a time).
   * Never waits: `{ ran: false }` when another holder has it.
   */
  withLeader<T>(name: string, fn: () => Promise<T>): Promise<LeaderResult<T>>;
  /** Retention: delete sent outbox rows, processed inbox rows, inbound ids, replay keys and expired form state. */
  prune(cutoffs: PruneCutoffs): Promise<PruneCounts>;
  /** The newest migration applied. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

export type { Attachment, Platform, Priority, Signal, SlaSnapshot };
