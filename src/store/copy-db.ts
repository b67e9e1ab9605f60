/**
 * `frontdesk copy-db --from sqlite:./data/frontdesk.db --to postgres://…`: move a desk from
 * SQLite to PostgreSQL with its whole history. The source is opened (and upgraded in place, as
 * any frontdesk command would) and read in one snapshot; the target is migrated, must be empty,
 * and is filled in ONE transaction (all or nothing), keeping every id; identity sequences then
 * continue after the copied ids. Rows are compared per table before the commit.
 */
import { existsSync } from 'node:fs';
import type pg from 'pg';
import { DatabaseError } from '../domain/errors.js';
import { type Db, openDatabase } from './db.js';
import { listPgMigrations } from './kysely/pg-migrate.js';
import { createPgPool, isPostgresUrl, openStore, redactUrl } from './kysely/open-store.js';

export interface CopyDbOptions {
  /** `sqlite:PATH` or a plain path to the SQLite desk. */
  from: string;
  /** `postgres://…` */
  to: string;
  /** Target schema (default: the server's search_path, usually public). */
  schema?: string;
  /** Progress lines. */
  log?: (line: string) => void;
  /** The app's migration folders, for upgrading the source in place (default: the core's). */
  migrationDirs?: readonly string[];
}

export interface CopyDbReport {
  tables: { table: string; rows: number }[];
  total: number;
}

/** Tables the migrations seed with rows: replaced by the source's rows instead of counting as data. */
const SEEDED = new Set(['counters', 'local_revisions', 'local_channels']);
/** Copied last: triggers on other tables (knowledge answers) bump these counters. */
const LAST = ['counters'];

interface SourceTable {
  name: string;
  columns: string[];
  orderBy: string;
  parents: string[];
}

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

/** The data tables of a SQLite desk (no FTS index tables, no migration bookkeeping), parents first. */
function sourceTables(db: Db): SourceTable[] {
  const rows = db
    .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all();
  const virtual = rows.filter((r) => /^CREATE VIRTUAL TABLE/i.test(r.sql)).map((r) => r.name);
  const tables = rows
    .map((r) => r.name)
    .filter((n) => n !== 'schema_migrations' && !virtual.some((v) => n === v || n.startsWith(`${v}_`)))
    .map((name): SourceTable => {
      const info = db.prepare<[], { name: string; pk: number }>(`PRAGMA table_info(${q(name)})`).all();
      const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
      const parents = db.prepare<[], { table: string }>(`PRAGMA foreign_key_list(${q(name)})`).all().map((f) => f.table);
      return { name, columns: info.map((c) => c.name), orderBy: pk.length ? pk.map((c) => q(c.name)).join(', ') : 'rowid', parents: [...new Set(parents)].filter((p) => p !== name) };
    });
  // Parents before children; the counters after everything.
  const ordered: SourceTable[] = [];
  const placed = new Set<string>();
  const visit = (t: SourceTable, path: string[]) => {
    if (placed.has(t.name)) return;
    if (path.includes(t.name)) throw new DatabaseError('frontdesk_db_error', `foreign keys form a cycle: ${[...path, t.name].join(' → ')}`);
    for (const p of t.parents) {
      const parent = tables.find((x) => x.name === p);
      if (parent) visit(parent, [...path, t.name]);
    }
    placed.add(t.name);
    ordered.push(t);
  };
  for (const t of tables) if (!LAST.includes(t.name)) visit(t, []);
  for (const t of tables) if (LAST.includes(t.name)) visit(t, []);
  return ordered;
}

/**
 * Copy a migrated SQLite desk into a fresh PostgreSQL schema.
 * @example await copyDb({ from: 'sqlite:./data/frontdesk.db', to: 'postgres://127.0.0.1/frontdesk' })
 */
export async function copyDb(o: CopyDbOptions): Promise<CopyDbReport> {
  const log = o.log ?? (() => {});
  const path = o.from.replace(/^sqlite:(\/\/)?/i, '');
  if (isPostgresUrl(o.from)) throw new DatabaseError('frontdesk_copy_invalid', 'copy-db copies FROM a SQLite desk: --from sqlite:./data/frontdesk.db');
  if (!isPostgresUrl(o.to)) throw new DatabaseError('frontdesk_copy_invalid', `copy-db copies TO PostgreSQL: --to postgres://user@host:5432/db (got "${o.to}")`);
  if (path === ':memory:' || !existsSync(path)) throw new DatabaseError('frontdesk_copy_invalid', `no SQLite database at ${path}: check --from (e.g. sqlite:./data/frontdesk.db)`);

  const src = openDatabase(path, o.migrationDirs ? { migrationDirs: o.migrationDirs } : {});
  try {
    const srcVersions = new Set(src.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all().map((r) => r.version));
    const pgVersions = new Set(listPgMigrations().map((m) => m.version));
    const missing = [...srcVersions].filter((v) => !pgVersions.has(v));
    if (missing.length)
      throw new DatabaseError('frontdesk_copy_invalid', `the SQLite desk has migration(s) ${missing.join(', ')} that this build has no PostgreSQL version of; upgrade frontdesk first`);

    // Migrate the target (under the migration lock), then copy on one connection.
    await (await openStore(o.to, { ...(o.schema ? { schema: o.schema } : {}) })).close();
    const pool = createPgPool(o.to, { ...(o.schema ? { schema: o.schema } : {}), poolSize: 1 });
    const client = await pool.connect();
    try {
      return await copyInto(src, client, log);
    } finally {
      client.release();
      await pool.end();
    }
  } catch (e) {
    if (e instanceof DatabaseError) throw e;
    throw new DatabaseError('frontdesk_copy_failed', `copy-db to ${redactUrl(o.to)} failed, nothing was written: ${(e as Error).message}`);
  } finally {
    src.close();
  }
}

