/**
 * The store's side of the /metrics gauges, read on each scrape through the store port (both
 * engines): the outbox backlog and tickets by status. Open tickets are counted on every scrape
 * (index ranges over the open statuses, small); resolved and closed tickets — nearly all of a
 * long-running desk, a count that grows with its history (~100 ms at 1,000,000 tickets) — at
 * most every `settledEveryMs` (default 5 minutes), so scrapes do not hold up acknowledgements.
 */
import { OPEN_STATUSES, STATUSES } from '../domain/types.js';
import type { StoreGauges } from '../metrics.js';
import type { MetricsQueries } from '../ports/store-escalation.js';

const SETTLED = STATUSES.filter((s) => !OPEN_STATUSES.includes(s));

/**
 * @example bindStore(metricsStore(core.store.gauges, () => Date.now())) // await outboxBacklog() → { depth: 3, oldestAgeMs: 1200 }
 * @param now the outbox's timer (its rows' created_at are on it; also times the settled counts' refresh)
 */
export function metricsStore(queries: MetricsQueries, now: () => number, opts: { settledEveryMs?: number } = {}): StoreGauges {
  const settledEveryMs = opts.settledEveryMs ?? 5 * 60_000;
  let settled: { at: number; counts: Record<string, number> } | null = null;
  return {
    async outboxBacklog() {
      const b = await queries.outboxBacklog();
      return { depth: b.depth, oldestAgeMs: b.oldestCreatedAt === null ? null : now() - b.oldestCreatedAt };
    },
    async ticketsByStatus() {
      const t = now();
      if (!settled || t - settled.at >= settledEveryMs || t < settled.at) settled = { at: t, counts: await queries.ticketsByStatus(SETTLED) };
      return { ...(await queries.ticketsByStatus(OPEN_STATUSES)), ...settled.counts };
    },
  };
}
