/**
 * `npm start` mounts the tracker webhooks: with GitHub configured but no GITHUB_WEBHOOK_SECRET a
 * delivery is refused with 503 naming the variable; a tracker that is not configured answers 404
 * saying how to set it up; the `tracker-poll` job is listed on /healthz.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const DROP = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'ANTHROPIC_API_KEY', 'GITHUB_TOKEN', 'GITHUB_WEBHOOK_SECRET', 'JIRA_EMAIL', 'JIRA_API_TOKEN', 'LINEAR_API_KEY', 'VITEST', 'FRONTDESK_SCHEDULER'];

let child: ChildProcess | null = null;
afterEach(() => {
  child?.kill('SIGTERM');
  child = null;
});

describe('npm start with a tracker configured', () => {
  it('answers tracker webhooks: 503 without the secret, 404 for a tracker not set up; tracker-poll is scheduled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-hearback-start-'));
    const cfg = join(dir, 'frontdesk.config.yaml');
    writeFileSync(cfg, 'trackers:\n  github: { repo: acme/app }\n');
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of DROP) delete env[k];
    Object.assign(env, { NODE_ENV: 'production', FRONTDESK_DB: join(dir, 'a.db'), PORT: '0', HOST: '127.0.0.1', FRONTDESK_CONFIG: cfg, GITHUB_TOKEN: 'ghp_not_used', GITHUB_API_URL: 'http://127.0.0.1:9' });
    const c = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let out = '';
    c.stdout!.on('data', (d) => {
      out += String(d);
    });
    c.stderr!.on('data', (d) => {
      out += String(d);
    });
    const until = Date.now() + 30_000;
    while (!/running on http:\/\/[\d.]+:\d+/.test(out) && c.exitCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const base = /running on (http:\/\/[\d.]+:\d+)/.exec(out)?.[1];
    expect(base, out).toBeTruthy();

    const gh = await fetch(`${base}/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'issues' }, body: '{}' });
    expect(gh.status).toBe(503);
    expect(((await gh.json()) as { message: string }).message).toContain('GITHUB_WEBHOOK_SECRET');
    const linear = await fetch(`${base}/webhooks/linear`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(linear.status).toBe(404);
    expect(((await linear.json()) as { message: string }).message).toContain('trackers.linear');
    const health = (await (await fetch(`${base}/healthz`)).json()) as { jobs: string[] };
    expect(health.jobs).toContain('tracker-poll');
  });
});
