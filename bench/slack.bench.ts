/**
 * Slack ingest benchmark: sustained signed `message` events through HTTP mode (the real Bolt
 * app mounted on the core's express server, SQLite in a temp file, the outbox posting cards to
 * a stub Slack API), measuring time to ack (p50/p99) and tickets persisted per second.
 *
 * The load generator and the stub Slack Web API run in a worker thread so they do not share
 * the app's event loop. Everything is on 127.0.0.1 and every loop is bounded.
 * Run alone: npx tsx bench/slack.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createSlackAdapter } from '../adapters/slack/app.js';
import { createCore } from '../src/app.js';
import { parseConfig } from '../src/config/load-config.js';
import { openDatabase } from '../src/store/db.js';

const SECRET = 'bench-signing-secret';

/** Worker: a stub Slack Web API plus an open-loop / closed-loop load generator (plain JS). */
const WORKER = String.raw`
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const { createHmac } = require('node:crypto');

let tsN = 0;
const stub = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    tsN += 1;
    const method = (req.url || '').replace(/^\/api\//, '');
    stubCalls[method] = (stubCalls[method] || 0) + 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, channel: new URLSearchParams(body).get('channel'), ts: '1900000000.' + String(tsN).padStart(6, '0') }));
  });
});
const stubCalls = {};

const TEXTS = [
  'Checkout fails with error 502 for all users since 10:02',
  'I was charged twice for my subscription this month',
  'Cannot log in with SSO, getting error 403 on the callback',
  'The dashboard is very slow to load reports today',
  'Data in the analytics page is missing for yesterday',
  'Exports to CSV time out for large workspaces',
  'Password reset emails never arrive for our domain',
  'Webhooks are delivered twice to our endpoint',
];

function sign(body, ts) {
  return 'v0=' + createHmac('sha256', '${SECRET}').update('v0:' + ts + ':' + body).digest('hex');
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let seq = 0;
function sendOne(url, channels) {
  seq += 1;
  const i = seq;
  const ts = Math.floor(Date.now() / 1000);
  const event = {
    type: 'event_callback', team_id: 'T0BENCH', api_app_id: 'A0BENCH', event_id: 'EvB' + i, event_time: ts,
    authorizations: [{ team_id: 'T0BENCH', user_id: 'U0BOT', is_bot: true }],
    event: { type: 'message', channel: 'C' + (i % channels), user: 'U' + (i % 97), ts: '1800000000.' + String(i).padStart(6, '0'), text: TEXTS[i % TEXTS.length] + ' #' + i, channel_type: 'channel' },
  };
  const body = JSON.stringify(event);
  const u = new URL(url);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: {
      'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
      'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(body, ts) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - t0, ok: res.statusCode === 200 }));
    });
    req.on('error', () => resolve({ ms: performance.now() - t0, ok: false }));
    req.end(body);
  });
}

async function openLoop({ url, rate, seconds, channels }) {
  const total = Math.round(rate * seconds);
  const lat = [];
  let errors = 0;
  const pending = [];
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (sent < due) {
      sent += 1;
      pending.push(sendOne(url, channels).then((r) => { lat.push(r.ms); if (!r.ok) errors += 1; }));
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(pending);
  return { lat, errors, sent, wallMs: performance.now() - start };
}

async function closedLoop({ url, total, concurrency, channels }) {
  const lat = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  const lane = async () => {
    while (next < total) {
      next += 1;
      const r = await sendOne(url, channels);
      lat.push(r.ms);
      if (!r.ok) errors += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { lat, errors, sent: total, wallMs: performance.now() - start };
}

parentPort.on('message', async (m) => {
  if (m.cmd === 'stub') stub.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: stub.address().port }));
  else if (m.cmd === 'open') parentPort.postMessage(await openLoop(m));
  else if (m.cmd === 'closed') parentPort.postMessage(await closedLoop(m));
  else if (m.cmd === 'stats') parentPort.postMessage({ stubCalls });
  else if (m.cmd === 'stop') { agent.destroy(); stub.closeAllConnections(); stub.close(() => parentPort.postMessage({ stopped: true })); }
});
`;

