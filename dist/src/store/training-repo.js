const toExample = (r) => ({
    id: r.id,
    text: r.text,
    category: r.category,
    priority: r.priority,
    source: r.source,
    ticketId: r.ticket_id,
    createdAt: r.created_at,
});
/**
 * Store and read training examples.
 * @example new TrainingRepo(db).add({ text: 'charged twice', category: 'billing', source: 'correction' }, Date.now())
 */
export class TrainingRepo {
    insert;
    db;
    constructor(db) {
        this.db = db;
        this.insert = db.prepare('INSERT INTO training_examples (text, category, priority, source, ticket_id, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    }
    /** Store one example; returns its id. */
    add(ex, at) {
        const r = this.insert.run(ex.text, ex.category ?? null, ex.priority ?? null, ex.source, ex.ticketId ?? null, at);
        return Number(r.lastInsertRowid);
    }
    /**
     * Store many examples in ONE transaction (all or nothing). `onProgress(done)` is called
     * every `batch` rows so a caller can draw a progress bar.
     * @returns how many were stored.
     */
    addMany(examples, at, onProgress, batch = 1000) {
        let n = 0;
        this.db.transaction(() => {
            for (const ex of examples) {
                this.add(ex, at);
                n++;
                if (onProgress && n % batch === 0)
                    onProgress(n);
            }
        })();
        onProgress?.(n);
        return n;
    }
    /** Every example, oldest first (streamed). */
    *all() {
        for (const r of this.db.prepare('SELECT * FROM training_examples ORDER BY id').iterate())
            yield toExample(r);
    }
    /** The most recent `limit` examples, oldest first (what the learner retrains on). */
    recent(limit) {
        const rows = this.db
            .prepare('SELECT * FROM (SELECT * FROM training_examples ORDER BY id DESC LIMIT ?) ORDER BY id')
            .all(limit);
        return rows.map(toExample);
    }
    /** Number of stored examples. */
    count() {
        return this.db.prepare('SELECT count(*) AS n FROM training_examples').get().n;
    }
}
//# sourceMappingURL=training-repo.js.map