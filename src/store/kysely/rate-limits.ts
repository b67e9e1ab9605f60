/** Shared rate limits (migration 0018, `rate_limits`) as one conditional upsert per turn (GCRA). */
import { type Kysely, sql } from 'kysely';
import type { RateLimitRepository } from '../../ports/rate-limiter.js';
import type { StoreEngine } from '../../ports/store.js';
import { changed } from './inbox.js';
import type { StoreDb } from './schema.js';

export class KyselyRateLimitRepository implements RateLimitRepository {
  constructor(
    private readonly db: Kysely<StoreDb>,
    private readonly engine: StoreEngine,
  ) {}

  async take(key: string, intervalMs: number, burst: number, now: number): Promise<number> {
    const interval = Math.max(1, Math.ceil(intervalMs));
    const tolerance = (Math.max(1, Math.floor(burst)) - 1) * interval;
    const greatest = sql.raw(this.engine === 'postgres' ? 'GREATEST' : 'max');
    // The turn is taken only when the stored arrival time leaves room (tat - now <= tolerance);
    // the row lock (PostgreSQL) / the one writer (SQLite) makes check and move one step.
    const taken = await this.db
      .insertInto('rate_limits')
      .values({ key, tat: now + interval })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ tat: sql<number>`${greatest}(rate_limits.tat, ${now}) + ${interval}` })
          .where('rate_limits.tat', '<=', now + tolerance),
      )
      .returning('tat')
      .executeTakeFirst();
    if (taken) return 0;
    const r = await this.db.selectFrom('rate_limits').select('tat').where('key', '=', key).executeTakeFirst();
    return r ? Math.max(1, Number(r.tat) - tolerance - now) : 1;
  }

  async peek(key: string, intervalMs: number, burst: number, now: number): Promise<number> {
    const interval = Math.max(1, Math.ceil(intervalMs));
    const tolerance = (Math.max(1, Math.floor(burst)) - 1) * interval;
    const r = await this.db.selectFrom('rate_limits').select('tat').where('key', '=', key).executeTakeFirst();
    return r ? Math.max(0, Number(r.tat) - tolerance - now) : 0;
  }

  async prune(before: number): Promise<number> {
    return changed(await this.db.deleteFrom('rate_limits').where('tat', '<', before).executeTakeFirst());
  }
}