function ask<T>(w: Worker, msg: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
    w.postMessage(msg);
  });
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

interface LoadResult {
  lat: number[];
  errors: number;
  sent: number;
  wallMs: number;
}

/**
 * Run the Slack ingest benchmark.
 * @example const figures = await runSlackBench(); // { 'sustained: p99 time to ack (ms)': 6.1, ... }
 */
export async function runSlackBench(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-slack-'));
  const worker = new Worker(WORKER, { eval: true });
  try {
    const { port: stubPort } = await ask<{ port: number }>(worker, { cmd: 'stub' });
    const env = {
      LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `http://127.0.0.1:${stubPort}/api/`,
      SLACK_BOT_USER_ID: 'U0BOT',
    };
    const config = parseConfig({ teams: [{ id: 'support', members: ['A1', 'A2', 'A3'] }] });
    const db = openDatabase(join(dir, 'slack-bench.db'));
    const core = createCore({ config, db, env });
    await createSlackAdapter(core, env);
    core.outbox.start(config.scheduler.outboxPollMs);
    const { port } = await core.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${port}/slack/events`;
    const channels = 40;
    const count = () => (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;

    // Warm-up (JIT, prepared statements, sockets).
    await ask<LoadResult>(worker, { cmd: 'open', url, rate: 200, seconds: 1.5, channels });
    await waitFor(() => count() >= 300, 10_000);

    // Sustained: 500 events/s offered for 10 s.
    const rate = 500;
    const seconds = 10;
    const before = count();
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    const sustained = await ask<LoadResult>(worker, { cmd: 'open', url, rate, seconds, channels });
    const persistedAt = await waitFor(() => count() - before >= sustained.sent - sustained.errors, 120_000);
    const persisted = count() - before;
    const elu = performance.eventLoopUtilization(elu0);
    const lat = [...sustained.lat].sort((a, b) => a - b);

    // Capacity: closed loop, 64 requests in flight.
    const beforeMax = count();
    const t1 = performance.now();
    const max = await ask<LoadResult>(worker, { cmd: 'closed', url, total: 5000, concurrency: 64, channels });
    const maxPersistedAt = await waitFor(() => count() - beforeMax >= max.sent - max.errors, 120_000);
    const maxLat = [...max.lat].sort((a, b) => a - b);
    const maxPersisted = count() - beforeMax;
    const { stubCalls } = await ask<{ stubCalls: Record<string, number> }>(worker, { cmd: 'stats' });
    const outbox = core.outbox.stats();

    core.outbox.stop();
    await core.outbox.drain();
    await ask(worker, { cmd: 'stop' });
    await core.close();
    return {
      'sustained: events offered (events/s)': rate,
      'sustained: events acked (events/s)': round(sustained.sent / (sustained.wallMs / 1000), 1),
      'sustained: p50 time to ack (ms)': round(pct(lat, 50)),
      'sustained: p99 time to ack (ms)': round(pct(lat, 99)),
      'sustained: max time to ack (ms)': round(lat.at(-1) ?? Number.NaN),
      'sustained: tickets persisted (tickets/s)': round(persisted / ((persistedAt - t0) / 1000), 1),
      'sustained: non-200 answers': sustained.errors,
      'sustained: app event-loop utilisation': `${Math.round(elu.utilization * 100)}%`,
      'capacity (64 in flight): events acked (events/s)': round(max.sent / (max.wallMs / 1000), 1),
      'capacity: p50 / p99 time to ack (ms)': `${round(pct(maxLat, 50))} / ${round(pct(maxLat, 99))}`,
      'capacity: tickets persisted (tickets/s)': round(maxPersisted / ((maxPersistedAt - t1) / 1000), 1),
      'capacity: non-200 answers': max.errors,
      'cards posted to the stub Slack during the run (chat.postMessage)': stubCalls['chat.postMessage'] ?? 0,
      'outbox rows by status': JSON.stringify(outbox),
    };
  } finally {
    await worker.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Poll until `done()`; returns the time (performance.now) it became true. */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error('slack bench: tickets were not persisted in time');
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const res = await runSlackBench();
  for (const [k, v] of Object.entries(res)) console.log(`${k.padEnd(66)} ${v}`);
}
