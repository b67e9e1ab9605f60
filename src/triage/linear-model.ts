/**
 * Multinomial logistic regression over hashed sparse features, trained by SGD with L2
 * regularisation (lazy, through a global weight scale) and seeded shuffling. Weights are one
 * float32 block of buckets × classes, so memory is fixed: 2^18 buckets × 10 classes ≈ 10 MB.
 */
import type { SparseVector } from './features.js';

export interface LinearModelOptions {
  /** L2 strength per example step. */
  lambda: number;
  /** Initial learning rate. */
  eta0: number;
  epochs: number;
  /** Class weights (n / (k · n_c))^power: 0 = none, 1 = fully balanced. */
  classWeightPower: number;
  /** Seed for the shuffle. */
  seed: number;
}

export const DEFAULT_MODEL: LinearModelOptions = {
  lambda: 1e-5,
  eta0: 0.5,
  epochs: 8,
  classWeightPower: 0,
  seed: 20261123,
};

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place with a seeded generator. */
export function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}

/**
 * Softmax classifier over a fixed label set.
 * @example const m = new LinearModel(['bug', 'question'], 1 << 18); m.fit(ys, ws, (i) => xs[i]); m.predict(x)
 */
export class LinearModel {
  readonly labels: readonly string[];
  readonly k: number;
  /** Number of hash buckets. */
  readonly dim: number;
  readonly opts: LinearModelOptions;
  /** Examples seen per class (full training + incremental). */
  readonly counts: Float64Array;
  private readonly v: Float32Array;
  private readonly bias: Float64Array;
  private scale = 1;
  private readonly buf: Float64Array;
  /**
   * Per-class decision offsets (log-space), added at prediction only: set by `tuneOffsets` so
   * rare classes are predicted as often as cross-validation says pays off. Zero by default.
   */
  readonly offsets: Float64Array;
  /**
   * Logits are divided by this before the softmax (temperature scaling, set by `tuneOffsets`
   * from out-of-fold answers so that an answer given with 60% is right about 60% of the time).
   * It never changes which class wins. 1 = as trained.
   */
  temperature = 1;

  constructor(labels: readonly string[], dim: number, opts: Partial<LinearModelOptions> = {}) {
    this.labels = labels;
    this.k = labels.length;
    this.dim = dim;
    this.opts = { ...DEFAULT_MODEL, ...opts };
    this.v = new Float32Array(dim * this.k);
    this.bias = new Float64Array(this.k);
    this.counts = new Float64Array(this.k);
    this.buf = new Float64Array(this.k);
    this.offsets = new Float64Array(this.k);
  }

  /** Total examples this model has learned from. */
  get seen(): number {
    let n = 0;
    for (const c of this.counts) n += c;
    return n;
  }

  /** Forget everything. */
  reset(): void {
    this.v.fill(0);
    this.bias.fill(0);
    this.counts.fill(0);
    this.offsets.fill(0);
    this.temperature = 1;
    this.scale = 1;
  }

  /** Class probabilities for x (a new array). */
  predict(x: SparseVector): Float64Array {
    const p = new Float64Array(this.k);
    this.probs(x, p, this.offsets, this.temperature);
    return p;
  }

  /** Weight of bucket b for class c (for explanations). */
  weight(b: number, c: number): number {
    return (this.v[b * this.k + c] ?? 0) * this.scale;
  }

  private probs(x: SparseVector, out: Float64Array, offsets?: Float64Array, temperature = 1): void {
    const { k, v, scale } = this;
    for (let c = 0; c < k; c++) out[c] = 0;
    const { idx, val } = x;
    for (let j = 0; j < idx.length; j++) {
      const base = idx[j]! * k;
      const xv = val[j]!;
      for (let c = 0; c < k; c++) out[c] = out[c]! + v[base + c]! * xv;
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const s = (out[c]! * scale + this.bias[c]! + (offsets ? offsets[c]! : 0)) / temperature;
      out[c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(out[c]! - max);
      out[c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) out[c] = out[c]! / sum;
  }

  /** One SGD step on (x, y) with step size eta and sample weight w. */
  step(x: SparseVector, y: number, w: number, eta: number): void {
    const { k, v } = this;
    const p = this.buf;
    this.probs(x, p);
    // L2 shrink of every weight at once.
    this.scale *= 1 - Math.min(eta * this.opts.lambda, 0.5);
    if (this.scale < 1e-6) this.rescale();
    const g = eta * w;
    const inv = g / this.scale;
    const { idx, val } = x;
    for (let j = 0; j < idx.length; j++) {
      const base = idx[j]! * k;
      const xv = val[j]! * inv;
      for (let c = 0; c < k; c++) {
        const grad = p[c]! - (c === y ? 1 : 0);
        v[base + c] = v[base + c]! - grad * xv;
      }
    }
    for (let c = 0; c < k; c++) this.bias[c] = this.bias[c]! - 0.1 * g * (p[c]! - (c === y ? 1 : 0));
  }

  private rescale(): void {
    const s = this.scale;
    for (let i = 0; i < this.v.length; i++) this.v[i] = this.v[i]! * s;
    this.scale = 1;
  }

  /**
   * Train from scratch on n examples: `ys[i]` is the class index (-1 = skip), `ws[i]` the
   * sample weight, `xs(i)` the features (cached or recomputed by the caller). Seeded shuffle
   * each epoch, step size eta0 / (1 + epoch), class weights from `classWeightPower`.
   */
  fit(ys: Int32Array, ws: Float64Array, xs: (i: number) => SparseVector): void {
    this.reset();
    const order: number[] = [];
    for (let i = 0; i < ys.length; i++) {
      const y = ys[i]!;
      if (y < 0) continue;
      this.counts[y] = this.counts[y]! + 1;
      order.push(i);
    }
    if (order.length === 0) return;
    const { epochs, eta0, classWeightPower, seed } = this.opts;
    const cw = this.classWeights(classWeightPower);
    const rand = rng(seed);
    for (let e = 0; e < epochs; e++) {
      shuffle(order, rand);
      const eta = eta0 / (1 + e);
      for (const i of order) {
        const y = ys[i]!;
        this.step(xs(i), y, ws[i]! * cw[y]!, eta);
      }
    }
  }

  private classWeights(power: number): Float64Array {
    const w = new Float64Array(this.k).fill(1);
    if (power === 0) return w;
    let n = 0;
    let present = 0;
    for (const c of this.counts) {
      n += c;
      if (c > 0) present++;
    }
    for (let c = 0; c < this.k; c++) {
      const nc = this.counts[c]!;
      if (nc > 0) w[c] = (n / (present * nc)) ** power;
    }
    return w;
  }

  /**
   * Learn one example right away (an agent's correction): SGD steps with weight `w` until
   * `done(probs)` says so or `maxSteps` is reached.
   */
  learnOne(x: SparseVector, y: number, w: number, done: (p: Float64Array) => boolean, maxSteps = 25): number {
    this.counts[y] = this.counts[y]! + 1;
    let steps = 0;
    const eta = this.opts.eta0 / 2;
    do {
      this.step(x, y, w, eta);
      steps++;
    } while (steps < maxSteps && !done(this.predict(x)));
    return steps;
  }
}
