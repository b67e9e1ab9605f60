/**
 * Rate limits per key (e.g. one chat channel: Slack allows about one message per second per
 * channel). The outbox asks before every send. The in-process limiter (src/outbox/rate-limiter.ts)
 * holds for one process; the store-backed one holds across every replica on one database.
 */

export interface RateLimiter {
  /**
   * Take one call for `key` at `ratePerSec` (bursts of up to floor(rate), at least 1): 0 = go
   * now (the call is counted), else the ms to wait before asking again (nothing was taken).
   * The in-process limiter answers synchronously; a shared one asks the store.
   */
  take(key: string, ratePerSec: number, now: number): number | Promise<number>;
  /** The ms until `take` would answer 0, without taking anything (0 = a turn is free now). */
  peek(key: string, ratePerSec: number, now: number): number | Promise<number>;
}

/**
 * Shared rate-limit state in the store (the `rate_limits` table), GCRA: one row per key holding
 * the theoretical arrival time of the next call. One conditional upsert takes a turn, so any
 * number of processes together stay within the rate.
 */
export interface RateLimitRepository {
  /**
   * Take one turn for `key` at `now`: calls are spaced `intervalMs` apart, with bursts of up to
   * `burst` calls. Returns 0 when taken, else the ms until a turn is free (nothing taken).
   */
  take(key: string, intervalMs: number, burst: number, now: number): Promise<number>;
  /** The ms until `take` would succeed, without taking a turn. */
  peek(key: string, intervalMs: number, burst: number, now: number): Promise<number>;
  /** Forget keys whose turns are all free again before `before` (they behave as new). */
  prune(before: number): Promise<number>;
}
