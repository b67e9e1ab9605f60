/**
 * Runs triage over labelled lines and scores it: the configured triage as it is, a fresh
 * learner trained on a separate file, or k-fold cross-validation. Nothing is persisted.
 */
import type { FrontdeskConfig } from '../config/schema.js';
import { PRIORITIES, type Priority, type Signal } from '../domain/types.js';
import { type PartScore, scorePart, stratifiedFolds } from './eval.js';
import { guessLanguage } from './language.js';
import { Learner, type LearnerOptions } from './learner.js';
import { Triage, type TriageOptions } from './triage.js';

export interface EvalLine {
  text: string;
  category?: string;
  priority?: string;
  /** The channel the text arrived in (the file's "channel", else its "source"), if the file says. */
  channel?: string;
  /** Language of the text if the file says; otherwise guessed for the report. */
  lang?: string;
}

/** Accuracy per language (category and priority, over the lines that have the label). */
export interface LanguageScore {
  n: number;
  category_accuracy: number | null;
  priority_accuracy: number | null;
}

/** A wrong answer and the strongest signals behind it (for `--explain`). */
export interface EvalMiss {
  line: number;
  lang: string;
  text: string;
  gold: { category?: string; priority?: string };
  predicted: { category: string; priority: string };
  signals: string[];
}

/** Priority accuracy of the answers triage marked "low confidence" and of the others. */
export interface ConfidenceScore {
  low: { n: number; accuracy: number | null };
  confident: { n: number; accuracy: number | null };
}

/**
 * How well the urgent priorities (P0, P1) are found, over the lines whose label is one of them:
 * `exact` counts a P0 answered P0 and a P1 answered P1; `grouped` also a P0 answered P1 or the
 * reverse (either way the request surfaces as urgent). `precision` is the share of P0/P1 answers
 * whose label is P0 or P1. Null when no line is labelled urgent (precision: when none is answered so).
 */
export interface UrgentScore {
  support: number;
  exact_recall: number | null;
  grouped_recall: number | null;
  grouped_precision: number | null;
}

export interface EvalReport {
  n: number;
  category: PartScore | null;
  priority: PartScore | null;
  by_language: Record<string, LanguageScore>;
  /**
   * Whether "low confidence" on the card means something: priority accuracy with and without
   * it (lines with a priority label only; absent when none has one).
   */
  priority_confidence?: ConfidenceScore;
  /** P0+P1 recall, exact and grouped (lines with a priority label only; absent when none has one). */
  priority_urgent?: UrgentScore;
  /** Wrong answers with their signals (only when asked for). */
  misses?: EvalMiss[];
}

export interface FreshOptions {
  /** Use the built-in and config rules next to the fresh learner (default true). */
  rules?: boolean;
  seed?: number;
  /** Override RULE_EVIDENCE (for experiments). */
  ruleEvidence?: number;
  /** Override PRIORITY_RULE_EVIDENCE (for experiments). */
  priorityEvidence?: number;
  /** Override OWN_RULE_EVIDENCE (for experiments; the training lines are the desk's own history). */
  ownRuleEvidence?: number;
  /** Override OWN_PRIORITY_EVIDENCE (for experiments). */
  ownPriorityEvidence?: number;
  /** Override learner options (for experiments). */
  learner?: Partial<LearnerOptions>;
  /** List wrong answers with their top signals. */
  explain?: boolean;
}

type Prediction = { category: string; priority: string; signals?: Signal[]; lowConfidence?: boolean };
type Predict = (text: string, channel?: string) => Prediction;

/** How many signals `--explain` shows per wrong field of a wrong answer. */
const EXPLAIN_SIGNALS = 4;

/**
 * Score `predict` on the lines; a field no line has gives null. With `explain`, the report
 * lists every wrong answer with the top signals behind it.
 */
