import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// Built from parts so this file does not itself contain the path it looks for.
const OUTSIDE_SHARED = new RegExp(['\\.\\.', 'shared\\b'].join('/'));

describe('architecture', () => {
  it('the core (src/) never imports an adapter or a chat SDK', () => {
    const offenders = files('src').filter((f) => {
      const text = readFileSync(f, 'utf8');
      return /from ['"](\.\.\/)+adapters\/|from ['"]@slack\/|from ['"]botbuilder|from ['"]@microsoft\//.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it('nothing reads the shared folder beside the repository (a fresh clone has none)', () => {
    const offenders = [...files('src'), ...files('adapters'), ...files('tests').filter((f) => !f.endsWith('architecture.test.ts'))].filter((f) =>
      OUTSIDE_SHARED.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
