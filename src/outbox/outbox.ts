/**
 * The durable outbox. Every outbound chat message is a row first; rows are sent through the
 * platform's ChatPort in order per channel, each channel in its own lane (one call in flight
 * per channel, so a hung call holds only its channel), paced to the platform's per-channel
 * rate on the injected timer.
 *
 * Failures back off per channel, not per row: a retryable failure blocks the channel with
 * exponential backoff and jitter capped at a few seconds (Retry-After honoured exactly), the
 * channel's head row is the probe, and when any send on a platform succeeds every channel that
 * was waiting out a platform-wide failure (5xx, timeout, network) is released at once, so an
 * outage's backlog drains at the rate limit as soon as the platform is back.
 *
 * Exactly once across crashes where the platform allows it: each post carries its row key
 * (ChatPort `tag`); a row whose last attempt may have landed (left in 'sending' by a crash, or
 * failed ambiguously) is first looked for with `ChatPort.findDelivered` and, when found,
 * adopted as if the send had just succeeded. Without findDelivered (Teams) it is sent again.
 *
 * Rows are claimed through the store port with a lease (OutboxRepository.claimDue: each
 * channel's head, FOR UPDATE SKIP LOCKED on PostgreSQL), renewed while a call is in flight and
 * fenced by a token, so several replicas on one database never send a row twice at once, and a
 * crashed sender's rows are taken over (unsure) when its lease runs out. On SQLite (one process
 * per database file) the rows a previous run left 'sending' are taken up at once at start.
 */
import type { Logger } from 'pino';
import { ChatDeliveryError } from '../domain/errors.js';
import { type AudienceGuard, AudienceViolationError, type Purpose } from '../audience/placement.js';
import type { Ticket } from '../domain/types.js';
import type { ChatPort, PostResult, Sender } from '../ports/chat-port.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { DeliveryResult, Metrics } from '../metrics.js';
import type { Db } from '../store/db.js';
import { OutboxQueue } from '../store/outbox-repo.js';
import type { MessageView } from '../ports/message-view.js';
import type { ClaimedOutboxItem, OutboxClaim, Repos, Store } from '../ports/store.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import { LocalRateLimiter } from './rate-limiter.js';

export type OutboxPayload =
  /**
   * `threadOfTicket`: post in that ticket's (customer) thread as known at send time (when threadId
   * is not given); `internalThreadOfTicket`: in its internal thread (the card's thread in the
   * triage channel). `ackOfTicket`: this is the ticket's acknowledgement (remembered; it starts
   * the customer thread when there is none yet). `as`: in that person's name. `purpose`: what an
   * internal view is for (the guard re-checks it at send time).
   */
  | {
      kind: 'post';
      channelId: string;
      threadId?: string | null;
      threadOfTicket?: number;
      internalThreadOfTicket?: number;
      ackOfTicket?: number;
      as?: Sender;
      purpose?: Purpose;
      view: MessageView;
    }
  | { kind: 'update'; channelId: string; messageId: string; view: MessageView; purpose?: Purpose }
  /** `threadOfTicket` / `internalThreadOfTicket` as for `post`: in that ticket's customer or internal thread. */
  | { kind: 'ephemeral'; channelId: string; userId: string; threadId?: string | null; view: MessageView; threadOfTicket?: number; internalThreadOfTicket?: number }
  | { kind: 'dm'; userId: string; view: MessageView }
  /** A ticket card, rendered from the ticket's state at send time (so it is always current). */
  | { kind: 'card'; ticketId: number; channelId: string; mode: 'post' | 'update' };

export interface EnqueueRequest {
  platform: string;
  payload: OutboxPayload;
  /** Same key twice = enqueued once. */
  idempotencyKey: string;
  ticketId?: number | null;
  /** Send no earlier than this (epoch ms). */
  notBefore?: number;
}

export interface OutboxRow {
  id: number;
  idempotency_key: string;
  platform: string;
  channel_id: string;
  kind: string;
  payload: string;
  ticket_id: number | null;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'dropped';
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  sent_at: number | null;
  result: string | null;
  last_error: string | null;
  /** When the row was first claimed for sending (bounds the search after a crash). */
  first_attempt_at: number | null;
  /** 1 when the last attempt may have reached the platform (crash, timeout, 5xx). */
  unsure: number;
}

