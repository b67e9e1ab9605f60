/**
 * The store port on both engines side by side (SQLite file vs PostgreSQL on 127.0.0.1), and the
 * real Outbox as 1 and as 3 replica processes on one PostgreSQL:
 *
 * - tickets opened/s: one `store.tx` per ticket (create with the next human key, the `created`
 *   event, the card's outbox row), one writer; on PostgreSQL also 8 writers at once;
 * - inbound events persisted/s: `inbox.insertMany` group commits of 25 deliveries;
 * - outbox rows claimed and marked sent/s by one sender (claimDue with leases, markSent);
 * - replicas: 3,000 messages over 60 channels delivered by the real Outbox in 1 vs 3 processes
 *   (tests/store/outbox-replica-worker.ts: a platform that takes 5–15 ms per call), and a
 *   SIGKILL of one of three replicas after a quarter: messages lost and doubled on the wire.
 *
 * PostgreSQL: DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test (a throw-away schema).
 * Run alone: npx tsx bench/run.ts store
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { NewTicket, Store } from '../src/ports/store.js';
import { openStore } from '../src/store/kysely/open-store.js';

const WORKER = fileURLToPath(new URL('../tests/store/outbox-replica-worker.ts', import.meta.url));
const PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const T0 = Date.parse('2026-11-23T10:00:00Z');

function draft(i: number): NewTicket {
  return {
    platform: 'slack',
    channelId: `C${i % 50}`,
    sourceMessageId: `m${i}`,
    threadId: `m${i}`,
    cardMessageId: null,
    requesterId: `U${i % 500}`,
    requesterName: null,
    title: `Export to CSV fails for workspace ${i}`,
    text: `Export to CSV fails for workspace ${i} with a timeout after 30 seconds`,
    category: 'bug',
    priority: 'P2',
    status: 'new',
    ownerId: null,
    team: 'support',
    signals: [],
    attachments: [],
    sla: { policy: 'default', priority: 'P2', firstResponseMs: 3_600_000, resolutionMs: 86_400_000, businessHours: null, thresholds: [0.75, 1] },
    createdAt: T0 + i,
    updatedAt: T0 + i,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    pausedMs: 0,
    pausedSince: null,
    snoozedUntil: null,
    incidentKey: null,
    nextSlaCheckAt: T0 + i + 3_600_000,
  };
}

async function openTicket(store: Store, i: number): Promise<void> {
  await store.tx(async (r) => {
    const t = await r.tickets.create(draft(i));
    await r.tickets.appendEvent(t.id, 'created', t.requesterId, T0 + i);
    await r.outbox.enqueue({ idempotencyKey: `card-post:${t.id}`, platform: 'slack', channelId: t.channelId, kind: 'card', payload: '{}', ticketId: t.id, createdAt: T0 + i });
  });
}

async function engineFigures(label: string, store: Store, writers: number[]): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  let next = 0;
  for (const w of writers) {
    const n = 2_000 * w;
    const last = next + n;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: w }, async () => {
        while (next < last) await openTicket(store, next++);
      }),
    );
    out[`${label}: tickets opened/s (${w} writer${w > 1 ? 's' : ''})`] = Math.round(n / ((performance.now() - start) / 1000));
  }
  const events = 20_000;
  let start = performance.now();
  for (let b = 0; b < events / 25; b++) {
    await store.inbox.insertMany(
      Array.from({ length: 25 }, (_, k) => ({ platform: 'slack', deliveryId: `Ev${b * 25 + k}`, payload: '{"type":"event_callback"}', receivedAt: T0 + b })),
    );
  }
  out[`${label}: inbound events persisted/s (group commits of 25)`] = Math.round(events / ((performance.now() - start) / 1000));
  const rows = 5_000;
  await store.tx(async (r) => {
    for (let i = 0; i < rows; i++) await r.outbox.enqueue({ idempotencyKey: `o${i}`, platform: 'teams', channelId: `C${i % 100}`, kind: 'post', payload: '{}', createdAt: T0 });
  });
  start = performance.now();
  let sent = 0;
  for (;;) {
    const claimed = await store.outbox.claimDue({ now: T0 + 1, limit: 32, leaseMs: 60_000, platforms: ['teams'] });
    if (claimed.length === 0) break;
    for (const c of claimed) if (await store.outbox.markSent(c.claim, T0 + 2, null)) sent++;
  }
  out[`${label}: outbox rows claimed + marked sent/s (one sender)`] = Math.round(sent / ((performance.now() - start) / 1000));
  return out;
}

async function pgSchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `fd_bench_${randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`CREATE SCHEMA ${schema}`);
  await c.end();
  return {
    schema,
    async drop() {
      const d = new pg.Client({ connectionString: PG_URL });
      await d.connect();
      await d.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await d.end();
    },
  };
}

function replica(name: string, schema: string): Promise<ChildProcess> {
  const child = fork(WORKER, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FD_PG_URL: PG_URL, FD_PG_SCHEMA: schema, FD_REPLICA: name, FD_LEASE_MS: '1500' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`replica ${name} exited (${code})`)));
  });
}

async function until(pred: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Deliver `rows` messages with `n` replica processes; optionally SIGKILL the first after a quarter. */
async function replicaRun(n: number, rows: number, kill: boolean): Promise<{ perSec: number; lost: number; doubled: number }> {
  const s = await pgSchema();
  const store = await openStore(PG_URL, { schema: s.schema });
  const db = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${s.schema}` });
  await db.connect();
  const procs: ChildProcess[] = [];
  try {
    await db.query('CREATE TABLE wire (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL, channel TEXT NOT NULL, replica TEXT NOT NULL)');
    for (let k = 0; k < n; k++) procs.push(await replica(`r${k}`, s.schema));
    const start = performance.now();
    await store.tx(async (r) => {
      for (let i = 0; i < rows; i++) {
        const channelId = `C${i % 60}`;
        await r.outbox.enqueue({ idempotencyKey: `m${i}`, platform: 'local', channelId, kind: 'post', payload: JSON.stringify({ kind: 'post', channelId, view: { text: `m${i}`, blocks: [] } }), createdAt: Date.now() });
      }
    });
    const count = async (q: string) => Number((await db.query<{ n: string }>(q)).rows[0]?.n ?? 0);
    if (kill) {
      await until(async () => (await count('SELECT count(*) AS n FROM wire')) >= rows / 4, 120_000);
      procs[0]!.kill('SIGKILL');
    }
    await until(async () => (await count("SELECT count(*) AS n FROM outbox WHERE status = 'sent'")) === rows, 300_000);
    const perSec = Math.round(rows / ((performance.now() - start) / 1000));
    const distinct = await count('SELECT count(DISTINCT key) AS n FROM wire');
    const total = await count('SELECT count(*) AS n FROM wire');
    return { perSec, lost: rows - distinct, doubled: total - distinct };
  } finally {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => (p.exitCode === null && p.signalCode === null ? new Promise((r) => p.once('exit', r)) : null)));
    await db.end();
    await store.close();
    await s.drop();
  }
}

export async function runStoreBench(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-store-bench-'));
  const out: Record<string, number | string> = {};
  try {
    const sqlite = await openStore(join(dir, 'desk.db'));
    Object.assign(out, await engineFigures('SQLite', sqlite, [1]));
    await sqlite.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let s: Awaited<ReturnType<typeof pgSchema>>;
  try {
    s = await pgSchema();
  } catch (e) {
    out.PostgreSQL = `not reachable at ${PG_URL} (${(e as Error).message}): set DATABASE_URL`;
    return out;
  }
  try {
    const store = await openStore(PG_URL, { schema: s.schema, poolSize: 10 });
    Object.assign(out, await engineFigures('PostgreSQL', store, [1, 8]));
    await store.close();
  } finally {
    await s.drop();
  }
  const one = await replicaRun(1, 3_000, false);
  const three = await replicaRun(3, 3_000, false);
  const killed = await replicaRun(3, 3_000, true);
  out['replicas: messages delivered/s, 1 process (5–15 ms per platform call)'] = one.perSec;
  out['replicas: messages delivered/s, 3 processes'] = three.perSec;
  out['replicas: 3 processes, one SIGKILLed after 1/4: delivered/s'] = killed.perSec;
  out['replicas: … lost / doubled messages'] = `${killed.lost} / ${killed.doubled}`;
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runStoreBench());
