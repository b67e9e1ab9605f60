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

/**
 * One migrated schema for a whole test file, put back to its freshly migrated state before each
 * test: tables with rows are truncated, the rows the migrations seed are restored and every
 * identity sequence restarts. The same start as a new schema, without migrating for every test.
 */
export async function migratedTestSchema(migrate: (url: string, schema: string) => Promise<void>): Promise<{
  url: string;
  schema: string;
  reset(): Promise<void>;
  drop(): Promise<void>;
}> {
  const s = await createTestSchema();
  await migrate(s.url, s.schema);
  const connect = async () => {
    const c = new pg.Client({ connectionString: s.url, options: `-c search_path=${s.schema}` });
    await c.connect();
    return c;
  };
  const c = await connect();
  const seeds: { table: string; rows: Record<string, unknown>[] }[] = [];
  let tables: string[];
  let sequences: string[];
  try {
    tables = (
      await c.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name",
      )
    ).rows.map((r) => r.table_name);
    for (const t of tables) {
      const rows = (await c.query(`SELECT * FROM "${t}"`)).rows as Record<string, unknown>[];
      if (rows.length) seeds.push({ table: t, rows });
    }
    sequences = (
      await c.query<{ seq: string }>(
        "SELECT pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
      )
    ).rows.map((r) => r.seq);
  } finally {
    await c.end();
  }
  const seeded = new Set(seeds.map((x) => x.table));
  const anyRows = tables.map((t) => `SELECT '${t}' AS t WHERE EXISTS (SELECT 1 FROM "${t}")`).join(' UNION ALL ');
  return {
    ...s,
    async reset() {
      const r = await connect();
      try {
        await r.query('BEGIN');
        const used = (await r.query<{ t: string }>(anyRows)).rows.map((x) => x.t).filter((t) => !seeded.has(t));
        // TRUNCATE bypasses the timeline's append-only row triggers; CASCADE takes dependants along.
        if (used.length) await r.query(`TRUNCATE ${used.map((t) => `"${t}"`).join(', ')} CASCADE`);
        for (const { table, rows } of seeds) {
          await r.query(`DELETE FROM "${table}"`);
          for (const row of rows) {
            const cols = Object.keys(row);
            await r.query(`INSERT INTO "${table}" (${cols.map((x) => `"${x}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
          }
        }
        for (const seq of sequences) await r.query('SELECT setval($1, 1, false)', [seq]);
        await r.query('COMMIT');
      } finally {
        await r.end();
      }
    },
  };
}
