/**
 * Known answers, their full-text search, offers and decisions, CSAT surveys and the digest's
 * figures over them (src/ports/store-knowledge.ts) as typed Kysely queries for both engines.
 * Only full text differs: FTS5 + bm25 on SQLite; on PostgreSQL the GIN index of migration 0012
 * finds the candidates and `fts5Bm25` scores them exactly as FTS5 would.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { StoreEngine } from '../../ports/store.js';
import type {
  AnswerHit,
  AnswerInput,
  AnswerOutcomes,
  AnswerSearch,
  AnswerSource,
  AnswerTerms,
  CsatCounts,
  CsatRepository,
  CsatSurvey,
  DecisionRow,
  FileState,
  GapRequest,
  IndexedAnswer,
  KnowledgePeriodCounts,
  KnowledgeRepository,
  NewOffer,
  Offer,
  OfferRepository,
  OfferStatus,
  OfferVia,
  TermsOf,
} from '../../ports/store-knowledge.js';
import { changed } from './inbox.js';
import type { KnowledgeAnswersTable, KnowledgeOffersTable, StoreDb } from './schema.js';

type AnswerRow = Selectable<KnowledgeAnswersTable>;

const splitList = (s: string): string[] => (s ? s.split('\n') : []);
const splitTerms = (s: string): string[] => (s ? s.split(' ') : []);

export function rowToAnswer(r: AnswerRow): IndexedAnswer {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    category: r.category,
    tags: splitList(r.tags),
    source: r.source as AnswerSource,
    root: r.root,
    path: r.path,
    ticketId: r.ticket_id === null ? null : Number(r.ticket_id),
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    terms: splitTerms(r.terms),
    titleTerms: splitTerms(r.title_terms),
  };
}

/** Tags as stored: whitespace collapsed, empty ones dropped. */
export const cleanTags = (tags: readonly string[]): string[] => tags.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);

export class KyselyKnowledgeRepository implements KnowledgeRepository {
  constructor(
    private readonly db: Kysely<StoreDb>,
    /** Run `fn` in one transaction (a new one, or the enclosing one). */
    private readonly inTx: <T>(fn: (db: Kysely<StoreDb>) => Promise<T>) => Promise<T>,
  ) {}

  async get(id: string): Promise<IndexedAnswer | null> {
    const r = await this.db.selectFrom('knowledge_answers').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? rowToAnswer(r) : null;
  }

