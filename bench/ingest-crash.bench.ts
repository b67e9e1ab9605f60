/**
 * Crash-safety benchmark for Slack ingest: the real app as a child process (what `npm start`
 * runs: tsx adapters/main.ts) with SLACK_* pointing at a stub Slack API on 127.0.0.1.
 *  1. 2,000 signed message events at 200/s, 30% of them re-delivered as Slack retries;
 *  2. kill -9 mid-load, restart; count acknowledged events that have no ticket (lost);
 *  3. re-deliver every event that was not acknowledged, as Slack would;
 *  4. replays (identical signed events and slash commands) and 400 malformed signed payloads;
 *  5. time to ack at 500 events/s on the restarted app.
 * Reports lost acknowledged events, duplicate tickets, HTTP 500s and ack p50/p99.
 * Run alone: npx tsx bench/ingest-crash.bench.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const SECRET = 'bench-crash-secret';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOTAL = 2000;
const RATE = 200;
const RETRY_SHARE = 0.3;
const KILL_AFTER_MS = 5000;

interface Sent {
  status: number;
  ms: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function sign(body: string, ts: number): string {
  return `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
}

/** POST a signed body; status 0 = no answer (connection refused or reset by the kill). */
function send(port: number, body: string, contentType: string, o: { ts?: number; retryNum?: number; signature?: string } = {}): Promise<Sent> {
  const ts = o.ts ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': o.signature ?? sign(body, ts),
  };
  if (o.retryNum) {
    headers['x-slack-retry-num'] = String(o.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/slack/events', method: 'POST', agent, headers, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.on('timeout', () => req.destroy());
    req.end(body);
  });
}

const messageTs = (i: number) => `1800000000.${String(i).padStart(6, '0')}`;

