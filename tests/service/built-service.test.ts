/**
 * frontdesk as a service: `npm run build`'s script compiles to JavaScript, and the built
 * output runs under plain node (no tsx) — the CLI's --version, the playground with /healthz,
 * /metrics and its web page — and stops gracefully on SIGTERM: a request in flight when the
 * signal comes is answered, new ones are not served, the process exits 0 and the database
 * it leaves is consistent.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Built here, not in dist/, so the test never disturbs a developer's build. */
const OUT = join(ROOT, 'test-artifacts', `build-${process.pid}`);
const ENV_DROP = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'ANTHROPIC_API_KEY', 'FRONTDESK_CONFIG', 'LOG_LEVEL', 'VITEST', 'NODE_OPTIONS'];

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ENV_DROP) delete env[k];
  return { ...env, NODE_ENV: 'production', ...extra };
}

interface Running {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  base: string;
}

/** `node <build>/adapters/main.js` in an empty directory (no config file), on a free port. */
async function startBuilt(dbPath: string, extra: Record<string, string> = {}): Promise<Running> {
  const cwd = mkdtempSync(join(tmpdir(), 'frontdesk-built-cwd-'));
  const child = spawn(process.execPath, [join(OUT, 'adapters', 'main.js')], {
    cwd,
    env: cleanEnv({ FRONTDESK_DB: dbPath, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...extra }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += String(d);
  });
  child.stderr!.on('data', (d) => {
    out += String(d);
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  running.push(child);
  await waitFor(() => /running on http:\/\/127\.0\.0\.1:\d+/.test(out) || child.exitCode !== null, 'the start-up banner');
  const port = Number(out.match(/running on http:\/\/127\.0\.0\.1:(\d+)/)?.[1]);
  if (!port) throw new Error(`did not start:\n${out}`);
  return { child, output: () => out, exited, base: `http://127.0.0.1:${port}` };
}

async function waitFor(pred: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function gauge(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : Number.NaN;
}

const running: ChildProcess[] = [];
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'frontdesk-built-'));
  dirs.push(d);
  return d;
}

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), OUT], { cwd: ROOT, stdio: 'pipe' });
}, 120_000);

afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

afterAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the built output', () => {
  it('has compiled JavaScript and the files the code reads at run time', () => {
    for (const f of ['adapters/main.js', 'adapters/cli.js', 'src/store/migrations/0001_initial.sql', 'adapters/local/migrations/0003_local_playground.sql', 'adapters/local/public/index.html', 'prompts/analyst.md', 'adapters/local/demo/demo-messages.jsonl', 'package.json'])
      expect(existsSync(join(OUT, f)), f).toBe(true);
  });

  it('runs the CLI under plain node: --version', () => {
    const version = execFileSync(process.execPath, [join(OUT, 'adapters', 'cli.js'), '--version'], { env: cleanEnv({}), encoding: 'utf8' }).trim();
    expect(version).toBe((JSON.parse(execFileSync(process.execPath, ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: ROOT, encoding: 'utf8' })) as { version: string }).version);
  });

  it('serves the playground with /healthz, /metrics (process metrics included) and its web page', async () => {
    const dir = tempDir();
    const s = await startBuilt(join(dir, 'fd.db'));
    const health = await fetch(`${s.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, adapters: ['local'] });
    const metrics = await (await fetch(`${s.base}/metrics`)).text();
    expect(metrics).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(metrics).toMatch(/^frontdesk_outbox_depth 0$/m);
    const page = await fetch(`${s.base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    expect((await fetch(`${s.base}/local/assets/playground.js`)).status).toBe(200);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });
});

describe('graceful shutdown (SIGTERM)', () => {
  it('answers the request in flight, serves no new ones, exits 0 and leaves a consistent database', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'fd.db');
    const s = await startBuilt(dbPath);

    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify({ as: 'alex', channelId: 'support', text: 'Checkout fails with error 502 for every customer since 10:05' });
    const half = Math.floor(body.length / 2);
    let inFlightRequest: ReturnType<typeof request> | null = null;
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${s.base}/local/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (d) => {
          text += String(d);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, half));
      inFlightRequest = req;
    });
    // The server has it (this scrape is the other request in flight).
    await waitFor(async () => (await gauge(s.base, 'frontdesk_http_requests_in_flight')) >= 2, 'the request to be in flight');

    s.child.kill('SIGTERM');
    await waitFor(() => s.output().includes('shutting down'), 'the shutdown to begin');
    // New requests are not served: the port is closed (or a kept-alive connection gets 503).
    const late = await fetch(`${s.base}/healthz`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);
    expect(s.child.exitCode).toBe(null);

    inFlightRequest!.end(body.slice(half));
    const res = await answer;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ outcome: { kind: 'ticket', result: 'created' } });
    expect(await s.exited).toBe(0);
    expect(s.output()).toMatch(/"finishedInTime":true/);

    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const tickets = db.prepare('SELECT key, status, text FROM tickets').all() as { text: string }[];
      expect(tickets).toHaveLength(1);
      expect(tickets[0]!.text).toContain('Checkout fails with error 502');
      // Nothing was left half-sent: every row is sent or still waiting for the next start.
      const stuck = db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'sending'").get() as { n: number };
      expect(stuck.n).toBe(0);
      expect((db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('cuts off what is still running when FRONTDESK_SHUTDOWN_TIMEOUT_MS is up, and still exits 0', async () => {
    const dir = tempDir();
    const s = await startBuilt(join(dir, 'fd.db'), { FRONTDESK_SHUTDOWN_TIMEOUT_MS: '300' });
    // A request that never finishes its body.
    const req = request(`${s.base}/local/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 1000 } });
    req.on('error', () => undefined);
    req.write('{"as":');
    await waitFor(async () => (await gauge(s.base, 'frontdesk_http_requests_in_flight')) >= 2, 'the request to be in flight');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.output()).toMatch(/"finishedInTime":false/);
    req.destroy();
  });

  it('refuses a malformed FRONTDESK_SHUTDOWN_TIMEOUT_MS with a message saying what to set', async () => {
    const dir = tempDir();
    await expect(startBuilt(join(dir, 'fd.db'), { FRONTDESK_SHUTDOWN_TIMEOUT_MS: '10s' })).rejects.toThrow(/FRONTDESK_SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds/);
  });
});
