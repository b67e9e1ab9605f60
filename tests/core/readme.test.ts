import { readFileSync } from 'node:fs';
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
