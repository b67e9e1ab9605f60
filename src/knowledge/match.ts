/**
 * Deciding whether a request gets a known answer, and explaining why. Lexical relevance
 * (FTS5 bm25 over normalised terms, normalised to 0..1, plus how much of the request the answer
 * covers and how much of the answer's title the request names) must clear a threshold (per
 * category), the triage category must agree, and the best answer must lead the next one.
 * Never for P0/P1 or security requests: those always go to a person.
 */
import type { FrontdeskConfig } from '../config/schema.js';
import type { Priority } from '../domain/types.js';
import { type Answer, type IndexedAnswer, publicAnswer } from '../ports/store-knowledge.js';
import type { KnowledgeRepo } from '../store/knowledge-repo.js';
import { TROUBLE_TERMS, contentTerms, malfunction, termsWithWords } from './terms.js';

/** What triage said about a request (TriageResult fits, plus the security flag). */
export interface TriageFacts {
  category: string;
  priority: Priority;
  /** Security or another escalation keyword: never answered automatically. */
  security: boolean;
}

export type MatchOptions = FrontdeskConfig['knowledge']['match'];

/** One scored answer for a request. */
export interface Candidate {
  answer: Answer;
  /** 0..1: the combination the threshold applies to. */
  score: number;
  /** bm25, normalised to 0..1. */
  relevance: number;
  /** Share of the request's (weighted) terms the answer contains. */
  coverage: number;
  /** The most of one of the answer's key phrases (its title or one tag) the request names, weighted. */
  titleCoverage: number;
  /** The request names the whole title or a whole tag of two or more terms. */
  namesKeyPhrase: boolean;
  /** The request's words that the answer shares. */
  matched: string[];
  /** Problem words in the request ("stuck", "error") that the answer does not mention. */
  trouble: string[];
}

export type DeclineReason = 'empty' | 'priority' | 'security' | 'no_match' | 'category' | 'below_threshold' | 'ambiguous';

/** The decision for one request, with a human explanation for the internal card. */
export interface MatchDecision {
  offer: boolean;
  /** The best compatible answer (offered or not), if any. */
  answer: Answer | null;
  score: number;
  threshold: number | null;
  declined: DeclineReason | null;
  /** E.g. `matched "reset", "password" in "How to reset your password"; category access agrees`. */
  explanation: string;
  /** The top candidates, best first (for "agents see suggestions too"). */
  candidates: Candidate[];
}

/** Weights of the three parts of the score (they sum to 1). */
export const SCORE_WEIGHTS = { relevance: 0.25, coverage: 0.35, titleCoverage: 0.4 } as const;
/** A request word found only in an answer's body counts this much towards coverage (title and tags: 1). */
export const BODY_MATCH = 0.6;
/** Score taken off per problem word the answer does not mention (at most two). */
export const TROUBLE_PENALTY = 0.1;
/** bm25 score at which normalised relevance is 0.5. */
export const BM25_HALF = 4;
/** How many full-text candidates are scored. */
export const CANDIDATES = 10;

const NEVER_PRIORITIES: readonly Priority[] = ['P0', 'P1'];

const quote = (ws: string[]) => ws.map((w) => `"${w}"`).join(', ');
const round = (x: number) => Math.round(x * 1000) / 1000;

/** Whole-word, case-insensitive phrase test (same as the escalation keywords). */
function hasPhrase(text: string, phrase: string): boolean {
  const esc = phrase.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${esc}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
}

/**
 * Triage facts for matching: the security flag is set for the security category and for any
 * escalation keyword (config `escalation.rules` with trigger `keywords`) in the text.
 * @example triageFacts(config, text, triage.classify({ text }))
 */
export function triageFacts(config: FrontdeskConfig, text: string, t: { category: string; priority: Priority }): TriageFacts {
  const keywords = config.escalation.rules.filter((r) => r.trigger === 'keywords').flatMap((r) => r.keywords ?? []);
  return { category: t.category, priority: t.priority, security: t.category === 'security' || keywords.some((k) => hasPhrase(text, k)) };
}

