/**
 * Run a store contract on both engines: SQLite (:memory:) and PostgreSQL (the calling test
 * file's own schema, migrated once and put back to its freshly migrated state before each test;
 * `another()` opens a second pool on the same schema, i.e. another replica). Without a reachable
 * PostgreSQL the second half is not registered outside CI and fails under CI=true (pgAvailable).
 */
import { afterAll, expect } from 'vitest';
import type { KyselyStore } from '../../src/store/kysely/kysely-store.js';
import { openStore } from '../../src/store/kysely/open-store.js';
import { migratedTestSchema, pgAvailable } from './pg.js';

export interface EngineHarness {
  store: KyselyStore;
  /** Another store on the same database (on SQLite: the same one, a single writer). */
  another(): Promise<KyselyStore>;
  close(): Promise<void>;
}

export function onBothEngines(contract: (engine: string, open: () => Promise<EngineHarness>) => void): void {
  contract('SQLite', async () => {
    const store = await openStore(':memory:');
    return { store, another: async () => store, close: () => store.close() };
  });
  if (!pgAvailable()) return;
  let shared: Awaited<ReturnType<typeof migratedTestSchema>> | null = null;
  afterAll(async () => {
    await shared?.drop();
  });
  contract('PostgreSQL', async () => {
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
  });
}