  async list(): Promise<IndexedAnswer[]> {
    return (await this.db.selectFrom('knowledge_answers').selectAll().orderBy('id').execute()).map(rowToAnswer);
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('knowledge_answers')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async ofFile(root: string, path: string): Promise<IndexedAnswer[]> {
    const rows = await this.db.selectFrom('knowledge_answers').selectAll().where('root', '=', root).where('path', '=', path).orderBy('seq').execute();
    return rows.map(rowToAnswer);
  }

  async put(a: AnswerInput & AnswerTerms, now: number): Promise<void> {
    await this.db
      .insertInto('knowledge_answers')
      .values({
        id: a.id,
        title: a.title,
        body: a.body,
        category: a.category,
        tags: cleanTags(a.tags).join('\n'),
        terms: a.terms.join(' '),
        title_terms: a.titleTerms.join(' '),
        source: a.source,
        root: a.root ?? null,
        path: a.path ?? null,
        ticket_id: a.ticketId ?? null,
        created_by: a.createdBy ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          body: eb.ref('excluded.body'),
          category: eb.ref('excluded.category'),
          tags: eb.ref('excluded.tags'),
          terms: eb.ref('excluded.terms'),
          title_terms: eb.ref('excluded.title_terms'),
          source: eb.ref('excluded.source'),
          root: eb.ref('excluded.root'),
          path: eb.ref('excluded.path'),
          ticket_id: eb.ref('excluded.ticket_id'),
          created_by: eb.ref('excluded.created_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  reindex(termsOf: TermsOf): Promise<number> {
    return this.inTx(async (db) => {
      const rows = await db.selectFrom('knowledge_answers').select(['seq', 'title', 'body', 'tags', 'terms', 'title_terms']).orderBy('seq').execute();
      let n = 0;
      for (const r of rows) {
        const t = termsOf(r.title, splitList(r.tags), r.body);
        const terms = t.terms.join(' ');
        const titleTerms = t.titleTerms.join(' ');
        if (terms === r.terms && titleTerms === r.title_terms) continue;
        await db.updateTable('knowledge_answers').set({ terms, title_terms: titleTerms }).where('seq', '=', r.seq).execute();
        n++;
      }
      return n;
    });
  }

  async delete(id: string): Promise<boolean> {
    return changed(await this.db.deleteFrom('knowledge_answers').where('id', '=', id).executeTakeFirst()) > 0;
  }

  async savedFrom(ticketId: number): Promise<boolean> {
    const r = await this.db.selectFrom('knowledge_answers').select('seq').where('ticket_id', '=', ticketId).limit(1).executeTakeFirst();
    return r !== undefined;
  }

  async files(root: string): Promise<Map<string, FileState>> {
    const rows = await this.db.selectFrom('knowledge_files').select(['path', 'mtime_ms', 'size', 'hash', 'problem']).where('root', '=', root).execute();
    return new Map(rows.map((r) => [r.path, { path: r.path, mtimeMs: Number(r.mtime_ms), size: Number(r.size), hash: r.hash, problem: r.problem }]));
  }

  async roots(): Promise<string[]> {
    return (await this.db.selectFrom('knowledge_files').select('root').distinct().orderBy('root').execute()).map((r) => r.root);
  }

  async putFile(root: string, f: FileState): Promise<void> {
    await this.db
      .insertInto('knowledge_files')
      .values({ root, path: f.path, mtime_ms: f.mtimeMs, size: f.size, hash: f.hash, problem: f.problem })
      .onConflict((oc) =>
        oc.columns(['root', 'path']).doUpdateSet((eb) => ({
          mtime_ms: eb.ref('excluded.mtime_ms'),
          size: eb.ref('excluded.size'),
          hash: eb.ref('excluded.hash'),
          problem: eb.ref('excluded.problem'),
        })),
      )
      .execute();
  }

  deleteFile(root: string, path: string): Promise<void> {
    return this.inTx(async (db) => {
      await db.deleteFrom('knowledge_answers').where('root', '=', root).where('path', '=', path).execute();
      await db.deleteFrom('knowledge_files').where('root', '=', root).where('path', '=', path).execute();
    });
  }

  async version(): Promise<number> {
    const r = await this.db.selectFrom('counters').select('value').where('name', '=', 'knowledge').executeTakeFirst();
    return Number(r?.value ?? 0);
  }

  async documentFrequencies(): Promise<{ n: number; df: Map<string, number> }> {
    const df = new Map<string, number>();
    const rows = await this.db.selectFrom('knowledge_answers').select('terms').execute();
    for (const r of rows) for (const t of splitTerms(r.terms)) df.set(t, (df.get(t) ?? 0) + 1);
    return { n: rows.length, df };
  }
}

// ─── full text ────────────────────────────────────────────────────────────────────────────────

/** FTS5's unicode61 tokens of normalised terms (they are [a-z0-9'] already). */
export const ftsTokens = (s: string): string[] => s.match(/[a-z0-9]+/g) ?? [];

/** bm25 column weights: title and tags, then the whole answer (as `bm25(knowledge_fts, 3.0, 1.0)`). */
const WEIGHTS = [3, 1] as const;
const K1 = 1.2;
const B = 0.75;

function occurrences(phrase: readonly string[], col: readonly string[]): number {
  let n = 0;
  for (let i = 0; i + phrase.length <= col.length; i++) {
    let ok = true;
    for (let j = 0; j < phrase.length && ok; j++) ok = col[i + j] === phrase[j];
    if (ok) n++;
  }
  return n;
}

/**
 * FTS5's bm25 (sqlite ext/fts5/fts5_aux.c) for rows given as token columns: every row that
 * contains a phrase must be among `rows` (the document frequencies are counted there); `n` and
 * `totalTokens` are the whole table's. Returns one score per row (negative, lower is better; 0
 * when the row contains no phrase).
 */
export function fts5Bm25(phrases: readonly (readonly string[])[], rows: readonly (readonly (readonly string[])[])[], n: number, totalTokens: number): number[] {
  const freq = rows.map((cols) => phrases.map((p) => cols.reduce((s, col, c) => s + (WEIGHTS[c] ?? 1) * occurrences(p, col), 0)));
  const idf = phrases.map((_, i) => {
    const hits = freq.filter((f) => f[i]! > 0).length;
    const v = Math.log((n - hits + 0.5) / (hits + 0.5));
    return v <= 0 ? 1e-6 : v;
  });
  const avgdl = totalTokens / n;
  return rows.map((cols, r) => {
    const d = cols.reduce((s, col) => s + col.length, 0);
    let score = 0;
    for (let i = 0; i < phrases.length; i++) {
      const f = freq[r]![i]!;
      score += idf[i]! * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + (B * d) / avgdl)));
    }
    return -1.0 * score;
  });
}

export class KyselyAnswerSearch implements AnswerSearch {
  constructor(
    private readonly db: Kysely<StoreDb>,
    private readonly engine: StoreEngine,
  ) {}

