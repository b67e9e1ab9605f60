/**
 * Multinomial naive Bayes over the learner's hashed, weighted features (fractional counts, as
 * Rennie et al. 2003 use with tf-idf). A second opinion next to the logistic regression: it
 * learns from few examples, is exact and order-free (no SGD), and learns a correction with one
 * update. Memory: one float32 block of buckets × classes, like the linear model.
 */
import type { SparseVector } from './features.js';

export interface NaiveBayesOptions {
  /** Additive smoothing per bucket. */
  alpha: number;
}

export const DEFAULT_NB: NaiveBayesOptions = { alpha: 0.1 };

/**
 * @example const nb = new NaiveBayes(['bug', 'question'], 1 << 18); nb.add(x, 0, 1); nb.logLikelihood(x)
 */
export class NaiveBayes {
  readonly labels: readonly string[];
  readonly k: number;
  readonly dim: number;
  readonly opts: NaiveBayesOptions;
  /** log(alpha + weighted feature mass of class c in bucket b), at [b * k + c]. */
  private readonly logCount: Float32Array;
  /** Weighted feature mass per class. */
  private readonly mass: Float64Array;
  /** Weighted examples per class. */
  readonly counts: Float64Array;
  /** Buckets with any mass (the vocabulary size for smoothing). */
  private vocab = 0;

  constructor(labels: readonly string[], dim: number, opts: Partial<NaiveBayesOptions> = {}) {
    this.labels = labels;
    this.k = labels.length;
    this.dim = dim;
    this.opts = { ...DEFAULT_NB, ...opts };
    this.logCount = new Float32Array(dim * this.k).fill(Math.log(this.opts.alpha));
    this.mass = new Float64Array(this.k);
    this.counts = new Float64Array(this.k);
  }

  /** Total weighted examples learned. */
  get seen(): number {
    let n = 0;
    for (const c of this.counts) n += c;
    return n;
  }

  reset(): void {
    this.logCount.fill(Math.log(this.opts.alpha));
    this.mass.fill(0);
    this.counts.fill(0);
    this.vocab = 0;
  }

  /** Add one example of class y with weight w (training or a correction). */
  add(x: SparseVector, y: number, w: number): void {
    const { k, logCount } = this;
    const floor = Math.fround(Math.log(this.opts.alpha));
    for (let j = 0; j < x.idx.length; j++) {
      const v = x.val[j]!;
      if (!(v > 0)) continue;
      const at = x.idx[j]! * k + y;
      let empty = true;
      for (let c = 0; c < k; c++) if (logCount[x.idx[j]! * k + c]! > floor) empty = false;
      if (empty) this.vocab++;
      logCount[at] = Math.log(Math.exp(logCount[at]!) + w * v);
      this.mass[y] = this.mass[y]! + w * v;
    }
    this.counts[y] = this.counts[y]! + w;
  }

  /** Train from scratch: `ys[i]` class index (-1 = skip), `ws[i]` weight, `xs(i)` features. */
  fit(ys: Int32Array, ws: Float64Array, xs: (i: number) => SparseVector): void {
    this.reset();
    const k = this.k;
    const acc = new Float64Array(this.dim * k);
    for (let i = 0; i < ys.length; i++) {
      const y = ys[i]!;
      if (y < 0) continue;
      const x = xs(i);
      const w = ws[i]!;
      for (let j = 0; j < x.idx.length; j++) {
        const v = x.val[j]!;
        if (!(v > 0)) continue;
        acc[x.idx[j]! * k + y] = acc[x.idx[j]! * k + y]! + w * v;
        this.mass[y] = this.mass[y]! + w * v;
      }
      this.counts[y] = this.counts[y]! + w;
    }
    const a = this.opts.alpha;
    for (let b = 0; b < this.dim; b++) {
      let any = false;
      for (let c = 0; c < k; c++) {
        const m = acc[b * k + c]!;
        if (m > 0) any = true;
        this.logCount[b * k + c] = Math.log(a + m);
      }
      if (any) this.vocab++;
    }
  }

  /**
   * Per-class log P(x | c) + log P(c) (up to a shared constant), written into `out`.
   * Classes never seen get -Infinity's stand-in (a very low score).
   */
  logLikelihood(x: SparseVector, out: Float64Array = new Float64Array(this.k)): Float64Array {
    const { k, logCount } = this;
    const n = this.seen;
    let sum = 0;
    for (let c = 0; c < k; c++) out[c] = 0;
    for (let j = 0; j < x.idx.length; j++) {
      const v = x.val[j]!;
      if (!(v > 0)) continue;
      sum += v;
      const base = x.idx[j]! * k;
      for (let c = 0; c < k; c++) out[c] = out[c]! + v * logCount[base + c]!;
    }
    const denom = this.opts.alpha * Math.max(1, this.vocab);
    for (let c = 0; c < k; c++) {
      const nc = this.counts[c]!;
      out[c] = nc > 0 ? out[c]! - sum * Math.log(denom + this.mass[c]!) + Math.log(nc / n) : -1e4;
    }
    return out;
  }
}
