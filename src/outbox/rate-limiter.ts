/**
 * The two RateLimiters (src/ports/rate-limiter.ts). `LocalRateLimiter`: a token bucket per key
 * in this process's memory (one process: SQLite, the default). `StoreRateLimiter`: the turns are
 * taken in the store (`rate_limits`, one atomic upsert per turn), so several replicas on one
 * PostgreSQL together stay within a channel's rate.
 */
import type { RateLimiter, RateLimitRepository } from '../ports/rate-limiter.js';

export class LocalRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  take(key: string, ratePerSec: number, now: number): number {
    const cap = Math.max(1, Math.floor(ratePerSec));
    const b = this.buckets.get(key) ?? { tokens: cap, at: now };
    b.tokens = Math.min(cap, b.tokens + (Math.max(0, now - b.at) * ratePerSec) / 1000);
    b.at = Math.max(b.at, now);
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - b.tokens) * 1000) / ratePerSec));
  }

  peek(key: string, ratePerSec: number, now: number): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const cap = Math.max(1, Math.floor(ratePerSec));
    const tokens = Math.min(cap, b.tokens + (Math.max(0, now - b.at) * ratePerSec) / 1000);
    if (tokens >= cap) {
      this.buckets.delete(key); // full again: forget the key until it is used
      return 0;
    }
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil(((1 - tokens) * 1000) / ratePerSec));
  }
}

export class StoreRateLimiter implements RateLimiter {
  constructor(private readonly repo: RateLimitRepository) {}

  take(key: string, ratePerSec: number, now: number): Promise<number> {
    return this.repo.take(key, Math.ceil(1000 / ratePerSec), Math.max(1, Math.floor(ratePerSec)), now);
  }

  peek(key: string, ratePerSec: number, now: number): Promise<number> {
    return this.repo.peek(key, Math.ceil(1000 / ratePerSec), Math.max(1, Math.floor(ratePerSec)), now);
  }
}