  async search(terms: readonly string[], limit: number): Promise<AnswerHit[]> {
    const phrases = terms.map(ftsTokens).filter((p) => p.length > 0);
    if (phrases.length === 0) return [];
    if (this.engine === 'sqlite') {
      const q = phrases.map((p) => `"${p.join(' ')}"`).join(' OR ');
      const r = await sql<AnswerRow & { rank: number }>`SELECT a.*, bm25(knowledge_fts, 3.0, 1.0) AS rank
        FROM knowledge_fts JOIN knowledge_answers a ON a.seq = knowledge_fts.rowid
        WHERE knowledge_fts MATCH ${q} ORDER BY rank, a.seq LIMIT ${limit}`.execute(this.db);
      return r.rows.map((row) => ({ answer: rowToAnswer(row), bm25: row.rank }));
    }
    // PostgreSQL: candidates through the GIN index (any phrase), scored as FTS5 scores them.
    const q = phrases.map((p) => (p.length === 1 ? p[0] : `(${p.join(' <-> ')})`)).join(' | ');
    const rows = (
      await sql<AnswerRow>`SELECT * FROM knowledge_answers
        WHERE to_tsvector('simple', title_terms || ' ' || terms) @@ to_tsquery('simple', ${q})`.execute(this.db)
    ).rows;
    if (rows.length === 0) return [];
    // Tokens in a column: each [a-z0-9]+ run becomes one character, so the length difference counts them.
    const tokens = (col: string) => sql<number>`length(regexp_replace(${sql.ref(col)}, '[a-z0-9]+', 'x', 'g')) - length(regexp_replace(${sql.ref(col)}, '[a-z0-9]+', '', 'g'))`;
    const totals = (
      await sql<{ n: number | string; tokens: number | string | null }>`SELECT COUNT(*) AS n, SUM(${tokens('title_terms')} + ${tokens('terms')}) AS tokens FROM knowledge_answers`.execute(this.db)
    ).rows[0]!;
    const scores = fts5Bm25(
      phrases,
      rows.map((r) => [ftsTokens(r.title_terms), ftsTokens(r.terms)]),
      Number(totals.n),
      Number(totals.tokens ?? 0),
    );
    return rows
      .map((r, i) => ({ answer: rowToAnswer(r), bm25: scores[i]!, seq: Number(r.seq) }))
      .filter((h) => h.bm25 < 0)
      .sort((a, b) => a.bm25 - b.bm25 || a.seq - b.seq)
      .slice(0, limit)
      .map(({ answer, bm25 }) => ({ answer, bm25 }));
  }
}

// ─── offers and decisions ─────────────────────────────────────────────────────────────────────

const toOffer = (r: Selectable<KnowledgeOffersTable>): Offer => ({
  id: Number(r.id),
  ticketId: Number(r.ticket_id),
  answerId: r.answer_id,
  answerTitle: r.answer_title,
  via: r.via as OfferVia,
  score: r.score,
  explanation: r.explanation,
  status: r.status as OfferStatus,
  offeredBy: r.offered_by,
  offeredAt: Number(r.offered_at),
  expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at === null ? null : Number(r.decided_at),
});

/** Fold grouped (answer, via, status, n) rows into per-answer outcomes, most used first. */
export function foldOutcomes(rows: readonly { answer_id: string; title: string; via: string; status: string; n: number }[]): AnswerOutcomes[] {
  const by = new Map<string, AnswerOutcomes>();
  for (const r of rows) {
    const o = by.get(r.answer_id) ?? { answerId: r.answer_id, title: r.title, offered: 0, solved: 0, needHelp: 0, expired: 0, pending: 0, sent: 0 };
    if (r.via === 'agent') o.sent += r.n;
    else {
      o.offered += r.n;
      if (r.status === 'solved') o.solved += r.n;
      else if (r.status === 'need_help') o.needHelp += r.n;
      else if (r.status === 'expired') o.expired += r.n;
      else if (r.status === 'pending') o.pending += r.n;
    }
    by.set(r.answer_id, o);
  }
  return [...by.values()].sort((a, b) => b.offered + b.sent - (a.offered + a.sent) || a.answerId.localeCompare(b.answerId));
}

export class KyselyOfferRepository implements OfferRepository {
  constructor(private readonly db: Kysely<StoreDb>) {}

