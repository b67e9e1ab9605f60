/**
 * The store's side of the /metrics gauges, read on each scrape: the outbox backlog and tickets
 * by status. Open tickets are counted on every scrape (index ranges over the open statuses, small);
 * resolved and closed tickets — nearly all of a long-running desk, a count that grows with its
 * history (~100 ms at 1,000,000 tickets) — at most every `settledEveryMs` (default 5 minutes), so
 * scrapes do not hold up acknowledgements.
 */
import { OPEN_STATUSES, STATUSES } from '../domain/types.js';
import type { StoreGauges } from '../metrics.js';
import type { Db } from './db.js';

const SETTLED = STATUSES.filter((s) => !OPEN_STATUSES.includes(s));

/**
 * @example bindStore(metricsStore(db, () => Date.now())) // outboxBacklog() → { depth: 3, oldestAgeMs: 1200 }
 * @param now the outbox's timer (its rows' created_at are on it; also times the settled counts' refresh)
 */
export function metricsStore(db: Db, now: () => number, opts: { settledEveryMs?: number } = {}): StoreGauges {
  const settledEveryMs = opts.settledEveryMs ?? 5 * 60_000;
  const backlog = db.prepare<[], { depth: number; first: number | null }>(
    "SELECT count(*) AS depth, min(id) AS first FROM outbox WHERE status IN ('pending','sending')",
  );
  const createdAt = db.prepare<[number], { created_at: number }>('SELECT created_at FROM outbox WHERE id = ?');
  const withStatus = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM tickets WHERE status = ?');
  let settled: { at: number; counts: Record<string, number> } | null = null;
  const count = (statuses: readonly string[]) => Object.fromEntries(statuses.map((s) => [s, withStatus.get(s)!.n]));
  return {
    outboxBacklog() {
      const b = backlog.get()!;
      // Row ids grow with creation time: the lowest unfinished id is the oldest row.
      const oldest = b.first === null ? undefined : createdAt.get(b.first)?.created_at;
      return { depth: b.depth, oldestAgeMs: oldest === undefined ? null : now() - oldest };
    },
    ticketsByStatus() {
      const t = now();
      if (!settled || t - settled.at >= settledEveryMs || t < settled.at) settled = { at: t, counts: count(SETTLED) };
      return { ...count(OPEN_STATUSES), ...settled.counts };
    },
  };
}
