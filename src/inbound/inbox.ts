/**
 * The durable inbox: an adapter hands each inbound delivery to `accept()` and acknowledges it
 * only when the promise resolves, i.e. once the delivery is committed to SQLite. Deliveries
 * arriving within a few milliseconds share ONE commit (group commit), so the ack stays fast
 * under load. A worker then processes stored rows in order through the adapter's handler;
 * rows left pending by a crash are processed when the worker starts again. What was
 * acknowledged is stored, so a kill -9 at any instant loses nothing. Processed rows and replay
 * keys are pruned by the retention job (src/scheduler/retention.ts), once for all platforms.
 */
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { InboxRepo, InboxRow, InsertOutcome, NewInboxItem } from '../store/inbox-repo.js';

/**
 * Process one stored row. Return 'done' when the work is finished (the worker marks the row
 * done unless the handler already did, in the work's own transaction), or 'deferred' when the
 * work was handed to something that will mark the row and call `inbox.settle(id)` itself.
 * Throwing marks the row failed.
 */
export type InboxHandler = (row: InboxRow) => Promise<'done' | 'deferred'>;

export interface InboxOptions {
  platform: string;
  logger: Logger;
  /** Wall clock for received/processed times (ms). */
  now?: () => number;
  /** How long the first delivery of a group waits for others to share its commit (ms). */
  windowMs?: number;
  /** Commit at once when this many deliveries are waiting. */
  maxBatch?: number;
  /** Process rows for at most this long before letting pending I/O run (ms). */
  sliceMs?: number;
  /** Counts committed deliveries by outcome (frontdesk_events_ingested_total). */
  metrics?: Pick<Metrics, 'eventsIngested'>;
}

interface Waiting {
  item: NewInboxItem;
  resolve(o: InsertOutcome): void;
  reject(e: unknown): void;
}

/**
 * @example
 * const inbox = new Inbox(new InboxRepo(db), { platform: 'slack', logger });
 * inbox.start(async (row) => { handle(JSON.parse(row.payload)); return 'done'; });
 * const outcome = await inbox.accept({ platform: 'slack', deliveryId: 'Ev1', payload, receivedAt: Date.now() });
 * res.status(200).end(); // only now
 */
export class Inbox {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;
  private handler: InboxHandler | null = null;
  private readonly claimed = new Set<number>();
  private cursor = 0;
  private pumping = false;
  private again = false;
  private stopped = false;
  private idle: (() => void)[] = [];
  private readonly now: () => number;
  /** Only rows up to this id are processed (backlog-only mode); Infinity = all. */
  private upTo = Number.POSITIVE_INFINITY;
  private lastArrival = Number.NEGATIVE_INFINITY;

