/**
 * Opens the SQLite database: refuses corrupt files and newer schemas without touching them,
 * then applies numbered migrations (NNNN_name.sql) in order, each in its own transaction,
 * recorded in schema_migrations and PRAGMA user_version.
 *
 * Migrations come from more than one folder: the core's (src/store/migrations) and those of
 * adapters that keep tables of their own (the local playground's, adapters/local/migrations).
 * The composition root (adapters/compose.ts) passes the full list; the folders are merged into
 * one sequence by version number, so the order and the schema_migrations record are the same
 * as when they all lived in one folder. A version may appear in only one folder.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DatabaseError } from '../domain/errors.js';

export type Db = Database.Database;

/** The core's migrations. */
export const CORE_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** The file it was read from. */
  file: string;
}

/**
 * The migrations in these folders (default: the core's), merged in version order.
 * @example listMigrations([CORE_MIGRATIONS_DIR, LOCAL_MIGRATIONS_DIR]).map((m) => m.version) // [1, 2, 3, 4, 6, …]
 */
export function listMigrations(dirs: readonly string[] = [CORE_MIGRATIONS_DIR]): Migration[] {
  const all = dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
      .map((f) => {
        const file = join(dir, f);
        return { version: Number(f.slice(0, 4)), name: f.slice(5, -4), sql: readFileSync(file, 'utf8'), file };
      }),
  );
  all.sort((a, b) => a.version - b.version);
  for (let i = 1; i < all.length; i++)
    if (all[i]!.version === all[i - 1]!.version)
      throw new DatabaseError('frontdesk_db_error', `two migrations have version ${all[i]!.version}: ${all[i - 1]!.file} and ${all[i]!.file}. Give one of them a number no other migration uses.`);
  return all;
}

export const LATEST_SCHEMA_VERSION = (dirs?: readonly string[]): number => listMigrations(dirs).at(-1)?.version ?? 0;

const SQLITE_HEADER = 'SQLite format 3\u0000';

function checkExistingFile(path: string, dirs: readonly string[] | undefined): void {
  const size = statSync(path).size;
  if (size === 0) return;
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(16);
  try {
    readSync(fd, buf, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (buf.toString('latin1') !== SQLITE_HEADER)
    throw new DatabaseError(
      'frontdesk_db_corrupt',
      `${path} is not a SQLite database (bad header). It was left untouched. Point FRONTDESK_DB at the right file, or restore it from a backup (frontdesk backup).`,
    );
  let ro: Db | null = null;
  try {
    ro = new Database(path, { readonly: true, fileMustExist: true });
    ro.pragma('busy_timeout = 5000');
    const version = ro.pragma('user_version', { simple: true }) as number;
    ro.prepare('SELECT count(*) FROM sqlite_master').get();
    const latest = LATEST_SCHEMA_VERSION(dirs);
    if (version > latest)
      throw new DatabaseError(
        'frontdesk_db_too_new',
        `${path} has schema version ${version}, but this frontdesk only knows up to ${latest}. It was left untouched: upgrade frontdesk, or use a backup made by this version.`,
      );
  } catch (e) {
    if (e instanceof DatabaseError) throw e;
    throw describeSqliteError(e, path);
  } finally {
    ro?.close();
  }
}

/** Map SQLite errors to messages that say what to do. */
export function describeSqliteError(e: unknown, path: string): DatabaseError {
  const code = (e as { code?: string }).code ?? '';
  const msg = (e as Error).message;
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB')
    return new DatabaseError('frontdesk_db_corrupt', `${path} is corrupt (${msg}). It was left untouched: restore it from a backup (frontdesk backup makes one).`);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return new DatabaseError('frontdesk_db_locked', `${path} is locked by another process (${msg}). Stop the other frontdesk or wait, then try again.`);
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM')
    return new DatabaseError('frontdesk_db_unavailable', `cannot open ${path} for writing (${msg}). Check the path in FRONTDESK_DB and its permissions.`);
  return new DatabaseError('frontdesk_db_error', `${path}: ${msg}`);
}

export interface OpenOptions {
  /** Apply pending migrations (default true). `frontdesk migrate` runs them explicitly. */
  migrate?: boolean;
  /** Folders of migrations (default: the core's only). The composition root passes every folder the app has. */
  migrationDirs?: readonly string[];
}

/**
 * Open (and create) the database at `path` (':memory:' allowed) and bring its schema up to date.
 * @example const db = openDatabase(process.env.FRONTDESK_DB ?? './data/frontdesk.db');
 */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const memory = path === ':memory:';
  if (!memory) {
    if (existsSync(path)) checkExistingFile(path, opts.migrationDirs);
    else mkdirSync(dirname(path), { recursive: true });
  }
  let db: Db;
  try {
    db = new Database(path);
    db.pragma('busy_timeout = 5000');
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // 64 MiB page cache: the SLA sweep and digest touch large index ranges.
    db.pragma('cache_size = -65536');
    db.pragma('foreign_keys = ON');
  } catch (e) {
    throw describeSqliteError(e, path);
  }
  cachePreparedStatements(db);
  if (opts.migrate !== false) {
    try {
      migrate(db, opts.migrationDirs);
    } catch (e) {
      db.close();
      throw e instanceof DatabaseError ? e : describeSqliteError(e, path);
    }
  }
  return db;
}

/**
 * Reuse prepared statements: `db.prepare(sql)` returns the cached statement for the same SQL
 * (hot paths call it per ticket; preparing costs more than running). A statement that is busy
 * (an open `.iterate()`) is not shared: a fresh one is prepared for the nested caller.
 */
function cachePreparedStatements(db: Db): void {
  const original = db.prepare.bind(db);
  const cache = new Map<string, ReturnType<Db['prepare']>>();
  db.prepare = ((sql: string) => {
    const hit = cache.get(sql);
    if (hit && !hit.busy) return hit;
    const stmt = original(sql);
    if (!hit && cache.size < 2000) cache.set(sql, stmt);
    return stmt;
  }) as Db['prepare'];
}

/**
 * Apply pending migrations; returns the versions applied. A migration counts as applied when
 * schema_migrations records it, so one added with a lower number than the newest still runs.
 */
export function migrate(db: Db, dirs?: readonly string[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const applied: number[] = [];
  for (const m of listMigrations(dirs)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      const current = db.pragma('user_version', { simple: true }) as number;
      if (m.version > current) db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}

/** Path of the database from the environment. */
export function databasePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.FRONTDESK_DB || './data/frontdesk.db';
}

/** The schema version a SQLite database is at (its newest applied migration). */
export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}
