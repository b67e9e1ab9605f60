/** `frontdesk knowledge …` run as the real CLI in a child process, on a temp database and folder. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EVAL_FILE, FIXTURE_DIR, scratchFolder } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/frontdesk.js', import.meta.url));
const folder = scratchFolder();
afterAll(() => folder.cleanup());

function run(config: object, ...args: string[]) {
  const cfg = join(folder.dir, 'config.json');
  writeFileSync(cfg, JSON.stringify(config));
  const r = spawnSync(process.execPath, [BIN, 'knowledge', ...args], {
    env: { ...process.env, FRONTDESK_DB: join(folder.dir, 'desk.db'), FRONTDESK_CONFIG: cfg, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('frontdesk knowledge', () => {
  it('imports a folder, searches (--json), lists and refuses to remove a file answer', () => {
    const imp = run({}, 'import', FIXTURE_DIR);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('17 file(s); 18 added, 0 updated, 0 removed');
    const s = run({}, 'search', '--json', 'How do I reset my password?');
    expect(s.code, s.stderr).toBe(0);
    const out = JSON.parse(s.stdout);
    expect(out.decision).toMatchObject({ offer: true, answer_id: 'reset-password', declined: null });
    expect(out.decision.explanation).toContain('matched "reset", "password" in "How to reset your password"');
    expect(out.results[0]).toMatchObject({ id: 'reset-password', matched: ['reset', 'password'] });
    const list = JSON.parse(run({}, 'list', '--json').stdout);
    expect(list).toHaveLength(18);
    const rm = run({}, 'remove', 'invoices');
    expect(rm.code).toBe(1);
    expect(rm.stderr).toContain('delete or edit that file instead');
  });

  it('eval --json reports precision, coverage and false offers; unknown answer ids are an error', () => {
    const r = run({}, 'eval', '--json', '--dir', FIXTURE_DIR, EVAL_FILE);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.n).toBe(95);
    expect(rep.precision).toBeGreaterThanOrEqual(0.9);
    expect(rep.coverage).toBeGreaterThanOrEqual(0.5);
    expect(rep.false_offer_rate).toBeLessThanOrEqual(0.05);
    expect(rep.mistakes).toBeUndefined();
    const bad = join(folder.dir, 'bad.jsonl');
    writeFileSync(bad, '{"text":"hi","answer_id":"no-such-answer"}\n');
    const e = run({}, 'eval', '--dir', FIXTURE_DIR, bad);
    expect(e.code).toBe(1);
    expect(e.stderr).toContain('unknown answer id(s) "no-such-answer"');
  });

  it('reads knowledge.paths before every command, and says what is wrong with the config', () => {
    folder.write('rename-board.md', '---\ncategory: question\n---\n# Rename a board\nBoard menu, Rename.');
    const cfg = { knowledge: { paths: [folder.dir] } };
    const r = run(cfg, 'list');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/rename-board\s+question\s+file\s+Rename a board/);
    const bad = run({ knowledge: { match: { categoryThresholds: { biling: 0.7 } } } }, 'list');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('knowledge.match.categoryThresholds: unknown category "biling"');
  });
});
