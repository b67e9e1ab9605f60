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
 */
import type { Logger } from 'pino';
import { ChatDeliveryError } from '../domain/errors.js';
import { type AudienceGuard, AudienceViolationError, type Purpose } from '../audience/placement.js';
import type { Ticket } from '../domain/types.js';
import type { ChatPort, PostResult, Sender } from '../ports/chat-port.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { DeliveryResult, Metrics } from '../metrics.js';
import type { Db } from '../store/db.js';
import type { MessageView } from '../ports/message-view.js';
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

  constructor(
    private readonly db: Db,
    options: OutboxOptions = {},
  ) {
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
    };
    // A crash while sending leaves rows in 'sending': they may have landed. Send them again,
    // but look for them first (unsure) where the platform can.
    db.prepare("UPDATE outbox SET status = 'pending', unsure = 1 WHERE status = 'sending'").run();
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
    const now = this.t.now();
    const info = this.db
      .prepare(`INSERT OR IGNORE INTO outbox (idempotency_key, platform, channel_id, kind, payload, ticket_id, next_attempt_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(req.idempotencyKey, req.platform, channelKey(req.payload), req.payload.kind, JSON.stringify(req.payload), req.ticketId ?? null, req.notBefore ?? now, now);
    if (info.changes > 0) this.kickSoon();
    return info.changes > 0;
  }

  /**
   * Where the sent rows with this key (or with keys `key:to:…`, one per private recipient) were
   * posted: the row id and the message it became. Rows not sent yet, or without a message id, are left out.
   */
  sentPosts(key: string): { id: number; channelId: string; messageId: string }[] {
    const prefix = `${key}:to:`;
    return this.db
      .prepare<[string, number, string], { id: number; result: string | null }>(
        "SELECT id, result FROM outbox WHERE (idempotency_key = ? OR substr(idempotency_key, 1, ?) = ?) AND status = 'sent' ORDER BY id",
      )
      .all(key, prefix.length, prefix)
      .flatMap((r) => {
        const posted = r.result ? (JSON.parse(r.result) as { messageId?: string; channelId?: string } | null) : null;
        return posted?.messageId && posted.channelId ? [{ id: r.id, channelId: posted.channelId, messageId: posted.messageId }] : [];
      });
  }

  /** Queue a refresh of a ticket's card unless one is already waiting (it renders at send time). */
  enqueueCardUpdate(platform: string, ticketId: number, channelId: string): boolean {
    const waiting = this.db
      .prepare("SELECT 1 FROM outbox WHERE ticket_id = ? AND kind = 'card' AND status = 'pending' AND idempotency_key LIKE 'card-update:%' LIMIT 1")
      .get(ticketId);
    if (waiting) return false;
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
    if (!this.db.open || this.closed) return;
    try {
      this.pump();
    } catch (e) {
      this.log?.error({ err: e }, 'outbox: could not read due rows');
    }
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
        if (!this.db.open || this.closed) break;
        this.pump();
        if (this.lanes.size === 0) break;
        await Promise.race(this.lanes.values());
      }
    } finally {
      this.collectors.delete(total);
    }
    return total;
  }

  private pump(): void {
    const free = this.opts.maxLanes - this.lanes.size;
    if (free <= 0) return;
    let started = 0;
    for (const row of this.dueHeads(free + this.lanes.size)) {
      const key = `${row.platform}\u0000${row.channel_id}`;
      if (this.lanes.has(key)) continue;
      const lane = this.runLane(row)
        .catch((e) => this.log?.error({ err: e, channel: row.channel_id }, 'outbox: lane failed'))
        .finally(() => this.lanes.delete(key));
      this.lanes.set(key, lane);
      if (++started >= free) break;
    }
  }

  /** One channel: send its due rows in order until none is due or the channel must wait. */
  private async runLane(first: OutboxRow): Promise<void> {
    let row: OutboxRow | undefined = first;
    while (row && this.db.open && !this.closed) {
      const outcome = await this.sendOne(row);
      for (const c of this.collectors) c[outcome] += 1;
      if (outcome === 'retried' || !this.db.open) break;
      row = this.dueHead(row.platform, row.channel_id);
    }
  }

  /** The oldest unfinished row of each channel, where it is pending and due (order per channel). */
  private dueHeads(limit: number): OutboxRow[] {
    const platforms = [...this.ports.keys()];
    if (platforms.length === 0) return [];
    return this.db
      .prepare<unknown[], OutboxRow>(
        // Heads = the lowest id per channel among unfinished rows, in one pass over the
        // outbox_channel index; a head that is 'sending' or not yet due blocks its channel.
        `SELECT o.* FROM outbox o WHERE o.id IN (SELECT min(id) FROM outbox WHERE status IN ('pending','sending')
           AND platform IN (${platforms.map(() => '?').join(',')}) GROUP BY platform, channel_id)
         AND o.status = 'pending' AND o.next_attempt_at <= ? ORDER BY o.id LIMIT ?`,
      )
      .all(...platforms, this.t.now(), limit);
  }

  private dueHead(platform: string, channelId: string): OutboxRow | undefined {
    const head = this.db
      .prepare<[string, string], OutboxRow>(
        "SELECT * FROM outbox WHERE platform = ? AND channel_id = ? AND status IN ('pending','sending') ORDER BY id LIMIT 1",
      )
      .get(platform, channelId);
    return head && head.status === 'pending' && head.next_attempt_at <= this.t.now() ? head : undefined;
  }

  /**
   * A turn for this channel from the rate limiter, on the timer: ms to wait before the next
   * send (0 = go). The in-process limiter answers at once (no await, no extra turn of the loop).
   */
  private pace(row: OutboxRow, ratePerSec: number): number | Promise<number> {
    return this.limiter.take(`${row.platform}/${row.channel_id}`, ratePerSec, this.t.now());
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

  private async sendOne(row: OutboxRow): Promise<Outcome> {
    const port = this.ports.get(row.platform);
    if (!port) return 'retried';
    const key = `${row.platform}\u0000${row.channel_id}`;
    const turn = this.pace(row, port.ratePerChannelPerSec);
    const wait = typeof turn === 'number' ? turn : await turn;
    if (wait > 0) {
      this.db.prepare('UPDATE outbox SET next_attempt_at = ? WHERE id = ?').run(this.t.now() + wait, row.id);
      this.wakeIn(wait);
      return 'retried';
    }
    const claimed = this.db
      .prepare("UPDATE outbox SET status = 'sending', attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, ?) WHERE id = ? AND status = 'pending'")
      .run(this.t.now(), row.id);
    if (claimed.changes === 0) return 'retried';
    const payload = JSON.parse(row.payload) as OutboxPayload;
    try {
      if (payload.kind === 'card' && port.permalink) await this.linkCard(port, payload.ticketId);
      const op = this.resolve(payload);
      if (op === 'dropped') {
        this.db.prepare("UPDATE outbox SET status = 'dropped', last_error = 'nothing to send' WHERE id = ?").run(row.id);
        return this.counted(row, 'dropped');
      }
      this.check(op, row.ticket_id, row.platform);
      let result: PostResult | null | undefined = null;
      let adopted = false;
      if (row.unsure && port.findDelivered && (op.op === 'post' || op.op === 'dm')) {
        result = await port.findDelivered({
          key: row.idempotency_key,
          ...(op.op === 'dm' ? { userId: op.userId } : { channelId: op.channelId, threadId: op.threadId }),
          since: row.first_attempt_at ?? row.created_at,
        });
        adopted = Boolean(result);
        if (result) this.log?.info({ outboxId: row.id, platform: row.platform, messageId: result.messageId }, 'outbox: adopted a message delivered before a crash');
      }
      result ??= await this.perform(port, op, row.idempotency_key);
      this.db.transaction(() => {
        this.db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, result = ?, unsure = 0 WHERE id = ?").run(this.t.now(), JSON.stringify(result ?? null), row.id);
        if (op.op === 'post' && op.cardOf !== undefined && result) this.cards?.cardPosted(op.cardOf, result, op.startedThread);
        if (op.op === 'post' && op.ackOf !== undefined && result) this.cards?.ackPosted?.(op.ackOf, result, op.startedThread);
      })();
      this.succeeded(row.platform, key);
      this.counted(row, adopted ? 'adopted' : 'sent');
      return 'sent';
    } catch (e) {
      return this.failed(row, key, e);
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
    const now = this.t.now();
    const release = this.db.prepare(
      "UPDATE outbox SET next_attempt_at = ? WHERE platform = ? AND channel_id = ? AND status = 'pending' AND attempts > 0 AND next_attempt_at > ?",
    );
    this.db.transaction(() => {
      for (const ch of released) release.run(now, platform, ch, now);
    })();
    this.log?.info({ platform, channels: released.length }, 'outbox: platform answers again, releasing waiting channels');
    this.kickSoon();
  }

  private failed(row: OutboxRow, key: string, e: unknown): Outcome {
    const now = this.t.now();
    const err = e instanceof Error ? e.message : String(e);
    if (e instanceof AudienceViolationError) {
      this.db.prepare("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?").run(err, row.id);
      this.log?.error({ outboxId: row.id, platform: row.platform, kind: row.kind, code: e.code, error: err }, 'outbox: refused a message (audience)');
      return this.counted(row, 'failed');
    }
    const retryable = e instanceof ChatDeliveryError ? e.retryable : true;
    const tooOld = now - row.created_at > this.opts.maxAgeMs;
    if (!retryable || tooOld) {
      this.db.prepare("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?").run(err, row.id);
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
    this.db
      .prepare("UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, unsure = CASE WHEN ? THEN 1 ELSE unsure END WHERE id = ?")
      .run(now + delay, err, retryAfter === undefined ? 1 : 0, row.id);
    this.wakeIn(delay);
    this.log?.warn({ outboxId: row.id, platform: row.platform, attempt: row.attempts + 1, retryInMs: delay, error: err }, 'outbox: send failed, will retry');
    return this.counted(row, 'retried');
  }

  /** Count a delivery attempt's result (waits for the rate limit are not attempts). */
  private counted<R extends DeliveryResult>(row: OutboxRow, result: R): R {
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
    const rows = this.db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM outbox GROUP BY status').all();
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}
