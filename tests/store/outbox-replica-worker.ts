/**
 * One replica's outbox sender, as a process of its own, for tests/store/outbox-replicas.test.ts
 * and bench/replicas.bench.ts: the REAL Outbox on the store port over a PostgreSQL schema,
 * sending to a "wire" table (a stand-in chat platform on the same server: every post is a row,
 * so a double send is visible, and `findDelivered` looks for the row key like Slack's metadata
 * lookup). Killed with SIGKILL by the parent to play a crash.
 *
 * Env: FD_PG_URL, FD_PG_SCHEMA, FD_REPLICA (a name), FD_LEASE_MS.
 */
import pg from 'pg';
import type { ChatPort, FindDeliveredRequest, PostResult } from '../../src/ports/chat-port.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { openStore } from '../../src/store/kysely/open-store.js';

const url = process.env.FD_PG_URL ?? '';
const schema = process.env.FD_PG_SCHEMA ?? '';
const replica = process.env.FD_REPLICA ?? 'r?';
const leaseMs = Number(process.env.FD_LEASE_MS ?? 1500);

const wire = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path=${schema}` });
wire.on('error', () => {});

const port: ChatPort = {
  platform: 'local',
  ratePerChannelPerSec: 1000,
  async post(req) {
    const key = req.tag?.key ?? '';
    const r = await wire.query<{ id: string }>('INSERT INTO wire (key, channel, replica) VALUES ($1, $2, $3) RETURNING id', [key, req.channelId, replica]);
    // The platform's answer takes a while after it accepted, so a kill often lands between the
    // two: the message is out, the row is not marked (the lookup must find it).
    await new Promise((res) => setTimeout(res, 5 + Math.random() * 10));
    return { messageId: String(r.rows[0]?.id), channelId: req.channelId };
  },
  async update() {},
  async postEphemeral() {},
  async dm() {
    throw new Error('no direct messages on the wire');
  },
  async openForm() {},
  async findDelivered(req: FindDeliveredRequest): Promise<PostResult | null> {
    const r = await wire.query<{ id: string; channel: string }>('SELECT id, channel FROM wire WHERE key = $1 ORDER BY id LIMIT 1', [req.key]);
    const row = r.rows[0];
    return row ? { messageId: String(row.id), channelId: row.channel } : null;
  },
};

const store = await openStore(url, { schema, migrate: false, poolSize: 6 });
const outbox = new Outbox(null, store, { leaseMs, maxLanes: 8 });
outbox.registerPort(port);
outbox.start(25);
process.send?.({ ready: replica });
process.on('SIGTERM', () => {
  void outbox.close().then(async () => {
    await store.close();
    await wire.end();
    process.exit(0);
  });
});
