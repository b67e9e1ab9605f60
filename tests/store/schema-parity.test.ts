/**
 * Both engines have the same schema: every SQLite migration (the core's and the local
 * playground's, as the composition root applies them) has a PostgreSQL one with the same
 * number and name, and after migrating, every table has the same columns in the same order
 * with the same NOT NULL rules (types differ by design: INTEGER ms → BIGINT, TEXT JSON → JSONB).
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { APP_MIGRATION_DIRS, openAppDatabase } from '../../adapters/compose.js';
import { listMigrations } from '../../src/store/db.js';
import { listPgMigrations } from '../../src/store/kysely/pg-migrate.js';
import { openStore } from '../../src/store/kysely/open-store.js';
import { createTestSchema, pgAvailable } from './pg.js';

describe('schema parity between SQLite and PostgreSQL', () => {
  it('has a PostgreSQL migration for every SQLite migration (add src/store/migrations-pg/NNNN_name.sql with the same number and name)', () => {
    expect(listPgMigrations().map((m) => `${m.version}_${m.name}`)).toEqual(listMigrations(APP_MIGRATION_DIRS).map((m) => `${m.version}_${m.name}`));
  });

  if (pgAvailable())
    it('migrates to the same tables and columns on both engines', async () => {
      const lite = openAppDatabase(':memory:');
      const tables = lite
        .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all()
        .filter((t) => !/^CREATE VIRTUAL TABLE/i.test(t.sql) && !/_fts_/.test(t.name))
        .map((t) => t.name);
      const liteCols = Object.fromEntries(
        tables.map((t) => [t, lite.prepare<[], { name: string; notnull: number; pk: number }>(`PRAGMA table_info(${t})`).all().map((c) => `${c.name}${c.notnull || c.pk ? ' NOT NULL' : ''}`)]),
      );
      lite.close();
      const s = await createTestSchema();
      try {
        await (await openStore(s.url, { schema: s.schema })).close();
        const c = new pg.Client({ connectionString: s.url });
        await c.connect();
        const rows = (
          await c.query<{ table_name: string; column_name: string; is_nullable: string }>(
            'SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position',
            [s.schema],
          )
        ).rows;
        await c.end();
        const pgCols: Record<string, string[]> = {};
        for (const r of rows) {
          const cols = pgCols[r.table_name] ?? [];
          cols.push(`${r.column_name}${r.is_nullable === 'NO' ? ' NOT NULL' : ''}`);
          pgCols[r.table_name] = cols;
        }
        expect(pgCols).toEqual(liteCols);
      } finally {
        await s.drop();
      }
    });
});
