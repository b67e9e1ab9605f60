/**
 * The escalation / SLA / digest store contract on both engines: SQLite (:memory:) and
 * PostgreSQL (this file's own schema, reset before each test; two stores on it for the races).
 * Without a reachable PostgreSQL the second half is not registered outside CI and fails under CI=true.
 */
import { afterAll, expect } from 'vitest';
import type { KyselyStore } from '../../src/store/kysely/kysely-store.js';
import { openStore } from '../../src/store/kysely/open-store.js';
import { storeEscalationContract } from '../contract/store-escalation-contract.js';
import { migratedTestSchema, pgAvailable } from './pg.js';

storeEscalationContract('SQLite', async () => {
  const store = await openStore(':memory:');
  return { store, another: async () => store, close: () => store.close() };
});

if (pgAvailable()) {
  let shared: Awaited<ReturnType<typeof migratedTestSchema>> | null = null;
  afterAll(async () => {
    await shared?.drop();
  });
  storeEscalationContract('PostgreSQL', async () => {
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
