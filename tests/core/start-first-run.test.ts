/**
 * `npm start` as a new user meets it (issue #11, item 8): a busy port is one line saying what
 * to do, and a copy of frontdesk.config.example.yaml runs the playground with a banner that
 * names the support channels — and #support still opens tickets.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ENV_DROP = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'ANTHROPIC_API_KEY', 'FRONTDESK_CONFIG', 'LOG_LEVEL'];

function start(extra: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ENV_DROP) delete env[k];
  delete env.VITEST;
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env: { ...env, NODE_ENV: 'production', ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
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

async function waitFor(pred: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm start for a new user', () => {
  let child: ChildProcess | null = null;
  let blocker: Server | null = null;
  afterEach(async () => {
    child?.kill('SIGTERM');
    child = null;
    await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
    blocker = null;
  });

  it('says in one line that the port is busy and how to choose another, without a stack trace', async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-start-busy-'));
    const s = start({ FRONTDESK_DB: join(dir, 'fd.db'), PORT: String(port), HOST: '127.0.0.1', FRONTDESK_CONFIG: '' });
    child = s.child;
    expect(await s.exited).toBe(1);
    const out = s.output();
    expect(out).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(out).toContain('set PORT to another port');
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('runs the playground on a copy of the example config: the banner names the support channels and #support opens tickets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-start-example-'));
    const cfg = join(dir, 'frontdesk.config.yaml');
    copyFileSync('frontdesk.config.example.yaml', cfg);
    const s = start({ FRONTDESK_DB: join(dir, 'fd.db'), PORT: '0', FRONTDESK_CONFIG: cfg, LOG_LEVEL: 'warn' });
    child = s.child;
    await waitFor(() => /running on http:\/\/127\.0\.0\.1:\d+/.test(s.output()) || s.child.exitCode !== null);
    const out = s.output();
    expect(out).toMatch(/support channels: C0SUPPORT, C0VIPDESK, #support/);
    const port = Number(out.match(/127\.0\.0\.1:(\d+)/)?.[1]);
    const res = await fetch(`http://127.0.0.1:${port}/local/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'alex', channelId: 'support', text: 'Checkout fails with error 502 for every customer since 10:05' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { outcome: { kind: string; result?: string } };
    expect(body.outcome).toMatchObject({ kind: 'ticket', result: 'created' });
  });
});
