/**
 * The layers, checked by dependency-cruiser with the rules in .dependency-cruiser.cjs
 * (scripts/check-deps.ts): the core never imports adapters or chat SDKs, src/domain and
 * src/ports stand alone, the Slack and Teams adapters do not know each other, nothing imports
 * the entry points (adapters/main.ts, adapters/cli.ts), no cycles, no
 * shipped code imports tests. Known violations still to fix are listed in
 * .dependency-cruiser-known-violations.json; a new one fails here with its path.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDependencies, describeViolation, keepTypeImports } from '../../scripts/check-deps.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// Built from parts so this file does not itself contain the path it looks for.
const OUTSIDE_SHARED = new RegExp(['\\.\\.', 'shared\\b'].join('/'));

describe('architecture', () => {
  it('the dependency rules hold (dependency-cruiser)', async () => {
    const r = await checkDependencies();
    expect(r.modules).toBeGreaterThan(100);
    expect(r.violations.map(describeViolation)).toEqual([]);
    // A known violation that is gone must leave the list, so the list only shrinks.
    expect(r.fixed.map(describeViolation)).toEqual([]);
  });

  it('no violation is excused: the list of known violations is empty', () => {
    const known = JSON.parse(readFileSync('.dependency-cruiser-known-violations.json', 'utf8')) as { violations: unknown[] };
    expect(known.violations).toEqual([]);
  });

  it('the rules catch what they are meant to (planted violations)', async () => {
    const r = await checkDependencies({
      plant: {
        'src/domain/planted.ts': [
          "import { readFileSync } from 'node:fs';",
          "import { z } from 'zod';",
          "import type { App } from '@slack/bolt';",
          "import type { Core } from '../app.js';",
          "import { slackAdapter } from '../../adapters/slack/index.js';",
          "import { makeTestCore } from '../../tests/helpers/core.js';",
          'export const planted = [readFileSync, z, slackAdapter, makeTestCore] as unknown as [App, Core];',
        ].join('\n'),
        'adapters/slack/planted.ts': "import { teamsAdapter } from '../teams/index.js';\nexport const t = teamsAdapter;",
        'adapters/local/planted-entry.ts': "import '../cli.js';",
        'src/util/planted-a.ts': "import type { B } from './planted-b.js';\nexport type A = { b?: B };",
        'src/util/planted-b.ts': "import type { A } from './planted-a.js';\nexport type B = { a?: A };",
        'src/util/planted-c.ts': "export { gone } from './no-such-module.js';",
      },
    });
    const found = r.violations.map(describeViolation);
    const domain = found.filter((v) => v.includes('src/domain/planted.ts'));
    expect(domain).toEqual(
      expect.arrayContaining([
        'core-not-to-adapters: src/domain/planted.ts → adapters/slack/index.ts',
        'not-to-tests: src/domain/planted.ts → tests/helpers/core.ts',
        'domain-and-ports-stand-alone: src/domain/planted.ts → src/app.ts',
      ]),
    );
    expect(domain.some((v) => /^core-not-to-chat-sdks: .* → .*node_modules\/@slack\/bolt\//.test(v))).toBe(true);
    // node built-ins and zod are allowed in the domain.
    expect(domain.filter((v) => v.startsWith('domain-and-ports-stand-alone') && /node:fs|\/zod\//.test(v))).toEqual([]);
    expect(found).toContain('slack-not-to-teams: adapters/slack/planted.ts → adapters/teams/index.ts');
    expect(found).toContain('not-to-entry-points: adapters/local/planted-entry.ts → adapters/cli.ts');
    expect(found.some((v) => v.startsWith('no-circular:') && v.includes('src/util/planted-a.ts') && v.includes('src/util/planted-b.ts'))).toBe(true);
    expect(found).toContain('not-to-unresolvable: src/util/planted-c.ts → ./no-such-module.ts');
  });

  it('keeps type-only imports and re-exports as dependencies', () => {
    expect(keepTypeImports("import type { A } from './a.js';\n  export type { B } from './b.js';\nexport type C = A;")).toBe(
      "import { A } from './a.js';\n  export { B } from './b.js';\nexport type C = A;",
    );
  });

  it('nothing reads the shared folder beside the repository (a fresh clone has none)', () => {
    const offenders = [...files('src'), ...files('adapters'), ...files('tests').filter((f) => !f.endsWith('architecture.test.ts'))].filter((f) =>
      OUTSIDE_SHARED.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
