/**
 * Conversation references (`conversation_refs`), synchronously (better-sqlite3): the same
 * operations as the store port's ConversationRefRepository (src/store/kysely/routing.ts), for
 * callers that still need an answer without awaiting — the Teams adapter resolves mentions
 * while it renders a card (a synchronous MentionResolver).
 */
import type { Db } from './db.js';

/** `LIKE` pattern for "starts with `prefix`" (escaping %, _ and the escape character). */
const startsWith = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class ConversationRefRepo {
  constructor(readonly db: Db) {}

  put(platform: string, key: string, value: unknown, at: number): void {
    this.db
      .prepare(
        `INSERT INTO conversation_refs (platform, key, reference, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (platform, key) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at`,
      )
      .run(platform, key, JSON.stringify(value), at);
  }

  get<T>(platform: string, key: string): T | null {
    const row = this.db.prepare<[string, string], { reference: string }>('SELECT reference FROM conversation_refs WHERE platform = ? AND key = ?').get(platform, key);
    return row ? (JSON.parse(row.reference) as T) : null;
  }

  /** The newest value under `keyPrefix` whose top-level JSON field `field` equals `value`. */
  findByField<T>(platform: string, keyPrefix: string, field: string, value: string): { key: string; value: T } | null {
    const row = this.db
      .prepare<[string, string, string, string], { key: string; reference: string }>(
        "SELECT key, reference FROM conversation_refs WHERE platform = ? AND key LIKE ? ESCAPE '\\' AND json_extract(reference, ?) = ? ORDER BY updated_at DESC LIMIT 1",
      )
      .get(platform, startsWith(keyPrefix), `$.${field}`, value);
    return row ? { key: row.key, value: JSON.parse(row.reference) as T } : null;
  }

  /** Delete values under `keyPrefix` last written before `before`; returns how many. */
  prune(platform: string, keyPrefix: string, before: number): number {
    return this.db.prepare("DELETE FROM conversation_refs WHERE platform = ? AND key LIKE ? ESCAPE '\\' AND updated_at < ?").run(platform, startsWith(keyPrefix), before).changes;
  }
}