  async recordDecision(d: DecisionRow): Promise<void> {
    await this.db
      .insertInto('knowledge_decisions')
      .values({ ticket_id: d.ticketId, offered: d.offered ? 1 : 0, declined: d.declined, answer_id: d.answerId, score: d.score, at: d.at })
      .onConflict((oc) => oc.column('ticket_id').doNothing())
      .execute();
  }

  async decision(ticketId: number): Promise<DecisionRow | null> {
    const r = await this.db.selectFrom('knowledge_decisions').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
    return r ? { ticketId: Number(r.ticket_id), offered: Number(r.offered) === 1, declined: r.declined, answerId: r.answer_id, score: r.score, at: Number(r.at) } : null;
  }

  async insert(o: NewOffer): Promise<Offer> {
    const r = await this.db
      .insertInto('knowledge_offers')
      .values({
        ticket_id: o.ticketId,
        answer_id: o.answerId,
        answer_title: o.answerTitle,
        via: o.via,
        score: o.score,
        explanation: o.explanation,
        status: o.status,
        offered_by: o.offeredBy,
        offered_at: o.offeredAt,
        expires_at: o.expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toOffer(r);
  }

  async get(id: number): Promise<Offer | null> {
    const r = await this.db.selectFrom('knowledge_offers').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toOffer(r) : null;
  }

  async forTicket(ticketId: number): Promise<Offer[]> {
    return (await this.db.selectFrom('knowledge_offers').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute()).map(toOffer);
  }

  async autoOffer(ticketId: number): Promise<Offer | null> {
    const r = await this.db.selectFrom('knowledge_offers').selectAll().where('ticket_id', '=', ticketId).where('via', '=', 'auto').executeTakeFirst();
    return r ? toOffer(r) : null;
  }

  async settle(id: number, from: OfferStatus, to: OfferStatus, by: string, at: number): Promise<boolean> {
    const r = await this.db.updateTable('knowledge_offers').set({ status: to, decided_by: by, decided_at: at }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
    return changed(r) > 0;
  }

  async expiring(now: number, limit = 500): Promise<number[]> {
    const rows = await this.db
      .selectFrom('knowledge_offers')
      .select('id')
      .where('status', '=', 'pending')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => Number(r.id));
  }

  async escalatedExcept(ticketId: number, rules: readonly string[]): Promise<boolean> {
    // The escalations table belongs to src/escalation (typed there when it moves to the port).
    const rows = (await sql<{ rule_id: string }>`SELECT rule_id FROM escalations WHERE ticket_id = ${ticketId}`.execute(this.db)).rows;
    return rows.some((r) => !rules.includes(r.rule_id));
  }

  async outcomes(from: number, to: number): Promise<AnswerOutcomes[]> {
    const rows = await this.db
      .selectFrom('knowledge_offers')
      .select((eb) => ['answer_id', eb.fn.max('answer_title').as('title'), 'via', 'status', eb.fn.countAll().as('n')])
      .where('offered_at', '>=', from)
      .where('offered_at', '<', to)
      .groupBy(['answer_id', 'via', 'status'])
      .execute();
    return foldOutcomes(rows.map((r) => ({ answer_id: r.answer_id, title: r.title, via: r.via, status: r.status, n: Number(r.n) })));
  }

  async periodCounts(from: number, to: number): Promise<KnowledgePeriodCounts> {
    const flag = (cond: ReturnType<typeof sql>) => sql<number>`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
    const r = await this.db
      .selectFrom('tickets as t')
      .select((eb) => [
        eb.fn.countAll().as('requests'),
        flag(sql`EXISTS (SELECT 1 FROM knowledge_decisions d WHERE d.ticket_id = t.id)`).as('decided'),
        flag(sql`EXISTS (SELECT 1 FROM knowledge_decisions d WHERE d.ticket_id = t.id AND d.offered = 1)`).as('offered'),
        flag(sql`EXISTS (SELECT 1 FROM knowledge_offers o WHERE o.ticket_id = t.id AND o.status = 'solved')`).as('deflected'),
      ])
      .where('t.created_at', '>=', from)
      .where('t.created_at', '<', to)
      .where('t.deleted', '=', 0)
      .executeTakeFirstOrThrow();
    return { requests: Number(r.requests), decided: Number(r.decided ?? 0), offered: Number(r.offered ?? 0), deflected: Number(r.deflected ?? 0) };
  }

  async gapRequests(from: number, to: number, reasons: readonly string[], limit: number): Promise<GapRequest[]> {
    if (reasons.length === 0) return [];
    const rows = await this.db
      .selectFrom('tickets as t')
      .select(['t.id', 't.key', 't.title', 't.text', 't.status', 't.resolved_at'])
      .where('t.created_at', '>=', from)
      .where('t.created_at', '<', to)
      .where('t.deleted', '=', 0)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('knowledge_decisions as d')
            .select(sql`1`.as('one'))
            .whereRef('d.ticket_id', '=', 't.id')
            .where('d.offered', '=', 0)
            .where('d.declined', 'in', [...reasons]),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('knowledge_offers as o')
              .select(sql`1`.as('one'))
              .whereRef('o.ticket_id', '=', 't.id')
              .where('o.via', '=', 'agent'),
          ),
        ),
      )
      .orderBy('t.created_at', 'desc')
      .orderBy('t.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), key: r.key, title: r.title, text: r.text, status: r.status, resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at) }));
  }
}

// ─── CSAT ─────────────────────────────────────────────────────────────────────────────────────

export class KyselyCsatRepository implements CsatRepository {
  constructor(private readonly db: Kysely<StoreDb>) {}

  async get(ticketId: number): Promise<CsatSurvey | null> {
    const r = await this.db.selectFrom('csat_surveys').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
    return r
      ? {
          ticketId: Number(r.ticket_id),
          requesterId: r.requester_id,
          askedAt: Number(r.asked_at),
          rating: r.rating,
          answeredAt: r.answered_at === null ? null : Number(r.answered_at),
          updatedAt: r.updated_at === null ? null : Number(r.updated_at),
        }
      : null;
  }

  async ask(ticketId: number, requesterId: string, at: number): Promise<void> {
    await this.db
      .insertInto('csat_surveys')
      .values({ ticket_id: ticketId, requester_id: requesterId, asked_at: at, rating: null, answered_at: null, updated_at: null })
      .onConflict((oc) =>
        oc.column('ticket_id').doUpdateSet((eb) => ({
          requester_id: eb.ref('excluded.requester_id'),
          asked_at: eb.ref('excluded.asked_at'),
          rating: null,
          answered_at: null,
          updated_at: null,
        })),
      )
      .execute();
  }

  async rate(ticketId: number, rating: number, at: number): Promise<void> {
    await this.db
      .updateTable('csat_surveys')
      .set((eb) => ({ rating, answered_at: eb.fn.coalesce('answered_at', sql<number>`${at}`), updated_at: at }))
      .where('ticket_id', '=', ticketId)
      .execute();
  }

  async counts(from: number, to: number): Promise<CsatCounts> {
    const r = await this.db
      .selectFrom('csat_surveys as s')
      .innerJoin('tickets as t', 't.id', 's.ticket_id')
      .select((eb) => [eb.fn.countAll().as('n'), sql<number | null>`SUM(CASE WHEN s.rating >= 4 THEN 1 ELSE 0 END)`.as('ok')])
      .where('s.answered_at', '>=', from)
      .where('s.answered_at', '<', to)
      .where('t.deleted', '=', 0)
      .executeTakeFirstOrThrow();
    return { responses: Number(r.n), satisfied: Number(r.ok ?? 0) };
  }
}