export function scoreLines(lines: readonly EvalLine[], predict: Predict, categoryOrder: readonly string[] = [], explain = false): EvalReport {
  const cg: string[] = [];
  const cp: string[] = [];
  const pg: string[] = [];
  const pp: string[] = [];
  const langs: Record<string, { n: number; c: number; cn: number; p: number; pn: number }> = {};
  const misses: EvalMiss[] = [];
  const conf = { low: 0, lowRight: 0, sure: 0, sureRight: 0 };
  lines.forEach((l, i) => {
    const r = predict(l.text, l.channel);
    const lang = l.lang ?? guessLanguage(l.text);
    const s = langs[lang] ?? { n: 0, c: 0, cn: 0, p: 0, pn: 0 };
    langs[lang] = s;
    s.n++;
    let wrong = false;
    if (l.category !== undefined) {
      cg.push(l.category);
      cp.push(r.category);
      s.cn++;
      if (l.category === r.category) s.c++;
      else wrong = true;
    }
    if (l.priority !== undefined) {
      pg.push(l.priority);
      pp.push(r.priority);
      s.pn++;
      const right = l.priority === r.priority;
      if (right) s.p++;
      else wrong = true;
      if (r.lowConfidence) {
        conf.low++;
        if (right) conf.lowRight++;
      } else {
        conf.sure++;
        if (right) conf.sureRight++;
      }
    }
    if (explain && wrong) {
      const gold: EvalMiss['gold'] = {};
      if (l.category !== undefined) gold.category = l.category;
      if (l.priority !== undefined) gold.priority = l.priority;
      misses.push({ line: (l as { line?: number }).line ?? i + 1, lang, text: l.text.length > 200 ? `${l.text.slice(0, 199)}…` : l.text, gold, predicted: { category: r.category, priority: r.priority }, signals: topSignals(r.signals ?? [], gold, r) });
    }
  });
  const by_language: Record<string, LanguageScore> = {};
  for (const lang of Object.keys(langs).sort()) {
    const s = langs[lang]!;
    by_language[lang] = { n: s.n, category_accuracy: s.cn ? s.c / s.cn : null, priority_accuracy: s.pn ? s.p / s.pn : null };
  }
  const report: EvalReport = {
    n: lines.length,
    category: cg.length ? scorePart(cg, cp, categoryOrder) : null,
    priority: pg.length ? scorePart(pg, pp, PRIORITIES) : null,
    by_language,
  };
  if (pg.length)
    report.priority_confidence = {
      low: { n: conf.low, accuracy: conf.low ? conf.lowRight / conf.low : null },
      confident: { n: conf.sure, accuracy: conf.sure ? conf.sureRight / conf.sure : null },
    };
  if (pg.length) report.priority_urgent = urgentScore(pg, pp);
  if (explain) report.misses = misses;
  return report;
}

const URGENT = new Set<string>(['P0', 'P1']);

/**
 * P0+P1 recall (exact and grouped) and grouped precision of priority answers `pred` against `gold`.
 * @example urgentScore(['P0', 'P1', 'P2'], ['P1', 'P1', 'P0']) // exact 0.5, grouped 1, precision 2/3
 */
export function urgentScore(gold: readonly string[], pred: readonly string[]): UrgentScore {
  let support = 0;
  let exact = 0;
  let grouped = 0;
  let flagged = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = URGENT.has(gold[i]!);
    const p = URGENT.has(pred[i]!);
    if (p) flagged++;
    if (!g) continue;
    support++;
    if (gold[i] === pred[i]) exact++;
    if (p) grouped++;
  }
  return {
    support,
    exact_recall: support ? exact / support : null,
    grouped_recall: support ? grouped / support : null,
    grouped_precision: flagged ? grouped / flagged : null,
  };
}

/** The signals behind the wrong field(s), strongest first, as "kind=value: label [source]". */
function topSignals(signals: Signal[], gold: EvalMiss['gold'], r: Prediction): string[] {
  const kinds = new Set<string>();
  if (gold.category !== undefined && gold.category !== r.category) kinds.add('category');
  if (gold.priority !== undefined && gold.priority !== r.priority) kinds.add('priority');
  return [...kinds].flatMap((kind) =>
    signals
      .filter((s) => s.kind === kind)
      .sort((a, b) => (b.weight ?? 1) - (a.weight ?? 1))
      .slice(0, EXPLAIN_SIGNALS)
      .map((s) => `${s.kind}=${s.value ?? ''}: ${s.label} [${s.source}]`),
  );
}

/** Score the configured triage (rules + its learner) as it is. */
export function evaluateTriage(triage: Triage, lines: readonly EvalLine[], explain = false): EvalReport {
  return scoreLines(lines, (text, channel) => triage.classify(channel === undefined ? { text } : { text, channelId: channel }), triage.categories, explain);
}