  constructor(
    readonly repo: InboxRepo,
    private readonly opts: InboxOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  get platform(): string {
    return this.opts.platform;
  }

  /**
   * Store a delivery (group-committed). Resolves once it is committed: 'stored', 'duplicate'
   * (already in the inbox) or 'replayed' (a replay key was already seen). Rejects when the
   * commit failed — then do NOT acknowledge, so the platform delivers it again.
   */
  accept(item: NewInboxItem): Promise<InsertOutcome> {
    this.lastArrival = performance.now();
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= (this.opts.maxBatch ?? 512)) this.commit();
      else if (!this.timer) this.timer = setTimeout(() => this.commit(), this.opts.windowMs ?? 2);
    });
  }

  /**
   * How processing should yield after a slice of work: while deliveries keep arriving it waits
   * as long as it worked (at most half the time goes to processing, so acks stay fast and the
   * backlog waits in the store); otherwise it only lets pending I/O run.
   */
  yieldAfter(workedMs: number): Promise<void> {
    if (performance.now() - this.lastArrival < 50) return new Promise((r) => setTimeout(r, Math.max(1, Math.ceil(workedMs))));
    return new Promise((r) => setImmediate(r));
  }

  /** Commit everything waiting now (one transaction). */
  commit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (!batch.length) return;
    let outcomes: InsertOutcome[];
    try {
      outcomes = this.repo.insertMany(batch.map((w) => w.item));
    } catch (err) {
      this.opts.logger.error({ err, deliveries: batch.length, platform: this.platform }, 'inbox: could not store deliveries; they are not acknowledged');
      for (const w of batch) w.reject(err);
      return;
    }
    for (const [i, w] of batch.entries()) {
      this.opts.metrics?.eventsIngested.inc({ platform: w.item.platform, outcome: outcomes[i]! });
      w.resolve(outcomes[i]!);
    }
    if (outcomes.includes('stored') && this.upTo === Number.POSITIVE_INFINITY) this.kick();
  }

  /**
   * Start processing: first every row a previous run left pending, then new ones as they
   * arrive. With `backlogOnly` only the rows a previous run left behind are processed (for an
   * adapter that processes new deliveries itself, inline, after storing them).
   */
  start(handler: InboxHandler, opts: { backlogOnly?: boolean } = {}): void {
    this.handler = handler;
    this.upTo = opts.backlogOnly ? this.repo.maxId(this.platform) : Number.POSITIVE_INFINITY;
    this.stopped = false;
    this.cursor = 0;
    this.kick();
  }

  /** A deferred row's work is finished (committed or failed): release it. */
  settle(id: number): void {
    this.claimed.delete(id);
    if (this.claimed.size === 0 && !this.pumping) this.notifyIdle();
  }

  /** Look for new rows on a later turn. */
  kick(): void {
    if (!this.handler || this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    setImmediate(() => void this.pump());
  }

  private async pump(): Promise<void> {
    if (this.pumping || !this.handler || this.stopped) return;
    this.pumping = true;
    try {
      do {
        this.again = false;
        for (;;) {
          const rows = this.repo.pending(this.platform, this.cursor, 256).filter((r) => !this.claimed.has(r.id) && r.id <= this.upTo);
          if (!rows.length || this.stopped) break;
          this.cursor = rows.at(-1)!.id;
          await this.runAll(rows);
        }
      } while (this.again && !this.stopped);
    } finally {
      this.pumping = false;
      if (this.claimed.size === 0) this.notifyIdle();
    }
  }

  /**
   * Run rows one after the other in short slices: after `sliceMs` of work the worker yields to
   * pending I/O, so new deliveries are acknowledged promptly even while a backlog is processed
   * (handlers that finish in microtasks would otherwise hold the event loop for a whole batch).
   */
  private async runAll(rows: InboxRow[]): Promise<void> {
    const sliceMs = this.opts.sliceMs ?? 2;
    let sliceStart = performance.now();
    for (const row of rows) {
      // Back-pressure: rows handed on (deferred) but not finished yet stay in the store, not in memory.
      while (this.claimed.size >= 512 && !this.stopped) await new Promise((r) => setTimeout(r, 1));
      if (this.stopped) return;
      await this.runOne(row);
      const worked = performance.now() - sliceStart;
      if (worked >= sliceMs) {
        await this.yieldAfter(worked);
        sliceStart = performance.now();
      }
    }
  }

  private async runOne(row: InboxRow): Promise<void> {
    this.claimed.add(row.id);
    let outcome: 'done' | 'deferred';
    try {
      outcome = await this.handler!(row);
    } catch (err) {
      this.opts.logger.error({ err, platform: this.platform, deliveryId: row.delivery_id }, 'inbox: could not process a delivery; marked failed');
      this.guard(() => this.repo.markFailed(row.id, this.now(), err instanceof Error ? err.message : String(err)));
      this.claimed.delete(row.id);
      return;
    }
    if (outcome === 'done') {
      this.guard(() => this.repo.markDone(row.id, this.now()));
      this.claimed.delete(row.id);
    }
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.logger.error({ err, platform: this.platform }, 'inbox: could not update a row (it is processed again at the next start)');
    }
  }

  private notifyIdle(): void {
    const fns = this.idle;
    this.idle = [];
    for (const f of fns) f();
  }

  /** Resolves when nothing is being processed (tests, shutdown). */
  whenIdle(): Promise<void> {
    if (!this.pumping && this.claimed.size === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  /** Commit what is waiting, stop taking new rows, wait for the ones in progress. */
  async stop(): Promise<void> {
    this.commit();
    this.stopped = true;
    if (this.pumping || this.claimed.size > 0) await Promise.race([this.whenIdle(), new Promise((r) => setTimeout(r, 5000).unref())]);
  }
}
