/**
 * The store contract on both engines: SQLite (:memory:, and a file for the schema checks) and
 * PostgreSQL (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test): this file's own schema,
 * reset to its freshly migrated state before each test (the migration tests use fresh schemas). Without a reachable PostgreSQL the second half is not registered outside CI (the
 * global setup printed how to run it) and fails under CI=true.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, expect } from 'vitest';
import { storeContract } from '../contract/store-contract.js';
import type { KyselyStore } from '../../src/store/kysely/kysely-store.js';
import { openStore } from '../../src/store/kysely/open-store.js';
import { createTestSchema, migratedTestSchema, pgAvailable } from './pg.js';

storeContract(
  'SQLite',
  async () => {
    const store = await openStore(':memory:');
    return { store, another: async () => store, close: () => store.close() };
  },
  {
    async openNewerSchema() {
      const dir = mkdtempSync(join(tmpdir(), 'fd-store-'));
      const path = join(dir, 'desk.db');
      await (await openStore(path)).close();
      const db = new Database(path);
      db.pragma('user_version = 9999');
      db.close();
      return { attempt: () => openStore(path), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
);

if (pgAvailable()) {
  // One migrated schema for this file, reset to its freshly migrated state before each test.
  let shared: Awaited<ReturnType<typeof migratedTestSchema>> | null = null;
  afterAll(async () => {
    await shared?.drop();
  });
  storeContract(
    'PostgreSQL',
    async () => {
      if (shared) await shared.reset();
      else shared = await migratedTestSchema(async (url, schema) => (await openStore(url, { schema })).close());
      const s = shared;
      const store = await openStore(s.url, { schema: s.schema });
      expect(store.migrated).toEqual([]);
      const others: KyselyStore[] = [];
      return {
        store,
        async another() {
          const o = await openStore(s.url, { schema: s.schema });
          others.push(o);
          return o;
        },
        async close() {
          for (const o of others) await o.close();
          await store.close();
        },
      };
    },
    {
      async openNewerSchema() {
        const s = await createTestSchema();
        await (await openStore(s.url, { schema: s.schema })).close();
        const c = new pg.Client({ connectionString: s.url, options: `-c search_path=${s.schema}` });
        await c.connect();
        await c.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', 0)");
        await c.end();
        return { attempt: () => openStore(s.url, { schema: s.schema }), cleanup: () => s.drop() };
      },
      async openTwoFresh() {
        const s = await createTestSchema();
        const stores = await Promise.all([openStore(s.url, { schema: s.schema }), openStore(s.url, { schema: s.schema })]);
        const c = new pg.Client({ connectionString: s.url, options: `-c search_path=${s.schema}` });
        await c.connect();
        const versions = (await c.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
        await c.end();
        return {
          applied: stores.map((x) => x.migrated),
          versions,
          async cleanup() {
            for (const x of stores) await x.close();
            await s.drop();
          },
        };
      },
    },
  );
}
