/**
 * Runs triage over labelled lines and scores it: the configured triage as it is, a fresh
 * learner trained on a separate file, or k-fold cross-validation. Nothing is persisted.
 */
import type { FrontdeskConfig } from '../config/schema.js';
import { PRIORITIES, type Priority } from '../domain/types.js';
import { type PartScore, scorePart, stratifiedFolds } from './eval.js';
import { Learner, type LearnerOptions } from './learner.js';
import { Triage, type TriageOptions } from './triage.js';

export interface EvalLine {
  text: string;
  category?: string;
  priority?: string;
}

export interface EvalReport {
  n: number;
  category: PartScore | null;
  priority: PartScore | null;
}

export interface FreshOptions {
  /** Use the built-in and config rules next to the fresh learner (default true). */
  rules?: boolean;
  seed?: number;
  /** Override RULE_EVIDENCE (for experiments). */
  ruleEvidence?: number;
  /** Override PRIORITY_RULE_EVIDENCE (for experiments). */
  priorityEvidence?: number;
  /** Override learner options (for experiments). */
  learner?: Partial<LearnerOptions>;
}

type Predict = (text: string) => { category: string; priority: string };

/** Score `predict` on the lines; a field no line has gives null. */
export function scoreLines(lines: readonly EvalLine[], predict: Predict, categoryOrder: readonly string[] = []): EvalReport {
  const cg: string[] = [];
  const cp: string[] = [];
  const pg: string[] = [];
  const pp: string[] = [];
  for (const l of lines) {
    const r = predict(l.text);
    if (l.category !== undefined) {
      cg.push(l.category);
      cp.push(r.category);
    }
    if (l.priority !== undefined) {
      pg.push(l.priority);
      pp.push(r.priority);
    }
  }
  return {
    n: lines.length,
    category: cg.length ? scorePart(cg, cp, categoryOrder) : null,
    priority: pg.length ? scorePart(pg, pp, PRIORITIES) : null,
  };
}

/** Score the configured triage (rules + its learner) as it is. */
export function evaluateTriage(triage: Triage, lines: readonly EvalLine[]): EvalReport {
  return scoreLines(lines, (text) => triage.classify({ text }), triage.categories);
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
  const triage = new Triage(cfg, topts);
  const seenPri = PRIORITIES.filter((p) => train.some((l) => l.priority === p));
  return (text) => {
    const r = triage.classify({ text });
    return { category: r.category, priority: seenPri.length ? clamp(r.priority, seenPri) : r.priority };
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
  return scoreLines(test, freshTriage(config, train, opts), categoryOrder(config, train));
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
  const preds: { category: string; priority: string }[] = new Array(lines.length);
  for (let f = 0; f < k; f++) {
    const train = lines.filter((_, i) => folds[i] !== f);
    const predict = freshTriage(config, train, opts);
    lines.forEach((l, i) => {
      if (folds[i] === f) preds[i] = predict(l.text);
    });
  }
  let i = 0;
  return scoreLines(lines, () => preds[i++]!, categoryOrder(config, lines));
}

function categoryOrder(config: FrontdeskConfig, lines: readonly EvalLine[]): string[] {
  const seen = new Set(lines.flatMap((l) => (l.category === undefined ? [] : [l.category])));
  return [...config.categories, ...[...seen].filter((c) => !config.categories.includes(c)).sort()];
}
