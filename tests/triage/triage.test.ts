/** Triage end to end: rules + learner decisions, signals, customers, corrections, training from the store. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { InputInvalidError } from '../../src/domain/errors.js';
import { openDatabase } from '../../src/store/db.js';
import { TrainingRepo } from '../../src/store/training-repo.js';
import { Learner } from '../../src/triage/learner.js';
import { FLOOR_EVIDENCE, OWN_RULE_EVIDENCE, RULE_EVIDENCE, Triage, createTriage, seedExamples } from '../../src/triage/triage.js';

const config = parseConfig({
  customerTiers: { UENT: 'enterprise', UFREE: 'free' },
  vipCustomers: ['UVIP'],
  channels: [{ id: 'CVIP', vip: true }, { id: 'CPLAIN' }],
});
const triage = createTriage(config);
const sources = (r: { signals: { source: string }[] }) => r.signals.map((s) => s.source);

describe('classify', () => {
  it('explains an outage affecting everyone as P0', () => {
    const r = triage.classify({ text: 'Production is down for all our customers since 10:02' });
    expect(r).toMatchObject({ isRequest: true, category: 'outage', priority: 'P0' });
    expect(r.signals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'category', label: 'matched "is down"', source: 'rule:outage', value: 'outage' }),
        expect.objectContaining({ kind: 'priority', label: 'matched "all our customers"', source: 'rule:broad-impact', value: 'P1' }),
        expect.objectContaining({ kind: 'priority', label: 'matched "production"', source: 'rule:production' }),
        expect.objectContaining({ kind: 'priority', source: 'rule:outage-wide', value: 'P0' }),
      ]),
    );
    expect(r.confidence.category).toBeGreaterThan(0.5);
    expect(r.confidence.category).toBeLessThanOrEqual(1);
  });

  it.each([
    ["hi, I can't log in", 'access', 'rule:login-blocked'],
    ['we were charged twice for March', 'billing', 'rule:billing-error'],
    ['I think our admin account was hacked', 'security', 'rule:security-incident'],
    ['would be nice to have a calendar view', 'feature_request', 'rule:feature-request'],
    ['how do I change the logo in the sidebar?', 'question', 'rule:question'],
    ['the dashboard is really slow today', 'performance', 'rule:performance'],
  ])('%j → %s with signal %s', (text, category, source) => {
    const r = triage.classify({ text });
    expect(r.isRequest).toBe(true);
    expect(r.category).toBe(category);
    expect(sources(r)).toContain(source);
  });

  it('puts hard priority floors on data loss and security incidents', () => {
    expect(triage.classify({ text: 'we lost all our data after the update' }).priority).toBe('P0');
    expect(triage.classify({ text: 'our account was hacked' }).priority).toBe('P0');
    expect(triage.classify({ text: 'hi, I cannot log in' }).priority).toMatch(/^P[012]$/);
  });

  it('says why the learner decided, naming the words that weighed', () => {
    const r = triage.classify({ text: 'the invoice pdf shows last year' });
    const learned = r.signals.find((s) => s.source === 'learner' && s.kind === 'category');
    expect(learned?.value).toBe(r.category);
    expect(learned?.label).toMatch(/^learned from past requests/);
  });

  it('recognises greetings, thanks and chit-chat as not a request', () => {
    for (const text of ['hi', 'thanks, that fixed it!', 'ok', 'good morning', '👍', '']) {
      const r = triage.classify({ text });
      expect(r.isRequest, text).toBe(false);
      expect(r.signals[0]).toMatchObject({ kind: 'request', value: 'false' });
    }
    expect(triage.classify({ text: "hi, I can't log in" }).isRequest).toBe(true);
  });

  it('never throws on odd text and strips control characters', () => {
    const odd = ['\u0000\u0007\u001b[31m', '\uD800 lone surrogate', '((((([[[[*+?', 'x'.repeat(40_000), '🔥'.repeat(5000), '   \n\t  ', 'a\u202Eb'];
    for (const text of odd) expect(() => triage.classify({ text })).not.toThrow();
    expect(triage.classify({ text: '   \n\t  ' }).isRequest).toBe(false);
    const r = triage.classify({ text: 'we got charged\u0000 twice' });
    expect(r.category).toBe('billing');
    expect(JSON.stringify(r.signals)).not.toMatch(/\\u0000/);
    expect(() => triage.classify({} as never)).not.toThrow();
    expect(triage.classify(null as never).isRequest).toBe(false);
  });
});

describe('customers', () => {
  const text = 'the csv export is missing a column';
  const base = triage.classify({ text }).priority;

  it('raises priority one step for enterprise customers, with a signal', () => {
    expect(base).toBe('P2');
    const r = triage.classify({ text, requesterId: 'UENT' });
    expect(r.priority).toBe('P1');
    expect(r.signals).toContainEqual({ kind: 'priority', label: 'enterprise customer', source: 'tier', value: 'P1' });
    expect(triage.classify({ text, requesterId: 'UFREE' }).priority).toBe('P2');
  });

  it('raises VIP customers and VIP channels to at least P2, with a signal', () => {
    const low = 'would be nice to have a calendar view';
    expect(triage.classify({ text: low }).priority).toBe('P4');
    const vip = triage.classify({ text: low, requesterId: 'UVIP' });
    expect(vip.priority).toBe('P2');
    expect(vip.signals).toContainEqual({ kind: 'priority', label: 'VIP customer', source: 'vip', value: 'P2' });
    expect(triage.classify({ text: low, channelId: 'CVIP' })).toMatchObject({ priority: 'P2' });
    expect(triage.classify({ text: low, channelId: 'CPLAIN' })).toMatchObject({ priority: 'P4' });
    expect(triage.classify({ text: low, channelId: 'CPLAIN', vipChannel: true })).toMatchObject({ priority: 'P2' });
    // never lowers: an outage stays P0
    expect(triage.classify({ text: 'Production is down for all users', requesterId: 'UVIP' }).priority).toBe('P0');
  });
});

describe('built-in hints fade', () => {
  it("faster with the desk's own history than with the shipped seed examples", () => {
    const learner = new Learner(config.categories);
    learner.train(Array.from({ length: 200 }, (_, i) => ({ text: `where do I find report number ${i}?`, category: 'question' })));
    const n = learner.category.seen;
    const hint = (t: Triage) =>
      t.classify({ text: 'would be nice to have a calendar view' }).signals.find((s) => s.source === 'rule:feature-request')?.weight;
    // The same 200 examples, once as shipped seeds and once as the desk's own history.
    const asSeeds = hint(new Triage(config, { learner, shipped: { category: n, priority: 0 } }));
    const asOwn = hint(new Triage(config, { learner }));
    expect(asSeeds).toBeCloseTo(2.5 * (RULE_EVIDENCE / (RULE_EVIDENCE + n)), 2);
    expect(asOwn).toBeCloseTo(2.5 * (OWN_RULE_EVIDENCE / (OWN_RULE_EVIDENCE + n)), 2);
    expect(asOwn!).toBeLessThan(asSeeds!);
  });
});

describe('rules that mark P0', () => {
  it('are never overridden downward by the learner, however it was trained', () => {
    const learner = new Learner(config.categories);
    const texts = ['production is down for all users', 'the site is down for everyone', 'service outage for all customers', 'we lost all our data'];
    learner.train(Array.from({ length: 30 }, (_, i) => ({ text: `${texts[i % texts.length]} ${i}`, category: 'question', priority: 'P4', weight: 5 })));
    const t = new Triage(config, { learner });
    for (const text of texts) {
      const r = t.classify({ text });
      expect(learner.predict(text).priority?.label, text).toBe('P4');
      expect(r.priority, text).toBe('P0');
    }
  });

  it('stay floors however much history a desk has; floors below P0 become hints once it has its own', () => {
    const topics = ['docs', 'readme', 'changelog', 'help page', 'tooltip text'];
    const own = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        i % 4 === 3
          ? { text: `the export job fails with an error on report ${i}`, category: 'bug', priority: 'P1' as const }
          : { text: `urgent: please reword the ${topics[i % topics.length]} section ${i}`, category: 'question', priority: 'P3' as const },
      );
    const wordy = 'urgent: please reword the docs section about exports';
    const withHistory = (n: number) => {
      const learner = new Learner(config.categories);
      learner.train([...own(n), ...Array.from({ length: 40 }, (_, i) => ({ text: `production is down for all users ${i}`, category: 'outage', priority: 'P4' as const }))]);
      return new Triage(config, { learner });
    };
    // Little history of its own: "urgent" is still a P1 floor.
    expect(withHistory(FLOOR_EVIDENCE - 100).classify({ text: wordy }).priority).toBe('P1');
    // Enough: this desk's "urgent" on a wording request is P3, and the card still names the hint.
    const t = withHistory(FLOOR_EVIDENCE + 100);
    const r = t.classify({ text: wordy });
    expect(r.priority).toBe('P3');
    expect(r.signals).toContainEqual(expect.objectContaining({ kind: 'priority', source: 'rule:urgent', value: 'P1', weight: 1.5 }));
    // P0 floors are never lowered, even by a history that labelled the very phrase P4.
    expect(t.classify({ text: 'production is down for all users' }).priority).toBe('P0');
    // The shipped seed examples are not a desk's own history: zero-shot, "urgent" is a floor.
    expect(triage.classify({ text: wordy }).priority).toBe('P1');
  });

  it('include config rules, which also set priorities and categories', () => {
    const cfg = parseConfig({
      triage: {
        rules: [
          { id: 'ceo', match: ['ceo'], priority: 'P0' },
          { id: 'legal', match: ['/\\bsubpoena\\b/'], category: 'other', priority: 'P3', label: 'legal request' },
        ],
      },
    });
    const t = createTriage(cfg);
    expect(t.classify({ text: 'the CEO wants a feature: dark mode would be nice' }).priority).toBe('P0');
    const legal = t.classify({ text: 'we got a subpoena, how do I export our data?' });
    expect(legal).toMatchObject({ category: 'other', priority: 'P3' });
    expect(legal.signals).toContainEqual({ kind: 'priority', label: 'legal request', source: 'rule:legal', value: 'P3' });
  });
});

describe('without a learner', () => {
  it('decides from rules alone, and falls back sensibly', () => {
    const t = new Triage(parseConfig({ triage: { learner: false } }));
    expect(t.learner).toBeNull();
    expect(t.classify({ text: 'we got charged twice' })).toMatchObject({ category: 'billing', priority: 'P2' });
    expect(t.classify({ text: 'the zorblax thing?' })).toMatchObject({ category: 'question', priority: 'P3' });
    expect(t.classify({ text: 'the zorblax thing' })).toMatchObject({ category: 'other', confidence: { category: 0 } });
    expect(() => t.learn({ text: 'x y z', category: 'bug' })).not.toThrow();
  });
});

describe('learn (corrections)', () => {
  it('changes the next prediction for similar text', () => {
    const t = createTriage(config);
    const before = t.classify({ text: 'the warehouse scanner shows a red light' });
    expect(before.category).not.toBe('data');
    expect(before.priority).not.toBe('P1');
    t.learn({ text: 'the warehouse scanner shows a red light again', category: 'data', priority: 'P1' });
    const after = t.classify({ text: 'the warehouse scanner shows a red light' });
    expect(after).toMatchObject({ category: 'data', priority: 'P1' });
    expect(after.signals).toContainEqual(expect.objectContaining({ kind: 'category', source: 'learner', value: 'data' }));
    // unrelated text keeps its category
    expect(t.classify({ text: 'we were charged twice' }).category).toBe('billing');
  });

  it('can overrule a built-in category hint', () => {
    const t = createTriage(config);
    const text = 'the export to our accounting tool fails every night';
    expect(t.classify({ text }).category).not.toBe('billing');
    t.learn({ text, category: 'billing' });
    expect(t.classify({ text: 'the export to our accounting tool fails every night again' }).category).toBe('billing');
  });

  it('rejects labels outside the taxonomy', () => {
    expect(() => triage.learn({ text: 'x', category: 'nope' })).toThrow(InputInvalidError);
    expect(() => triage.learn({ text: 'x', priority: 'P9' as never })).toThrow(/unknown priority "P9"/);
  });
});

describe('createTriage', () => {
  const cfg = parseConfig({ categories: [...config.categories, 'shipping'] });
  const parcels = ['my parcel never arrived', 'tracking number shows nothing', 'the courier lost our parcel', 'parcel stuck at the depot', 'delivery is a week late', 'courier left the parcel at the wrong door'];

  it('trains from the seed examples when there is no db', () => {
    expect(seedExamples().length).toBeGreaterThanOrEqual(300);
    const t = createTriage(cfg);
    expect(t.learner!.category.seen).toBe(seedExamples().length);
    expect(t.classify({ text: 'where is my parcel, tracking shows nothing' }).category).not.toBe('shipping');
  });

  it('trains from training_examples in the db plus the seeds', () => {
    const db = openDatabase(':memory:');
    try {
      const repo = new TrainingRepo(db);
      repo.addMany(
        parcels.map((text) => ({ text, category: 'shipping', priority: 'P2' as const, source: 'import' })),
        1,
      );
      const t = createTriage(cfg, db);
      expect(t.learner!.category.seen).toBe(seedExamples().length + parcels.length);
      expect(t.classify({ text: 'where is my parcel, tracking shows nothing' }).category).toBe('shipping');
    } finally {
      db.close();
    }
  });

  it('skips stored labels that are no longer in the taxonomy', () => {
    const db = openDatabase(':memory:');
    try {
      new TrainingRepo(db).add({ text: 'my parcel never arrived', category: 'shipping', source: 'correction' }, 1);
      const t = createTriage(config, db);
      expect(t.learner!.category.seen).toBe(seedExamples().length);
    } finally {
      db.close();
    }
  });
});
