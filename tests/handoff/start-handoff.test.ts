/**
 * `npm start` with the engineering hand-off: a configured tracker without its token stops
 * start-up naming the variable; with it the banner lists the tracker (the token is then checked in the background; see tracker-check.test.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const DROP = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'ANTHROPIC_API_KEY', 'GITHUB_TOKEN', 'JIRA_EMAIL', 'JIRA_API_TOKEN', 'LINEAR_API_KEY', 'VITEST'];

function start(extra: Record<string, string>) {
  const e: NodeJS.ProcessEnv = { ...process.env };
  for (const k of DROP) delete e[k];
  Object.assign(e, extra, { NODE_ENV: 'production' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += String(d);
  });
  child.stderr!.on('data', (d) => {
    out += String(d);
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

let child: ChildProcess | null = null;
afterEach(() => {
  child?.kill('SIGTERM');
  child = null;
});

describe('npm start with trackers configured', () => {
  it('refuses to start without GITHUB_TOKEN, naming it; starts with it and lists the tracker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-handoff-start-'));
    const cfg = join(dir, 'frontdesk.config.yaml');
    writeFileSync(cfg, 'trackers:\n  github: { repo: acme/app }\n');
    const bad = start({ FRONTDESK_DB: join(dir, 'a.db'), PORT: '0', FRONTDESK_CONFIG: cfg });
    child = bad.child;
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('GITHUB_TOKEN is not set');

    const good = start({ FRONTDESK_DB: join(dir, 'b.db'), PORT: '0', FRONTDESK_CONFIG: cfg, GITHUB_TOKEN: 'ghp_not_used_at_start', GITHUB_API_URL: 'http://127.0.0.1:9' });
    child = good.child;
    const until = Date.now() + 30_000;
    while (!/running on http/.test(good.output()) && good.child.exitCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(good.output()).toMatch(/trackers: github/);
    expect(good.output()).not.toContain('ghp_not_used_at_start');
  });
});
