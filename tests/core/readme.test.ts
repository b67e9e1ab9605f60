import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withReference } from '../../src/config/config-reference.js';

describe('README', () => {
  it('has the configuration reference generated from the current schema (run `npm run docs`)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withReference(readme)).toBe(readme);
  });

  it('shows the quick start commands', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const c of ['npm install', 'npm start', 'npm test']) expect(readme).toContain(c);
  });
});

describe('what a new user checks first', () => {
  it('names only migration files that exist', () => {
    const readme = readFileSync('README.md', 'utf8');
    const named = [...readme.matchAll(/\b(\d{4}_[a-z0-9_]+\.sql)\b/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(0);
    // The core's migrations, and the local playground's own.
    for (const f of named) expect(existsSync(`src/store/migrations/${f}`) || existsSync(`adapters/local/migrations/${f}`), `README names ${f}`).toBe(true);
  });

  it('ships the license package.json names', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { license: string };
    expect(pkg.license).toBe('MIT');
    const license = readFileSync('LICENSE', 'utf8');
    expect(license).toMatch(/^MIT License/);
    expect(license).toContain('frontdesk contributors');
  });
});

describe('environment variables', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  }

  it('every variable frontdesk reads from the environment is named in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const read = new Set<string>();
    for (const file of [...sources('src'), ...sources('adapters')]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\benv\??\.([A-Z][A-Z0-9_]{2,})\b/g)) read.add(m[1]!);
    }
    for (const internal of ['NODE_ENV', 'VITEST']) read.delete(internal);
    expect([...read]).toEqual(expect.arrayContaining(['PORT', 'GITHUB_TOKEN', 'FRONTDESK_PUBLIC_URL']));
    const missing = [...read].filter((v) => !new RegExp(`\\b${v}\\b`).test(readme));
    expect(missing, 'document these in the README (Environment variables)').toEqual([]);
  });
});
