/**
 * The digest's known-answers figures (kept apart from build-digest.ts so the sections merge
 * cleanly with other digest work). Definitions, over the requests created in [from, to):
 * - requests: new tickets; deflected: those resolved because the customer said an offered known
 *   answer solved it; deflection rate = deflected / requests.
 * - helpfulness per answer: of the automatic offers made in the period, how many the customer
 *   said solved it, still needed help, or left unanswered (expired); plus how often agents sent it.
 * - failing answers: offered at least twice, failed (still need help + no reply) at least twice
 *   and more often than they solved it.
 * - documentation gaps: requests for which no known answer came close (no match, below the
 *   threshold, wrong category, ambiguous) and no agent sent one; similar ones are clustered, each
 *   cluster with an example request and the ticket whose resolution note would start an answer.
 * Null when the feature did nothing in the period (no decisions, no offers), so digests of desks
 * without known answers are unchanged.
 */
import type { AnswerOutcomes, GapRequest, KnowledgePeriodCounts, OfferRepository } from '../ports/store-knowledge.js';
import type { Db } from '../store/db.js';
import { OffersRepo } from '../store/offers-repo.js';
import { clusterTexts } from '../escalation/similarity.js';
import { shorten } from '../util/text.js';

/** Why a request counts as a documentation gap (match.ts DeclineReason values). */
export const GAP_REASONS = ['no_match', 'below_threshold', 'category', 'ambiguous'] as const;

export interface FailingAnswer {
  answerId: string;
  title: string;
  offered: number;
  failed: number;
  solved: number;
}

export interface GapCluster {
  keys: string[];
  words: string[];
  /** One request of the cluster (its title: the customer's words, for leads only). */
  example: { key: string; title: string };
  /** The ticket whose resolution note pre-fills "Write an answer": the latest resolved one, else the latest. */
  writeFrom: string;
}

export interface KnowledgeFigures {
  requests: number;
  deflected: number;
  /** deflected / requests, or null without requests. */
  deflectionRate: number | null;
  /** Requests offered a known answer automatically. */
  offered: number;
  /** Per answer, most used first (at most 10). */
  answers: AnswerOutcomes[];
  failing: FailingAnswer[];
  gaps: { count: number; clusters: GapCluster[] };
}

export interface KnowledgeFigureOptions {
  /** Smallest gap cluster shown (default 2). */
  gapClusterMin?: number;
  /** Most recent gap requests considered (default 1000). */
  gapScan?: number;
}

/** What the figures are computed from (the store's queries; see OfferRepository). */
interface FigureInputs {
  counts: KnowledgePeriodCounts;
  answers: AnswerOutcomes[];
  gapRows: GapRequest[];
}

/**
 * Compute the known-answers figures of a period (the digest is synchronous for now: this reads
 * through the synchronous repository on the app's connection).
 * @example buildKnowledgeFigures(db, period.from, period.to)?.deflectionRate // 0.4
 */
export function buildKnowledgeFigures(db: Db, from: number, to: number, opts: KnowledgeFigureOptions = {}): KnowledgeFigures | null {
  const repo = new OffersRepo(db);
  const counts = repo.periodCounts(from, to);
  const answers = repo.outcomes(from, to);
  if (counts.decided === 0 && answers.length === 0) return null;
  return figuresFrom({ counts, answers, gapRows: repo.gapRequests(from, to, GAP_REASONS, opts.gapScan ?? 1000) }, opts);
}

/**
 * The same figures through the store port (either engine).
 * @example await knowledgeFigures(core.store.offers, period.from, period.to)
 */
export async function knowledgeFigures(offers: OfferRepository, from: number, to: number, opts: KnowledgeFigureOptions = {}): Promise<KnowledgeFigures | null> {
  const counts = await offers.periodCounts(from, to);
  const answers = await offers.outcomes(from, to);
  if (counts.decided === 0 && answers.length === 0) return null;
  return figuresFrom({ counts, answers, gapRows: await offers.gapRequests(from, to, GAP_REASONS, opts.gapScan ?? 1000) }, opts);
}

function figuresFrom({ counts, answers, gapRows }: FigureInputs, opts: KnowledgeFigureOptions): KnowledgeFigures {
  const { requests, deflected, offered } = counts;
  const failing: FailingAnswer[] = answers
    .map((a) => ({ answerId: a.answerId, title: a.title, offered: a.offered, failed: a.needHelp + a.expired, solved: a.solved }))
    .filter((a) => a.offered >= 2 && a.failed >= 2 && a.failed > a.solved)
    .sort((a, b) => b.failed - a.failed || a.answerId.localeCompare(b.answerId));

  const byId = new Map(gapRows.map((r) => [r.id, r]));
  const clusters: GapCluster[] = clusterTexts(
    [...gapRows].reverse().map((r) => ({ id: r.id, text: `${r.title}\n${shorten(r.text, 500, '')}` })),
    opts.gapClusterMin ?? 2,
  )
    .slice(0, 5)
    .map((c) => {
      const rows = c.ids.map((id) => byId.get(id)!);
      const resolved = rows.filter((r) => r.resolvedAt !== null).sort((a, b) => b.resolvedAt! - a.resolvedAt! || b.id - a.id);
      const latest = [...rows].sort((a, b) => b.id - a.id)[0]!;
      return { keys: rows.map((r) => r.key), words: c.words.slice(0, 4), example: { key: rows[0]!.key, title: rows[0]!.title }, writeFrom: (resolved[0] ?? latest).key };
    });

  return {
    requests,
    deflected,
    deflectionRate: requests > 0 ? deflected / requests : null,
    offered,
    answers: answers.slice(0, 10),
    failing,
    gaps: { count: gapRows.length, clusters },
  };
}