/** Supplies the current card for a ticket at send time. */
export interface CardSource {
  card(ticketId: number): {
    channelId: string;
    threadId: string | null;
    cardMessageId: string | null;
    view: MessageView;
    /** The customer's message to link to from a card in the triage channel (link not known yet). */
    needsLink?: { channelId: string; messageId: string } | null;
  } | null;
  /** The ticket's thread as known now (cheap; no rendering). */
  threadOf(ticketId: number): string | null;
  /** The ticket's internal thread (its card's thread in the triage channel), once the card is posted. */
  internalThreadOf?(ticketId: number): string | null;
  /** The ticket as stored (for the audience guard). */
  ticket?(ticketId: number): Ticket | null;
  /** Called after a card was posted, to remember where it is (and the thread, if it started one). */
  cardPosted(ticketId: number, result: PostResult, startedThread: boolean): void;
  /** Remember the link to the customer's message. */
  linkKnown?(ticketId: number, link: string): void;
  /** Called after a ticket's acknowledgement was posted (and whether it started the customer thread). */
  ackPosted?(ticketId: number, result: PostResult, startedThread: boolean): void;
}

export interface OutboxOptions {
  /** Time source for scheduling retries (real time by default, independent of the bot's Clock). */
  timer?: Clock;
  logger?: Logger;
  /** Give up on retryable failures after this age (default 24 h). */
  maxAgeMs?: number;
  /** First per-channel backoff step (default 1 s). */
  baseDelayMs?: number;
  /** Per-channel backoff cap (default 5 s): a probe at least this often while a platform is down. */
  maxDelayMs?: number;
  /** Channels sending at the same time, across platforms (default 32). */
  maxLanes?: number;
  random?: () => number;
  /** Counts delivery results (frontdesk_outbox_deliveries_total). */
  metrics?: Pick<Metrics, 'delivered'>;
  /** How long a claimed row is this sender's (default 60 s on the timer); renewed while sending. */
  leaseMs?: number;
  /**
   * Paces each channel to its platform's rate (ChatPort.ratePerChannelPerSec). Default: a token
   * bucket in this process; with several replicas, one shared through the store (StoreRateLimiter).
   */
  limiter?: RateLimiter;
}

export interface DrainStats {
  sent: number;
  retried: number;
  failed: number;
  dropped: number;
}

function channelKey(p: OutboxPayload): string {
  return p.kind === 'dm' ? `dm:${p.userId}` : p.channelId;
}

/** One concrete platform call, resolved from a payload at send time. */
type Op =
  | { op: 'post'; channelId: string; threadId: string | null; view: MessageView; cardOf?: number; ackOf?: number; startedThread: boolean; as?: Sender; purpose?: Purpose }
  | { op: 'dm'; userId: string; view: MessageView }
  | { op: 'update'; channelId: string; messageId: string; view: MessageView; purpose?: Purpose }
  | { op: 'ephemeral'; channelId: string; userId: string; threadId: string | null; view: MessageView };

/** A channel waiting out failures: how many in a row, and whether they looked platform-wide. */
interface ChannelState {
  failures: number;
  platformWide: boolean;
}

type Outcome = keyof DrainStats;

export class Outbox {
  private readonly ports = new Map<string, ChatPort>();
  private readonly limiter: RateLimiter;
  /** Channels this sender paced lately (`platform \0 channel`): the ones that may have to wait. */
  private readonly paced = new Set<string>();
  private readonly channels = new Map<string, ChannelState>();
  /** Channels with a send loop running, by `platform \0 channel`. */
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly collectors = new Set<DrainStats>();
  private cards: CardSource | null = null;
  private guard: AudienceGuard | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wake: { at: number; handle: NodeJS.Timeout } | null = null;
  private readonly t: Clock;
  private readonly log: Logger | undefined;
  private readonly opts: Required<Omit<OutboxOptions, 'logger' | 'timer' | 'metrics' | 'limiter'>>;
  private readonly metrics: OutboxOptions['metrics'];
  private closed = false;
  private kickPending = false;
  /** Synchronous enqueueing into the SQLite file (null: the store only, e.g. on PostgreSQL). */
  private readonly queue: OutboxQueue | null;
  /** Rows a previous run left 'sending', put back before the first claim. */
  private readonly recovered: Promise<void>;
  /** A pump is running; `again`: another was asked for meanwhile. */
  private pumping: Promise<void> | null = null;
  private again = false;

