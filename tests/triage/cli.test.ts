/** `frontdesk triage | import | eval` run as the real CLI in a child process, on a temp database. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { TrainingRepo } from '../../src/store/training-repo.js';

const BIN = fileURLToPath(new URL('../../bin/frontdesk.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'frontdesk-triage-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup(name: string, config: object = {}) {
  const cfg = join(dir, `${name}.config.json`);
  writeFileSync(cfg, JSON.stringify(config));
  const db = join(dir, `${name}.db`);
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      env: { ...process.env, FRONTDESK_DB: db, FRONTDESK_CONFIG: cfg, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { run, db };
}

function file(name: string, lines: (object | string)[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`);
  return path;
}

function stored(db: string): number {
  const h = openDatabase(db);
  try {
    return new TrainingRepo(h).count();
  } finally {
    h.close();
  }
}

describe('frontdesk triage', () => {
  const { run } = setup('triage');

  it('--json prints exactly category, priority, signals and is_request', () => {
    const r = run('triage', '--json', 'Production is down for all our customers since 10:02');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['category', 'is_request', 'priority', 'signals']);
    expect(out.category).toBe('outage');
    expect(['P0', 'P1']).toContain(out.priority);
    expect(out.is_request).toBe(true);
    expect(out.signals).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'category', source: 'rule:outage', label: 'matched "is down"' })]));
    for (const s of out.signals) expect(Object.keys(s)).toEqual(expect.arrayContaining(['kind', 'label', 'source']));
  });

  it('prints a readable answer, and knows thanks is not a request', () => {
    const r = run('triage', 'thanks,', 'that', 'fixed', 'it!');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/is_request: false/);
    const p = run('triage', "we got charged twice");
    expect(p.stdout).toMatch(/category:\s+billing/);
    expect(p.stdout).toMatch(/matched "charged twice"\s+\[rule:billing-error\]/);
  });
});

describe('frontdesk import', () => {
  const config = { categories: ['bug', 'billing', 'shipping', 'question', 'other'] };

  it('stores good lines, reports bad ones by number, and trains the learner on them', () => {
    const { run, db } = setup('import', config);
    const parcels = ['my parcel never arrived', 'tracking number shows nothing', 'the courier lost our parcel', 'parcel stuck at the depot for days', 'delivery is a week late', 'courier left the parcel at the wrong door'];
    const path = file('history.jsonl', [...parcels.map((text) => ({ text, category: 'shipping', priority: 'P2' })), 'not json', { text: '' }, { text: 'the invoice total is off', category: 'billing' }]);
    const r = run('import', path);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/line 7: not valid JSON/);
    expect(r.stderr).toMatch(/line 8: "text" is empty/);
    expect(r.stdout).toMatch(/imported 7 example\(s\)/);
    expect(r.stdout).toMatch(/learner trained on \d+ category/);
    expect(stored(db)).toBe(7);
    const t = JSON.parse(run('triage', '--json', 'where is my parcel? tracking shows nothing').stdout);
    expect(t.category).toBe('shipping');
  });

  it('refuses unknown labels, naming them and their lines, and stores nothing', () => {
    const { run, db } = setup('import-unknown', config);
    const path = file('unknown.jsonl', [{ text: 'a', category: 'bug' }, { text: 'b', category: 'logistics' }, { text: 'c', priority: 'urgent' }]);
    const r = run('import', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown category label\(s\) "logistics" \(line 2\)/);
    expect(r.stderr).toMatch(/unknown priority label\(s\) "urgent" \(line 3\)/);
    expect(stored(db)).toBe(0);
  });

  it('fails when every line is bad', () => {
    const { run } = setup('import-bad', config);
    const r = run('import', file('bad.jsonl', ['nope', '{"text": 1}']));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no usable lines/);
  });
});

describe('frontdesk eval', () => {
  const { run } = setup('eval');
  const billing = ['we were charged twice', 'refund our last invoice', 'card declined at checkout', 'invoice has the wrong vat number', 'need a receipt for march', 'billing address is outdated'];
  const bugs = ['the app crashes on start', 'error 500 when saving', 'button does nothing', 'page shows a stack trace', 'editor freezes when pasting', 'search returns archived items'];
  const lines = [...billing.map((text) => ({ text, category: 'billing' })), ...bugs.map((text) => ({ text, category: 'bug' }))];

  it('--json prints one object with n, category and priority (null when no line has it)', () => {
    const r = run('eval', '--json', file('eval.jsonl', lines));
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['n', 'category', 'priority', 'by_language']);
    expect(out.n).toBe(12);
    expect(out.priority).toBeNull();
    expect(Object.keys(out.category)).toEqual(['accuracy', 'macro_f1', 'per_class', 'confusion']);
    expect(out.category.per_class.billing).toEqual({ precision: expect.any(Number), recall: expect.any(Number), f1: expect.any(Number), support: 6 });
    const row = out.category.confusion.billing as Record<string, number>;
    expect(Object.values(row).reduce((a, b) => a + b, 0)).toBe(6);
    expect(out.category.accuracy).toBeGreaterThan(0.8);
  });

  it('--json stays one JSON object when lines are bad or cut; the warnings go to stderr', () => {
    const messy = file('messy.jsonl', [...lines, { text: `the app crashes ${'x'.repeat(41_000)}`, category: 'bug' }, 'not json at all']);
    const r = run('eval', '--json', messy);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).n).toBe(13);
    expect(r.stderr).toMatch(/bad line/);
    expect(r.stderr).toMatch(/were cut to that length/);
  });

  it('refuses labels outside the taxonomy, unless --train or --folds defines the classes', () => {
    const odd = file('odd.jsonl', [...lines, { text: 'my parcel is late', category: 'shipping' }, { text: 'courier lost it', category: 'shipping' }]);
    const r = run('eval', odd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown category label\(s\) "shipping" \(lines 13, 14\)/);
    const cv = run('eval', '--json', '--folds', '2', odd);
    expect(cv.code, cv.stderr).toBe(0);
    expect(Object.keys(JSON.parse(cv.stdout).category.per_class).sort()).toEqual(['billing', 'bug', 'shipping']);
  });

  it('--train scores a fresh learner limited to the classes it was trained on', () => {
    const train = file('train.jsonl', [...lines.map((l) => ({ ...l, priority: 'P3' }))]);
    const test = file('test.jsonl', [{ text: 'we were charged twice again', category: 'billing', priority: 'P3' }, { text: 'the app crashes when saving', category: 'bug', priority: 'P2' }]);
    const r = run('eval', '--json', '--train', train, test);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.n).toBe(2);
    expect(Object.keys(out.category.per_class).sort()).toEqual(['billing', 'bug']);
    // P3 is the only priority in the training file, so it is the only one predicted
    expect(out.priority.confusion).toEqual({ P2: { P2: 0, P3: 1 }, P3: { P2: 0, P3: 1 } });
  });

  it('reports per-language figures, and with --explain the signals behind each wrong answer', () => {
    const multi = file('multi.jsonl', [
      { text: 'we were charged twice', category: 'billing', priority: 'P2', lang: 'en' },
      { text: 'Die Rechnung wurde doppelt abgebucht', category: 'billing', priority: 'P2' },
      { text: 'Production is down for all our customers', category: 'billing', priority: 'P3' },
    ]);
    const r = run('eval', '--json', '--explain', multi);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.by_language).toEqual({
      de: { n: 1, category_accuracy: 1, priority_accuracy: 1 },
      en: { n: 2, category_accuracy: 0.5, priority_accuracy: 0.5 },
    });
    // Every line has a priority: the report says how right the "low confidence" answers were.
    const pc = out.priority_confidence;
    expect(pc.low.n + pc.confident.n).toBe(3);
    expect(pc.confident.accuracy).toBeCloseTo((2 - (pc.low.n ? pc.low.n * pc.low.accuracy : 0)) / pc.confident.n, 4);
    expect(out.misses).toHaveLength(1);
    expect(out.misses[0]).toMatchObject({ line: 3, lang: 'en', gold: { category: 'billing', priority: 'P3' }, predicted: { category: 'outage', priority: 'P0' } });
    expect(out.misses[0].signals.join('\n')).toMatch(/priority=P0: outage affecting many users \[rule:outage-wide\]/);
    const text = run('eval', '--explain', multi);
    expect(text.stdout).toMatch(/by language/);
    expect(text.stdout).toMatch(/priority marked "low confidence": \d+ line\(s\), accuracy/);
    expect(text.stdout).toMatch(/line 3 \[en\] expected billing\/P3, got outage\/P0/);
    expect(run('eval', '--json', multi).stdout).not.toMatch(/misses/);
  });

  it('--seed reshuffles the folds and the learner; it is checked and needs --folds or --train', () => {
    const withPri = file('seeded.jsonl', lines.map((l, i) => ({ ...l, priority: i % 3 === 0 ? 'P1' : 'P2' })));
    const a = run('eval', '--json', '--folds', '3', '--seed', '7', withPri);
    expect(a.code, a.stderr).toBe(0);
    const out = JSON.parse(a.stdout);
    expect(out.priority_urgent).toMatchObject({ support: 4, exact_recall: expect.any(Number), grouped_recall: expect.any(Number) });
    expect(out.priority_urgent.grouped_precision === null || typeof out.priority_urgent.grouped_precision === 'number').toBe(true);
    // Same seed, same answer.
    expect(run('eval', '--json', '--folds', '3', '--seed', '7', withPri).stdout).toBe(a.stdout);
    expect(run('eval', '--folds', '3', '--seed', '7', withPri).stdout).toMatch(/3-fold cross-validation \(seed 7\)/);
    const bad = run('eval', '--folds', '3', '--seed', 'x', withPri);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--seed must be a whole number/);
    const alone = run('eval', '--seed', '7', withPri);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toMatch(/--seed only applies with --train or --folds/);
  });

  it('prints a readable report with the confusion matrix', () => {
    const r = run('eval', '--folds', '3', file('eval2.jsonl', lines));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3-fold cross-validation/);
    expect(r.stdout).toMatch(/category: accuracy \d\.\d{3}, macro-F1 \d\.\d{3}/);
    expect(r.stdout).toMatch(/confusion \(rows: true label, columns: predicted\)/);
    expect(r.stdout).toMatch(/priority: no line has a priority label/);
    const bad = run('eval', '--folds', '1', file('eval3.jsonl', lines));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--folds must be a whole number of at least 2/);
  });
});
