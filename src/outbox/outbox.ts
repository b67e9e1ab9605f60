/**
 * The durable outbox. Every outbound chat message is a row first; a drain loop sends rows
 * through the platform's ChatPort in order per channel, with a per-channel rate limit,
 * retry with exponential backoff and jitter, `Retry-After` honoured, and an idempotency key
 * so nothing is sent twice. A platform outage only delays messages; none are lost.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { ChatDeliveryError } from '../domain/errors.js';
import { type AudienceGuard, AudienceViolationError, type Purpose } from '../audience/placement.js';
import type { Ticket } from '../domain/types.js';
import type { ChatPort, PostResult, Sender } from '../ports/chat-port.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { Db } from '../store/db.js';
import type { MessageView } from '../views/message-view.js';

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
  | { kind: 'ephemeral'; channelId: string; userId: string; threadId?: string | null; view: MessageView; threadOfTicket?: number }
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
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
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

export class Outbox {
  private readonly ports = new Map<string, ChatPort>();
  private readonly limiters = new Map<string, RateLimiterMemory>();
  private cards: CardSource | null = null;
  private guard: AudienceGuard | null = null;
  private draining: Promise<DrainStats> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly t: Clock;
  private readonly opts: Required<Omit<OutboxOptions, 'logger' | 'timer'>>;

  constructor(
    private readonly db: Db,
    options: OutboxOptions = {},
  ) {
    this.t = options.timer ?? systemClock;
    this.log = options.logger;
    this.opts = {
      maxAgeMs: options.maxAgeMs ?? 24 * 3_600_000,
      baseDelayMs: options.baseDelayMs ?? 1000,
      maxDelayMs: options.maxDelayMs ?? 5 * 60_000,
      random: options.random ?? Math.random,
    };
    // A crash while sending leaves rows in 'sending': send them again (at-least-once beats lost).
    db.prepare("UPDATE outbox SET status = 'pending' WHERE status = 'sending'").run();
  }

  private readonly log: Logger | undefined;
  private insertStmt: Database.Statement | null = null;
  private pendingCardStmt: Database.Statement | null = null;

  registerPort(port: ChatPort): void {
    this.ports.set(port.platform, port);
    this.limiters.set(port.platform, new RateLimiterMemory({ points: Math.max(1, Math.floor(port.ratePerChannelPerSec)), duration: 1 }));
    this.kick();
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
   */
  enqueue(req: EnqueueRequest): boolean {
    const now = this.t.now();
    this.insertStmt ??= this.db.prepare(`INSERT OR IGNORE INTO outbox (idempotency_key, platform, channel_id, kind, payload, ticket_id, next_attempt_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const info = this.insertStmt.run(
        req.idempotencyKey,
        req.platform,
        channelKey(req.payload),
        req.payload.kind,
        JSON.stringify(req.payload),
        req.ticketId ?? null,
        req.notBefore ?? now,
        now,
      );
    if (info.changes > 0) this.kickSoon();
    return info.changes > 0;
  }

  /** Queue a refresh of a ticket's card unless one is already waiting (it renders at send time). */
  enqueueCardUpdate(platform: string, ticketId: number, channelId: string): boolean {
    this.pendingCardStmt ??= this.db.prepare(
      "SELECT 1 FROM outbox WHERE ticket_id = ? AND kind = 'card' AND status = 'pending' AND idempotency_key LIKE 'card-update:%' LIMIT 1",
    );
    const waiting = this.pendingCardStmt.get(ticketId);
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
    this.timer = setInterval(() => void this.drain(), pollMs);
    this.timer.unref();
    this.kick();
  }

  private closed = false;
  private rerun: Promise<DrainStats> | null = null;

  /** Stop polling and wait for a drain in progress (call before closing the database). */
  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    await this.draining?.catch(() => undefined);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private kickPending = false;

  private kickSoon(): void {
    if (this.kickPending) return;
    this.kickPending = true;
    setImmediate(() => {
      this.kickPending = false;
      this.kick();
    });
  }

  kick(): void {
    if (!this.db.open || this.closed) return;
    void this.drain().catch((e) => this.log?.error({ err: e }, 'outbox drain failed'));
  }

  /** Send everything that is due now. Concurrent calls share one drain. */
  drain(): Promise<DrainStats> {
    // A drain in progress may have passed rows enqueued since: run again after it — once,
    // however many callers ask meanwhile (chaining one drain per caller piles up full scans).
    if (this.draining) {
      this.rerun ??= this.draining.then(() => {
        this.rerun = null;
        return this.drain();
      });
      return this.rerun;
    }
    const run = this.runDrain().finally(() => {
      if (this.draining === run) this.draining = null;
    });
    this.draining = run;
    return run;
  }

  private async runDrain(): Promise<DrainStats> {
    const total: DrainStats = { sent: 0, retried: 0, failed: 0, dropped: 0 };
    for (;;) {
      if (!this.db.open || this.closed) break;
      const rows = this.dueHeads();
      if (rows.length === 0) break;
      const results = await Promise.all(rows.map((r) => this.sendOne(r)));
      for (const r of results) total[r] += 1;
      if (results.every((r) => r === 'retried')) break;
    }
    return total;
  }

  /** The oldest due row of each channel whose earlier rows are all done (order per channel). */
  private dueHeads(): OutboxRow[] {
    const platforms = [...this.ports.keys()];
    if (platforms.length === 0) return [];
    return this.db
      .prepare<unknown[], OutboxRow>(
        // Heads = the lowest id per channel among unfinished rows, in one pass over the
        // outbox_channel index (not a subquery per row); a head that is 'sending' or not yet
        // due blocks its channel.
        `SELECT o.* FROM outbox o WHERE o.id IN (SELECT min(id) FROM outbox WHERE status IN ('pending','sending')
           AND platform IN (${platforms.map(() => '?').join(',')}) GROUP BY platform, channel_id)
         AND o.status = 'pending' AND o.next_attempt_at <= ? ORDER BY o.id LIMIT 50`,
      )
      .all(...platforms, this.t.now());
  }

  private async sendOne(row: OutboxRow): Promise<keyof DrainStats> {
    const port = this.ports.get(row.platform)!;
    const limiter = this.limiters.get(row.platform)!;
    try {
      await limiter.consume(row.channel_id, 1);
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        this.db.prepare('UPDATE outbox SET next_attempt_at = ? WHERE id = ?').run(this.t.now() + e.msBeforeNext, row.id);
        return 'retried';
      }
      throw e;
    }
    const claimed = this.db.prepare("UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ? AND status = 'pending'").run(row.id);
    if (claimed.changes === 0) return 'retried';
    const payload = JSON.parse(row.payload) as OutboxPayload;
    try {
      const result = await this.deliver(port, payload, row.ticket_id);
      if (result === 'dropped') {
        this.db.prepare("UPDATE outbox SET status = 'dropped', last_error = 'nothing to send' WHERE id = ?").run(row.id);
        return 'dropped';
      }
      this.db.transaction(() => {
        this.db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, result = ? WHERE id = ?").run(this.t.now(), JSON.stringify(result ?? null), row.id);
        if (payload.kind === 'card' && payload.mode === 'post' && result) this.cards?.cardPosted(payload.ticketId, result, result.startedThread);
        if (payload.kind === 'post' && payload.ackOfTicket !== undefined && result) this.cards?.ackPosted?.(payload.ackOfTicket, result, result.startedThread);
      })();
      return 'sent';
    } catch (e) {
      return this.failed(row, e);
    }
  }

  /** The audience guard: throws AudienceViolationError (the row fails, never retried). */
  private check(op: 'post' | 'update', channelId: string, view: MessageView, ticketId: number | null, purpose?: Purpose): void {
    if (!this.guard) return;
    const ticket = ticketId === null ? null : (this.cards?.ticket?.(ticketId) ?? null);
    this.guard.check({ op, channelId, view, ticket, purpose });
  }

  private async deliver(port: ChatPort, p: OutboxPayload, ticketId: number | null): Promise<(PostResult & { startedThread: boolean }) | undefined | 'dropped'> {
    switch (p.kind) {
      case 'post': {
        let threadId = p.threadId ?? null;
        if (!threadId && p.internalThreadOfTicket !== undefined) {
          threadId = this.cards?.internalThreadOf?.(p.internalThreadOfTicket) ?? null;
          // The card (which starts the internal thread) is not posted: never post loose in the triage channel.
          if (!threadId) throw new ChatDeliveryError('the ticket card that starts the internal thread is not posted yet', true);
        }
        if (!threadId && p.threadOfTicket !== undefined) threadId = this.cards?.threadOf(p.threadOfTicket) ?? null;
        this.check('post', p.channelId, p.view, ticketId ?? p.threadOfTicket ?? p.internalThreadOfTicket ?? null, p.purpose);
        const res = await port.post({ channelId: p.channelId, threadId, view: p.view, ...(p.as ? { as: p.as } : {}) });
        return { ...res, startedThread: threadId === null };
      }
      case 'update':
        this.check('update', p.channelId, p.view, ticketId, p.purpose);
        await port.update(p);
        return undefined;
      case 'ephemeral': {
        const threadId = p.threadId ?? (p.threadOfTicket === undefined ? null : (this.cards?.threadOf(p.threadOfTicket) ?? null));
        await port.postEphemeral({ channelId: p.channelId, userId: p.userId, threadId, view: p.view });
        return undefined;
      }
      case 'dm':
        return { ...(await port.dm(p)), startedThread: false };
      case 'card': {
        let card = this.cards?.card(p.ticketId);
        if (!card) return 'dropped';
        if (card.needsLink && port.permalink) {
          const link = await port.permalink(card.needsLink).catch(() => null);
          if (link) {
            this.cards?.linkKnown?.(p.ticketId, link);
            card = this.cards?.card(p.ticketId) ?? card;
          }
        }
        if (p.mode === 'update' || card.cardMessageId) {
          if (!card.cardMessageId) return 'dropped';
          this.check('update', card.channelId, card.view, p.ticketId, 'card');
          await port.update({ channelId: card.channelId, messageId: card.cardMessageId, view: card.view });
          return undefined;
        }
        this.check('post', card.channelId, card.view, p.ticketId, 'card');
        const res = await port.post({ channelId: card.channelId, threadId: card.threadId, view: card.view });
        return { ...res, startedThread: card.threadId === null };
      }
    }
  }

  private failed(row: OutboxRow, e: unknown): keyof DrainStats {
    const now = this.t.now();
    const err = e instanceof Error ? e.message : String(e);
    if (e instanceof AudienceViolationError) {
      this.db.prepare("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?").run(err, row.id);
      this.log?.error({ outboxId: row.id, platform: row.platform, kind: row.kind, code: e.code, error: err }, 'outbox: refused a message (audience)');
      return 'failed';
    }
    const retryable = e instanceof ChatDeliveryError ? e.retryable : true;
    const tooOld = now - row.created_at > this.opts.maxAgeMs;
    if (!retryable || tooOld) {
      this.db.prepare("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?").run(err, row.id);
      this.log?.error({ outboxId: row.id, platform: row.platform, kind: row.kind, error: err }, 'outbox: giving up on message');
      return 'failed';
    }
    const retryAfter = e instanceof ChatDeliveryError ? e.retryAfterMs : undefined;
    const delay = retryAfter ?? this.backoff(row.attempts + 1);
    this.db.prepare("UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?").run(now + delay, err, row.id);
    this.log?.warn({ outboxId: row.id, platform: row.platform, attempt: row.attempts + 1, retryInMs: delay, error: err }, 'outbox: send failed, will retry');
    return 'retried';
  }

  /** Exponential backoff with full jitter between 50% and 100% of the step. */
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
