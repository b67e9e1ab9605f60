/**
 * Several replicas on one PostgreSQL: three processes, each running the real Outbox on the
 * store port, share one outbox. One is killed with SIGKILL mid-load. Every message must reach
 * the wire exactly once (the killed replica's claimed rows are taken over when their lease runs
 * out; what it had already delivered is found and adopted, not sent again) and in order within
 * each channel. See tests/store/outbox-replica-worker.ts for the wire.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/kysely/open-store.js';
import { createTestSchema, pgAvailable } from './pg.js';

const WORKER = fileURLToPath(new URL('./outbox-replica-worker.ts', import.meta.url));
const ROWS = 600;
const CHANNELS = 30;

async function until(what: string, pred: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function startReplica(name: string, url: string, schema: string): Promise<ChildProcess> {
  const child = fork(WORKER, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FD_PG_URL: url, FD_PG_SCHEMA: schema, FD_REPLICA: name, FD_LEASE_MS: '1500' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`replica ${name} exited (${code}) before it was ready: ${err.slice(-2000)}`)));
  });
}

if (pgAvailable()) {
  describe('three outbox replicas on one PostgreSQL', () => {
    it('delivers every message exactly once and in order per channel, with one replica killed mid-load', async () => {
      const s = await createTestSchema();
      const store = await openStore(s.url, { schema: s.schema });
      const db = new pg.Client({ connectionString: s.url, options: `-c search_path=${s.schema}` });
      await db.connect();
      const replicas: ChildProcess[] = [];
      try {
        await db.query('CREATE TABLE wire (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL, channel TEXT NOT NULL, replica TEXT NOT NULL)');
        for (const name of ['r0', 'r1', 'r2']) replicas.push(await startReplica(name, s.url, s.schema));
        // The load arrives at once, with every replica running.
        const createdAt = Date.now();
        await store.tx(async (r) => {
          for (let i = 0; i < ROWS; i++) {
            const channelId = `C${i % CHANNELS}`;
            const payload = { kind: 'post', channelId, view: { text: `m${i}`, blocks: [] } };
            await r.outbox.enqueue({ idempotencyKey: `m${i}`, platform: 'local', channelId, kind: 'post', payload: JSON.stringify(payload), createdAt });
          }
        });
        const wired = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM wire')).rows[0]?.n ?? 0);
        await until('a quarter of the messages on the wire', async () => (await wired()) >= ROWS / 4, 60_000);
        const killed = replicas[0]!;
        killed.kill('SIGKILL');
        await new Promise((r) => killed.once('exit', r));
        await until('every outbox row sent', async () => ((await store.outbox.stats()).sent ?? 0) === ROWS, 60_000);

        const wire = (await db.query<{ key: string; channel: string; replica: string }>('SELECT key, channel, replica FROM wire ORDER BY id')).rows;
        const keys = wire.map((w) => w.key);
        expect(new Set(keys).size).toBe(ROWS);
        expect(keys).toHaveLength(ROWS);
        const byChannel = new Map<string, number[]>();
        for (const w of wire) byChannel.set(w.channel, [...(byChannel.get(w.channel) ?? []), Number(w.key.slice(1))]);
        for (const [ch, seq] of byChannel) expect(seq, ch).toEqual([...seq].sort((a, b) => a - b));
        // Everyone worked, and the killed replica's claims were taken over by the others.
        const by = new Set(wire.map((w) => w.replica));
        expect([...by].sort()).toEqual(['r0', 'r1', 'r2']);
        const takenOver = (await db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE attempts > 1')).rows[0]?.n;
        expect(Number(takenOver)).toBeGreaterThan(0);
        expect(await store.outbox.stats()).toEqual({ sent: ROWS });
      } finally {
        for (const r of replicas) if (r.exitCode === null && r.signalCode === null) r.kill('SIGTERM');
        await Promise.all(replicas.map((r) => (r.exitCode === null && r.signalCode === null ? new Promise((res) => r.once('exit', res)) : null)));
        await db.end();
        await store.close();
        await s.drop();
      }
    }, 150_000);
  });
}
