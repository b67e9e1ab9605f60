/**
 * The store's side of the /metrics gauges, read on each scrape: the outbox backlog and tickets
 * by status. Both are index-only or index-range reads (outbox_channel, tickets_status).
 */
import type { Db } from './db.js';
import type { StoreGauges } from '../metrics.js';

/**
 * @example bindStore(metricsStore(db, () => Date.now())) // outboxBacklog() → { depth: 3, oldestAgeMs: 1200 }
 * @param now the outbox's timer (its rows' created_at are on it)
 */
export function metricsStore(db: Db, now: () => number): StoreGauges {
  const backlog = db.prepare<[], { depth: number; first: number | null }>(
    "SELECT count(*) AS depth, min(id) AS first FROM outbox WHERE status IN ('pending','sending')",
  );
  const createdAt = db.prepare<[number], { created_at: number }>('SELECT created_at FROM outbox WHERE id = ?');
  const byStatus = db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM tickets GROUP BY status');
  return {
    outboxBacklog() {
      const b = backlog.get()!;
      // Row ids grow with creation time: the lowest unfinished id is the oldest row.
      const oldest = b.first === null ? undefined : createdAt.get(b.first)?.created_at;
      return { depth: b.depth, oldestAgeMs: oldest === undefined ? null : now() - oldest };
    },
    ticketsByStatus() {
      return Object.fromEntries(byStatus.all().map((r) => [r.status, r.n]));
    },
  };
}
