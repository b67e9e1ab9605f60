/**
 * The store port for known answers and customer satisfaction: the team's answers (read from
 * Markdown folders or saved in chat) with their full-text search, the files already read, what
 * the matcher decided for each new request, the answers offered to customers and what came of
 * them, CSAT surveys, and the digest's figures over them. Async, the same on every engine
 * (tests/contract/store-knowledge-contract.ts runs on SQLite and PostgreSQL).
 *
 * The matching terms of an answer are computed by the caller (src/knowledge/terms.ts); the store
 * keeps and indexes them. Full-text search is its own port (`AnswerSearch`), like similar tickets:
 * FTS5 + bm25 on SQLite; on PostgreSQL a GIN index on the terms finds the candidates and they are
 * scored with the same bm25 as FTS5 (k1 1.2, b 0.75, title and tags weigh 3, the whole answer 1),
 * so the matcher decides the same on both engines.
 */

// ─── answers ──────────────────────────────────────────────────────────────────────────────────

export type AnswerSource = 'folder' | 'saved';

/** A stored known answer: text the team wrote. */
export interface Answer {
  id: string;
  title: string;
  body: string;
  category: string | null;
  tags: string[];
  source: AnswerSource;
  /** Folder answers: the folder and the file (relative to it) they were read from. */
  root: string | null;
  path: string | null;
  /** Saved from a resolved ticket (its database id). */
  ticketId: number | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

/** An answer's normalised matching terms: all its text, and its title with its tags. */
export interface AnswerTerms {
  terms: string[];
  titleTerms: string[];
}

/** An answer with its matching terms (for scoring). */
export interface IndexedAnswer extends Answer, AnswerTerms {}

/** Computes the matching terms of an answer (src/knowledge/terms.ts `answerTerms`). */
export type TermsOf = (title: string, tags: readonly string[], body: string) => AnswerTerms;

export interface AnswerInput {
  id: string;
  title: string;
  body: string;
  category: string | null;
  /** Whitespace is collapsed and empty tags dropped on write. */
  tags: string[];
  source: AnswerSource;
  root?: string | null;
  path?: string | null;
  ticketId?: number | null;
  createdBy?: string | null;
}

/** A folder file already read (a refresh re-reads only what changed). */
export interface FileState {
  path: string;
  mtimeMs: number;
  size: number;
  hash: string;
  /** Why the file's (new) content was not used, if so. */
  problem: string | null;
}

/** Strip the matching-only fields. */
export function publicAnswer(a: IndexedAnswer): Answer {
  const { terms: _t, titleTerms: _tt, ...rest } = a;
  return rest;
}

export interface KnowledgeRepository {
  get(id: string): Promise<IndexedAnswer | null>;
  /** Every answer, by id. */
  list(): Promise<IndexedAnswer[]>;
  count(): Promise<number>;
  /** Answers read from one file of a folder, in the order they were stored. */
  ofFile(root: string, path: string): Promise<IndexedAnswer[]>;
  /** Insert or replace (by id) an answer with its matching terms; created_at stays on replace. */
  put(a: AnswerInput & AnswerTerms, now: number): Promise<void>;
  /**
   * Recompute every answer's stored terms with `termsOf` in one transaction (its own, or the
   * caller's inside `store.tx`); only rows whose terms changed are written. Returns how many were.
   */
  reindex(termsOf: TermsOf): Promise<number>;
  delete(id: string): Promise<boolean>;
  /** Has an answer been saved from this ticket's resolution? */
  savedFrom(ticketId: number): Promise<boolean>;
  /** Files of a folder already read, by path. */
  files(root: string): Promise<Map<string, FileState>>;
  /** Folders that files were read from. */
  roots(): Promise<string[]>;
  putFile(root: string, f: FileState): Promise<void>;
  /** Forget a file and remove its answers. */
  deleteFile(root: string, path: string): Promise<void>;
  /** Changes whenever any answer is added, changed or removed (by any process or replica). */
  version(): Promise<number>;
  /** Number of answers (n) and, per matching term, how many answers contain it. */
  documentFrequencies(): Promise<{ n: number; df: Map<string, number> }>;
}

/** A full-text candidate with its bm25 (negative; lower is better, as FTS5 reports it). */
export interface AnswerHit {
  answer: IndexedAnswer;
  bm25: number;
}

/** Full-text search over the answers' normalised terms (FTS5 on SQLite, tsvector + GIN on PostgreSQL). */
export interface AnswerSearch {
  /** Answers containing any of the terms, best bm25 first (ties: oldest answer first). */
  search(terms: readonly string[], limit: number): Promise<AnswerHit[]>;
}

// ─── answers in the ticket flow ───────────────────────────────────────────────────────────────

export type OfferStatus = 'pending' | 'solved' | 'need_help' | 'expired' | 'sent';
export type OfferVia = 'auto' | 'agent';

/** One known answer that went to a customer. */
export interface Offer {
  id: number;
  ticketId: number;
  answerId: string;
  answerTitle: string;
  via: OfferVia;
  score: number | null;
  explanation: string;
  status: OfferStatus;
  offeredBy: string;
  offeredAt: number;
  expiresAt: number | null;
  decidedBy: string | null;
  decidedAt: number | null;
}

export type NewOffer = Omit<Offer, 'id' | 'decidedBy' | 'decidedAt'>;

/** What the matcher said about a new request. */
export interface DecisionRow {
  ticketId: number;
  offered: boolean;
  declined: string | null;
  answerId: string | null;
  score: number;
  at: number;
}

/** Per-answer outcome of the offers made in a period. */
export interface AnswerOutcomes {
  answerId: string;
  title: string;
  /** Automatic offers, and of those: */
  offered: number;
  solved: number;
  needHelp: number;
  expired: number;
  pending: number;
  /** Sent by agents. */
  sent: number;
}

/** Counts over the requests (non-deleted tickets) created in a period. */
export interface KnowledgePeriodCounts {
  requests: number;
  /** Requests the matcher decided for. */
  decided: number;
  /** Requests offered an answer automatically. */
  offered: number;
  /** Requests where the customer said an offered answer solved it. */
  deflected: number;
}

/** A documentation gap: a request no known answer came close to and no agent sent one for. */
export interface GapRequest {
  id: number;
  key: string;
  title: string;
  text: string;
  status: string;
  resolvedAt: number | null;
}

export interface OfferRepository {
  /** Record what the matcher said about a new request (once per ticket: later calls do nothing). */
  recordDecision(d: DecisionRow): Promise<void>;
  decision(ticketId: number): Promise<DecisionRow | null>;
  /** Throws when the ticket already has an automatic offer (one per ticket). */
  insert(o: NewOffer): Promise<Offer>;
  get(id: number): Promise<Offer | null>;
  /** A ticket's offers, oldest first. */
  forTicket(ticketId: number): Promise<Offer[]>;
  /** The automatic offer of a ticket, if any. */
  autoOffer(ticketId: number): Promise<Offer | null>;
  /** Move an offer from `from` to `to`; false when it was no longer in `from` (someone else decided first). */
  settle(id: number, from: OfferStatus, to: OfferStatus, by: string, at: number): Promise<boolean>;
  /** Ids of pending offers whose wait is over at `now`, soonest first. */
  expiring(now: number, limit?: number): Promise<number[]>;
  /**
   * Was an escalation prompt raised for this ticket other than by the given rules (cluster rules
   * do not count: many people asking the same known question is what answers are for)?
   */
  escalatedExcept(ticketId: number, rules: readonly string[]): Promise<boolean>;
  /** Outcomes per answer of the offers made in [from, to), most used first. */
  outcomes(from: number, to: number): Promise<AnswerOutcomes[]>;
  /** The digest's counts over the requests created in [from, to). */
  periodCounts(from: number, to: number): Promise<KnowledgePeriodCounts>;
  /**
   * Requests created in [from, to) declined for one of `reasons` with no answer sent by an
   * agent, newest first.
   */
  gapRequests(from: number, to: number, reasons: readonly string[], limit: number): Promise<GapRequest[]>;
}

// ─── customer satisfaction ────────────────────────────────────────────────────────────────────

export interface CsatSurvey {
  ticketId: number;
  requesterId: string;
  askedAt: number;
  rating: number | null;
  /** First answer of this survey (the change window starts here), null while unanswered. */
  answeredAt: number | null;
  updatedAt: number | null;
}

/** Ratings in a period: how many answered, how many were 4–5. */
export interface CsatCounts {
  responses: number;
  satisfied: number;
}

export interface CsatRepository {
  get(ticketId: number): Promise<CsatSurvey | null>;
  /** Start (or restart) the survey for a ticket: any earlier answer is cleared from the current state. */
  ask(ticketId: number, requesterId: string, at: number): Promise<void>;
  /** Store a rating; the first answer's time is kept so the change window does not move. */
  rate(ticketId: number, rating: number, at: number): Promise<void>;
  /** Answers whose first answer fell in [from, to) (current ratings of non-deleted tickets). */
  counts(from: number, to: number): Promise<CsatCounts>;
}
