/**
 * Where SQL still lives outside the store implementations (issue #13: "src/ outside the store
 * implementations contains no SQL"). A file counts when it prepares or runs statements on a
 * database handle, opens a database transaction, or holds SQL text. `npm run sql-report` lists
 * them; tests/core/no-sql-outside-store.test.ts compares them with the known list in
 * .sql-outside-store.json (new ones fail; ones that became clean must be removed from it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const PATTERNS: [string, RegExp][] = [
  ['prepares or runs a statement', /\.(prepare|pragma)\s*(<[^>]*>)?\(|\bdb\.exec\(|\.db\.exec\(/],
  ['opens a database transaction', /\bdb\.transaction\(|\.db\.transaction\(|\brepo\.db\b/],
  ['holds SQL text', /['"`]\s*(SELECT\s[\s\S]{0,200}?\sFROM\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s)/],
];

/** The store implementations: the only places SQL belongs. */
export const STORE_DIRS = ['src/store/'];

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Files under src/ (outside the store) with SQL, and what was found in each. */
export function sqlOutsideStore(root: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of walk(join(root, 'src'))) {
    const rel = relative(root, file).split('\\').join('/');
    if (STORE_DIRS.some((d) => rel.startsWith(d))) continue;
    const text = readFileSync(file, 'utf8');
    const what = PATTERNS.filter(([, re]) => re.test(text)).map(([label]) => label);
    if (what.length > 0) found.set(rel, what);
  }
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = sqlOutsideStore(process.cwd());
  for (const [file, what] of [...found].sort()) console.log(`${file}: ${what.join(', ')}`);
  console.log(`${found.size} file(s) in src/ outside src/store/ with SQL`);
}
