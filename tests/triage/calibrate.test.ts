/** Decision offsets and temperature tuned on out-of-fold answers (calibrate.ts). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TUNE, fitTemperature, tuneOffsets } from '../../src/triage/calibrate.js';
import { FeatureExtractor } from '../../src/triage/features.js';
import { Learner } from '../../src/triage/learner.js';
import { LinearModel, rng } from '../../src/triage/linear-model.js';

/** Rows of log-probabilities for two classes that say `p` for their pick, right `acc` of the time. */
function rows(n: number, p: number, acc: number): { rows: Float64Array[]; gold: number[] } {
  const out: Float64Array[] = [];
  const gold: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(Float64Array.from([Math.log(p), Math.log(1 - p)]));
    gold.push(i < n * acc ? 0 : 1);
  }
  return { rows: out, gold };
}

describe('fitTemperature', () => {
  it('softens an over-confident model and sharpens an under-confident one', () => {
    const off = new Float64Array(2);
    const over = rows(100, 0.95, 0.7);
    expect(fitTemperature(over.rows, over.gold, off)).toBeGreaterThan(1.5);
    const under = rows(100, 0.55, 0.9);
    expect(fitTemperature(under.rows, under.gold, off)).toBeLessThan(0.5);
  });

  it('leaves a calibrated model about as it is', () => {
    const ok = rows(100, 0.8, 0.8);
    const t = fitTemperature(ok.rows, ok.gold, new Float64Array(2));
    expect(t).toBeGreaterThan(0.85);
    expect(t).toBeLessThan(1.15);
  });
});

describe('a tuned priority head', () => {
  // 600 seeded synthetic reports: urgency words decide P1 vs P2 most of the time, noise the rest.
  const rand = rng(11);
  const urgentWords = ['outage', 'down', 'blocked', 'urgent', 'corrupted'];
  const calmWords = ['typo', 'wording', 'colour', 'tooltip', 'spacing'];
  const filler = ['report', 'page', 'export', 'settings', 'team', 'user', 'file', 'view', 'list', 'sync'];
  const pick = (a: string[]) => a[Math.floor(rand() * a.length)]!;
  const make = (n: number) =>
    Array.from({ length: n }, () => {
      const urgent = rand() < 0.3;
      const signal = rand() < 0.75 ? (urgent ? pick(urgentWords) : pick(calmWords)) : pick(filler);
      return { text: `${pick(filler)} ${signal} ${pick(filler)} ${pick(filler)}`, priority: urgent ? 'P1' : 'P2' };
    });
  const train = make(600);
  const test = make(300);

  it('is calibrated: its confidence matches how often it is right, and its answers are unchanged', () => {
    const l = new Learner(['bug']);
    l.train(train);
    expect(l.priority.temperature).not.toBe(1);
    let conf = 0;
    let right = 0;
    const labels: string[] = [];
    for (const ex of test) {
      const h = l.predict(ex.text).priority!;
      conf += h.prob;
      if (h.label === ex.priority) right++;
      labels.push(h.label);
    }
    expect(Math.abs(conf / test.length - right / test.length)).toBeLessThan(0.03); // 0.055 uncalibrated
    // Temperature scales logits: the argmax, so every answer, stays as it was.
    const t = l.priority.temperature;
    l.priority.temperature = 1;
    expect(test.map((ex) => l.predict(ex.text).priority!.label)).toEqual(labels);
    l.priority.temperature = t;
  });

  it('still learns a correction right away', () => {
    const l = new Learner(['bug']);
    l.train(train);
    const text = 'export typo settings page';
    expect(l.predict(text).priority!.label).toBe('P2');
    l.learn({ text, priority: 'P1' }, 3);
    expect(l.predict(text).priority!.label).toBe('P1');
  });

  it('without calibration, is as unsure as the class-balanced, regularised fit leaves it', () => {
    const l = new Learner(['bug'], { priorityTune: { calibrate: false } });
    l.train(train);
    expect(l.priority.temperature).toBe(1);
  });
});

describe('tuneOffsets with a required urgent recall', () => {
  it('names the rare urgent classes more often than macro-F1 alone would', () => {
    // Three classes; the urgent ones (0, 1) are rare and their words are weak evidence.
    const rand = rng(5);
    const fx = new FeatureExtractor({ bits: 12 });
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
    const pick = () => words[Math.floor(rand() * words.length)]!;
    const ys: number[] = [];
    const texts: string[] = [];
    for (let i = 0; i < 600; i++) {
      const y = rand() < 0.06 ? 0 : rand() < 0.06 ? 1 : 2;
      const hint = rand() < 0.35 ? (y === 0 ? 'blocker' : y === 1 ? 'critical' : 'minor') : pick();
      ys.push(y);
      texts.push(`${pick()} ${hint} ${pick()} ${pick()}`);
    }
    const xs = texts.map((t) => fx.extract(t));
    const y = Int32Array.from(ys);
    const w = new Float64Array(ys.length).fill(1);
    const recall = (urgentRecall: number) => {
      const m = new LinearModel(['P0', 'P1', 'P2'], fx.dim, { classWeightPower: 1, lambda: 3e-3 });
      m.fit(y, w, (i) => xs[i]!);
      expect(tuneOffsets(m, y, w, (i) => xs[i]!, { ...DEFAULT_TUNE, urgentRecall })).toBe(true);
      let hit = 0;
      let n = 0;
      xs.forEach((x, i) => {
        if (ys[i]! > 1) return;
        n++;
        const p = m.predict(x);
        if (p[ys[i]!]! === Math.max(...p)) hit++;
      });
      return hit / n;
    };
    expect(recall(0.9)).toBeGreaterThan(recall(0));
  });

  it('can count a P0 answered P1 (or the reverse) as found: grouped recall', () => {
    // P0 and P1 say the same words ("outage"): telling them apart is hopeless, flagging both is not.
    const rand = rng(11);
    const fx = new FeatureExtractor({ bits: 12 });
    const filler = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    const pick = () => filler[Math.floor(rand() * filler.length)]!;
    const ys: number[] = [];
    const texts: string[] = [];
    for (let i = 0; i < 600; i++) {
      const y = rand() < 0.05 ? 0 : rand() < 0.05 ? 1 : 2;
      const hint = rand() < 0.4 ? (y < 2 ? 'outage' : 'minor') : pick();
      ys.push(y);
      texts.push(`${pick()} ${hint} ${pick()}`);
    }
    const xs = texts.map((t) => fx.extract(t));
    const y = Int32Array.from(ys);
    const w = new Float64Array(ys.length).fill(1);
    const flagged = (opts: Partial<typeof DEFAULT_TUNE>) => {
      const m = new LinearModel(['P0', 'P1', 'P2'], fx.dim, { classWeightPower: 1, lambda: 3e-3 });
      m.fit(y, w, (i) => xs[i]!);
      expect(tuneOffsets(m, y, w, (i) => xs[i]!, { ...DEFAULT_TUNE, ...opts })).toBe(true);
      let hit = 0;
      let n = 0;
      xs.forEach((x, i) => {
        if (ys[i]! > 1) return;
        n++;
        const p = m.predict(x);
        if (Math.max(p[0]!, p[1]!) > p[2]!) hit++;
      });
      return hit / n;
    };
    expect(flagged({ urgentRecall: 0.9, urgentCount: 'grouped' })).toBeGreaterThan(flagged({ urgentRecall: 0 }));
  });
});
