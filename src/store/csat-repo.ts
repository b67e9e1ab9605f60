/**
 * CSAT surveys (migration 0011): one row per ticket with the current rating. Asking again after
 * a reopen starts a fresh survey; the timeline keeps every rating (csat_rated events).
 */
import type { CsatCounts, CsatSurvey } from '../ports/store-knowledge.js';
import type { Db } from './db.js';

interface Row {
  ticket_id: number;
  requester_id: string;
  asked_at: number;
  rating: number | null;
  answered_at: number | null;
  updated_at: number | null;
}

/**
 * Synchronous CSAT repository on the app's better-sqlite3 connection: the survey is asked inside
 * the resolving transaction (a TicketService hook). The async port is `CsatRepository`
 * (src/ports/store-knowledge.ts, src/store/kysely/knowledge.ts).
 */
export class CsatRepo {
  constructor(private readonly db: Db) {}

  get(ticketId: number): CsatSurvey | null {
    const r = this.db.prepare<[number], Row>('SELECT * FROM csat_surveys WHERE ticket_id = ?').get(ticketId);
    return r
      ? { ticketId: r.ticket_id, requesterId: r.requester_id, askedAt: r.asked_at, rating: r.rating, answeredAt: r.answered_at, updatedAt: r.updated_at }
      : null;
  }

  /** Start (or restart) the survey for a ticket: any earlier answer is cleared from the current state. */
  ask(ticketId: number, requesterId: string, at: number): void {
    this.db
      .prepare(
        `INSERT INTO csat_surveys (ticket_id, requester_id, asked_at, rating, answered_at, updated_at) VALUES (?, ?, ?, NULL, NULL, NULL)
         ON CONFLICT (ticket_id) DO UPDATE SET requester_id = excluded.requester_id, asked_at = excluded.asked_at, rating = NULL, answered_at = NULL, updated_at = NULL`,
      )
      .run(ticketId, requesterId, at);
  }

  /** Store a rating; the first answer's time is kept so the change window does not move. */
  rate(ticketId: number, rating: number, at: number): void {
    this.db.prepare('UPDATE csat_surveys SET rating = ?, answered_at = COALESCE(answered_at, ?), updated_at = ? WHERE ticket_id = ?').run(rating, at, at, ticketId);
  }

  /** Answers whose first answer fell in [from, to) (current ratings of non-deleted tickets). */
  counts(from: number, to: number): CsatCounts {
    const r = this.db
      .prepare<[number, number], { n: number; ok: number | null }>(
        `SELECT COUNT(*) AS n, SUM(CASE WHEN s.rating >= 4 THEN 1 ELSE 0 END) AS ok
           FROM csat_surveys s JOIN tickets t ON t.id = s.ticket_id
          WHERE s.answered_at >= ? AND s.answered_at < ? AND t.deleted = 0`,
      )
      .get(from, to)!;
    return { responses: r.n, satisfied: r.ok ?? 0 };
  }

  /** Run `fn` in one transaction on this connection (with the ticket writes made in it). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