/**
 * Scores requests against the knowledge base. Corpus statistics are cached per knowledge
 * version, so answers added by another process are seen at the next call.
 * @example
 * const m = new AnswerMatcher(kb.repo, config.knowledge.match);
 * const d = m.decide('How do I reset my password?', { category: 'access', priority: 'P3', security: false });
 * if (d.offer) post(d.answer) // internal card: d.explanation
 */
export class AnswerMatcher {
  private stats: { version: number; n: number; df: Map<string, number> } | null = null;

  constructor(
    private readonly repo: KnowledgeRepo,
    readonly options: MatchOptions,
  ) {}

  private idf(): (term: string) => number {
    const version = this.repo.version();
    if (!this.stats || this.stats.version !== version) this.stats = { version, ...this.repo.documentFrequencies() };
    const { n, df } = this.stats;
    const w = (d: number) => Math.log(1 + (n - d + 0.5) / (d + 0.5));
    const unknown = w(1);
    return (t) => {
      const d = df.get(t);
      return d === undefined ? unknown : w(d);
    };
  }

  /** The best-scoring answers for a text (no decision), best first. */
  candidates(text: string, limit = 5): Candidate[] {
    const q = termsWithWords(text);
    if (q.length === 0) return [];
    const hits = this.repo.search(
      q.map((x) => x.term),
      CANDIDATES,
    );
    if (hits.length === 0) return [];
    const idf = this.idf();
    const qWeight = q.reduce((s, x) => s + idf(x.term), 0);
    const out = hits.map(({ answer, bm25 }) => this.score(answer, -bm25, q, qWeight, idf));
    out.sort((a, b) => b.score - a.score || a.answer.id.localeCompare(b.answer.id));
    return out.slice(0, limit);
  }

  private score(a: IndexedAnswer, s: number, q: { term: string; word: string }[], qWeight: number, idf: (t: string) => number): Candidate {
    const terms = new Set(a.terms);
    const head = new Set(a.titleTerms);
    const shared = q.filter((x) => terms.has(x.term));
    const coverage = qWeight > 0 ? shared.reduce((sum, x) => sum + idf(x.term) * (head.has(x.term) ? 1 : BODY_MATCH), 0) / qWeight : 0;
    const trouble = q.filter((x) => TROUBLE_TERMS.has(x.term) && !terms.has(x.term)).map((x) => x.word);
    const qTerms = new Set(q.map((x) => x.term));
    let titleCoverage = 0;
    let namesKeyPhrase = false;
    for (const phrase of [a.title, ...a.tags]) {
      const pt = contentTerms(phrase);
      const w = pt.reduce((sum, t) => sum + idf(t), 0);
      if (w > 0) titleCoverage = Math.max(titleCoverage, pt.filter((t) => qTerms.has(t)).reduce((sum, t) => sum + idf(t), 0) / w);
      if (pt.length >= 2 && pt.every((t) => qTerms.has(t))) namesKeyPhrase = true;
    }
    const relevance = s > 0 ? s / (s + BM25_HALF) : 0;
    const score = Math.max(
      0,
      SCORE_WEIGHTS.relevance * relevance + SCORE_WEIGHTS.coverage * coverage + SCORE_WEIGHTS.titleCoverage * titleCoverage - TROUBLE_PENALTY * Math.min(2, trouble.length),
    );
    return {
      answer: publicAnswer(a),
      score: round(score),
      relevance: round(relevance),
      coverage: round(coverage),
      titleCoverage: round(titleCoverage),
      namesKeyPhrase,
      matched: shared.map((x) => x.word),
      trouble,
    };
  }