  /**
   * @param db the SQLite database messages are enqueued into (inside the callers' transactions);
   *   null for a sender on the store alone (PostgreSQL: enqueue with `enqueueAsync`).
   * @param store the store port over the same database: rows are claimed and marked through it.
   */
  constructor(
    db: Db | null,
    private readonly store: Store,
    options: OutboxOptions = {},
  ) {
    this.queue = db ? new OutboxQueue(db) : null;
    this.t = options.timer ?? systemClock;
    this.log = options.logger;
    this.metrics = options.metrics;
    this.limiter = options.limiter ?? new LocalRateLimiter();
    this.opts = {
      maxAgeMs: options.maxAgeMs ?? 24 * 3_600_000,
      baseDelayMs: options.baseDelayMs ?? 1000,
      maxDelayMs: options.maxDelayMs ?? 5000,
      maxLanes: options.maxLanes ?? 32,
      random: options.random ?? Math.random,
      leaseMs: options.leaseMs ?? 60_000,
    };
    // A crash while sending leaves rows in 'sending': they may have landed. Send them again,
    // but look for them first (unsure) where the platform can. On PostgreSQL only rows whose
    // lease ran out (another replica may hold the others); on SQLite every one: one process
    // per database file, so they are the previous run's.
    this.recovered = store.outbox.recoverExpired(this.t.now(), { everyLease: store.engine === 'sqlite' }).then(
      () => undefined,
      (e: unknown) => this.log?.error({ err: e }, 'outbox: could not take up rows left sending'),
    );
  }

  registerPort(port: ChatPort): void {
    this.ports.set(port.platform, port);
    this.kick();
  }

  /**
   * A link to a message on a registered platform (e.g. a ticket's internal thread for an issue
   * body); null when the platform has no links, is not running, or the lookup fails.
   */
  async permalink(platform: string, req: { channelId: string; messageId: string }): Promise<string | null> {
    const port = this.ports.get(platform);
    if (!port?.permalink) return null;
    return port.permalink(req).catch(() => null);
  }

  setCardSource(cards: CardSource): void {
    this.cards = cards;
  }

  /** Check every delivery against the two-audiences rule before it goes out (see AudienceGuard). */
  setGuard(guard: AudienceGuard): void {
    this.guard = guard;
  }

  /**
   * Add a message to the outbox. Returns false when the idempotency key was seen before.
   * Call inside the transaction that makes the change it reports.
   * @example outbox.enqueue({ platform: 'slack', idempotencyKey: `card-post:${id}`, ticketId: id, payload: { kind: 'card', ticketId: id, channelId, mode: 'post' } })
   */
  enqueue(req: EnqueueRequest): boolean {
    const added = this.sync('enqueue').enqueue(this.row(req));
    if (added) this.kickSoon();
    return added;
  }

  /**
   * Add a message through the store port (any engine). Inside a `store.tx`, pass its repositories
   * so the message commits with the change it reports.
   */
  async enqueueAsync(req: EnqueueRequest, repos: Pick<Repos, 'outbox'> = this.store): Promise<boolean> {
    const added = await repos.outbox.enqueue(this.row(req));
    if (added) this.kickSoon();
    return added;
  }

  /** The stored row for a request (the same on the synchronous queue and the store port). */
  private row(req: EnqueueRequest) {
    const now = this.t.now();
    return {
      idempotencyKey: req.idempotencyKey,
      platform: req.platform,
      channelId: channelKey(req.payload),
      kind: req.payload.kind,
      payload: JSON.stringify(req.payload),
      ticketId: req.ticketId ?? null,
      notBefore: req.notBefore ?? now,
      createdAt: now,
    };
  }

  /** The synchronous queue, or a clear error where there is none. */
  private sync(what: string): OutboxQueue {
    if (!this.queue) throw new Error(`outbox.${what} is synchronous and needs the SQLite database; on the store alone use the async methods`);
    return this.queue;
  }

  /** Not closed, and the database (if any) still open. */
  private get usable(): boolean {
    return !this.closed && (this.queue ? this.queue.open : true);
  }

