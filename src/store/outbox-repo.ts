/**
 * The outbox's synchronous side on SQLite: enqueueing inside the transaction that makes the
 * change a message reports (the ticket use cases are still synchronous), and the reads that
 * must answer at once (health, hear-back lookups). Sending goes through the store port's
 * leases (OutboxRepository.claimDue) — see src/outbox/outbox.ts.
 */
import type { Db } from './db.js';

export interface OutboxQueueRow {
  idempotencyKey: string;
  platform: string;
  channelId: string;
  kind: string;
  payload: string;
  ticketId: number | null;
  notBefore: number;
  createdAt: number;
}

export class OutboxQueue {
  constructor(private readonly db: Db) {}

  get open(): boolean {
    return this.db.open;
  }

  /** Insert once per idempotency key; false when the key was seen before. */
  enqueue(r: OutboxQueueRow): boolean {
    const info = this.db
      .prepare(`INSERT OR IGNORE INTO outbox (idempotency_key, platform, channel_id, kind, payload, ticket_id, next_attempt_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(r.idempotencyKey, r.platform, r.channelId, r.kind, r.payload, r.ticketId, r.notBefore, r.createdAt);
    return info.changes > 0;
  }

  /** Sent rows with this key or with keys `key:to:…`, in id order, with what sending returned. */
  sentWithKey(key: string): { id: number; result: string | null }[] {
    const prefix = `${key}:to:`;
    return this.db
      .prepare<[string, number, string], { id: number; result: string | null }>(
        "SELECT id, result FROM outbox WHERE (idempotency_key = ? OR substr(idempotency_key, 1, ?) = ?) AND status = 'sent' ORDER BY id",
      )
      .all(key, prefix.length, prefix);
  }

  hasPendingCardUpdate(ticketId: number): boolean {
    return (
      this.db
        .prepare("SELECT 1 FROM outbox WHERE ticket_id = ? AND kind = 'card' AND status = 'pending' AND idempotency_key LIKE 'card-update:%' LIMIT 1")
        .get(ticketId) !== undefined
    );
  }

  /** Counts by status. */
  stats(): Record<string, number> {
    const rows = this.db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM outbox GROUP BY status').all();
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}
