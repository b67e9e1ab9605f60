/**
 * @example
 * const repo = new InboxRepo(db);
 * repo.insertMany([{ platform: 'slack', deliveryId: 'Ev1', payload: '{…}', receivedAt: Date.now() }]); // ['stored']
 */
export class InboxRepo {
    db;
    s;
    constructor(db) {
        this.db = db;
        this.s = {
            insert: db.prepare('INSERT OR IGNORE INTO inbox (platform, delivery_id, payload, retry_num, received_at) VALUES (?, ?, ?, ?, ?)'),
            insertDone: db.prepare("INSERT OR IGNORE INTO inbox (platform, delivery_id, payload, received_at, status, processed_at, attempts, result) VALUES (?, ?, ?, ?, 'done', ?, 1, ?)"),
            maxId: db.prepare('SELECT max(id) AS id FROM inbox WHERE platform = ?'),
            existing: db.prepare('SELECT id, status, result FROM inbox WHERE platform = ? AND delivery_id = ?'),
            pending: db.prepare("SELECT * FROM inbox WHERE platform = ? AND status = 'pending' AND id > ? ORDER BY id LIMIT ?"),
            done: db.prepare("UPDATE inbox SET status = 'done', processed_at = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending'"),
            doneWithResult: db.prepare("UPDATE inbox SET status = 'done', processed_at = ?, attempts = attempts + 1, result = ? WHERE id = ?"),
            failed: db.prepare("UPDATE inbox SET status = 'failed', processed_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'"),
            retry: db.prepare("UPDATE inbox SET attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'"),
            get: db.prepare('SELECT * FROM inbox WHERE id = ?'),
            seen: db.prepare('INSERT OR IGNORE INTO seen_requests (platform, key, at) VALUES (?, ?, ?)'),
            pruneDone: db.prepare("DELETE FROM inbox WHERE status = 'done' AND processed_at < ?"),
            pruneSeen: db.prepare('DELETE FROM seen_requests WHERE at < ?'),
            counts: db.prepare('SELECT status, count(*) AS n FROM inbox WHERE platform = ? GROUP BY status'),
        };
    }
    /**
     * Store many deliveries in ONE transaction (the group commit). Per item: 'stored', or
     * 'replayed' when one of its replay keys was already seen (nothing stored), or 'duplicate'
     * when the delivery id is already in the inbox (a platform retry; nothing stored).
     */
    insertMany(items) {
        return this.db.transaction(() => items.map((it) => this.insertOne(it)))();
    }
    insertOne(it) {
        for (const k of it.seen ?? [])
            if (this.s.seen.run(k.platform, k.key, k.at).changes === 0)
                return 'replayed';
        const r = this.s.insert.run(it.platform, it.deliveryId, it.payload, it.retryNum ?? 0, it.receivedAt);
        return r.changes > 0 ? 'stored' : 'duplicate';
    }
    /**
     * Remember replay keys; returns the ones that were already seen (empty = a first delivery).
     * @example repo.rememberKeys([{ platform: 'slack', key: 'sig:v0=…', at: ts * 1000 }]) // []
     */
    rememberKeys(keys) {
        return this.db.transaction(() => keys.filter((k) => this.s.seen.run(k.platform, k.key, k.at).changes === 0))();
    }
    /** The inbox row for a delivery id, if stored. */
    find(platform, deliveryId) {
        return this.s.existing.get(platform, deliveryId) ?? null;
    }
    get(id) {
        return this.s.get.get(id) ?? null;
    }
    /** Oldest pending rows of a platform with an id above `afterId`. */
    pending(platform, afterId, limit) {
        return this.s.pending.all(platform, afterId, limit);
    }
    /** Mark processed (no-op when it already is). Call inside the transaction of the work. */
    markDone(id, at) {
        return this.s.done.run(at, id).changes > 0;
    }
    /** Mark processed and keep the HTTP answer it produced (Teams invokes). */
    markDoneWithResult(id, at, result) {
        this.s.doneWithResult.run(at, result, id);
    }
    /** Record a delivery that was processed synchronously, with the answer it produced (Teams invokes). */
    recordDone(platform, deliveryId, payload, result, at) {
        this.s.insertDone.run(platform, deliveryId, payload, at, at, result);
    }
    /** The newest row id of a platform (0 when none). */
    maxId(platform) {
        return this.s.maxId.get(platform)?.id ?? 0;
    }
    /** Give up on a row (kept, with the error, for an operator to look at). */
    markFailed(id, at, error) {
        this.s.failed.run(at, error.slice(0, 2000), id);
    }
    /** Count a failed attempt; the row stays pending and is tried again. */
    markAttempt(id, error) {
        this.s.retry.run(error.slice(0, 2000), id);
    }
    /** Delete processed rows older than `before` and replay keys older than `seenBefore` (ms). */
    prune(before, seenBefore) {
        return { inbox: this.s.pruneDone.run(before).changes, seen: this.s.pruneSeen.run(seenBefore).changes };
    }
    /** Rows per status for one platform (health, tests). */
    counts(platform) {
        const out = { pending: 0, done: 0, failed: 0 };
        for (const r of this.s.counts.all(platform))
            out[r.status] = r.n;
        return out;
    }
}
//# sourceMappingURL=inbox-repo.js.map