/**
 * Decision offsets tuned by cross-validation: after a head is trained, per-class log-space
 * offsets are chosen on out-of-fold predictions to maximise macro-F1. That is what lets a
 * skewed head (priority: most history is "P2") still name the rare urgent classes when the
 * text says so — class weights alone either miss them or flood them. The same answers set the
 * head's temperature, so its probabilities (and the card's "low confidence") mean what they say.
 */
import { LinearModel } from './linear-model.js';
import type { SparseVector } from './features.js';

export interface TuneOptions {
  /** Inner folds. */
  folds: number;
  /** Offsets are searched in [-range, range]. */
  range: number;
  step: number;
  /** Only heads with at least this many labelled examples are tuned. */
  minExamples: number;
  /** Heads with more labelled examples than this are not tuned (bounds start-up time). */
  maxExamples: number;
  /** The tuned offsets are multiplied by this (shrinks them towards 0 against over-fitting). */
  shrink: number;
  rounds: number;
  /**
   * Required recall of the first two classes together (the priority head's P0 and P1): each
   * point of it missing costs a point of macro-F1 in the search (0 = macro-F1 only).
   */
  urgentRecall: number;
  /**
   * How `urgentRecall` counts: `exact` = a P0 answered P0 or a P1 answered P1; `grouped` = a P0 or
   * P1 answered P0 or P1 (an urgent request flagged urgent, whichever of the two).
   */
  urgentCount: 'exact' | 'grouped';
  /** Also set the model's temperature from the same out-of-fold answers (see `fitTemperature`). */
  calibrate: boolean;
}

export const DEFAULT_TUNE: TuneOptions = { folds: 4, range: 3, step: 0.25, minExamples: 500, maxExamples: 5_000, shrink: 0.5, rounds: 1, urgentRecall: 0, urgentCount: 'exact', calibrate: true };

/**
 * Tune `model.offsets` on out-of-fold predictions of models trained like it. Call after
 * `model.fit(ys, ws, xs)`; returns false (offsets left at 0) when there is too little or too
 * much data, or fewer than two classes.
 */
export function tuneOffsets(model: LinearModel, ys: Int32Array, ws: Float64Array, xs: (i: number) => SparseVector, opts: TuneOptions = DEFAULT_TUNE): boolean {
  const labelled: number[] = [];
  for (let i = 0; i < ys.length; i++) if (ys[i]! >= 0) labelled.push(i);
  const k = model.k;
  const present = new Set(labelled.map((i) => ys[i]!));
  if (labelled.length < opts.minExamples || labelled.length > opts.maxExamples || present.size < 2) return false;
  // Deterministic stratified folds: the j-th example of each class goes to fold j mod folds.
  const fold = new Int32Array(ys.length).fill(-1);
  const seenPerClass = new Int32Array(k);
  for (const i of labelled) {
    const y = ys[i]!;
    fold[i] = seenPerClass[y]! % opts.folds;
    seenPerClass[y] = seenPerClass[y]! + 1;
  }
  const logp: Float64Array[] = new Array(ys.length);
  const inner = new LinearModel(model.labels, model.dim, model.opts);
  for (let f = 0; f < opts.folds; f++) {
    const train = Int32Array.from(ys, (y, i) => (fold[i] === f ? -1 : y));
    inner.fit(train, ws, xs);
    for (const i of labelled) {
      if (fold[i] !== f) continue;
      const p = inner.predict(xs(i));
      logp[i] = p.map((q) => Math.log(Math.max(q, 1e-9)));
    }
  }
  const gold = labelled.map((i) => ys[i]!);
  const rows = labelled.map((i) => logp[i]!);
  const off = new Float64Array(k);
  const objective = (o: Float64Array): number => {
    const { f1, urgent } = macroF1(rows, gold, o, k, opts.urgentCount === 'grouped');
    return opts.urgentRecall > 0 && urgent !== null ? f1 - Math.max(0, opts.urgentRecall - urgent) : f1;
  };
  let best = objective(off);
  for (let round = 0; round < opts.rounds; round++) {
    let improved = false;
    for (let c = 0; c < k; c++) {
      if (!present.has(c)) continue;
      const keep = off[c]!;
      let bestV = keep;
      for (let v = -opts.range; v <= opts.range + 1e-9; v += opts.step) {
        off[c] = v;
        const s = objective(off);
        if (s > best + 1e-9) {
          best = s;
          bestV = v;
          improved = true;
        }
      }
      off[c] = bestV;
    }
    if (!improved) break;
  }
  model.offsets.set(off.map((v) => v * opts.shrink));
  if (opts.calibrate) model.temperature = fitTemperature(rows, gold, model.offsets);
  return true;
}

/**
 * Temperature scaling (Guo et al., 2017): the T in 0.25–4 that minimises the log-loss of
 * softmax((row + off) / T) over out-of-fold log-probabilities `rows` with gold classes `gold`.
 * The class-balanced, strongly regularised priority head is far too unsure without it (5-fold
 * CV on Hadoop priorities: mean top probability 0.32 at accuracy 0.61, so 98% of its answers
 * read "low confidence"; with it 0.57 at 0.61, expected calibration error 0.29 → 0.06).
 * @example fitTemperature([Float64Array.of(Math.log(0.9), Math.log(0.1))], [1], new Float64Array(2)) // > 1
 */
export function fitTemperature(rows: readonly Float64Array[], gold: readonly number[], off: Float64Array): number {
  let bestT = 1;
  let best = Number.POSITIVE_INFINITY;
  for (let t = 0.25; t <= 4 + 1e-9; t *= 1.1) {
    let loss = 0;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const g = gold[r]!;
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < row.length; c++) max = Math.max(max, (row[c]! + off[c]!) / t);
      let sum = 0;
      for (let c = 0; c < row.length; c++) sum += Math.exp((row[c]! + off[c]!) / t - max);
      loss -= (row[g]! + off[g]!) / t - max - Math.log(sum);
    }
    if (loss < best) {
      best = loss;
      bestT = t;
    }
  }
  return bestT;
}

/**
 * Macro-F1 over the classes present in `gold`, predicting argmax(row + off), and the recall of
 * classes 0 and 1 together (null when gold has neither).
 */
function macroF1(rows: Float64Array[], gold: number[], off: Float64Array, k: number, grouped = false): { f1: number; urgent: number | null } {
  let urgentHits = 0;
  const tp = new Float64Array(k);
  const predicted = new Float64Array(k);
  const support = new Float64Array(k);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let bi = 0;
    let bv = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const v = row[c]! + off[c]!;
      if (v > bv) {
        bv = v;
        bi = c;
      }
    }
    const g = gold[r]!;
    predicted[bi] = predicted[bi]! + 1;
    support[g] = support[g]! + 1;
    if (bi === g) tp[g] = tp[g]! + 1;
    if (g < 2 && bi < 2) urgentHits++;
  }
  let sum = 0;
  let n = 0;
  for (let c = 0; c < k; c++) {
    if (support[c] === 0) continue;
    n++;
    const prec = predicted[c] ? tp[c]! / predicted[c]! : 0;
    const rec = tp[c]! / support[c]!;
    sum += prec + rec ? (2 * prec * rec) / (prec + rec) : 0;
  }
  const urgentSupport = support[0]! + (k > 1 ? support[1]! : 0);
  const urgentTp = grouped ? urgentHits : tp[0]! + (k > 1 ? tp[1]! : 0);
  const urgent = urgentSupport ? urgentTp / urgentSupport : null;
  return { f1: n ? sum / n : 0, urgent };
}
