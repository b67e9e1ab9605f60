/**
 * Synchronous repository for known answers (`knowledge_answers`, its FTS5 index `knowledge_fts`,
 * and `knowledge_files`, the folder files already read), on the app's better-sqlite3 connection.
 * Used while the knowledge base still runs inside synchronous transactions (a new ticket is
 * matched in the transaction that creates it); the async port is src/ports/store-knowledge.ts
 * (src/store/kysely/knowledge.ts), with the same behaviour on both engines.
 */
import type { AnswerTerms, FileState, IndexedAnswer, AnswerInput, AnswerSource, TermsOf } from '../ports/store-knowledge.js';
import type { Db } from './db.js';

interface Row {
  id: string;
  title: string;
  body: string;
  category: string | null;
  tags: string;
  terms: string;
  title_terms: string;
  source: AnswerSource;
  root: string | null;
  path: string | null;
  ticket_id: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

const COLS = 'a.id, a.title, a.body, a.category, a.tags, a.terms, a.title_terms, a.source, a.root, a.path, a.ticket_id, a.created_by, a.created_at, a.updated_at';

const splitList = (s: string): string[] => (s ? s.split('\n') : []);

function toAnswer(r: Row): IndexedAnswer {
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

/**
 * Read and write known answers.
 * @example new KnowledgeRepo(db, answerTerms).get('reset-password')?.title
 */
export class KnowledgeRepo {
  constructor(
    readonly db: Db,
    /** Computes an answer's matching terms (src/knowledge/terms.ts `answerTerms`). */
    private readonly termsOf: TermsOf,
  ) {}

  get(id: string): IndexedAnswer | null {
    const r = this.db.prepare<[string], Row>(`SELECT ${COLS} FROM knowledge_answers a WHERE a.id = ?`).get(id);
    return r ? toAnswer(r) : null;
  }

  /** Every answer, by id. */
  list(): IndexedAnswer[] {
    return this.db.prepare<[], Row>(`SELECT ${COLS} FROM knowledge_answers a ORDER BY a.id`).all().map(toAnswer);
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM knowledge_answers').get()!.n;
  }

  /** Answers read from one file of a folder. */
  ofFile(root: string, path: string): IndexedAnswer[] {
    return this.db.prepare<[string, string], Row>(`SELECT ${COLS} FROM knowledge_answers a WHERE a.root = ? AND a.path = ? ORDER BY a.seq`).all(root, path).map(toAnswer);
  }

  /** Insert or replace (by id) an answer; computes its matching terms. */
  put(a: AnswerInput, now: number): void {
    const tags = a.tags.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
    const t: AnswerTerms = this.termsOf(a.title, tags, a.body);
    const terms = t.terms.join(' ');
    const titleTerms = t.titleTerms.join(' ');
    this.db
      .prepare(
        `INSERT INTO knowledge_answers (id, title, body, category, tags, terms, title_terms, source, root, path, ticket_id, created_by, created_at, updated_at)
         VALUES (@id, @title, @body, @category, @tags, @terms, @titleTerms, @source, @root, @path, @ticketId, @createdBy, @now, @now)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body, category = excluded.category, tags = excluded.tags,
           terms = excluded.terms, title_terms = excluded.title_terms, source = excluded.source, root = excluded.root, path = excluded.path,
           ticket_id = excluded.ticket_id, created_by = excluded.created_by, updated_at = excluded.updated_at`,
      )
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
  reindex(): number {
    return this.tx(() => {
      const update = this.db.prepare('UPDATE knowledge_answers SET terms = ?, title_terms = ? WHERE seq = ?');
      let changed = 0;
      const rows = this.db.prepare<[], { seq: number; title: string; body: string; tags: string; terms: string; title_terms: string }>('SELECT seq, title, body, tags, terms, title_terms FROM knowledge_answers').all();
      for (const r of rows) {
        const t = this.termsOf(r.title, r.tags ? r.tags.split('\n') : [], r.body);
        const terms = t.terms.join(' ');
        const titleTerms = t.titleTerms.join(' ');
        if (terms === r.terms && titleTerms === r.title_terms) continue;
        update.run(terms, titleTerms, r.seq);
        changed++;
      }
      return changed;
    });
  }

  /** Has an answer been saved from this ticket's resolution? */
  savedFrom(ticketId: number): boolean {
    return this.db.prepare<[number], { n: number }>('SELECT 1 AS n FROM knowledge_answers WHERE ticket_id = ? LIMIT 1').get(ticketId) !== undefined;
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM knowledge_answers WHERE id = ?').run(id).changes > 0;
  }

  /** Files of a folder already read. */
  files(root: string): Map<string, FileState> {
    const rows = this.db
      .prepare<[string], { path: string; mtime_ms: number; size: number; hash: string; problem: string | null }>(
        'SELECT path, mtime_ms, size, hash, problem FROM knowledge_files WHERE root = ?',
      )
      .all(root);
    return new Map(rows.map((r) => [r.path, { path: r.path, mtimeMs: r.mtime_ms, size: r.size, hash: r.hash, problem: r.problem }]));
  }

  /** Folders that files were read from. */
  roots(): string[] {
    return this.db.prepare<[], { root: string }>('SELECT DISTINCT root FROM knowledge_files ORDER BY root').all().map((r) => r.root);
  }

  putFile(root: string, f: FileState): void {
    this.db
      .prepare(
        `INSERT INTO knowledge_files (root, path, mtime_ms, size, hash, problem) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (root, path) DO UPDATE SET mtime_ms = excluded.mtime_ms, size = excluded.size, hash = excluded.hash, problem = excluded.problem`,
      )
      .run(root, f.path, f.mtimeMs, f.size, f.hash, f.problem);
  }

  deleteFile(root: string, path: string): void {
    this.db.prepare('DELETE FROM knowledge_answers WHERE root = ? AND path = ?').run(root, path);
    this.db.prepare('DELETE FROM knowledge_files WHERE root = ? AND path = ?').run(root, path);
  }

  /**
   * Full-text candidates for normalised terms (any of them), best first, with their bm25
   * (title and tags weigh 3, the whole answer 1; bm25 is negative, lower is better).
   */
  search(terms: readonly string[], limit: number): { answer: IndexedAnswer; bm25: number }[] {
    if (terms.length === 0) return [];
    const rows = this.db
      .prepare<[string, number], Row & { rank: number }>(
        `SELECT ${COLS}, bm25(knowledge_fts, 3.0, 1.0) AS rank
         FROM knowledge_fts JOIN knowledge_answers a ON a.seq = knowledge_fts.rowid
         WHERE knowledge_fts MATCH ? ORDER BY rank LIMIT ?`,
      )
      .all(terms.map((t) => `"${t.replace(/"/g, '')}"`).join(' OR '), limit);
    return rows.map((r) => ({ answer: toAnswer(r), bm25: r.rank }));
  }

  /** Changes whenever any answer is added, changed or removed (by any process). */
  version(): number {
    return this.db.prepare<[], { value: number }>("SELECT value FROM counters WHERE name = 'knowledge'").get()?.value ?? 0;
  }

  /** Number of answers each matching term appears in. */
  documentFrequencies(): { n: number; df: Map<string, number> } {
    const df = new Map<string, number>();
    let n = 0;
    for (const r of this.db.prepare<[], { terms: string }>('SELECT terms FROM knowledge_answers').iterate()) {
      n++;
      if (!r.terms) continue;
      for (const t of r.terms.split(' ')) df.set(t, (df.get(t) ?? 0) + 1);
    }
    return { n, df };
  }

  /** Run `fn` in one transaction. */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
