/**
 * The routing-state contract on both engines: SQLite (:memory:) and PostgreSQL (this file's own
 * schema, reset before each test; `another()` opens a second pool on it, like another replica).
 */
import { afterAll } from 'vitest';
import { storeRoutingContract } from '../contract/store-routing-contract.js';
import type { KyselyStore } from '../../src/store/kysely/kysely-store.js';
import { openStore } from '../../src/store/kysely/open-store.js';
import { migratedTestSchema, pgAvailable } from './pg.js';

storeRoutingContract('SQLite', async () => {
  const store = await openStore(':memory:');
  return { store, another: async () => store, close: () => store.close() };
});

if (pgAvailable()) {
  let shared: Awaited<ReturnType<typeof migratedTestSchema>> | null = null;
  afterAll(async () => {
    await shared?.drop();
  });
  storeRoutingContract('PostgreSQL', async () => {
    if (shared) await shared.reset();
    else shared = await migratedTestSchema(async (url, schema) => (await openStore(url, { schema })).close());
    const s = shared;
    const store = await openStore(s.url, { schema: s.schema });
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
