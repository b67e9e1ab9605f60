import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ENV_DROP = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'ANTHROPIC_API_KEY', 'FRONTDESK_CONFIG'];

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of ENV_DROP) if (!(k in extra)) delete e[k];
  delete e.VITEST;
  e.NODE_ENV = 'production';
  return e;
}

function start(extra: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
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

describe('npm start (adapters/main.ts)', () => {
  let child: ChildProcess | null = null;
  afterEach(() => {
    child?.kill('SIGTERM');
    child = null;
  });

  it('starts on a fresh directory with no configuration, serves /healthz and says which adapters are active', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-start-'));
    const s = start({ FRONTDESK_DB: join(dir, 'data', 'fd.db'), PORT: '0', FRONTDESK_CONFIG: '' });
    child = s.child;
    await waitFor(() => /running on http:\/\/127\.0\.0\.1:\d+/.test(s.output()) || s.child.exitCode !== null);
    const out = s.output();
    const port = Number(out.match(/127\.0\.0\.1:(\d+)/)?.[1]);
    expect(out).toContain('adapters:');
    expect(out).toContain('local playground');
    expect(out).toContain('built-in defaults');
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; adapters: string[] };
    expect(body.ok).toBe(true);
    expect(body.adapters).toEqual(['local']);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect((await page.text()).toLowerCase()).toContain('local development surface');
  });

  it('refuses to start on a broken config, naming every problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-start-'));
    const cfg = join(dir, 'bad.yaml');
    writeFileSync(cfg, 'sla:\n  P1: { firstResponse: "4 hours", resolution: 1d }\ntimezone: Nowhere/City\n');
    const s = start({ FRONTDESK_DB: join(dir, 'fd.db'), PORT: '0', FRONTDESK_CONFIG: cfg });
    child = s.child;
    const code = await s.exited;
    expect(code).toBe(1);
    expect(s.output()).toContain('sla.P1.firstResponse: expected a duration like "4h", got "4 hours"');
    expect(s.output()).toContain('timezone: expected an IANA time zone');
  });
});
