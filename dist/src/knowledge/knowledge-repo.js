import { contentTerms } from './terms.js';
const COLS = 'a.id, a.title, a.body, a.category, a.tags, a.terms, a.title_terms, a.source, a.root, a.path, a.ticket_id, a.created_by, a.created_at, a.updated_at';
const splitList = (s) => (s ? s.split('\n') : []);
function toAnswer(r) {
    return {
        id: r.id,
        title: r.title,
        body: r.body,
        category: r.category,
        tags: splitList(r.tags),
        source: r.source,
        root: r.root,
        path: r.path,
        ticketId: r.ticket_id,
        createdBy: r.created_by,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        terms: r.terms ? r.terms.split(' ') : [],
        titleTerms: r.title_terms ? r.title_terms.split(' ') : [],
    };
}
/** Strip the matching-only fields. */
export function publicAnswer(a) {
    const { terms: _t, titleTerms: _tt, ...rest } = a;
    return rest;
}
/** The stored matching terms of an answer (all text; title and tags). */
function termsOf(title, tags, body) {
    return { terms: contentTerms(`${title}\n${tags.join('\n')}\n${body}`).join(' '), titleTerms: contentTerms(`${title}\n${tags.join('\n')}`).join(' ') };
}
/**
 * Read and write known answers.
 * @example new KnowledgeRepo(db).get('reset-password')?.title
 */
export class KnowledgeRepo {
    db;
    constructor(db) {
        this.db = db;
    }
    get(id) {
        const r = this.db.prepare(`SELECT ${COLS} FROM knowledge_answers a WHERE a.id = ?`).get(id);
        return r ? toAnswer(r) : null;
    }
    /** Every answer, by id. */
    list() {
        return this.db.prepare(`SELECT ${COLS} FROM knowledge_answers a ORDER BY a.id`).all().map(toAnswer);
    }
    count() {
        return this.db.prepare('SELECT count(*) AS n FROM knowledge_answers').get().n;
    }
    /** Answers read from one file of a folder. */
    ofFile(root, path) {
        return this.db.prepare(`SELECT ${COLS} FROM knowledge_answers a WHERE a.root = ? AND a.path = ? ORDER BY a.seq`).all(root, path).map(toAnswer);
    }
    /** Insert or replace (by id) an answer; computes its matching terms. */
    put(a, now) {
        const tags = a.tags.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
        const { terms, titleTerms } = termsOf(a.title, tags, a.body);
        this.db
            .prepare(`INSERT INTO knowledge_answers (id, title, body, category, tags, terms, title_terms, source, root, path, ticket_id, created_by, created_at, updated_at)
         VALUES (@id, @title, @body, @category, @tags, @terms, @titleTerms, @source, @root, @path, @ticketId, @createdBy, @now, @now)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body, category = excluded.category, tags = excluded.tags,
           terms = excluded.terms, title_terms = excluded.title_terms, source = excluded.source, root = excluded.root, path = excluded.path,
           ticket_id = excluded.ticket_id, created_by = excluded.created_by, updated_at = excluded.updated_at`)
            .run({
            id: a.id,
            title: a.title,
            body: a.body,
            category: a.category,
            tags: tags.join('\n'),
            terms,
            titleTerms,
            source: a.source,
            root: a.root ?? null,
            path: a.path ?? null,
            ticketId: a.ticketId ?? null,
            createdBy: a.createdBy ?? null,
            now,
        });
    }
    /**
     * Recompute every answer's stored matching terms with the current normaliser (terms.ts), in one
     * transaction, so answers indexed by an older version (other stems or synonyms) still meet
     * requests. Only rows whose terms changed are written. Returns how many were.
     */
    reindex() {
        return this.tx(() => {
            const update = this.db.prepare('UPDATE knowledge_answers SET terms = ?, title_terms = ? WHERE seq = ?');
            let changed = 0;
            const rows = this.db.prepare('SELECT seq, title, body, tags, terms, title_terms FROM knowledge_answers').all();
            for (const r of rows) {
                const t = termsOf(r.title, r.tags ? r.tags.split('\n') : [], r.body);
                if (t.terms === r.terms && t.titleTerms === r.title_terms)
                    continue;
                update.run(t.terms, t.titleTerms, r.seq);
                changed++;
            }
            return changed;
        });
    }
    delete(id) {
        return this.db.prepare('DELETE FROM knowledge_answers WHERE id = ?').run(id).changes > 0;
    }
    /** Files of a folder already read. */
    files(root) {
        const rows = this.db
            .prepare('SELECT path, mtime_ms, size, hash, problem FROM knowledge_files WHERE root = ?')
            .all(root);
        return new Map(rows.map((r) => [r.path, { path: r.path, mtimeMs: r.mtime_ms, size: r.size, hash: r.hash, problem: r.problem }]));
    }
    /** Folders that files were read from. */
    roots() {
        return this.db.prepare('SELECT DISTINCT root FROM knowledge_files ORDER BY root').all().map((r) => r.root);
    }
    putFile(root, f) {
        this.db
            .prepare(`INSERT INTO knowledge_files (root, path, mtime_ms, size, hash, problem) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (root, path) DO UPDATE SET mtime_ms = excluded.mtime_ms, size = excluded.size, hash = excluded.hash, problem = excluded.problem`)
            .run(root, f.path, f.mtimeMs, f.size, f.hash, f.problem);
    }
    deleteFile(root, path) {
        this.db.prepare('DELETE FROM knowledge_answers WHERE root = ? AND path = ?').run(root, path);
        this.db.prepare('DELETE FROM knowledge_files WHERE root = ? AND path = ?').run(root, path);
    }
    /**
     * Full-text candidates for normalised terms (any of them), best first, with their bm25
     * (title and tags weigh 3, the whole answer 1; bm25 is negative, lower is better).
     */
    search(terms, limit) {
        if (terms.length === 0)
            return [];
        const rows = this.db
            .prepare(`SELECT ${COLS}, bm25(knowledge_fts, 3.0, 1.0) AS rank
         FROM knowledge_fts JOIN knowledge_answers a ON a.seq = knowledge_fts.rowid
         WHERE knowledge_fts MATCH ? ORDER BY rank LIMIT ?`)
            .all(terms.map((t) => `"${t.replace(/"/g, '')}"`).join(' OR '), limit);
        return rows.map((r) => ({ answer: toAnswer(r), bm25: r.rank }));
    }
    /** Changes whenever any answer is added, changed or removed (by any process). */
    version() {
        return this.db.prepare("SELECT value FROM counters WHERE name = 'knowledge'").get()?.value ?? 0;
    }
    /** Number of answers each matching term appears in. */
    documentFrequencies() {
        const df = new Map();
        let n = 0;
        for (const r of this.db.prepare('SELECT terms FROM knowledge_answers').iterate()) {
            n++;
            if (!r.terms)
                continue;
            for (const t of r.terms.split(' '))
                df.set(t, (df.get(t) ?? 0) + 1);
        }
        return { n, df };
    }
    /** Run `fn` in one transaction. */
    tx(fn) {
        return this.db.transaction(fn)();
    }
}
//# sourceMappingURL=knowledge-repo.js.map