/**
 * The channel a text arrived in as a learner feature: the channel block is empty without a
 * channel (so chat without one is triaged as before), lets the same words lean differently per
 * channel, and is wired from eval files, tickets and stored corrections.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { openDatabase } from '../../src/store/db.js';
import { TrainingRepo } from '../../src/store/training-repo.js';
import { type EvalLine, trainAndEvaluate } from '../../src/triage/evaluate.js';
import { FeatureExtractor } from '../../src/triage/features.js';
import { Learner } from '../../src/triage/learner.js';
import { createTriage } from '../../src/triage/triage.js';

// The same reports mean different things in two repositories: in "alpha" a sync problem is a
// bug, in "beta" (where sync is a paid add-on nobody set up) it is a question.
const subjects = ['sync stops after login', 'sync never finishes', 'sync skips a folder', 'sync is slow at night', 'sync shows an old file', 'sync loses the last edit'];
const lines: EvalLine[] = subjects.flatMap((s) => [
  { text: `${s}\n\nseen on the laptop`, category: 'bug', channel: 'alpha' },
  { text: `${s}\n\nseen on the laptop`, category: 'question', channel: 'beta' },
]);

describe('channel block', () => {
  it('is empty without a channel and pairs the channel with the first line otherwise', () => {
    const fx = new FeatureExtractor({ bits: 14 });
    const none = fx.extract('sync stops\n\nbody text');
    expect(none.split4).toBe(none.idx.length);
    const a = fx.extract('sync stops\n\nbody text', false, 'alpha');
    const b = fx.extract('sync stops\n\nbody text', false, 'beta');
    // the channel itself + one entry per first-line word
    expect(a.idx.length - a.split4).toBe(3);
    expect([...a.idx.subarray(0, a.split4)]).toEqual([...none.idx]);
    expect([...a.idx.subarray(a.split4)]).not.toEqual([...b.idx.subarray(b.split4)]);
    let sq = 0;
    for (let j = a.split4; j < a.idx.length; j++) sq += a.val[j]! ** 2;
    expect(Math.sqrt(sq)).toBeCloseTo(fx.opts.channelWeight, 5);
    expect(new FeatureExtractor({ bits: 14, channelWeight: 0 }).extract('sync stops', false, 'alpha').split4).toBe(fx.extract('sync stops').idx.length);
  });

  it('lets the learner tell the same words apart by channel; the priority head ignores it', () => {
    const l = new Learner(['bug', 'question']);
    l.train(lines.map((x) => ({ ...x, priority: 'P3' })));
    expect(l.predict('sync stops after login\n\nseen on the laptop', 'alpha').category!.label).toBe('bug');
    expect(l.predict('sync stops after login\n\nseen on the laptop', 'beta').category!.label).toBe('question');
    const unknown = l.predict('sync stops after login\n\nseen on the laptop').category!;
    expect(Math.abs(unknown.probs[0]! - unknown.probs[1]!)).toBeLessThan(0.2);
    expect([...l.predict('sync is slow', 'alpha').priority!.probs]).toEqual([...l.predict('sync is slow', 'beta').priority!.probs]);
  });

  it('learns a correction in its channel', () => {
    const l = new Learner(['bug', 'question']);
    l.train(lines.filter((x) => x.channel === 'alpha'));
    expect(l.predict('sync never finishes\n\nseen on the laptop', 'gamma').category!.label).toBe('bug');
    l.learn({ text: 'sync never finishes\n\nseen on the laptop', category: 'question', channel: 'gamma' }, 3);
    const learned = (channel: string) => l.predict('sync never finishes\n\nseen on the laptop', channel).category!;
    expect(learned('gamma').label).toBe('question');
    // part of what it learned is tied to that channel
    expect(learned('gamma').probs[1]!).toBeGreaterThan(learned('alpha').probs[1]!);
  });

  it('is used by eval: a line\'s channel reaches training and prediction', () => {
    const config = parseConfig({ categories: ['bug', 'question', 'other'] });
    const test = subjects.slice(0, 3).flatMap((s) => [
      { text: `${s}\n\nseen on the laptop`, category: 'bug', channel: 'alpha' },
      { text: `${s}\n\nseen on the laptop`, category: 'question', channel: 'beta' },
    ]);
    expect(trainAndEvaluate(config, lines, test, { rules: false }).category!.accuracy).toBe(1);
    const blind = (xs: EvalLine[]) => xs.map(({ channel: _, ...x }) => x);
    expect(trainAndEvaluate(config, blind(lines), blind(test), { rules: false }).category!.accuracy).toBeLessThan(1);
  });

  it('comes back with stored corrections: the retrained learner knows their ticket\'s channel', () => {
    const db = openDatabase(':memory:');
    try {
      const now = 1_700_000_000_000;
      const ticket = (id: number, channel: string) =>
        db
          .prepare(
            `INSERT INTO tickets (id, key, platform, channel_id, requester_id, title, text, category, priority, status, team, sla, created_at, updated_at)
             VALUES (?, ?, 'slack', ?, 'U1', 't', 't', 'bug', 'P3', 'new', 'support', '{}', ?, ?)`,
          )
          .run(id, `T-${id}`, channel, now, now);
      const repo = new TrainingRepo(db);
      lines.forEach((x, i) => {
        ticket(i + 1, x.channel!);
        repo.add({ text: x.text, category: x.category!, source: 'correction', ticketId: i + 1 }, now);
      });
      repo.add({ text: 'an import without a ticket', category: 'bug', source: 'import' }, now);
      const recent = repo.recent(100);
      expect(recent.slice(0, 2).map((e) => e.channelId)).toEqual(['alpha', 'beta']);
      expect(recent.at(-1)!.channelId).toBeNull();
      const triage = createTriage(parseConfig({ categories: ['bug', 'question', 'other'] }), db);
      const text = 'sync skips a folder\n\nseen on the laptop';
      const p = (channelId: string) => triage.learner!.predict(text, channelId).category!;
      expect(p('alpha').probs[0]!).toBeGreaterThan(p('beta').probs[0]!);
      expect(p('beta').probs[1]!).toBeGreaterThan(p('alpha').probs[1]!);
    } finally {
      db.close();
    }
  });
});
