import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { createCore } from '../../src/app.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['bin/frontdesk.js', ...args], { env: { ...process.env, FRONTDESK_CONFIG: '', ...env, VITEST: '' }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('frontdesk CLI (child process)', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'frontdesk-cli-'));
    db = join(dir, 'fd.db');
    const core = createCore({ config: parseConfig({ agents: ['U_A'] }), db: openDatabase(db), clock: new ManualClock(Date.parse('2026-11-20T10:00:00Z')), env: { LOG_LEVEL: 'silent' } });
    const a = core.tickets.open({ platform: 'cli', channelId: 'C1', requesterId: 'U_C', text: 'Production is down for all users', force: true }).ticket!;
    core.tickets.open({ platform: 'cli', channelId: 'C1', requesterId: 'U_C', text: 'How do I export invoices to CSV?', force: true });
    core.tickets.resolve(a.key, 'U_A', 'restarted the load balancer');
    await core.close();
  });

  it('prints help', () => {
    const r = cli(['--help'], { FRONTDESK_DB: db });
    expect(r.code).toBe(0);
    for (const c of ['triage', 'tickets', 'migrate', 'backup', 'import', 'eval']) expect(r.out).toContain(c);
  });

  it('lists tickets, as a table and as JSON, filtered by status', () => {
    const table = cli(['tickets', 'list'], { FRONTDESK_DB: db });
    expect(table.code).toBe(0);
    expect(table.out).toContain('T-1001');
    expect(table.out).toContain('2 ticket(s)');
    const json = JSON.parse(cli(['tickets', 'list', '--status', 'resolved', '--json'], { FRONTDESK_DB: db }).out) as { key: string; status: string }[];
    expect(json).toEqual([expect.objectContaining({ key: 'T-1001', status: 'resolved' })]);
    const bad = cli(['tickets', 'list', '--status', 'sideways'], { FRONTDESK_DB: db });
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--status must be one of');
  });

  it('shows a ticket with its timeline', () => {
    const r = cli(['tickets', 'show', 'T-1001'], { FRONTDESK_DB: db });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Production is down');
    expect(r.out).toMatch(/status .* → resolved/);
    expect(r.out).toContain('note: restarted the load balancer');
    const j = JSON.parse(cli(['tickets', 'show', 'T-1001', '--json'], { FRONTDESK_DB: db }).out) as { timeline: { type: string }[] };
    expect(j.timeline.map((e) => e.type)).toContain('status_changed');
    const missing = cli(['tickets', 'show', 'T-9'], { FRONTDESK_DB: db });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('No ticket T-9');
  });

  it('migrates and makes an online backup', () => {
    expect(cli(['migrate'], { FRONTDESK_DB: db }).out).toMatch(/up to date \(schema version \d+\)/);
    const fresh = join(dir, 'fresh.db');
    expect(cli(['migrate'], { FRONTDESK_DB: fresh }).out).toMatch(/applied migrations 1/);
    const copy = join(dir, 'copy.db');
    const r = cli(['backup', copy], { FRONTDESK_DB: db });
    expect(r.code).toBe(0);
    expect(existsSync(copy)).toBe(true);
    const c = new Database(copy, { readonly: true });
    expect((c.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n).toBe(2);
    c.close();
    expect(cli(['backup', copy], { FRONTDESK_DB: db }).err).toContain('--force');
  });

  it('refuses a corrupt database with a clear message', () => {
    const bad = join(dir, 'not-a-db.db');
    writeFileSync(bad, 'garbage'.repeat(200));
    const r = cli(['tickets', 'list'], { FRONTDESK_DB: bad });
    expect(r.code).toBe(1);
    expect(r.err).toContain('not a SQLite database');
  });
});
