/**
 * Open the store for a URL: `postgres://…` / `postgresql://…` → PostgreSQL (a `pg` pool,
 * migrated under the migration lock); anything else → a SQLite file path (`sqlite:` prefix
 * optional) or `:memory:`, opened and migrated by the existing SQLite runner (src/store/db.ts),
 * which refuses corrupt files and newer schemas untouched.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { DatabaseError } from '../../domain/errors.js';
import { type Db, describeSqliteError, migrate as migrateSqlite, openDatabase } from '../db.js';
import { KyselyStore } from './kysely-store.js';
import { migratePostgres } from './pg-migrate.js';
import type { StoreDb } from './schema.js';

export interface OpenStoreOptions {
  /** PostgreSQL: the schema to use (search_path); default the server's (public). */
  schema?: string;
  /** PostgreSQL: pool size (default 10). */
  poolSize?: number;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

/** The store URL from the environment: DATABASE_URL (PostgreSQL) or FRONTDESK_DB (SQLite path). */
export function storeUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || env.FRONTDESK_DB || './data/frontdesk.db';
}

/** int8 (BIGINT, count(*)) as JS numbers: epoch ms and ids stay far below 2^53. */
const int8AsNumber = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A pg pool for a URL, optionally confined to one schema. */
export function createPgPool(url: string, opts: { schema?: string; poolSize?: number } = {}): pg.Pool {
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(opts.schema))
    throw new DatabaseError('frontdesk_db_error', `schema name "${opts.schema}" is not a plain lower-case identifier`);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    types: int8AsNumber,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process:
  // the pool discards it and the next query opens a new one.
  pool.on('error', () => {});
  return pool;
}

/**
 * @example const store = await openStore(process.env.DATABASE_URL ?? './data/frontdesk.db');
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<KyselyStore> {
  if (isPostgresUrl(url)) {
    const pool = createPgPool(url, opts);
    const db = new Kysely<StoreDb>({ dialect: new PostgresDialect({ pool }) });
    try {
      const migrated = opts.migrate === false ? [] : await migratePostgres(db);
      return new KyselyStore(db, 'postgres', url, migrated);
    } catch (e) {
      await db.destroy();
      if (e instanceof DatabaseError) throw e;
      throw describePgError(e, url);
    }
  }
  const path = url.replace(/^sqlite:(\/\/)?/i, '');
  const database = openDatabase(path, { migrate: false });
  let migrated: number[] = [];
  if (opts.migrate !== false) {
    try {
      migrated = migrateSqlite(database);
    } catch (e) {
      database.close();
      throw e instanceof DatabaseError ? e : describeSqliteError(e, path);
    }
  }
  const db = new Kysely<StoreDb>({ dialect: new SqliteDialect({ database }) });
  return new KyselyStore(db, 'sqlite', path === ':memory:' ? `:memory:${randomUUID()}` : resolve(path), migrated);
}

/**
 * The store over a SQLite database the app already opened and migrated (the same connection:
 * what the synchronous repositories and the store write lands in one file, one transaction at
 * a time). Closing this store does not close the database; its owner does.
 * Used while the use cases move onto the store port (issue #13).
 * @example const store = storeOnDatabase(openDatabase(':memory:'));
 */
export function storeOnDatabase(database: Db): KyselyStore {
  const db = new Kysely<StoreDb>({ dialect: new SqliteDialect({ database: borrowed(database) }) });
  return new KyselyStore(db, 'sqlite', database.memory ? `:memory:${randomUUID()}` : resolve(database.name), []);
}

/** A view of `database` whose close() does nothing (Kysely's destroy closes its database). */
function borrowed(database: Db): Db {
  return new Proxy(database, {
    get(target, prop) {
      if (prop === 'close') return () => target;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Map PostgreSQL and connection errors to messages that say what to do. */
export function describePgError(e: unknown, url: string): DatabaseError {
  const code = String((e as { code?: string }).code ?? '');
  const msg = (e as Error).message;
  const where = redactUrl(url);
  // Network errors, authentication (28xxx), a missing database (3D000), server shutting down (57P0x).
  if (/^E[A-Z]+$/.test(code) || code.startsWith('28') || code === '3D000' || code.startsWith('57P'))
    return new DatabaseError('frontdesk_db_unavailable', `cannot use the PostgreSQL database at ${where}: ${msg}. Check DATABASE_URL and that the server is running.`);
  return new DatabaseError('frontdesk_db_error', `PostgreSQL at ${where}: ${msg}${code ? ` (SQLSTATE ${code})` : ''}`);
}

/** A URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
