/**
 * The known-answers and CSAT store contract on both engines: SQLite (:memory:) and PostgreSQL
 * (this file's own schema, reset to its freshly migrated state before each test). Without a
 * reachable PostgreSQL the second half is not registered outside CI and fails under CI=true.
 */
import { afterAll } from 'vitest';
import { storeKnowledgeContract } from '../contract/store-knowledge-contract.js';
import { openStore } from '../../src/store/kysely/open-store.js';
import { migratedTestSchema, pgAvailable } from './pg.js';

storeKnowledgeContract('SQLite', async () => {
  const store = await openStore(':memory:');
  return { store, close: () => store.close() };
});

if (pgAvailable()) {
  let shared: Awaited<ReturnType<typeof migratedTestSchema>> | null = null;
  afterAll(async () => {
    await shared?.drop();
  });
  storeKnowledgeContract('PostgreSQL', async () => {
    if (shared) await shared.reset();
    else shared = await migratedTestSchema(async (url, schema) => (await openStore(url, { schema })).close());
    const store = await openStore(shared.url, { schema: shared.schema });
    return { store, close: () => store.close() };
  });
}
