/**
 * Structural tokens of a request for the learner: the form fields of an issue template
 * ("### Issue type" followed by "Bug", "**Type:** feature", "Component: sync") as `key=value`
 * tokens, and the shape of the text (a question in the first line, code, a stack trace, steps to
 * reproduce, expected/actual, a wish, an ask, its length) as `#name` tokens. Word n-grams see
 * these only diluted among a long template's words; as their own block they count on their own.
 * Only a report has structure: a text without a body under its first line (a chat message) gets
 * no tokens, so short chat is triaged by its words alone. Pure; bounded by `maxChars`.
 */
import { words } from './text.js';

const HEADING_RE = /^#{1,6}\s*(.+)$/;
const BOLD_RE = /^\*\*((?:[^*]|\*(?!\*)){2,80})\*\*:?\s*(.*)$/;
const KEY_VALUE_RE = /^([A-Za-z][\w /-]{1,30}):\s*(\S.{0,60})$/;
const NEXT_IS_LABEL_RE = /^(#{1,6}\s|\*\*)/;

/**
 * `key=value` tokens of form-like lines: a markdown heading or bold label with its value (same
 * line or the next non-empty one), or a short "Key: value" line. Keys keep up to 5 words,
 * values 2.
 * @example formFields('### Issue type\n\nBug\n') // ['issue type=bug']
 */
export function formFields(text: string, maxChars = 6000): string[] {
  const lines = (text.length > maxChars ? text.slice(0, maxChars) : text).split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.length < 3) continue;
    const heading = HEADING_RE.exec(line);
    const labelled = heading ? null : (BOLD_RE.exec(line) ?? KEY_VALUE_RE.exec(line));
    const key = heading ? heading[1]! : labelled?.[1];
    let value = labelled?.[2] ?? '';
    if (key === undefined) continue;
    if (!value.trim()) {
      let j = i + 1;
      while (j < lines.length && !lines[j]!.trim()) j++;
      const next = (lines[j] ?? '').trim();
      if (!next || NEXT_IS_LABEL_RE.test(next)) continue;
      value = next;
    }
    const k = words(key).slice(0, 5).join(' ');
    const v = words(value, 200).slice(0, 2).join(' ');
    if (k && v) out.push(`${k}=${v}`);
  }
  return out;
}

const TRACE_RE = /Traceback \(most recent|^\s+at [\w.$<>/]+[(:]|\b\w*(Exception|Error)\b[:\s]/m;
const CODE_RE = /```|'''|^ {4}\S/m;
const QUESTION_START_RE = /^(how|what|why|is|are|can|could|does|do|should|where|when|which)\b/i;
const STEPS_RE = /\b(steps to reproduce|repro steps|to reproduce)\b/i;
const EXPECTED_RE = /\b(expected|actual) (behaviou?r|result|outcome)\b/i;
const WISH_RE = /\b(would be (nice|great|useful|helpful)|it would be|feature request|proposal|add (support|an? option)|allow (users|to))\b/i;
const ASK_RE = /\b(is it possible|how (do|can|to|should) i|any (idea|help|suggestion)s?|thanks in advance)\b/i;
const QMARK_RE = /\?(\s|$)/g;

/**
 * `#name` tokens for the shape of a text.
 * @example shapeOf('How do I export?') // ['#first-line?', '#first-line-wh', '#ask', '#short']
 */
export function shapeOf(text: string, maxChars = 6000): string[] {
  const t = text.length > maxChars ? text.slice(0, maxChars) : text;
  const out: string[] = [];
  const nl = t.indexOf('\n');
  const first = (nl < 0 ? t : t.slice(0, nl)).trim();
  const body = nl < 0 ? '' : t.slice(nl + 1);
  if (first.includes('?')) out.push('#first-line?');
  if (QUESTION_START_RE.test(first)) out.push('#first-line-wh');
  if (CODE_RE.test(body)) out.push('#code');
  if (TRACE_RE.test(body)) out.push('#trace');
  const q = body.match(QMARK_RE)?.length ?? 0;
  if (q >= 1) out.push('#more?');
  if (q >= 3) out.push('#many?');
  if (STEPS_RE.test(t)) out.push('#steps');
  if (EXPECTED_RE.test(t)) out.push('#expected');
  if (WISH_RE.test(t)) out.push('#wish');
  if (ASK_RE.test(t)) out.push('#ask');
  out.push(text.length < 300 ? '#short' : text.length < 1500 ? '#medium' : '#long');
  return out;
}

/**
 * Form fields and shape tokens together (the learner's structure block); none for a text
 * without a body under its first line.
 * @example structureTokens('where is my parcel?') // []
 */
export function structureTokens(text: string, maxChars = 6000): string[] {
  const nl = text.indexOf('\n');
  if (nl < 0 || !text.slice(nl + 1, nl + 2000).trim()) return [];
  return [...formFields(text, maxChars), ...shapeOf(text, maxChars)];
}
