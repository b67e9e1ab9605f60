import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  it('the core (src/) never imports an adapter or a chat SDK', () => {
    const offenders = files('src').filter((f) => {
      const text = readFileSync(f, 'utf8');
      return /from ['"](\.\.\/)+adapters\/|from ['"]@slack\/|from ['"]botbuilder|from ['"]@microsoft\//.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it('nothing reads ../shared (a fresh clone has none)', () => {
    const offenders = [...files('src'), ...files('adapters'), ...files('tests').filter((f) => !f.endsWith('architecture.test.ts'))].filter((f) =>
      /\.\.\/shared\b/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
