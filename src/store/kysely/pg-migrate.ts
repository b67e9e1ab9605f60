/**
 * PostgreSQL migrations: src/store/migrations-pg/NNNN_name.sql, the same numbers as the SQLite
 * ones, applied in order, each in its own transaction, recorded in schema_migrations. The whole
 * run holds an advisory lock keyed by the schema, so replicas started together migrate once (the
 * others wait, then find nothing to do). A schema newer than this build is refused untouched.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import { DatabaseError } from '../../domain/errors.js';
import type { StoreDb } from './schema.js';

const PG_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations-pg/', import.meta.url));

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** The PostgreSQL migrations shipped with this build, in order. */
export function listPgMigrations(): PgMigration[] {
  return readdirSync(PG_MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f.slice(5, -4), sql: readFileSync(PG_MIGRATIONS_DIR + f, 'utf8') }));
}

/** Advisory lock namespaces (the first key of the two-key form); the second key is a hash. */
export const LOCK_MIGRATE = 0x66640001;
export const LOCK_LEADER = 0x66640002;

/**
 * Apply pending migrations under the migration lock; returns the versions applied.
 * @throws DatabaseError frontdesk_db_too_new when the schema is newer than this build.
 */
export async function migratePostgres(db: Kysely<StoreDb>, now: () => number = Date.now): Promise<number[]> {
  const migrations = listPgMigrations();
  const latest = migrations.at(-1)?.version ?? 0;
  return db.connection().execute(async (conn) => {
    // Keyed by the schema: each schema (a desk, a test run) migrates independently.
    await sql`SELECT pg_advisory_lock(${LOCK_MIGRATE}, hashtext(current_schema()))`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`.execute(conn);
      const done = new Set((await conn.selectFrom('schema_migrations').select('version').execute()).map((r) => Number(r.version)));
      const newest = Math.max(0, ...done);
      if (newest > latest) {
        const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(conn)).rows[0]?.s;
        throw new DatabaseError(
          'frontdesk_db_too_new',
          `the PostgreSQL schema "${schema}" has schema version ${newest}, but this frontdesk only knows up to ${latest}. It was left untouched: upgrade frontdesk (every replica), or point DATABASE_URL at a database this version made.`,
        );
      }
      const applied: number[] = [];
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        await conn.transaction().execute(async (trx) => {
          await sql.raw(m.sql).execute(trx);
          await trx.insertInto('schema_migrations').values({ version: m.version, name: m.name, applied_at: now() }).execute();
        });
        applied.push(m.version);
      }
      return applied;
    } finally {
      await sql`SELECT pg_advisory_unlock(${LOCK_MIGRATE}, hashtext(current_schema()))`.execute(conn);
    }
  });
}
