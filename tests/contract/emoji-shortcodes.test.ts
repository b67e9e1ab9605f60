/**
 * Every `:short_code:` the core writes into a message (src/) is shown as an emoji by the
 * playground and by Teams (Slack renders short codes itself): otherwise a person reads
 * ":hammer_and_wrench:" literally. The short codes are collected from the sources, so a new one
 * without a mapping fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emojiFor } from '../../adapters/local/render-html.js';
import { emojify } from '../../adapters/teams/render-card.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const SRC = join(import.meta.dirname, '../../src');
const codes = new Set<string>();
for (const file of sources(SRC)) {
  // A short code inside a string: preceded by a quote, backtick, `?`/`:` (ternaries) or a space and followed by one.
  for (const m of readFileSync(file, 'utf8').matchAll(/[`'" ](:[a-z][a-z0-9_]*:)[`'" ]/g)) if (m[1] !== ':memory:') codes.add(m[1]!);
}

describe('emoji short codes the core writes', () => {
  it('are found in the sources (the scan works)', () => {
    expect([...codes]).toEqual(expect.arrayContaining([':warning:', ':hammer_and_wrench:', ':white_check_mark:']));
  });
  it.each([...codes].sort())('%s is an emoji in the playground and in Teams', (code) => {
    expect(emojiFor(code.slice(1, -1))).not.toBeNull();
    expect(emojify(code)).not.toBe(code);
  });
});
