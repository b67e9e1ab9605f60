import { existsSync, readFileSync } from 'node:fs';
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
