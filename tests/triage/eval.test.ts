/** Scoring math for `frontdesk eval`, checked against hand-computed numbers. */

import { describe, expect, it } from 'vitest';
import { roundPart, scorePart, stratifiedFolds } from '../../src/triage/eval.js';
import { scoreLines, urgentScore } from '../../src/triage/evaluate.js';
import { guessLanguage } from '../../src/triage/language.js';

describe('scorePart', () => {
  // gold a a a b b c / pred a a b b c c, worked out by hand:
  //   a: tp 2, predicted 2, support 3 → P 1,   R 2/3, F1 0.8
  //   b: tp 1, predicted 2, support 2 → P 1/2, R 1/2, F1 0.5
  //   c: tp 1, predicted 2, support 1 → P 1/2, R 1,   F1 2/3
  //   accuracy 4/6, macro-F1 (0.8 + 0.5 + 2/3) / 3 = 0.655555…
  const gold = ['a', 'a', 'a', 'b', 'b', 'c'];
  const pred = ['a', 'a', 'b', 'b', 'c', 'c'];
  const s = scorePart(gold, pred);

  it('computes accuracy and macro-F1', () => {
    expect(s.accuracy).toBeCloseTo(4 / 6, 10);
    expect(s.macro_f1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 10);
  });

  it('computes per-class precision, recall, F1 and support', () => {
    expect(s.per_class.a!.precision).toBeCloseTo(1, 10);
    expect(s.per_class.a!.recall).toBeCloseTo(2 / 3, 10);
    expect(s.per_class.a!.f1).toBeCloseTo(0.8, 10);
    expect(s.per_class.b).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(s.per_class.c!.precision).toBeCloseTo(0.5, 10);
    expect(s.per_class.c!.recall).toBeCloseTo(1, 10);
    expect(s.per_class.c!.f1).toBeCloseTo(2 / 3, 10);
    expect(s.per_class.c!.support).toBe(1);
  });

  it('builds the full confusion matrix, rows gold, columns predicted', () => {
    expect(s.confusion).toEqual({
      a: { a: 2, b: 1, c: 0 },
      b: { a: 0, b: 1, c: 1 },
      c: { a: 0, b: 0, c: 1 },
    });
  });

  it('counts a class that is only predicted, with zero scores', () => {
    const r = scorePart(['a', 'a'], ['a', 'z']);
    expect(Object.keys(r.per_class)).toEqual(['a', 'z']);
    expect(r.per_class.z).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    // a: P 1, R 1/2 → F1 2/3; z: 0 → macro 1/3
    expect(r.macro_f1).toBeCloseTo(1 / 3, 10);
  });

  it('orders classes by the given order, then alphabetically', () => {
    expect(Object.keys(scorePart(['y', 'x', 'b'], ['y', 'x', 'b'], ['y', 'b']).per_class)).toEqual(['y', 'b', 'x']);
  });

  it('rejects mismatched lengths', () => {
    expect(() => scorePart(['a'], [])).toThrow(/1 gold labels but 0 predictions/);
  });

  it('rounds for printing without touching counts', () => {
    const r = roundPart(s, 3);
    expect(r.macro_f1).toBe(0.656);
    expect(r.per_class.a!.recall).toBe(0.667);
    expect(r.confusion.a!.b).toBe(1);
  });
});

describe('stratifiedFolds', () => {
  it('spreads every class evenly over the folds and is deterministic', () => {
    const labels = [...Array(10).fill('a'), ...Array(5).fill('b'), undefined, undefined];
    const f = stratifiedFolds(labels, 5, 7);
    expect(f).toEqual(stratifiedFolds(labels, 5, 7));
    for (let k = 0; k < 5; k++) {
      expect(labels.filter((l, i) => l === 'a' && f[i] === k)).toHaveLength(2);
      expect(labels.filter((l, i) => l === 'b' && f[i] === k)).toHaveLength(1);
    }
    expect(new Set(f).size).toBe(5);
  });
});

describe('guessLanguage', () => {
  it.each([
    ['Wie kann ich mein Abo kündigen?', 'de'],
    ['¿Cómo puedo cambiar mi contraseña?', 'es'],
    ["Je n'arrive pas à me connecter depuis ce matin", 'fr'],
    ['Não consigo entrar na minha conta', 'pt'],
    ['ログインできません', 'ja'],
    ['the app is down for all of our users', 'en'],
    ['12345', 'und'],
  ])('%j → %s', (text, lang) => {
    expect(guessLanguage(text)).toBe(lang);
  });
});

describe('scoreLines: priority confidence', () => {
  it('scores the answers marked "low confidence" apart from the others', () => {
    const lines = [
      { text: 'a', priority: 'P2' },
      { text: 'b', priority: 'P2' },
      { text: 'c', priority: 'P3' },
      { text: 'd', priority: 'P1' },
      { text: 'e', category: 'bug' },
    ];
    const answers: Record<string, { priority: string; lowConfidence: boolean }> = {
      a: { priority: 'P2', lowConfidence: false },
      b: { priority: 'P3', lowConfidence: true },
      c: { priority: 'P3', lowConfidence: true },
      d: { priority: 'P2', lowConfidence: true },
      e: { priority: 'P2', lowConfidence: true },
    };
    const r = scoreLines(lines, (text) => ({ category: 'bug', ...answers[text]! }));
    expect(r.priority_confidence).toEqual({ low: { n: 3, accuracy: 1 / 3 }, confident: { n: 1, accuracy: 1 } });
    expect(scoreLines([{ text: 'e', category: 'bug' }], () => ({ category: 'bug', priority: 'P2' })).priority_confidence).toBeUndefined();
  });
});

describe('urgentScore', () => {
  it('counts P0+P1 recall exactly and grouped, and the precision of P0/P1 answers', () => {
    // gold P0 P0 P1 P1 P2 P3 / pred P0 P1 P2 P1 P0 P3:
    //   exact: P0→P0, P1→P1 = 2 of 4; grouped: also P0→P1 = 3 of 4;
    //   P0/P1 answers: 4 (lines 1, 2, 4, 5), 3 of them urgent.
    const s = urgentScore(['P0', 'P0', 'P1', 'P1', 'P2', 'P3'], ['P0', 'P1', 'P2', 'P1', 'P0', 'P3']);
    expect(s).toEqual({ support: 4, exact_recall: 0.5, grouped_recall: 0.75, grouped_precision: 0.75 });
  });

  it('answers null when nothing is urgent or nothing is answered urgent', () => {
    expect(urgentScore(['P2', 'P3'], ['P2', 'P2'])).toEqual({ support: 0, exact_recall: null, grouped_recall: null, grouped_precision: null });
    expect(urgentScore(['P1'], ['P2'])).toEqual({ support: 1, exact_recall: 0, grouped_recall: 0, grouped_precision: null });
  });

  it('is part of the report when lines have a priority', () => {
    const r = scoreLines([{ text: 'a', priority: 'P0' }, { text: 'b', priority: 'P2' }], (t) => ({ category: 'bug', priority: t === 'a' ? 'P1' : 'P2' }));
    expect(r.priority_urgent).toEqual({ support: 1, exact_recall: 0, grouped_recall: 1, grouped_precision: 1 });
    expect(scoreLines([{ text: 'e', category: 'bug' }], () => ({ category: 'bug', priority: 'P2' })).priority_urgent).toBeUndefined();
  });
});
