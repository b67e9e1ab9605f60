/**
 * `frontdesk digest` as a child process (the real entry point), and its numbers against
 * `frontdesk tickets list` for the same period, on a desk whose time zone is not UTC (tickets
 * near local midnight land on the right day in both).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT2, OWNER, makeDesk, tempDir } from '../sla-watcher/helpers.js';

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['bin/frontdesk.js', ...args], { env: { ...process.env, ...env, VITEST: '', LOG_LEVEL: 'silent' }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('frontdesk digest (child process)', () => {
  const tmp = tempDir();
  const env = { FRONTDESK_DB: join(tmp.dir, 'fd.db'), FRONTDESK_CONFIG: join(tmp.dir, 'frontdesk.config.yaml') };
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    writeFileSync(env.FRONTDESK_CONFIG, ['timezone: Europe/Berlin', `agents: [${OWNER}, ${AGENT2}]`, 'digest:', '  channels: [C0LEADS]', ''].join('\n'));
    const d = makeDesk({ dbPath: env.FRONTDESK_DB, config: { timezone: 'Europe/Berlin' }, start: Date.parse('2026-11-22T22:30:00Z') });
    const open = (iso: string, name: string, text: string, priority: 'P1' | 'P2' | 'P3') => {
      d.clock.set(Date.parse(iso));
      keys[name] = d.open(text, { priority }).key;
    };
    open('2026-11-22T22:30:00Z', 'sunLate', 'Reports page is blank in Safari', 'P3'); // Sun 23:30 Berlin
    open('2026-11-22T23:30:00Z', 'monEarly', 'Cannot reset my password from the app', 'P2'); // Mon 00:30 Berlin (Sunday in UTC)
    open('2026-11-23T12:00:00Z', 'monNoon', 'Invoice total is rounded wrongly', 'P2');
    open('2026-11-23T22:30:00Z', 'monLate', 'Sync with the calendar stopped working', 'P1'); // Mon 23:30 Berlin
    open('2026-11-23T23:30:00Z', 'tueEarly', 'Audit log export is empty', 'P3'); // Tue 00:30 Berlin (Monday in UTC)
    d.clock.set(Date.parse('2026-11-23T13:00:00Z'));
    d.core.tickets.resolve(keys.monNoon!, OWNER);
    await d.close();
  });
  afterAll(() => tmp.remove());

  it('prints the digest as text, and its numbers agree with `tickets list` for the same period', () => {
    const text = cli(['digest', '--date', '2026-11-24'], env);
    expect(text.code).toBe(0);
    expect(text.out).toContain('DAILY DIGEST · TUE 24 NOV · COVERS MON 23 NOV');
    expect(text.out).toContain('New 3');

    const json = cli(['digest', '--date', '2026-11-24', '--json'], env);
    expect(json.code).toBe(0);
    const digest = JSON.parse(json.out) as { new: { count: number; keys: string[] }; resolved: { count: number }; open: { count: number }; openByPriority: Record<string, number>; period: { zone: string } };
    expect(digest.period.zone).toBe('Europe/Berlin');
    expect(digest.new.keys).toEqual([keys.monEarly, keys.monNoon, keys.monLate]);

    const created = JSON.parse(cli(['tickets', 'list', '--from', '2026-11-23', '--to', '2026-11-24', '--json'], env).out) as { key: string }[];
    expect(created.length).toBe(digest.new.count);
    expect(created.map((t) => t.key).sort()).toEqual([...digest.new.keys].sort());

    const open = JSON.parse(cli(['tickets', 'list', '--status', 'open', '--json'], env).out) as { key: string; priority: string }[];
    expect(open.length).toBe(digest.open.count);
    for (const p of ['P0', 'P1', 'P2', 'P3', 'P4']) expect(open.filter((t) => t.priority === p).length).toBe(digest.openByPriority[p]);
    expect(digest.resolved.count).toBe(1);
  });

  it('the weekly summary and a channel option; bad dates are refused with a clear message', () => {
    const weekly = JSON.parse(cli(['digest', '--weekly', '--date', '2026-11-30', '--channel', 'C0LEADS', '--json'], env).out) as { new: { count: number }; period: { kind: string; days: number } };
    expect(weekly.period).toMatchObject({ kind: 'weekly', days: 7 });
    expect(weekly.new.count).toBe(4); // Mon 23 00:00 → Mon 30 00:00 Berlin: all but the Sunday one
    const bad = cli(['digest', '--date', '23/11/2026'], env);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('expected a date like 2026-11-23');
  });
});
