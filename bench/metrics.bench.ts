/**
 * GET /metrics on a big desk: the scrape reads the outbox backlog and tickets by status from
 * the store. 1,000,000 tickets (BENCH_METRICS_TICKETS; 3% open), 1,000,000 sent outbox rows and
 * 10,000 undelivered ones, on a file database; the scrape goes through the real HTTP route.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../src/app.js';
import { parseConfig } from '../src/config/load-config.js';
import { OPEN_STATUSES } from '../src/domain/types.js';
import { createLogger } from '../src/logger.js';
import { openDatabase } from '../src/store/db.js';

const N = Number(process.env.BENCH_METRICS_TICKETS) || 1_000_000;
const BACKLOG = 10_000;

/** As on a desk with a year of history: 3% open (spread over the open statuses), 7% resolved, 90% closed. */
function statusOf(i: number): string {
  const r = i % 100;
  return r < 3 ? OPEN_STATUSES[i % OPEN_STATUSES.length]! : r < 10 ? 'resolved' : 'closed';
}

export async function runMetricsBench(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-metrics-'));
  try {
    const db = openDatabase(join(dir, 'metrics.db'));
    db.exec('DROP TRIGGER tickets_fts_ai'); // full-text index not needed here; keeps the bulk insert fast
    const now = Date.parse('2026-11-24T09:00:00Z');
    const ticket = db.prepare(`INSERT INTO tickets (key, platform, channel_id, requester_id, title, text, category, priority, status, team, sla, created_at, updated_at)
      VALUES (?, 'slack', 'C1', 'U1', 't', 'x', 'bug', 'P2', ?, 'support', '{}', ?, ?)`);
    const row = db.prepare(`INSERT INTO outbox (idempotency_key, platform, channel_id, kind, payload, status, next_attempt_at, created_at)
      VALUES (?, 'slack', ?, 'post', '{}', ?, ?, ?)`);
    db.transaction(() => {
      for (let i = 1; i <= N; i++) ticket.run(`T-${i}`, statusOf(i), now - i, now - i);
      for (let i = 1; i <= N + BACKLOG; i++) row.run(`k${i}`, `C${i % 40}`, i > N ? 'pending' : 'sent', now, now - (N + BACKLOG - i));
    })();
    const core = createCore({ config: parseConfig({}), db, env: {}, logger: createLogger({ LOG_LEVEL: 'silent' }), outboxTimer: { now: () => now } });
    const { port } = await core.listen(0, '127.0.0.1');
    const first = performance.now();
    await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(); // counts resolved and closed too
    const firstMs = performance.now() - first;
    const times: number[] = [];
    let body = '';
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now();
      body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      times.push(performance.now() - t0);
    }
    await core.close();
    times.sort((a, b) => a - b);
    const depth = Number(body.match(/^frontdesk_outbox_depth (\d+)$/m)?.[1]);
    if (depth !== BACKLOG) throw new Error(`scrape reported an outbox depth of ${depth}, expected ${BACKLOG}`);
    return {
      [`GET /metrics, ${N.toLocaleString('en')} tickets, ${BACKLOG.toLocaleString('en')} undelivered (median ms)`]: Number(times[10]!.toFixed(1)),
      'GET /metrics (worst of 21, ms)': Number(times[20]!.toFixed(1)),
      'GET /metrics with the 5-minute recount of resolved/closed (ms)': Number(firstMs.toFixed(1)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
