/**
 * Input hygiene for text people send us, and the one way to shorten it: redact first, then cut.
 * A secret cut in half (`4111 1111 1111 11…`, `bob@exa…`) no longer matches the redaction rules,
 * so every place that shortens text goes through `shorten` and never leaves half a secret.
 */
import { InputInvalidError } from '../domain/errors.js';
import { createRedactor, type Redactor } from '../ai/redact.js';

const builtInRedactor = createRedactor();

/** Characters past the cut that are redacted with it (longer than any secret the rules know). */
const REDACT_MARGIN = 4096;

/** Placeholders such as `[card]`, `[api_key]`, `[redacted]` (a cut never splits one). */
const PLACEHOLDER_AT_END = /\[[a-z_]*$/;

/**
 * Redact text with the built-in rules: for renderers that are about to cut it themselves.
 * @example redactBeforeCut('mail bob@example.com') // 'mail [email]'
 */
export function redactBeforeCut(text: string): string {
  return builtInRedactor(text).text;
}

/**
 * Shorten text to at most `max` characters (marker included). Text that must be cut is redacted
 * FIRST (built-in rules, or the given redactor with the configured extra patterns), then cut —
 * never inside a placeholder. Text that fits is returned unchanged.
 *
 * @example
 * shorten('card 4111 1111 1111 1111 declined', 12, '…') // 'card [card]…'
 */
export function shorten(text: string, max: number, marker = '…', redactor: Redactor = builtInRedactor): string {
  if (text.length <= max) return text;
  // Only the part that can be kept matters; the margin covers any secret that starts before the cut.
  const redacted = redactor(text.length > max + REDACT_MARGIN ? text.slice(0, max + REDACT_MARGIN) : text).text;
  if (redacted.length <= max) return redacted;
  if (max <= marker.length) return marker.slice(0, Math.max(0, max));
  let head = redacted.slice(0, max - marker.length);
  const open = PLACEHOLDER_AT_END.exec(head);
  if (open && /^\[[a-z_]+\]/.test(redacted.slice(open.index))) head = head.slice(0, open.index);
  // Do not leave half of a surrogate pair (an emoji) before the marker.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return head + marker;
}

/**
 * Truncate to `max` characters with a visible marker. Text that must be cut is redacted first
 * (see `shorten`). For text shown in a MessageView (cards, prompts, digests)., so a card number or e-mail is never shown cut in half.
 */
export function truncate(s: string, max: number, marker = '… (truncated)'): string {
  return shorten(s, max, marker);
}

// C0 controls except tab/newline/carriage return, DEL, C1 controls, and bidi overrides.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export interface CleanText {
  text: string;
  truncated: boolean;
  originalLength: number;
}

/**
 * Strip control characters and cap the length. Text over `max` is redacted, then keeps its
 * first part and a visible marker (the original message stays on the chat platform).
 * @throws InputInvalidError for empty or whitespace-only text
 */
export function cleanText(input: string, max: number, redactor: Redactor = builtInRedactor): CleanText {
  const stripped = input.replace(CONTROL, '').replace(/\r\n?/g, '\n');
  if (stripped.trim() === '') throw new InputInvalidError('The message is empty: write what you need help with.');
  if (stripped.length <= max) return { text: stripped, truncated: false, originalLength: stripped.length };
  const redacted = redactor(stripped).text;
  const kept = shorten(redacted, max, '', redactor);
  if (kept.length === redacted.length) return { text: kept, truncated: false, originalLength: stripped.length };
  const marker = `\n[… ${redacted.length - kept.length} more characters not stored — see the original message]`;
  return { text: kept + marker, truncated: true, originalLength: stripped.length };
}

/** Longest title, in characters. */
export const TITLE_MAX = 140;

/**
 * First line, shortened to a sensible title length (redacted first when it must be cut).
 * @example titleOf('Refund failed\nOrder 42') // 'Refund failed'
 */
export function titleOf(text: string, redactor: Redactor = builtInRedactor): string {
  const first = text.trim().split('\n')[0]!.trim();
  return shorten(first, TITLE_MAX, '…', redactor);
}

/** Links in a message (http/https), deduplicated. */
export function extractLinks(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>|)]+/g) ?? [])];
}
