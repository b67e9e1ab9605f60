/**
 * The known-answers and CSAT store contract on both engines: SQLite (:memory:) and PostgreSQL
 * (this file's own schema, reset to its freshly migrated state before each test). Without a
 * reachable PostgreSQL the second half is not registered outside CI and fails under CI=true.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { storeKnowledgeContract } from '../contract/store-knowledge-contract.js';
import { termsWithWords } from '../../src/knowledge/terms.js';
import { openStore } from '../../src/store/kysely/open-store.js';
import { EVAL_FILE, FIXTURE_DIR, makeKnowledge } from '../knowledge/helpers.js';
import { onBothEngines } from './both-engines.js';
import { migratedTestSchema, pgAvailable } from './pg.js';

onBothEngines(storeKnowledgeContract);

if (pgAvailable()) {
  describe('answer search on PostgreSQL', () => {
    it('finds and scores the example answers for every labelled request exactly as FTS5 does on SQLite', async () => {
      // SQLite: the app's synchronous knowledge base (FTS5) reads the example folder.
      const { db, knowledge } = makeKnowledge();
      const kb = knowledge.kb;
      expect(kb.syncFolder(FIXTURE_DIR).problems).toEqual([]);
      const answers = [...kb.repo.list()].sort((a, b) => a.createdAt - b.createdAt);
      // PostgreSQL: the same answers (with their stored terms) through the store port.
      const s = await migratedTestSchema(async (url, schema) => (await openStore(url, { schema })).close());
      const store = await openStore(s.url, { schema: s.schema });
      try {
        for (const a of answers) await store.knowledge.put(a, a.createdAt);
        const requests = readFileSync(EVAL_FILE, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { text: string }).text);
        let compared = 0;
        for (const text of requests) {
          const terms = termsWithWords(text).map((x) => x.term);
          const order = (hits: { answer: { id: string }; bm25: number }[]) => hits.map((h) => ({ id: h.answer.id, bm25: h.bm25 })).sort((x, y) => x.bm25 - y.bm25 || x.id.localeCompare(y.id));
          const sqlite = order(kb.repo.search(terms, 1000));
          const pg = order(await store.answerSearch.search(terms, 1000));
          expect(pg.map((h) => h.id), text).toEqual(sqlite.map((h) => h.id));
          for (const [i, h] of pg.entries()) expect(h.bm25, `${text}: ${h.id}`).toBeCloseTo(sqlite[i]!.bm25, 9);
          compared += sqlite.length;
        }
        expect(compared).toBeGreaterThan(requests.length);
      } finally {
        await store.close();
        await s.drop();
        db.close();
      }
    });
  });
}
