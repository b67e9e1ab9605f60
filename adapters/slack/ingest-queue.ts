/**
 * Group-commit for the core work stored inbox rows cause. The inbox worker feeds each stored
 * event through Bolt; the `message` listener hands its synchronous core work (open a ticket,
 * attach a reply, apply an edit) to this queue, which runs many items inside ONE outer SQLite
 * transaction on a later turn of the event loop. Each item runs in its own nested
 * transaction (a savepoint) together with marking its inbox row done, so the work and "done"
 * commit together: a crash before the commit leaves the row pending and it is processed
 * again at start-up. A failing item rolls back alone and its row is marked failed.
 */
import type { Inbox } from '../../src/inbound/inbox.js';
import type { Logger } from '../../src/logger.js';
import type { Db } from '../../src/store/db.js';
import { syncTx } from '../../src/store/sync-tx.js';

export interface IngestItem {
  /** For logs when the item fails. */
  label: Record<string, unknown>;
  run(): void;
  /** The inbox row this work comes from (marked done in the same transaction). */
  inboxId?: number;
}

/** The inbox row a listener is processing; the worker passes it to Bolt as a custom context property. */
export interface InboxHandle {
  id: number;
  /** Set when the listener handed the work to the queue (the queue marks the row). */
  deferred: boolean;
}

/** The inbox handle in a Bolt listener's context, if the event came from the inbox. */
export function inboxHandleOf(context: Record<string, unknown>): InboxHandle | undefined {
  const h = context.inbox as InboxHandle | undefined;
  return h && typeof h.id === 'number' ? h : undefined;
}

/**
 * @example
 * const q = new IngestQueue(core.db, core.logger, inbox);
 * q.push({ label: { ts }, run: () => handleMessage(core.tickets, msg) }, inboxHandleOf(context));
 */
export class IngestQueue {
  private items: IngestItem[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly inbox?: Inbox,
    private readonly maxBatch = 256,
    /** Stop adding items to a batch after this long, so acks are not held up (ms): 3 ms keeps the p99 ack under 50 ms at 500 events/s (bench/slack.bench.ts). */
    private readonly budgetMs = 3,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Queue synchronous core work; it runs on a later event-loop turn. With an inbox handle the
   * row is marked done in the work's transaction.
   * @example queue.push({ label: { ts }, run: () => handleMessage(svc, msg) }, handle);
   */
  push(item: IngestItem, handle?: InboxHandle): void {
    if (handle) {
      handle.deferred = true;
      item.inboxId = handle.id;
    }
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
        syncTx(this.db, () => {
          while (done < this.items.length && done < this.maxBatch && (done === 0 || performance.now() - started < this.budgetMs)) {
            const item = this.items[done]!;
            done += 1;
            try {
              syncTx(this.db, () => {
                item.run();
                if (item.inboxId !== undefined) this.inbox?.repo.markDone(item.inboxId, this.now());
              });
            } catch (err) {
              this.logger.error({ err, ...item.label }, 'slack: could not handle an event');
              if (item.inboxId !== undefined) this.inbox?.repo.markFailed(item.inboxId, this.now(), err instanceof Error ? err.message : String(err));
            }
          }
        });
      } catch (err) {
        this.logger.error({ err, events: done }, 'slack: a batch of events could not be committed (their inbox rows stay pending and are processed at the next start)');
      }
      for (const it of this.items.splice(0, Math.max(done, 1))) if (it.inboxId !== undefined) this.inbox?.settle(it.inboxId);
      if (!all && this.items.length > 0) {
        this.scheduled = true;
        const next = () => this.flush();
        if (this.inbox) void this.inbox.yieldAfter(performance.now() - started).then(next);
        else setImmediate(next);
        return;
      }
    }
  }
}
