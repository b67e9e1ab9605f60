/** Small pieces the three tracker implementations share: header access, HMAC checks, retry times. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../ports/clock.js';
import type { TrackerComment, TrackerIssue } from '../ports/tracker-port.js';

export type Headers = Record<string, string | string[] | undefined>;

/** One header by case-insensitive name (first value when repeated). */
export function header(headers: Headers, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === want) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/**
 * Check a hex HMAC-SHA256 signature of `rawBody` (optionally after a `prefix` such as "sha256=")
 * in a timing-safe way. Returns null when it matches, else the reason.
 */
export function checkHmac(headers: Headers, headerName: string, rawBody: Buffer, secret: string, prefix = ''): string | null {
  const got = header(headers, headerName);
  if (!got) return `missing ${headerName} header`;
  if (!got.startsWith(prefix)) return `${headerName} header does not start with "${prefix}"`;
  const hex = got.slice(prefix.length).trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return `${headerName} header is not a hex SHA-256 signature`;
  const want = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, 'hex'), want) ? null : 'signature mismatch';
}

/** "retry in 42 s (at 09:12:30 UTC)" for rate-limit messages. */
export function retryText(retryAfterMs: number, clock: Clock): string {
  const at = new Date(clock.now() + retryAfterMs).toISOString().slice(11, 19);
  return `retry in ${Math.ceil(retryAfterMs / 1000)} s (at ${at} UTC)`;
}

/** Epoch ms from an ISO time; 0 when absent or unreadable. */
export function ms(iso: string | null | undefined): number {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(t) ? 0 : t;
}

// biome-ignore lint/suspicious/noExplicitAny: webhook bodies are untyped JSON read defensively
export type Json = any;

/** Event id for a state: the same whether seen by webhook or by polling. */
export function stateEventId(issue: Pick<TrackerIssue, 'tracker' | 'key' | 'updatedAt' | 'state'>): string {
  return `${issue.tracker}:${issue.key}:state:${issue.state}@${issue.updatedAt}`;
}

/** Event id for a comment: the same whether seen by webhook or by polling. */
export function commentEventId(issue: { tracker: string; key: string }, comment: Pick<TrackerComment, 'id'>): string {
  return `${issue.tracker}:${issue.key}:comment:${comment.id}`;
}

/**
 * Who the tracker token belongs to (Jira account id, Linear user id), learnt from the API and
 * shared between a tracker's port and its webhook so both can tell frontdesk's own comments.
 */
export class SelfIdentity {
  id: string | null = null;
}
