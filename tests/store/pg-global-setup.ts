/**
 * vitest global setup: is a PostgreSQL reachable for the store's second engine? Checked once per
 * run (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test) and handed to the test files
 * with `inject('storePg')`. Without one, ONE line says how to run that half; under CI=true the
 * PostgreSQL tests fail instead (tests/store/pg.ts).
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

declare module 'vitest' {
  export interface ProvidedContext {
    storePg: { url: string; reachable: boolean; problem: string | null };
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.DATABASE_URL || DEFAULT_PG_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  let problem: string | null = null;
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    problem = (e as Error).message || String(e);
  } finally {
    await client.end().catch(() => {});
  }
  if (problem && process.env.CI !== 'true')
    process.stdout.write(`store: PostgreSQL not reachable at ${url.replace(/:[^:@/]*@/, ':***@')} (${problem}); the PostgreSQL half of the store tests did not run. Run it with: DATABASE_URL=postgres://127.0.0.1/test npm test\n`);
  project.provide('storePg', { url, reachable: problem === null, problem });
}