async function copyInto(src: Db, client: pg.PoolClient, log: (line: string) => void): Promise<CopyDbReport> {
  const tables = sourceTables(src);
  const pgCols = new Map<string, Set<string>>();
  for (const r of (
    await client.query<{ table_name: string; column_name: string }>(
      'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()',
    )
  ).rows) {
    const s = pgCols.get(r.table_name) ?? new Set<string>();
    s.add(r.column_name);
    pgCols.set(r.table_name, s);
  }
  for (const t of tables) {
    const target = pgCols.get(t.name);
    if (!target) throw new DatabaseError('frontdesk_copy_invalid', `table ${t.name} of the SQLite desk does not exist on PostgreSQL; this build cannot copy it`);
    const extra = t.columns.filter((c) => !target.has(c));
    if (extra.length) throw new DatabaseError('frontdesk_copy_invalid', `table ${t.name}: column(s) ${extra.join(', ')} do not exist on PostgreSQL`);
  }
  for (const t of tables) {
    if (SEEDED.has(t.name)) continue;
    const n = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(t.name)}`)).rows[0]?.n ?? 0);
    if (n > 0)
      throw new DatabaseError('frontdesk_copy_target_not_empty', `the PostgreSQL target is not empty (${t.name} has ${n} rows). copy-db only fills a fresh database or schema; nothing was written.`);
  }

  const report: CopyDbReport = { tables: [], total: 0 };
  src.prepare('BEGIN').run(); // one read snapshot of the source
  await client.query('BEGIN');
  try {
    for (const t of tables) if (SEEDED.has(t.name)) await client.query(`DELETE FROM ${q(t.name)}`);
    for (const t of tables) {
      const cols = t.columns.map(q).join(', ');
      const batch = Math.max(1, Math.min(1000, Math.floor(60_000 / t.columns.length)));
      let copied = 0;
      for (let offset = 0; ; offset += batch) {
        const rows = src.prepare<[number, number], Record<string, unknown>>(`SELECT * FROM ${q(t.name)} ORDER BY ${t.orderBy} LIMIT ? OFFSET ?`).all(batch, offset);
        if (rows.length === 0) break;
        const params: unknown[] = [];
        const tuples = rows.map((r) => `(${t.columns.map((c) => `$${params.push(r[c] ?? null)}`).join(', ')})`);
        try {
          await client.query(`INSERT INTO ${q(t.name)} (${cols}) VALUES ${tuples.join(', ')}`, params);
        } catch (e) {
          // e.g. a NUL character, which SQLite stores and PostgreSQL text cannot.
          throw new DatabaseError('frontdesk_copy_failed', `table ${t.name}, rows ${offset + 1}–${offset + rows.length}: ${(e as Error).message}; nothing was written`);
        }
        copied += rows.length;
        if (rows.length < batch) break;
      }
      const expected = (src.prepare(`SELECT count(*) AS n FROM ${q(t.name)}`).get() as { n: number }).n;
      const landed = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${q(t.name)}`)).rows[0]?.n ?? 0);
      if (copied !== expected || landed !== expected)
        throw new DatabaseError('frontdesk_copy_failed', `table ${t.name}: ${expected} rows in SQLite, ${copied} read, ${landed} on PostgreSQL; nothing was written`);
      report.tables.push({ table: t.name, rows: copied });
      report.total += copied;
      log(`${t.name}: ${copied}`);
    }
    // Identity columns continue after the copied ids.
    const identities = await client.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
    );
    for (const { table_name, column_name } of identities.rows)
      await client.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), m) FROM (SELECT max(${q(column_name)}) AS m FROM ${q(table_name)}) x WHERE m IS NOT NULL`,
        [q(table_name), column_name],
      );
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    src.prepare('COMMIT').run();
  }
  return report;
}

