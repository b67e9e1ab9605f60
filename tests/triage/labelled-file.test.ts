/** Reading labelled JSONL: good lines, bad lines with numbers, unknown labels. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLabels, parseLabelledLine, readLabelledFile, unknownLabels } from '../../src/triage/labelled-file.js';

describe('parseLabelledLine', () => {
  it('accepts text with either label, normalises priority case and strips control characters', () => {
    expect(parseLabelledLine('{"text":"a\\u0000b","category":"bug","priority":"p1","id":7}', 3)).toEqual({ line: 3, text: 'ab', category: 'bug', priority: 'P1' });
    expect(parseLabelledLine('{"text":"x","priority":"P4","category":null}', 1)).toEqual({ line: 1, text: 'x', priority: 'P4' });
    expect(parseLabelledLine('   ', 2)).toBeNull();
  });

  it('reports what is wrong with a bad line', () => {
    expect(parseLabelledLine('{nope', 4)).toEqual({ line: 4, problem: 'not valid JSON' });
    expect(parseLabelledLine('[1]', 5)).toMatchObject({ problem: expect.stringMatching(/JSON object/) });
    expect(parseLabelledLine('{"category":"bug"}', 6)).toMatchObject({ problem: 'missing "text" (a string)' });
    expect(parseLabelledLine('{"text":"  "}', 7)).toMatchObject({ problem: '"text" is empty' });
    expect(parseLabelledLine('{"text":"x"}', 8)).toMatchObject({ problem: 'no "category" or "priority" label' });
    expect(parseLabelledLine('{"text":"x","category":3}', 9)).toMatchObject({ problem: '"category" must be a string' });
  });

  it('reads the channel from "channel", else "source" (an issue\'s repository)', () => {
    expect(parseLabelledLine('{"text":"x","category":"bug","source":"acme/app"}', 1)).toEqual({ line: 1, text: 'x', category: 'bug', channel: 'acme/app' });
    expect(parseLabelledLine('{"text":"x","category":"bug","source":"acme/app","channel":" #help "}', 2)).toEqual({ line: 2, text: 'x', category: 'bug', channel: '#help' });
    expect(parseLabelledLine('{"text":"x","category":"bug","source":7}', 3)).toEqual({ line: 3, text: 'x', category: 'bug' });
  });

  it('cuts texts longer than the limit', () => {
    expect(parseLabelledLine(JSON.stringify({ text: 'abcdef', category: 'bug' }), 1, 4)).toEqual({ line: 1, text: 'abcd', category: 'bug', truncated: true });
  });
});

describe('readLabelledFile + unknownLabels', () => {
  it('streams a file and names unknown labels with their lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-labelled-'));
    try {
      const path = join(dir, 'x.jsonl');
      writeFileSync(path, ['{"text":"a","category":"bug"}', 'oops', '', '{"text":"b","category":"shipping","priority":"P9"}', '{"text":"c","category":"shipping"}'].join('\n'));
      const f = await readLabelledFile(path);
      expect(f.lines.map((l) => l.line)).toEqual([1, 4, 5]);
      expect(f.bad).toEqual([{ line: 2, problem: 'not valid JSON' }]);
      const u = unknownLabels(f.lines, ['bug', 'other']);
      expect(describeLabels(u.category)).toBe('"shipping" (lines 4, 5)');
      expect(describeLabels(u.priority)).toBe('"P9" (line 4)');
      expect(unknownLabels(f.lines, null).category.size).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
