/**
 * Reads labelled JSONL files (`{"text", "category"?, "priority"?}` per line) for
 * `frontdesk import` and `frontdesk eval`: streams the file, keeps good lines, reports bad
 * ones with their line numbers, and finds labels outside the known sets.
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PRIORITIES, type Priority } from '../domain/types.js';
import { cleanText } from './text.js';

export interface LabelledLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
  category?: string;
  priority?: string;
  /** Optional channel the text arrived in ("channel", else "source": an issue's repository). */
  channel?: string;
  /** Optional language tag ("de", "ja", …) for per-language figures. */
  lang?: string;
}

export interface BadLine {
  line: number;
  problem: string;
}

export interface LabelledFile {
  lines: LabelledLine[];
  bad: BadLine[];
  /** Lines whose text was cut to the maximum length. */
  truncated: number[];
}

/**
 * Parse one line. Blank lines give null. Control characters are stripped and texts longer than
 * `maxTextLength` are cut to it (`truncated: true`). Priority labels are upper-cased
 * ("p1" → "P1"); labels are not checked against a taxonomy here (see `unknownLabels`).
 */
export function parseLabelledLine(raw: string, line: number, maxTextLength = 40_000): (LabelledLine & { truncated?: boolean }) | BadLine | null {
  if (!raw.trim()) return null;
  let o: unknown;
  try {
    o = JSON.parse(raw);
  } catch {
    return { line, problem: 'not valid JSON' };
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return { line, problem: 'expected a JSON object like {"text": "...", "category": "bug"}' };
  const rec = o as Record<string, unknown>;
  if (typeof rec.text !== 'string') return { line, problem: 'missing "text" (a string)' };
  let text = cleanText(rec.text).trim();
  if (!text) return { line, problem: '"text" is empty' };
  const truncated = text.length > maxTextLength;
  if (truncated) text = text.slice(0, maxTextLength);
  const out: LabelledLine & { truncated?: boolean } = { line, text };
  for (const field of ['category', 'priority'] as const) {
    const v = rec[field];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') return { line, problem: `"${field}" must be a string` };
    out[field] = field === 'priority' && /^p[0-4]$/i.test(v.trim()) ? v.trim().toUpperCase() : v.trim();
  }
  if (out.category === undefined && out.priority === undefined) return { line, problem: 'no "category" or "priority" label' };
  if (typeof rec.lang === 'string' && rec.lang.trim()) out.lang = rec.lang.trim().toLowerCase();
  const channel = typeof rec.channel === 'string' && rec.channel.trim() ? rec.channel : rec.source;
  if (typeof channel === 'string' && channel.trim()) out.channel = channel.trim();
  if (truncated) out.truncated = true;
  return out;
}

/**
 * Stream a labelled JSONL file. `onProgress(bytesRead, totalBytes)` is called as it goes.
 */
export async function readLabelledFile(
  path: string,
  opts: { maxTextLength?: number; onProgress?: (bytes: number, total: number) => void } = {},
): Promise<LabelledFile> {
  const total = statSync(path).size;
  const lines: LabelledLine[] = [];
  const bad: BadLine[] = [];
  const truncated: number[] = [];
  let n = 0;
  let bytes = 0;
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const raw of rl) {
    n++;
    bytes += Buffer.byteLength(raw) + 1;
    const r = parseLabelledLine(raw, n, opts.maxTextLength);
    if (r === null) continue;
    if ('problem' in r) bad.push(r);
    else {
      if (r.truncated) {
        truncated.push(n);
        delete r.truncated;
      }
      lines.push(r);
    }
    if (opts.onProgress && n % 1000 === 0) opts.onProgress(Math.min(bytes, total), total);
  }
  opts.onProgress?.(total, total);
  return { lines, bad, truncated };
}

/** Labels outside the known categories / P0–P4, each with the lines it is on. */
export function unknownLabels(
  lines: readonly LabelledLine[],
  categories: readonly string[] | null,
): { category: Map<string, number[]>; priority: Map<string, number[]> } {
  const cats = categories ? new Set(categories) : null;
  const category = new Map<string, number[]>();
  const priority = new Map<string, number[]>();
  const note = (m: Map<string, number[]>, label: string, line: number) => {
    const ls = m.get(label);
    if (ls) ls.push(line);
    else m.set(label, [line]);
  };
  for (const l of lines) {
    if (cats && l.category !== undefined && !cats.has(l.category)) note(category, l.category, l.line);
    if (l.priority !== undefined && !PRIORITIES.includes(l.priority as Priority)) note(priority, l.priority, l.line);
  }
  return { category, priority };
}

/** `"foo" (lines 3, 9), "bar" (line 12)` — at most 5 line numbers per label. */
export function describeLabels(m: Map<string, number[]>): string {
  return [...m]
    .map(([label, ls]) => `"${label}" (line${ls.length > 1 ? 's' : ''} ${ls.slice(0, 5).join(', ')}${ls.length > 5 ? ', …' : ''})`)
    .join(', ');
}