  /**
   * Decide whether to offer a known answer for a request, given its triage.
   * Never offers for P0/P1 or security; the category must agree (or be neutral, with a margin).
   */
  decide(text: string, facts: TriageFacts): MatchDecision {
    const o = this.options;
    const none = (declined: DeclineReason, explanation: string, candidates: Candidate[] = [], best: Candidate | null = null, threshold: number | null = null): MatchDecision => ({
      offer: false,
      answer: best?.answer ?? null,
      score: best?.score ?? 0,
      threshold,
      declined,
      explanation,
      candidates,
    });
    if (NEVER_PRIORITIES.includes(facts.priority)) return none('priority', `${facts.priority} requests always go to a person; no known answer is offered`);
    if (facts.security) return none('security', 'security-related requests always go to a person; no known answer is offered');
    if (!text.trim()) return none('empty', 'the request has no text');
    const all = this.candidates(text, CANDIDATES);
    if (all.length === 0) return none('no_match', 'no known answer shares words with the request');
    // Naming an answer's whole title or key phrase outweighs a triage category that disagrees.
    const agreementOf = (c: Candidate): 'agrees' | 'neutral' | 'disagrees' =>
      c.answer.category === facts.category
        ? 'agrees'
        : c.answer.category === null || o.neutralCategories.includes(facts.category) || c.namesKeyPhrase
          ? 'neutral'
          : 'disagrees';
    const extra = { agrees: 0, neutral: o.neutralMargin, disagrees: o.disagreeMargin };
    // A request reporting a malfunction ("never arrives", "error") rather than asking how to do
    // something needs more agreement from an answer that does not mention the problem.
    const broken = malfunction(text);
    const unaddressed = (c: Candidate) => broken.length > 0 && (c.trouble.length > 0 || broken.some((w) => !TROUBLE_TERMS.has(contentTerms(w)[0] ?? '')));
    const malfunctionExtra = (c: Candidate) => (unaddressed(c) ? o.malfunctionMargin : 0);
    // Rank by how far each answer clears its own threshold (category agreement raises the bar).
    const thresholdOf = (c: Candidate) =>
      round(((c.answer.category === null ? undefined : o.categoryThresholds[c.answer.category]) ?? o.threshold) + extra[agreementOf(c)] + malfunctionExtra(c));
    const ranked = all.filter((c) => thresholdOf(c) <= 1).sort((a, b) => b.score - thresholdOf(b) - (a.score - thresholdOf(a)));
    const top = all[0]!;
    if (ranked.length === 0)
      return none('category', `best match "${top.answer.title}" is about ${top.answer.category}, but the request looks like ${facts.category}`, all.slice(0, 5), top);
    const best = ranked[0]!;
    const threshold = thresholdOf(best);
    const ag = agreementOf(best);
    const agreement =
      ag === 'agrees'
        ? `category ${facts.category} agrees`
        : ag === 'disagrees'
          ? `category ${facts.category} disagrees (answer is ${best.answer.category}), so it needs ${o.disagreeMargin.toFixed(2)} more`
          : best.answer.category && best.namesKeyPhrase && !o.neutralCategories.includes(facts.category)
            ? `category ${facts.category} differs (answer is ${best.answer.category}), but the request names the answer's key phrase`
            : best.answer.category
            ? `category ${facts.category} is neutral (answer is ${best.answer.category})`
            : 'the answer has no category';
    const troubled = unaddressed(best)
      ? `; the request reports a malfunction (${quote(best.trouble.length ? best.trouble : broken)}) the answer does not mention, so it needs ${o.malfunctionMargin.toFixed(2)} more`
      : best.trouble.length
        ? `; the request reports a problem (${quote(best.trouble)}) the answer does not mention`
        : '';
    const what = `matched ${quote(best.matched)} in "${best.answer.title}"; ${agreement}${troubled}`;
    const figures = `score ${best.score.toFixed(2)}`;
    if (best.score < threshold) return none('below_threshold', `${what}, but ${figures} is below ${threshold.toFixed(2)}`, all.slice(0, 5), best, threshold);
    const next = ranked[1];
    if (next && best.score - thresholdOf(best) - (next.score - thresholdOf(next)) < o.minLead)
      return none('ambiguous', `${what}, but "${next.answer.title}" matches almost as well (${figures} vs ${next.score.toFixed(2)})`, all.slice(0, 5), best, threshold);
    return { offer: true, answer: best.answer, score: best.score, threshold, declined: null, explanation: `${what} (${figures} ≥ ${threshold.toFixed(2)})`, candidates: all.slice(0, 5) };
  }
}
