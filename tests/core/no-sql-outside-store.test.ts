/**
 * SQL belongs in the store implementations (src/store/). The files that still hold some are
 * listed, with why, in .sql-outside-store.json: a new file with SQL fails here, and so does a
 * listed file that no longer has any (take it off the list: the list only shrinks).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { sqlOutsideStore } from '../../scripts/sql-outside-store.js';

const known = JSON.parse(readFileSync('.sql-outside-store.json', 'utf8')) as { files: Record<string, string> };

it('no new SQL outside src/store, and the known list holds only files that still have some', () => {
  const found = sqlOutsideStore(process.cwd());
  const added = [...found.keys()].filter((f) => !(f in known.files)).map((f) => `${f} (${found.get(f)?.join(', ')})`);
  expect(added, 'SQL outside src/store: move it into a repository in src/store (see README "Storage engines")').toEqual([]);
  const clean = Object.keys(known.files).filter((f) => !found.has(f));
  expect(clean, 'these files no longer hold SQL: remove them from .sql-outside-store.json').toEqual([]);
});

it('finds statements, transactions and SQL text (the check itself)', () => {
  const found = sqlOutsideStore(process.cwd());
  for (const f of found.keys()) expect(f.startsWith('src/store/')).toBe(false);
  // The ticket service still opens its transactions on the SQLite handle (known, listed).
  expect(found.get('src/tickets/ticket-service.ts')).toContain('opens a database transaction');
});