  /**
   * Where the sent rows with this key (or with keys `key:to:…`, one per private recipient) were
   * posted: the row id and the message it became. Rows not sent yet, or without a message id, are left out.
   */
  sentPosts(key: string): { id: number; channelId: string; messageId: string }[] {
    return this.sync('sentPosts').sentWithKey(key).flatMap((r) => {
        const posted = r.result ? (JSON.parse(r.result) as { messageId?: string; channelId?: string } | null) : null;
        return posted?.messageId && posted.channelId ? [{ id: r.id, channelId: posted.channelId, messageId: posted.messageId }] : [];
      });
  }

  /** Queue a refresh of a ticket's card unless one is already waiting (it renders at send time). */
  enqueueCardUpdate(platform: string, ticketId: number, channelId: string): boolean {
    if (this.sync('enqueueCardUpdate').hasPendingCardUpdate(ticketId)) return false;
    return this.enqueue({
      platform,
      ticketId,
      payload: { kind: 'card', ticketId, channelId, mode: 'update' },
      idempotencyKey: `card-update:${ticketId}:${this.t.now()}:${Math.floor(this.opts.random() * 1e9)}`,
    });
  }

  /** Start polling for due rows (retries, notBefore). */
  start(pollMs = 1000): void {
    this.stop();
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Stop polling and wait for the sends in flight (call before closing the database). */
  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    await Promise.allSettled([...this.lanes.values()]);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.wake) clearTimeout(this.wake.handle);
    this.wake = null;
  }

  private kickSoon(): void {
    if (this.kickPending) return;
    this.kickPending = true;
    setImmediate(() => {
      this.kickPending = false;
      this.kick();
    });
  }

  /** Start a lane for every channel with a due head row (never waits for anything). */
  kick(): void {
    if (!this.usable) return;
    void this.pump();
  }

  /**
   * Send everything that is due now, and wait until every channel is idle or waiting (rate
   * limit, backoff). Returns what happened meanwhile.
   * @example await outbox.drain() // { sent: 3, retried: 0, failed: 0, dropped: 0 }
   */
  async drain(): Promise<DrainStats> {
    const total: DrainStats = { sent: 0, retried: 0, failed: 0, dropped: 0 };
    this.collectors.add(total);
    try {
      for (;;) {
        if (!this.usable) break;
        await this.pump();
        if (this.lanes.size === 0) break;
        await Promise.race(this.lanes.values());
      }
    } finally {
      this.collectors.delete(total);
    }
    return total;
  }

  /**
   * Claim the due head of free channels and start a lane for each. One pump at a time; a kick
   * during a pump runs another right after it (claims are leased, so even two would never
   * take the same row).
   */
  private pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    const run = async () => {
      await this.recovered;
      do {
        this.again = false;
        await this.pumpOnce();
      } while (this.again && this.usable);
    };
    this.pumping = run()
      .catch((e: unknown) => this.log?.error({ err: e }, 'outbox: could not claim due rows'))
      .finally(() => {
        this.pumping = null;
      });
    return this.pumping;
  }

  private async pumpOnce(): Promise<void> {
    const free = this.opts.maxLanes - this.lanes.size;
    const platforms = [...this.ports.keys()];
    if (free <= 0 || platforms.length === 0 || !this.usable) return;
    // Channels that must wait for their rate limit are not claimed (a claim is an attempt).
    const exclude: { platform: string; channelId: string }[] = [];
    let soonest = Number.POSITIVE_INFINITY;
    for (const key of [...this.paced]) {
      const [platform = '', channelId = ''] = key.split('\u0000');
      const w = this.paceWait(key, this.ports.get(platform)?.ratePerChannelPerSec ?? 1);
      const wait = typeof w === 'number' ? w : await w;
      if (wait === 0) this.paced.delete(key);
      else {
        exclude.push({ platform, channelId });
        soonest = Math.min(soonest, wait);
      }
    }
    if (soonest < Number.POSITIVE_INFINITY) this.wakeIn(soonest);
    const claimed = await this.store.outbox.claimDue({ now: this.t.now(), limit: free, leaseMs: this.opts.leaseMs, platforms, exclude });
    for (const row of claimed) {
      const key = `${row.platform}\u0000${row.channelId}`;
      if (this.lanes.has(key)) {
        // Our own call on this channel outlived its lease and the row was taken over: it goes
        // out again (unsure, looked for first) once that call has ended.
        await this.store.outbox.defer(row.claim, this.t.now() + this.opts.baseDelayMs);
        continue;
      }
      const lane = this.runLane(row)
        .catch((e: unknown) => this.log?.error({ err: e, channel: row.channelId }, 'outbox: lane failed'))
        .finally(() => this.lanes.delete(key));
      this.lanes.set(key, lane);
    }
  }

  /** One channel: send its due rows in order until none is due or the channel must wait. */
  private async runLane(first: ClaimedOutboxItem): Promise<void> {
    let row: ClaimedOutboxItem | undefined = first;
    while (row && this.usable) {
      const outcome = await this.sendOne(row);
      for (const c of this.collectors) c[outcome] += 1;
      if (outcome === 'retried' || !this.usable) break;
      const key = `${row.platform}\u0000${row.channelId}`;
      const w = this.paceWait(key, this.ports.get(row.platform)?.ratePerChannelPerSec ?? 1);
      const wait = typeof w === 'number' ? w : await w;
      if (wait > 0) {
        this.wakeIn(wait);
        break;
      }
      [row] = await this.store.outbox.claimDue({
        now: this.t.now(),
        limit: 1,
        leaseMs: this.opts.leaseMs,
        channel: { platform: row.platform, channelId: row.channelId },
      });
    }
  }

  /** Keep the lease of a row while its platform call runs (real time; stopped by the returned function). */
  private holdLease(claim: OutboxClaim): () => void {
    const every = Math.max(1_000, Math.floor(this.opts.leaseMs / 3));
    const handle = setInterval(() => {
      this.store.outbox.renewLease(claim, this.t.now() + this.opts.leaseMs).catch((e: unknown) => this.log?.warn({ err: e, outboxId: claim.id }, 'outbox: could not renew a lease'));
    }, every);
    handle.unref();
    return () => clearInterval(handle);
  }

  /** The rate limiter's key for a channel (`platform/channel`: PostgreSQL text holds no NUL). */
  private static limitKey(key: string): string {
    return key.replace('\u0000', '/');
  }

  /**
   * ms until the channel may send, without taking a turn (0 = may send now). The in-process
   * limiter answers at once (no await, no extra turn of the event loop).
   */
  private paceWait(key: string, ratePerSec: number): number | Promise<number> {
    return this.limiter.peek(Outbox.limitKey(key), ratePerSec, this.t.now());
  }

  /** Take the channel's turn from the rate limiter: ms to wait before the next send (0 = go). */
  private pace(key: string, ratePerSec: number): number | Promise<number> {
    this.paced.add(key);
    return this.limiter.take(Outbox.limitKey(key), ratePerSec, this.t.now());
  }

  /** Kick again after `ms` (one timer, the earliest wins). */
  private wakeIn(ms: number): void {
    const at = Date.now() + ms;
    if (this.wake && this.wake.at <= at) return;
    if (this.wake) clearTimeout(this.wake.handle);
    const handle = setTimeout(() => {
      this.wake = null;
      this.kick();
    }, ms);
    handle.unref();
    this.wake = { at, handle };
  }

  private async sendOne(row: ClaimedOutboxItem): Promise<Outcome> {
    const port = this.ports.get(row.platform);
    if (!port) {
      await this.store.outbox.defer(row.claim, this.t.now());
      return 'retried';
    }
    const key = `${row.platform}\u0000${row.channelId}`;
    const turn = this.pace(key, port.ratePerChannelPerSec);
    const wait = typeof turn === 'number' ? turn : await turn;
    if (wait > 0) {
      await this.store.outbox.defer(row.claim, this.t.now() + wait);
      this.wakeIn(wait);
      return 'retried';
    }
    const payload = JSON.parse(row.payload) as OutboxPayload;
    const release = this.holdLease(row.claim);
    try {
      if (payload.kind === 'card' && port.permalink) await this.linkCard(port, payload.ticketId);
      const op = this.resolve(payload);
      if (op === 'dropped') {
        await this.store.outbox.markFailed(row.claim, 'nothing to send', 'dropped');
        return this.counted(row, 'dropped');
      }
      this.check(op, row.ticketId, row.platform);
      let result: PostResult | null | undefined = null;
      let adopted = false;
      if (row.unsure && port.findDelivered && (op.op === 'post' || op.op === 'dm')) {
        result = await port.findDelivered({
          key: row.idempotencyKey,
          ...(op.op === 'dm' ? { userId: op.userId } : { channelId: op.channelId, threadId: op.threadId }),
          since: row.firstAttemptAt ?? row.createdAt,
        });
        adopted = Boolean(result);
        if (result) this.log?.info({ outboxId: row.id, platform: row.platform, messageId: result.messageId }, 'outbox: adopted a message delivered before a crash');
      }
      result ??= await this.perform(port, op, row.idempotencyKey);
      release();
      const sent = result;
      // The row and what the send taught us (where the card or acknowledgement is) commit together.
      const kept = await this.store.tx(async (r) => {
        if (!(await r.outbox.markSent(row.claim, this.t.now(), JSON.stringify(sent ?? null)))) return false;
        if (op.op === 'post' && op.cardOf !== undefined && sent) this.cards?.cardPosted(op.cardOf, sent, op.startedThread);
        if (op.op === 'post' && op.ackOf !== undefined && sent) this.cards?.ackPosted?.(op.ackOf, sent, op.startedThread);
        return true;
      });
      if (!kept) this.log?.warn({ outboxId: row.id, platform: row.platform }, 'outbox: sent after its lease was taken over; the new holder looks for it before sending again');
      this.succeeded(row.platform, key);
      this.counted(row, adopted ? 'adopted' : 'sent');
      return 'sent';
    } catch (e) {
      release();
      return await this.failed(row, key, e);
    }
  }

  /** The audience guard: throws AudienceViolationError (the row fails, never retried). */
  private check(op: Op, ticketId: number | null, platform: string): void {
    if (!this.guard || op.op === 'ephemeral' || op.op === 'dm') return;
    const ticket = ticketId === null ? null : (this.cards?.ticket?.(ticketId) ?? null);
    const threadId = op.op === 'post' ? op.threadId : null;
    this.guard.check({ op: op.op, channelId: op.channelId, threadId, platform, view: op.view, ticket, purpose: op.purpose });
  }

  /** A card for the triage channel links to the customer's message: look the link up once. */
  private async linkCard(port: ChatPort, ticketId: number): Promise<void> {
    const need = this.cards?.card(ticketId)?.needsLink;
    if (!need || !port.permalink) return;
    const link = await port.permalink(need).catch(() => null);
    if (link) this.cards?.linkKnown?.(ticketId, link);
  }

  /** What to call for a payload, resolved now (cards render the ticket as it is). */
  private resolve(p: OutboxPayload): Op | 'dropped' {
    switch (p.kind) {
      case 'post': {
        let threadId = p.threadId ?? null;
        if (!threadId && p.internalThreadOfTicket !== undefined) {
          threadId = this.cards?.internalThreadOf?.(p.internalThreadOfTicket) ?? null;
          // The card (which starts the internal thread) is not posted: never post loose in the triage channel.
          if (!threadId) throw new ChatDeliveryError('the ticket card that starts the internal thread is not posted yet', true);
        }
        if (!threadId && p.threadOfTicket !== undefined) threadId = this.cards?.threadOf(p.threadOfTicket) ?? null;
        return {
          op: 'post',
          channelId: p.channelId,
          threadId,
          view: p.view,
          startedThread: threadId === null,
          ...(p.as ? { as: p.as } : {}),
          ...(p.ackOfTicket !== undefined ? { ackOf: p.ackOfTicket } : {}),
          ...(p.purpose ? { purpose: p.purpose } : {}),
        };
      }
      case 'update':
        return { op: 'update', channelId: p.channelId, messageId: p.messageId, view: p.view, ...(p.purpose ? { purpose: p.purpose } : {}) };
      case 'ephemeral': {
        let threadId = p.threadId ?? null;
        if (!threadId && p.internalThreadOfTicket !== undefined) {
          threadId = this.cards?.internalThreadOf?.(p.internalThreadOfTicket) ?? null;
          if (!threadId) throw new ChatDeliveryError('the ticket card that starts the internal thread is not posted yet', true);
        }
        if (!threadId && p.threadOfTicket !== undefined) threadId = this.cards?.threadOf(p.threadOfTicket) ?? null;
        return { op: 'ephemeral', channelId: p.channelId, userId: p.userId, threadId, view: p.view };
      }
      case 'dm':
        return { op: 'dm', userId: p.userId, view: p.view };
      case 'card': {
        const card = this.cards?.card(p.ticketId);
        if (!card) return 'dropped';
        if (p.mode === 'update' || card.cardMessageId) {
          if (!card.cardMessageId) return 'dropped';
          return { op: 'update', channelId: card.channelId, messageId: card.cardMessageId, view: card.view, purpose: 'card' };
        }
        return { op: 'post', channelId: card.channelId, threadId: card.threadId, view: card.view, cardOf: p.ticketId, startedThread: card.threadId === null, purpose: 'card' };
      }
    }
  }

  private async perform(port: ChatPort, op: Op, key: string): Promise<PostResult | undefined> {
    const tag = { key };
    switch (op.op) {
      case 'post':
        return port.post({ channelId: op.channelId, threadId: op.threadId, view: op.view, tag, ...(op.as ? { as: op.as } : {}) });
      case 'dm':
        return port.dm({ userId: op.userId, view: op.view, tag });
      case 'update':
        await port.update({ channelId: op.channelId, messageId: op.messageId, view: op.view, tag });
        return undefined;
      case 'ephemeral':
        await port.postEphemeral({ channelId: op.channelId, userId: op.userId, threadId: op.threadId, view: op.view });
        return undefined;
    }
  }

  /** A send worked: the channel is healthy, and so is the platform: release its waiting channels. */
  private succeeded(platform: string, key: string): void {
    this.channels.delete(key);
    const prefix = `${platform}\u0000`;
    const released: string[] = [];
    for (const [k, s] of this.channels) {
      if (k.startsWith(prefix) && s.platformWide) {
        this.channels.delete(k);
        released.push(k.slice(prefix.length));
      }
    }
    if (released.length === 0) return;
    this.log?.info({ platform, channels: released.length }, 'outbox: platform answers again, releasing waiting channels');
    this.store.outbox.releaseWaiting(platform, released, this.t.now()).then(
      () => this.kickSoon(),
      (e: unknown) => this.log?.error({ err: e, platform }, 'outbox: could not release waiting channels'),
    );
  }

  private async failed(row: ClaimedOutboxItem, key: string, e: unknown): Promise<Outcome> {
    const now = this.t.now();
    const err = e instanceof Error ? e.message : String(e);
    if (e instanceof AudienceViolationError) {
      await this.store.outbox.markFailed(row.claim, err);
      this.log?.error({ outboxId: row.id, platform: row.platform, kind: row.kind, code: e.code, error: err }, 'outbox: refused a message (audience)');
      return this.counted(row, 'failed');
    }
    const retryable = e instanceof ChatDeliveryError ? e.retryable : true;
    const tooOld = now - row.createdAt > this.opts.maxAgeMs;
    if (!retryable || tooOld) {
      await this.store.outbox.markFailed(row.claim, err);
      this.log?.error({ outboxId: row.id, platform: row.platform, kind: row.kind, error: err }, 'outbox: giving up on message');
      return this.counted(row, 'failed');
    }
    // A 429 says exactly when and proves nothing was sent; anything else (5xx, timeout,
    // connection lost) may have landed and looks like the platform, not this channel.
    const retryAfter = e instanceof ChatDeliveryError ? e.retryAfterMs : undefined;
    const state = this.channels.get(key) ?? { failures: 0, platformWide: false };
    state.failures += 1;
    state.platformWide = retryAfter === undefined;
    this.channels.set(key, state);
    const delay = retryAfter === undefined ? this.backoff(state.failures) : Math.max(100, retryAfter);
    await this.store.outbox.markRetry(row.claim, now + delay, err, retryAfter === undefined);
    this.wakeIn(delay);
    this.log?.warn({ outboxId: row.id, platform: row.platform, attempt: row.attempts, retryInMs: delay, error: err }, 'outbox: send failed, will retry');
    return this.counted(row, 'retried');
  }

  /** Count a delivery attempt's result (waits for the rate limit are not attempts). */
  private counted<R extends DeliveryResult>(row: { platform: string }, result: R): R {
    this.metrics?.delivered(row.platform, result);
    return result;
  }

  /** Exponential backoff per channel with jitter between 50% and 100% of the step, capped. */
  backoff(attempt: number): number {
    const step = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(step * (0.5 + this.opts.random() * 0.5));
  }

  /** Counts by status (for health and tests). */
  stats(): Record<string, number> {
    return this.queue ? this.queue.stats() : {};
  }
}
