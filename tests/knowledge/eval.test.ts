/** `evaluateKnowledge`: the arithmetic on a hand-counted set, and the figures on our labelled set. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateKnowledge, readKnowledgeEvalFile } from '../../src/knowledge/eval.js';
import { triageFacts } from '../../src/knowledge/match.js';
import { createTriage } from '../../src/triage/triage.js';
import { EVAL_FILE, FIXTURE_DIR, FRESH_FILE, HOLDOUT_FILE, makeKnowledge, scratchFolder } from './helpers.js';

const folder = scratchFolder();
afterAll(() => folder.cleanup());

describe('readKnowledgeEvalFile', () => {
  it('keeps good lines and says what is wrong with bad ones', () => {
    const p = join(folder.dir, 'x.jsonl');
    writeFileSync(p, ['{"text":"a","answer_id":"x"}', '{"text":"b","answer_id":null}', 'nope', '{"text":"c"}', '{"text":"","answer_id":null}', '[1]', ''].join('\n'));
    const f = readKnowledgeEvalFile(p);
    expect(f.lines).toEqual([
      { line: 1, text: 'a', answerId: 'x' },
      { line: 2, text: 'b', answerId: null },
    ]);
    expect(f.bad).toEqual([
      { line: 3, problem: 'not valid JSON' },
      { line: 4, problem: '"answer_id" is missing (use null when no known answer fits)' },
      { line: 5, problem: '"text" must be a non-empty string' },
      { line: 6, problem: 'expected an object like {"text": "...", "answer_id": "reset-password"}' },
    ]);
  });
});

describe('evaluateKnowledge', () => {
  const k = makeKnowledge();
  k.knowledge.kb.syncFolder(FIXTURE_DIR);
  const triage = createTriage(k.config);
  const facts = (text: string) => triageFacts(k.config, text, triage.classify({ text }));

  it('counts precision, coverage and false offers as defined (hand-counted set)', () => {
    const lines = [
      { line: 1, text: 'How do I reset my password?', answerId: 'reset-password' }, // right offer
      { line: 2, text: 'Where can I download my invoices?', answerId: 'invoices' }, // right offer
      { line: 3, text: 'How do I cancel my subscription?', answerId: 'export-data' }, // offered cancel-plan: wrong answer
      { line: 4, text: 'How do I export all my data?', answerId: null }, // offered export-data: false offer
      { line: 5, text: 'zebra xylophone', answerId: 'timezone' }, // missed
      { line: 6, text: 'Could you add a dark mode?', answerId: null }, // correctly nothing
    ];
    const r = evaluateKnowledge(k.knowledge.matcher, facts, lines);
    expect(r).toMatchObject({ n: 6, answerable: 4, unanswerable: 2, offers: 4, correct: 2, wrong_answer: 1, false_offers: 1, precision: 0.5, coverage: 0.5, false_offer_rate: 0.5 });
    expect(r.mistakes.map((m) => [m.line, m.offered])).toEqual([
      [3, 'cancel-plan'],
      [4, 'export-data'],
      [5, null],
    ]);
  });

  it('meets the target on our labelled set: precision ≥ 0.9, coverage ≥ 0.5, false offers ≤ 5%', () => {
    const file = readKnowledgeEvalFile(EVAL_FILE);
    expect(file.bad).toEqual([]);
    expect(file.lines.length).toBeGreaterThanOrEqual(80);
    const r = evaluateKnowledge(k.knowledge.matcher, facts, file.lines);
    expect(r.unanswerable / r.n).toBeGreaterThanOrEqual(0.35);
    expect(r.precision!).toBeGreaterThanOrEqual(0.9);
    expect(r.coverage!).toBeGreaterThanOrEqual(0.5);
    expect(r.false_offer_rate!).toBeLessThanOrEqual(0.05);
    expect(r.wrong_answer).toBe(0);
  });

  it('generalises: the sets it was not tuned on also meet the target (precision ≥ 0.9, coverage ≥ 0.5, false offers ≤ 5%)', () => {
    for (const path of [HOLDOUT_FILE, FRESH_FILE]) {
      const file = readKnowledgeEvalFile(path);
      expect(file.bad).toEqual([]);
      const r = evaluateKnowledge(k.knowledge.matcher, facts, file.lines);
      expect(r.precision!, path).toBeGreaterThanOrEqual(0.9);
      expect(r.coverage!, path).toBeGreaterThanOrEqual(0.5);
      expect(r.false_offer_rate!, path).toBeLessThanOrEqual(0.05);
    }
  });
});