function eventBody(i: number): string {
  return JSON.stringify({
    type: 'event_callback',
    team_id: 'T0BENCH',
    api_app_id: 'A0BENCH',
    event_id: `EvCrash${i}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'message', channel: `C${i % 25}`, user: `U${i % 97}`, ts: messageTs(i), text: `Checkout fails with error 502 for order ${i}`, channel_type: 'channel' },
  });
}

/** A stub Slack Web API (and response_url target): every call succeeds. */
async function startStub(): Promise<{ server: http.Server; port: number; calls: Record<string, number> }> {
  const calls: Record<string, number> = {};
  let n = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      n += 1;
      const method = (req.url ?? '').replace(/^\/api\//, '');
      calls[method] = (calls[method] ?? 0) + 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, channel: new URLSearchParams(body).get('channel') ?? 'C0', ts: `1900000000.${String(n).padStart(6, '0')}`, messages: [] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as AddressInfo).port, calls };
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function startApp(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`ingest-crash bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : Number.NaN);
const round = (x: number) => Math.round(x * 100) / 100;

/** Correctly signed, malformed bodies (cycled variations). */
function malformedBodies(n: number): [string, string][] {
  const form = (f: Record<string, string>) => new URLSearchParams(f).toString();
  const pl = (p: unknown) => form({ payload: typeof p === 'string' ? p : JSON.stringify(p) });
  const user = { id: 'U1' };
  const makers: ((i: number) => [string, string])[] = [
    (i) => [JSON.stringify({ type: 'event_callback', event_id: `EvBad${i}`, event: null }), 'application/json'],
    (i) => [JSON.stringify({ type: 'event_callback', event_id: `EvBad${i}`, event: { type: 'message', channel: null, ts: '1.1', text: 'x' } }), 'application/json'],
    (i) => [JSON.stringify({ type: 'event_callback', event: { type: 'message', channel: 'C1' }, n: i }), 'application/json'],
    (i) => [`{"type":"event_callback","n":${i},`, 'application/json'],
    (i) => [pl('null') + `&n=${i}`, 'application/x-www-form-urlencoded'],
    (i) => [pl({ type: 'block_actions', actions: [{ type: 'button', action_id: 'ticket.assign_me' }], n: i }), 'application/x-www-form-urlencoded'],
    (i) => [pl({ type: 'view_submission', user, n: i }), 'application/x-www-form-urlencoded'],
    (i) => [pl({ type: `mystery_${i}`, user }), 'application/x-www-form-urlencoded'],
    (i) => [form({ command: '/unknown', user_id: 'U1', channel_id: 'C1', n: String(i) }), 'application/x-www-form-urlencoded'],
    (i) => [JSON.stringify({ type: 'event_callback', event_id: `EvBad${i}`, event: { type: 'reaction_added', user: 'U1', reaction: 'eyes', item: null } }), 'application/json'],
  ];
  return Array.from({ length: n }, (_, i) => makers[i % makers.length]!(i));
}

/**
 * Run the crash benchmark.
 * @example const figures = await runIngestCrashBench(); // { 'acknowledged events lost': 0, ... }
 */
export async function runIngestCrashBench(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-crash-'));
  const dbPath = join(dir, 'crash.db');
  const stub = await startStub();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    FRONTDESK_DB: dbPath,
    FRONTDESK_CONFIG: '',
    PORT: String(port),
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `http://127.0.0.1:${stub.port}/api/`,
    SLACK_BOT_USER_ID: 'U0BOT',
  };
  let child: ChildProcess | null = null;
  const counts = { http500: 0 };
  const count500 = (r: Sent) => {
    if (r.status >= 500) counts.http500 += 1;
    return r;
  };
  const db = () => new Database(dbPath, { readonly: true, fileMustExist: true });
  const q = <T>(sql: string): T => {
    const d = db();
    try {
      return d.prepare(sql).get() as T;
    } finally {
      d.close();
    }
  };
  try {
    child = startApp(env);
    await until(() => healthy(port), 'the app to start', 60_000);

    // 1. 2,000 events at 200/s, 30% re-delivered as retries; kill -9 after KILL_AFTER_MS.
    const acked = new Set<number>();
    const pending: Promise<unknown>[] = [];
    const start = performance.now();
    let sent = 0;
    let killedAt = -1;
    while (sent < TOTAL && killedAt < 0) {
      const due = Math.min(TOTAL, Math.floor(((performance.now() - start) / 1000) * RATE) + 1);
      while (sent < due) {
        const i = sent++;
        const body = eventBody(i);
        pending.push(send(port, body, 'application/json').then((r) => count500(r).status === 200 && acked.add(i)));
        if ((i * 7919) % 100 < RETRY_SHARE * 100)
          pending.push(
            new Promise((r) => setTimeout(r, 20 + (i % 200))).then(() =>
              send(port, body, 'application/json', { retryNum: 1, ts: Math.floor(Date.now() / 1000) + 1 }).then((r) => count500(r).status === 200 && acked.add(i)),
            ),
          );
      }
      if (performance.now() - start >= KILL_AFTER_MS) {
        child.kill('SIGKILL');
        killedAt = sent;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(pending);
    const ackedBeforeKill = new Set(acked);

    // 2. Restart; the inbox rows left pending are processed at start-up.
    child = startApp(env);
    await until(() => healthy(port), 'the app to restart', 60_000);
    await until(() => q<{ n: number }>("SELECT count(*) AS n FROM inbox WHERE status = 'pending'").n === 0, 'the inbox to drain after the restart', 180_000);
    const d = db();
    const hasTicket = d.prepare<[string], { n: number }>("SELECT count(*) AS n FROM tickets WHERE platform = 'slack' AND source_message_id = ?");
    let lost = 0;
    for (const i of ackedBeforeKill) if (hasTicket.get(messageTs(i))!.n === 0) lost += 1;
    d.close();

    // 3. Re-deliver every event that was not acknowledged (Slack retries), at 200/s.
    const redeliver = Array.from({ length: TOTAL }, (_, i) => i).filter((i) => !acked.has(i));
    const redone: Promise<unknown>[] = [];
    for (const [k, i] of redeliver.entries()) {
      redone.push(send(port, eventBody(i), 'application/json', { retryNum: i < killedAt ? 1 : 0 }).then((r) => count500(r).status === 200 && acked.add(i)));
      if (k % 10 === 9) await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all(redone);
    await until(() => q<{ n: number }>('SELECT count(*) AS n FROM tickets').n >= TOTAL, 'every event to become a ticket', 180_000).catch((e: unknown) => {
      const st = JSON.stringify(db().prepare('SELECT status, count(*) AS n, max(last_error) AS err FROM inbox GROUP BY status').all());
      const t = q<{ n: number }>('SELECT count(*) AS n FROM tickets').n;
      throw new Error(`${(e as Error).message}: ${t} tickets, inbox ${st}, acked ${acked.size}, redelivered ${redeliver.length}`);
    });

    // 4a. Replays: identical signed events (same timestamp and signature) and slash commands.
    const replayTs = Math.floor(Date.now() / 1000);
    let replaysRejected = 0;
    for (let i = 0; i < 100; i++) {
      const body = eventBody(i);
      const sig = sign(body, replayTs);
      await send(port, body, 'application/json', { ts: replayTs, signature: sig }).then(count500);
      if (count500(await send(port, body, 'application/json', { ts: replayTs, signature: sig })).status === 409) replaysRejected += 1;
    }
    const ticketsBeforeCommands = q<{ n: number }>('SELECT count(*) AS n FROM tickets').n;
    for (let i = 0; i < 20; i++) {
      const body = new URLSearchParams({
        command: '/ticket',
        text: `new Printer ${i} jams on every job`,
        user_id: 'U0AGENTX',
        channel_id: 'C1',
        trigger_id: `trig.${i}`,
        response_url: `http://127.0.0.1:${stub.port}/response/${i}`,
      }).toString();
      const sig = sign(body, replayTs);
      count500(await send(port, body, 'application/x-www-form-urlencoded', { ts: replayTs, signature: sig }));
      if (count500(await send(port, body, 'application/x-www-form-urlencoded', { ts: replayTs, signature: sig })).status === 409) replaysRejected += 1;
      count500(await send(port, body, 'application/x-www-form-urlencoded', { ts: replayTs + 1 }));
    }
    await new Promise((r) => setTimeout(r, 500));
    const commandTickets = q<{ n: number }>('SELECT count(*) AS n FROM tickets').n - ticketsBeforeCommands;

    // 4b. 400 malformed signed payloads.
    const bad = malformedBodies(400);
    const badStatuses: Record<string, number> = {};
    let badMaxMs = 0;
    for (let k = 0; k < bad.length; k += 20) {
      const res = await Promise.all(bad.slice(k, k + 20).map(([b, ct]) => send(port, b, ct).then(count500)));
      for (const r of res) {
        badStatuses[r.status] = (badStatuses[r.status] ?? 0) + 1;
        badMaxMs = Math.max(badMaxMs, r.ms);
      }
    }

    // 5. Time to ack at 500 events/s for 4 s (fresh events).
    const lat: number[] = [];
    const fast: Promise<unknown>[] = [];
    const t5 = performance.now();
    let n5 = 0;
    while (n5 < 2000) {
      const due = Math.min(2000, Math.floor(((performance.now() - t5) / 1000) * 500) + 1);
      while (n5 < due) {
        const i = TOTAL + 1000 + n5++;
        fast.push(send(port, eventBody(i), 'application/json').then((r) => lat.push(count500(r).ms)));
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(fast);
    lat.sort((a, b) => a - b);
    await until(() => q<{ n: number }>("SELECT count(*) AS n FROM inbox WHERE status = 'pending'").n === 0, 'the 500/s events to be processed', 180_000);

    const dup = q<{ n: number }>("SELECT count(*) AS n FROM (SELECT source_message_id FROM tickets WHERE source_message_id IS NOT NULL GROUP BY platform, channel_id, source_message_id HAVING count(*) > 1)").n;
    const crashTickets = q<{ n: number }>("SELECT count(*) AS n FROM tickets WHERE source_message_id LIKE '1800000000.%'").n;
    return {
      'events sent (2,000 at 200/s, 30% re-delivered as retries)': TOTAL,
      'events sent before kill -9': killedAt,
      'acknowledged before the kill': ackedBeforeKill.size,
      'acknowledged events lost (no ticket after restart)': lost,
      're-delivered after restart (not acknowledged)': redeliver.length,
      'tickets from the 2,000 + 2,000 events (expect 4,000)': crashTickets,
      'duplicate tickets': dup,
      'replays rejected (409) of 120': replaysRejected,
      'tickets from 20 slash commands sent 3x each (expect 20)': commandTickets,
      'malformed payloads: answers by status': JSON.stringify(badStatuses),
      'malformed payloads: slowest answer (ms)': round(badMaxMs),
      'HTTP 500s (all phases)': counts.http500,
      '500 events/s: p50 time to ack (ms)': round(pct(lat, 50)),
      '500 events/s: p99 time to ack (ms)': round(pct(lat, 99)),
    };
  } finally {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    agent.destroy();
    stub.server.closeAllConnections();
    await new Promise<void>((r) => stub.server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const res = await runIngestCrashBench();
  for (const [k, v] of Object.entries(res)) console.log(`${k.padEnd(66)} ${v}`);
}
