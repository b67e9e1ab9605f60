/**
 * PostgreSQL for store tests: each test gets its own schema (fd_test_<random>), dropped after,
 * so parallel test files never collide. `pgAvailable()` is false (and the PostgreSQL half is not
 * registered) only outside CI; under CI=true a missing PostgreSQL is a failing test.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject, it } from 'vitest';

export function pgSettings(): { url: string; reachable: boolean; problem: string | null } {
  return inject('storePg');
}

/** True when the PostgreSQL tests should be registered; under CI registers a failing test instead. */
export function pgAvailable(): boolean {
  const s = pgSettings();
  if (s.reachable) return true;
  if (process.env.CI === 'true')
    it('PostgreSQL is reachable (required under CI=true)', () => {
      throw new Error(`PostgreSQL is not reachable at ${s.url} (${s.problem}). CI runs the store tests on both engines: start PostgreSQL or set DATABASE_URL.`);
    });
  return false;
}

/** A fresh schema; `drop()` removes it with everything in it. */
export async function createTestSchema(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const { url } = pgSettings();
  const schema = `fd_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  return {
    url,
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
