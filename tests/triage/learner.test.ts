/** The learner: hashed features, deterministic SGD training, incremental learning. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES, FeatureExtractor } from '../../src/triage/features.js';
import { Learner, relevanceWeights } from '../../src/triage/learner.js';
import { words } from '../../src/triage/text.js';

const data = [
  ['refund my last invoice please', 'billing', 'P3'],
  ['we were charged twice on the card', 'billing', 'P2'],
  ['invoice shows the wrong amount', 'billing', 'P2'],
  ['need a receipt for the payment', 'billing', 'P3'],
  ['the app crashes when I open settings', 'bug', 'P2'],
  ['error 500 when saving the form', 'bug', 'P2'],
  ['button does nothing when clicked', 'bug', 'P3'],
  ['the page shows a stack trace', 'bug', 'P2'],
] as const;
const examples = data.map(([text, category, priority]) => ({ text, category, priority }));

describe('features', () => {
  it('normalises words: lower case, digits, urls, mentions', () => {
    expect(words("Can't open https://x.io/a?b=1 since 10:02, <@U12> said")).toEqual(["can't", 'open', 'xurlx', 'since', '0', '0', 'xmentionx', 'said']);
  });

  it('gives each block unit length, deterministic buckets, bounded dimension', () => {
    const fx = new FeatureExtractor({ bits: 12 });
    const a = fx.extract('Production is down');
    const b = fx.extract('production   IS down');
    expect([...a.idx]).toEqual([...b.idx]);
    let words2 = 0;
    let chars2 = 0;
    a.val.forEach((v, i) => {
      if (i < a.split) words2 += v * v;
      else chars2 += v * v;
    });
    expect(words2).toBeCloseTo(1, 5);
    expect(chars2).toBeCloseTo(1, 5);
    // A one-line chat message has no structure block; a report's block has the structure weight.
    expect(a.split3).toBe(a.idx.length);
    const r = fx.extract('Export fails\n### Issue type\nBug\n```\nTypeError: x is undefined\n```');
    let s2 = 0;
    for (let i = r.split3; i < r.idx.length; i++) s2 += r.val[i]! ** 2;
    expect(r.idx.length).toBeGreaterThan(r.split3);
    expect(Math.sqrt(s2)).toBeCloseTo(DEFAULT_FEATURES.structureWeight, 5);
    expect(Math.max(...a.idx)).toBeLessThan(4096);
    expect(fx.extract('').idx).toHaveLength(0);
  });
});

describe('title block', () => {
  it('is there only when a first line has a body under it, with the title weight', () => {
    const fx = new FeatureExtractor({ bits: 12 });
    for (const text of ['Production is down', 'Production is down\n', 'Production is down\n  \n ']) {
      const x = fx.extract(text);
      expect(x.split3 - x.split2).toBe(0);
    }
    const r = fx.extract('Export crashes\n\nWhen I click export the app closes.');
    let t2 = 0;
    for (let i = r.split2; i < r.split3; i++) t2 += r.val[i]! ** 2;
    expect(r.split3 - r.split2).toBeGreaterThan(0);
    expect(Math.sqrt(t2)).toBeCloseTo(DEFAULT_FEATURES.titleWeight, 5);
    expect(DEFAULT_FEATURES.titleWeight).toBeGreaterThan(0);
  });
});

describe('Chinese and Japanese script', () => {
  it('gets character n-grams, pairs included, however long the clause', () => {
    const fx = new FeatureExtractor({ bits: 14 });
    // One 30-character clause: a single "word" longer than maxWordLength.
    const clause = 'サーバーがダウンして全てのユーザーが管理画面にログインできない';
    expect(clause.length).toBeGreaterThan(DEFAULT_FEATURES.maxWordLength);
    const x = fx.extract(clause);
    expect(x.split2 - x.split).toBeGreaterThan(50);
    // A Latin token that long (a hash, a path) still gets none.
    const h = fx.extract('a3f9c0d2e1b4a5f6c7d8e9f0a1b2c3d4');
    expect(h.split2 - h.split).toBe(0);
    // Two-character words count: the pair "請求" is a feature of its own.
    const two = fx.extract('請求');
    expect([...two.idx.subarray(two.split, two.split2)]).toContain(fx.charBucket(' 請求 ', 1, 2));
    expect([...fx.extract('invoice').idx]).not.toContain(fx.charBucket(' invoice ', 1, 2));
  });

  it('explains a Japanese prediction with the n-grams behind it, not grammar', () => {
    const l = new Learner(['billing', 'performance']);
    l.train([
      { text: '請求書の金額が違います', category: 'billing' },
      { text: '請求が二重になっています', category: 'billing' },
      { text: '今月の請求について質問です', category: 'billing' },
      { text: '画面の表示がとても遅いです', category: 'performance' },
      { text: '検索が遅くて使えません', category: 'performance' },
      { text: 'ページの読み込みが遅いです', category: 'performance' },
    ]);
    const p = l.predict('先月の請求金額を確認したいです');
    expect(p.category?.label).toBe('billing');
    const words = l.explain(l.category, p.x, 0);
    expect(words.length).toBeGreaterThan(0);
    expect(words.some((w) => w.includes('請求'))).toBe(true);
    for (const w of words) expect(w).not.toMatch(/^[\u3040-\u309f]+$/);
  });
});

describe('relevance weights', () => {
  it('raise a feature that marks one category more than one spread over both, leave unseen ones alone', () => {
    // 2 categories × 3 buckets: bucket 0 only in category 0 (6 docs), bucket 1 in 3 docs of each, bucket 2 in none.
    const inClass = Uint32Array.from([6, 3, 0, 0, 3, 0]);
    const w = Float32Array.from([2, 2, 2]);
    relevanceWeights(w, inClass, 2);
    expect(w[0]).toBeCloseTo(2 * Math.log2(2 + 6), 5);
    expect(w[1]).toBeCloseTo(2 * Math.log2(2 + 1), 5);
    expect(w[2]).toBe(2);
  });

  it('change the category head only: the priority head answers as without them', () => {
    const withRel = new Learner(['billing', 'bug']);
    const without = new Learner(['billing', 'bug'], { relevance: false });
    withRel.train(examples);
    without.train(examples);
    const text = 'the invoice page shows an error since this morning';
    expect([...withRel.predict(text).priority!.probs]).toEqual([...without.predict(text).priority!.probs]);
    expect([...withRel.predict(text).category!.probs]).not.toEqual([...without.predict(text).category!.probs]);
  });
});

describe('priority word weight', () => {
  it('changes the priority head only: the category head answers as without it', () => {
    const heavy = new Learner(['billing', 'bug'], { priorityWordWeight: 2 });
    const plain = new Learner(['billing', 'bug'], { priorityWordWeight: 1 });
    heavy.train(examples);
    plain.train(examples);
    const text = 'the invoice page shows an error since this morning';
    expect([...heavy.predict(text).category!.probs]).toEqual([...plain.predict(text).category!.probs]);
    expect([...heavy.predict(text).priority!.probs]).not.toEqual([...plain.predict(text).priority!.probs]);
  });

  it('weighs words over character n-grams: a word seen only with P2 pulls harder', () => {
    // "invoice" marks P2; the other texts share its character n-grams only through "voice".
    const train = [
      { text: 'invoice wrong', priority: 'P2' },
      { text: 'invoice missing', priority: 'P2' },
      { text: 'voice call dropped', priority: 'P3' },
      { text: 'voice mail full', priority: 'P3' },
      { text: 'voicemail greeting', priority: 'P3' },
    ];
    const p2 = (ww: number) => {
      const l = new Learner(['x'], { priorityWordWeight: ww });
      l.train(train);
      return l.predict('invoice').priority!.probs[2]!;
    };
    expect(p2(2)).toBeGreaterThan(p2(1));
  });
});

describe('Learner', () => {
  it('learns both heads and predicts unseen but similar text', () => {
    const l = new Learner(['billing', 'bug']);
    expect(l.predict('anything').category).toBeNull();
    expect(l.train(examples)).toEqual({ category: 8, priority: 8 });
    expect(l.predict('I was charged twice for one invoice').category?.label).toBe('billing');
    expect(l.predict('it crashes with an error').category?.label).toBe('bug');
  });

  it('is deterministic (seeded shuffle)', () => {
    const a = new Learner(['billing', 'bug']);
    const b = new Learner(['billing', 'bug']);
    a.train(examples);
    b.train(examples);
    expect([...a.predict('the invoice page crashes').category!.probs]).toEqual([...b.predict('the invoice page crashes').category!.probs]);
  });

  it('ignores labels outside its label sets', () => {
    const l = new Learner(['billing', 'bug']);
    expect(l.train([...examples, { text: 'where is my parcel', category: 'shipping', priority: 'P7' }])).toEqual({ category: 8, priority: 8 });
  });

  it('learns a correction right away, weighted', () => {
    const l = new Learner(['billing', 'bug']);
    l.train(examples);
    const text = 'the receipt page crashes with an error';
    expect(l.predict(text).category?.label).toBe('bug');
    l.learn({ text, category: 'billing' }, 3);
    expect(l.predict(text).category?.label).toBe('billing');
    expect(l.predict(text).category?.prob).toBeGreaterThanOrEqual(0.5);
    expect(l.category.seen).toBe(9);
  });

  it('names the words behind a prediction', () => {
    const l = new Learner(['billing', 'bug']);
    l.train(examples);
    const p = l.predict('refund the invoice');
    expect(l.explain(l.category, p.x, 0)).toEqual(expect.arrayContaining(['invoice']));
    expect(l.explain(l.category, p.x, 0)).not.toContain('the');
  });

  it('trains the same way when features do not fit the cache budget', () => {
    const cached = new Learner(['billing', 'bug']);
    const streamed = new Learner(['billing', 'bug'], { cacheBudget: 0 });
    cached.train(examples);
    streamed.train(examples);
    const s = streamed.predict('charged twice').category!.probs;
    const c = cached.predict('charged twice').category!.probs;
    // identical up to float32 rounding (cached vectors are normalised twice)
    for (let i = 0; i < s.length; i++) expect(s[i]).toBeCloseTo(c[i]!, 5);
  });
});