/**
 * A triage with a fresh learner trained on `train` only. Categories are limited to those seen
 * in `train` (all configured ones if it has none); priorities are clamped to the seen ones.
 */
export function freshTriage(config: FrontdeskConfig, train: readonly EvalLine[], opts: FreshOptions = {}): Predict {
  const seenCats = new Set(train.flatMap((l) => (l.category === undefined ? [] : [l.category])));
  const categories = seenCats.size
    ? [...config.categories.filter((c) => seenCats.has(c)), ...[...seenCats].filter((c) => !config.categories.includes(c)).sort()]
    : [...config.categories];
  const rules = opts.rules ?? true;
  const cfg: FrontdeskConfig = {
    ...config,
    categories,
    triage: { ...config.triage, learner: true, builtInRules: rules && config.triage.builtInRules, rules: rules ? config.triage.rules : [] },
  };
  const lo: Partial<LearnerOptions> = { ...opts.learner };
  if (opts.seed !== undefined) {
    lo.category = { ...lo.category, seed: opts.seed };
    lo.priority = { ...lo.priority, seed: opts.seed };
  }
  const learner = new Learner(categories, lo);
  learner.train(train);
  const topts: TriageOptions = { learner };
  if (opts.ruleEvidence !== undefined) topts.ruleEvidence = opts.ruleEvidence;
  if (opts.priorityEvidence !== undefined) topts.priorityEvidence = opts.priorityEvidence;
  if (opts.ownRuleEvidence !== undefined) topts.ownRuleEvidence = opts.ownRuleEvidence;
  if (opts.ownPriorityEvidence !== undefined) topts.ownPriorityEvidence = opts.ownPriorityEvidence;
  const triage = new Triage(cfg, topts);
  const seenPri = PRIORITIES.filter((p) => train.some((l) => l.priority === p));
  return (text, channel) => {
    const r = triage.classify(channel === undefined ? { text } : { text, channelId: channel });
    return { category: r.category, priority: seenPri.length ? clamp(r.priority, seenPri) : r.priority, signals: r.signals, lowConfidence: r.lowConfidence };
  };
}

/** The seen priority nearest to p (ties go to the more urgent one). */
function clamp(p: Priority, seen: readonly Priority[]): Priority {
  if (seen.includes(p)) return p;
  const r = PRIORITIES.indexOf(p);
  let best = seen[0]!;
  for (const s of seen) if (Math.abs(PRIORITIES.indexOf(s) - r) < Math.abs(PRIORITIES.indexOf(best) - r)) best = s;
  return best;
}

/** Train a fresh learner on `train`, score on `test`. */
export function trainAndEvaluate(config: FrontdeskConfig, train: readonly EvalLine[], test: readonly EvalLine[], opts: FreshOptions = {}): EvalReport {
  return scoreLines(test, freshTriage(config, train, opts), categoryOrder(config, train), opts.explain);
}

/**
 * k-fold cross-validation: stratified (by category, else priority), seeded; a fresh learner per
 * fold; out-of-fold predictions are scored together.
 */
export function crossValidate(config: FrontdeskConfig, lines: readonly EvalLine[], k: number, opts: FreshOptions = {}): EvalReport {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`folds must be an integer of at least 2, got ${k}`);
  const folds = stratifiedFolds(
    lines.map((l) => l.category ?? l.priority),
    k,
    opts.seed ?? 42,
  );
  const preds: Prediction[] = new Array(lines.length);
  for (let f = 0; f < k; f++) {
    const train = lines.filter((_, i) => folds[i] !== f);
    const predict = freshTriage(config, train, opts);
    lines.forEach((l, i) => {
      if (folds[i] === f) preds[i] = predict(l.text, l.channel);
    });
  }
  let i = 0;
  return scoreLines(lines, () => preds[i++]!, categoryOrder(config, lines), opts.explain);
}

function categoryOrder(config: FrontdeskConfig, lines: readonly EvalLine[]): string[] {
  const seen = new Set(lines.flatMap((l) => (l.category === undefined ? [] : [l.category])));
  return [...config.categories, ...[...seen].filter((c) => !config.categories.includes(c)).sort()];
}
