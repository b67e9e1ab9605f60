/**
 * What a new user hits on the command line (issue #11, item 8): a closed pipe, a backup to a
 * folder that does not exist, `--version`, and the playground's moved clock.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/app.js';
import { registerTicketsCommands } from '../../src/cli/tickets-commands.js';
import { parseConfig } from '../../src/config/load-config.js';
import { CLOCK_AHEAD_SETTING } from '../../adapters/local/playground-defaults.js';
import { PlaygroundStore } from '../../adapters/local/playground-store.js';
import { ManualClock } from '../../src/ports/clock.js';
import { createCliContext, openAppDatabase } from '../../adapters/compose.js';

const CHILD_ENV = { ...process.env, FRONTDESK_CONFIG: '', VITEST: '', LOG_LEVEL: 'silent' };
const T0 = Date.parse('2026-11-20T10:00:00Z');

describe('frontdesk CLI for a new user', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'frontdesk-cli-first-'));
    db = join(dir, 'fd.db');
    const core = createCore({ config: parseConfig({ agents: ['U_A'] }), db: openAppDatabase(db), clock: new ManualClock(T0), env: { LOG_LEVEL: 'silent' } });
    // A P0 (first response due in 1 h) among a few more rows of output.
    core.tickets.open({ platform: 'cli', channelId: 'C1', requesterId: 'U_C', text: 'Production is down for all users, every request fails', force: true });
    for (let i = 0; i < 5; i++) core.tickets.open({ platform: 'cli', channelId: 'C1', requesterId: 'U_C', text: `How do I export invoices number ${i} to CSV?`, force: true });
    await core.close();
  });

  it('stops quietly when the reader closes the pipe (`frontdesk tickets list | head -2`)', async () => {
    const child = spawn(process.execPath, ['bin/frontdesk.js', 'tickets', 'list'], { env: { ...CHILD_ENV, FRONTDESK_DB: db }, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader is gone before the command writes a line: every write meets a closed pipe.
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(err).not.toContain('EPIPE');
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('says in one line what to fix when the backup folder does not exist', async () => {
    const target = join(dir, 'no', 'such', 'dir', 'x.db');
    const r = spawnSync(process.execPath, ['bin/frontdesk.js', 'backup', target], { env: { ...CHILD_ENV, FRONTDESK_DB: db }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`the folder ${join(dir, 'no', 'such', 'dir')} does not exist`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints its version from package.json', () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    const r = spawnSync(process.execPath, ['bin/frontdesk.js', '--version'], { env: CHILD_ENV, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('runs on the playground’s clock when the playground moved it ahead', async () => {
    const out: string[] = [];
    const store = new PlaygroundStore(openAppDatabase(db));
    // 30 minutes after the ticket was opened (real time), with the playground 2 hours ahead.
    store.setSetting(CLOCK_AHEAD_SETTING, String(2 * 3_600_000));
    store.db.close();
    const ctx = createCliContext({ FRONTDESK_DB: db, FRONTDESK_CONFIG: '', LOG_LEVEL: 'silent' }, (s) => out.push(s), new ManualClock(T0 + 30 * 60_000));
    const program = new Command().exitOverride();
    registerTicketsCommands(program, ctx);
    try {
      await program.parseAsync(['tickets', 'show', 'T-1001'], { from: 'user' });
    } finally {
      await ctx.close();
    }
    const text = out.join('\n');
    // Real time says "due in 30m"; the playground (and so the timeline's breach lines) says overdue.
    expect(text).toMatch(/First response:\s+first response overdue by 1h 30m/);
    expect(text).not.toContain('first response due in');
    const fresh = openAppDatabase(db);
    new PlaygroundStore(fresh).setSetting(CLOCK_AHEAD_SETTING, '0');
    fresh.close();
  });
});
