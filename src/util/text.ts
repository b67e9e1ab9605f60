/** Input hygiene for text people send us. */
import { InputInvalidError } from '../domain/errors.js';

// C0 controls except tab/newline/carriage return, DEL, C1 controls, and bidi overrides.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export interface CleanText {
  text: string;
  truncated: boolean;
  originalLength: number;
}

/**
 * Strip control characters and cap the length. Text over `max` keeps its first part and a
 * visible marker (the original message stays on the chat platform).
 * @throws InputInvalidError for empty or whitespace-only text
 */
export function cleanText(input: string, max: number): CleanText {
  const stripped = input.replace(CONTROL, '').replace(/\r\n?/g, '\n');
  if (stripped.trim() === '') throw new InputInvalidError('The message is empty: write what you need help with.');
  if (stripped.length <= max) return { text: stripped, truncated: false, originalLength: stripped.length };
  const marker = `\n[… ${stripped.length - max} more characters not stored — see the original message]`;
  return { text: stripped.slice(0, max) + marker, truncated: true, originalLength: stripped.length };
}

/** First line, trimmed to a sensible title length. */
export function titleOf(text: string): string {
  const first = text.trim().split('\n')[0]!.trim();
  return first.length > 140 ? `${first.slice(0, 137)}…` : first;
}

/** Links in a message (http/https), deduplicated. */
export function extractLinks(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>|)]+/g) ?? [])];
}
