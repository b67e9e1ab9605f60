/**
 * InboxRepo: the durable inbox of inbound deliveries (stored before they are acknowledged,
 * processed from here) and the replay-protection record of signed requests already seen.
 * Synchronous (better-sqlite3); `insertMany` is one transaction for a whole group commit.
 */
import type { NewInboxItem, SeenKey } from '../ports/store.js';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';

export type InboxStatus = 'pending' | 'done' | 'failed';

export interface InboxRow {
  id: number;
  platform: string;
  delivery_id: string;
  payload: string;
  retry_num: number;
  received_at: number;
  status: InboxStatus;
  attempts: number;
  last_error: string | null;
  processed_at: number | null;
  result: string | null;
}

// The shapes of a delivery and a replay key are the store port's (src/ports/store.ts).
export type { NewInboxItem, SeenKey } from '../ports/store.js';

/** What storing one item found. */
export type InsertOutcome = 'stored' | 'duplicate' | 'replayed';

/**
 * @example
 * const repo = new InboxRepo(db);
 * repo.insertMany([{ platform: 'slack', deliveryId: 'Ev1', payload: '{…}', receivedAt: Date.now() }]); // ['stored']
 */
export class InboxRepo {
  private readonly s: {
    insert: Database.Statement;
    insertDone: Database.Statement;
    maxId: Database.Statement<[string], { id: number | null }>;
    existing: Database.Statement<[string, string], { id: number; status: InboxStatus; result: string | null }>;
    pending: Database.Statement<[string, number, number], InboxRow>;
    done: Database.Statement;
    doneWithResult: Database.Statement;
    failed: Database.Statement;
    retry: Database.Statement;
    get: Database.Statement<[number], InboxRow>;
    seen: Database.Statement;
    counts: Database.Statement<[string], { status: InboxStatus; n: number }>;
  };

  constructor(private readonly db: Db) {
    this.s = {
      insert: db.prepare('INSERT OR IGNORE INTO inbox (platform, delivery_id, payload, retry_num, received_at) VALUES (?, ?, ?, ?, ?)'),
      insertDone: db.prepare("INSERT OR IGNORE INTO inbox (platform, delivery_id, payload, received_at, status, processed_at, attempts, result) VALUES (?, ?, ?, ?, 'done', ?, 1, ?)"),
      maxId: db.prepare('SELECT max(id) AS id FROM inbox WHERE platform = ?'),
      existing: db.prepare('SELECT id, status, result FROM inbox WHERE platform = ? AND delivery_id = ?'),
      pending: db.prepare("SELECT * FROM inbox WHERE platform = ? AND status = 'pending' AND id > ? ORDER BY id LIMIT ?"),
      done: db.prepare("UPDATE inbox SET status = 'done', processed_at = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending'"),
      doneWithResult: db.prepare("UPDATE inbox SET status = 'done', processed_at = ?, attempts = attempts + 1, result = ? WHERE id = ?"),
      failed: db.prepare("UPDATE inbox SET status = 'failed', processed_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'"),
      retry: db.prepare("UPDATE inbox SET attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'"),
      get: db.prepare('SELECT * FROM inbox WHERE id = ?'),
      seen: db.prepare('INSERT OR IGNORE INTO seen_requests (platform, key, at) VALUES (?, ?, ?)'),
      counts: db.prepare('SELECT status, count(*) AS n FROM inbox WHERE platform = ? GROUP BY status'),
    };
  }

  /**
   * Store many deliveries in ONE transaction (the group commit). Per item: 'stored', or
   * 'replayed' when one of its replay keys was already seen (nothing stored), or 'duplicate'
   * when the delivery id is already in the inbox (a platform retry; nothing stored).
   */
  insertMany(items: readonly NewInboxItem[]): InsertOutcome[] {
    return this.db.transaction(() => items.map((it) => this.insertOne(it)))();
  }

  private insertOne(it: NewInboxItem): InsertOutcome {
    for (const k of it.seen ?? []) if (this.s.seen.run(k.platform, k.key, k.at).changes === 0) return 'replayed';
    const r = this.s.insert.run(it.platform, it.deliveryId, it.payload, it.retryNum ?? 0, it.receivedAt);
    return r.changes > 0 ? 'stored' : 'duplicate';
  }

  /**
   * Remember replay keys; returns the ones that were already seen (empty = a first delivery).
   * @example repo.rememberKeys([{ platform: 'slack', key: 'sig:v0=…', at: ts * 1000 }]) // []
   */
  rememberKeys(keys: readonly SeenKey[]): SeenKey[] {
    return this.db.transaction(() => keys.filter((k) => this.s.seen.run(k.platform, k.key, k.at).changes === 0))();
  }

  /** The inbox row for a delivery id, if stored. */
  find(platform: string, deliveryId: string): { id: number; status: InboxStatus; result: string | null } | null {
    return this.s.existing.get(platform, deliveryId) ?? null;
  }

  get(id: number): InboxRow | null {
    return this.s.get.get(id) ?? null;
  }

  /** Oldest pending rows of a platform with an id above `afterId`. */
  pending(platform: string, afterId: number, limit: number): InboxRow[] {
    return this.s.pending.all(platform, afterId, limit);
  }

  /** Mark processed (no-op when it already is). Call inside the transaction of the work. */
  markDone(id: number, at: number): boolean {
    return this.s.done.run(at, id).changes > 0;
  }

  /** Mark processed and keep the HTTP answer it produced (Teams invokes). */
  markDoneWithResult(id: number, at: number, result: string): void {
    this.s.doneWithResult.run(at, result, id);
  }

  /** Record a delivery that was processed synchronously, with the answer it produced (Teams invokes). */
  recordDone(platform: string, deliveryId: string, payload: string, result: string, at: number): void {
    this.s.insertDone.run(platform, deliveryId, payload, at, at, result);
  }

  /** The newest row id of a platform (0 when none). */
  maxId(platform: string): number {
    return this.s.maxId.get(platform)?.id ?? 0;
  }

  /** Give up on a row (kept, with the error, for an operator to look at). */
  markFailed(id: number, at: number, error: string): void {
    this.s.failed.run(at, error.slice(0, 2000), id);
  }

  /** Count a failed attempt; the row stays pending and is tried again. */
  markAttempt(id: number, error: string): void {
    this.s.retry.run(error.slice(0, 2000), id);
  }

  /** Rows per status for one platform (health, tests). */
  counts(platform: string): Record<InboxStatus, number> {
    const out: Record<InboxStatus, number> = { pending: 0, done: 0, failed: 0 };
    for (const r of this.s.counts.all(platform)) out[r.status] = r.n;
    return out;
  }
}
