/** The inbox handle in a Bolt listener's context, if the event came from the inbox. */
export function inboxHandleOf(context) {
    const h = context.inbox;
    return h && typeof h.id === 'number' ? h : undefined;
}
/**
 * @example
 * const q = new IngestQueue(core.db, core.logger, inbox);
 * q.push({ label: { ts }, run: () => handleMessage(core.tickets, msg) }, inboxHandleOf(context));
 */
export class IngestQueue {
    db;
    logger;
    inbox;
    maxBatch;
    budgetMs;
    now;
    items = [];
    scheduled = false;
    constructor(db, logger, inbox, maxBatch = 256, 
    /** Stop adding items to a batch after this long, so acks are not held up (ms): 3 ms keeps the p99 ack under 50 ms at 500 events/s (bench/slack.bench.ts). */
    budgetMs = 3, now = Date.now) {
        this.db = db;
        this.logger = logger;
        this.inbox = inbox;
        this.maxBatch = maxBatch;
        this.budgetMs = budgetMs;
        this.now = now;
    }
    /**
     * Queue synchronous core work; it runs on a later event-loop turn. With an inbox handle the
     * row is marked done in the work's transaction.
     * @example queue.push({ label: { ts }, run: () => handleMessage(svc, msg) }, handle);
     */
    push(item, handle) {
        if (handle) {
            handle.deferred = true;
            item.inboxId = handle.id;
        }
        this.items.push(item);
        if (this.scheduled)
            return;
        this.scheduled = true;
        setImmediate(() => this.flush());
    }
    /** Items waiting to run. */
    get size() {
        return this.items.length;
    }
    /**
     * Run one batch now (at most `maxBatch` items or `budgetMs` of work, one commit); if more
     * are waiting, the next batch runs on a later turn so HTTP acks are never stuck behind a
     * long backlog. `all` runs everything (shutdown).
     */
    flush(all = false) {
        this.scheduled = false;
        while (this.items.length > 0) {
            let done = 0;
            const started = performance.now();
            try {
                this.db.transaction(() => {
                    while (done < this.items.length && done < this.maxBatch && (done === 0 || performance.now() - started < this.budgetMs)) {
                        const item = this.items[done];
                        done += 1;
                        try {
                            this.db.transaction(() => {
                                item.run();
                                if (item.inboxId !== undefined)
                                    this.inbox?.repo.markDone(item.inboxId, this.now());
                            })();
                        }
                        catch (err) {
                            this.logger.error({ err, ...item.label }, 'slack: could not handle an event');
                            if (item.inboxId !== undefined)
                                this.inbox?.repo.markFailed(item.inboxId, this.now(), err instanceof Error ? err.message : String(err));
                        }
                    }
                })();
            }
            catch (err) {
                this.logger.error({ err, events: done }, 'slack: a batch of events could not be committed (their inbox rows stay pending and are processed at the next start)');
            }
            for (const it of this.items.splice(0, Math.max(done, 1)))
                if (it.inboxId !== undefined)
                    this.inbox?.settle(it.inboxId);
            if (!all && this.items.length > 0) {
                this.scheduled = true;
                const next = () => this.flush();
                if (this.inbox)
                    void this.inbox.yieldAfter(performance.now() - started).then(next);
                else
                    setImmediate(next);
                return;
            }
        }
    }
}
//# sourceMappingURL=ingest-queue.js.map