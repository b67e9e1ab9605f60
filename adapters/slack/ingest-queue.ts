/**
 * Group-commit for inbound events. Events are acknowledged first; the synchronous core work
 * they cause (open a ticket, attach a reply, apply an edit) is queued and run on the next
 * turn of the event loop, many at once inside ONE outer SQLite transaction. Each item still
 * runs in its own nested transaction (a savepoint), so one failing item rolls back alone and
 * every change stays atomic; only the commit (WAL write, FTS flush) is shared. Under load
 * this is what keeps ingest well above Slack's delivery rates; when idle a batch is one item.
 */
import type { Logger } from '../../src/logger.js';
import type { Db } from '../../src/store/db.js';

export interface IngestItem {
  /** For logs when the item fails. */
  label: Record<string, unknown>;
  run(): void;
}

/**
 * @example
 * const q = new IngestQueue(core.db, core.logger);
 * q.push({ label: { ts }, run: () => handleMessage(core.tickets, msg) });
 */
export class IngestQueue {
  private items: IngestItem[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly maxBatch = 256,
    /** Stop adding items to a batch after this long, so acks are not held up (ms). */
    private readonly budgetMs = 8,
  ) {}

  /**
   * Queue synchronous core work; it runs on the next event-loop turn.
   * @example queue.push({ label: { ts }, run: () => handleMessage(svc, msg) });
   */
  push(item: IngestItem): void {
    this.items.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Items waiting to run. */
  get size(): number {
    return this.items.length;
  }

  /**
   * Run one batch now (at most `maxBatch` items or `budgetMs` of work, one commit); if more
   * are waiting, the next batch runs on a later turn so HTTP acks are never stuck behind a
   * long backlog. `all` runs everything (shutdown).
   */
  flush(all = false): void {
    this.scheduled = false;
    while (this.items.length > 0) {
      let done = 0;
      const started = performance.now();
      try {
        this.db.transaction(() => {
          while (done < this.items.length && done < this.maxBatch && (done === 0 || performance.now() - started < this.budgetMs)) {
            const item = this.items[done]!;
            done += 1;
            try {
              this.db.transaction(() => item.run())();
            } catch (err) {
              this.logger.error({ err, ...item.label }, 'slack: could not handle an event');
            }
          }
        })();
      } catch (err) {
        this.logger.error({ err, events: done }, 'slack: a batch of events could not be committed');
      }
      this.items.splice(0, Math.max(done, 1));
      if (!all && this.items.length > 0) {
        this.scheduled = true;
        setImmediate(() => this.flush());
        return;
      }
    }
  }
}
