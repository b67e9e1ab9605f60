/**
 * Synchronous repository for known answers in the ticket flow (migration 0014):
 * `knowledge_decisions` (what the matcher said about each new request) and `knowledge_offers`
 * (answers that went to a customer and what came of them), plus the digest's figures over them,
 * on the app's better-sqlite3 connection. Used while offers are made and settled inside the
 * synchronous ticket transactions; the async port is src/ports/store-knowledge.ts
 * (`OfferRepository`, src/store/kysely/knowledge.ts).
 */
import type { AnswerOutcomes, DecisionRow, GapRequest, KnowledgePeriodCounts, NewOffer, Offer, OfferStatus, OfferVia } from '../ports/store-knowledge.js';
import type { Db } from './db.js';
import { foldOutcomes } from './kysely/knowledge.js';

interface RawOffer {
  id: number;
  ticket_id: number;
  answer_id: string;
  answer_title: string;
  via: OfferVia;
  score: number | null;
  explanation: string;
  status: OfferStatus;
  offered_by: string;
  offered_at: number;
  expires_at: number | null;
  decided_by: string | null;
  decided_at: number | null;
}

const toOffer = (r: RawOffer): Offer => ({
  id: r.id,
  ticketId: r.ticket_id,
  answerId: r.answer_id,
  answerTitle: r.answer_title,
  via: r.via,
  score: r.score,
  explanation: r.explanation,
  status: r.status,
  offeredBy: r.offered_by,
  offeredAt: r.offered_at,
  expiresAt: r.expires_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

/**
 * @example const repo = new OffersRepo(db); repo.forTicket(t.id)
 */
export class OffersRepo {
  private readonly s;

  constructor(readonly db: Db) {
    this.s = {
      decide: db.prepare<[number, number, string | null, string | null, number, number]>(
        `INSERT INTO knowledge_decisions (ticket_id, offered, declined, answer_id, score, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (ticket_id) DO NOTHING`,
      ),
      insert: db.prepare<[number, string, string, OfferVia, number | null, string, OfferStatus, string, number, number | null], RawOffer>(
        `INSERT INTO knowledge_offers (ticket_id, answer_id, answer_title, via, score, explanation, status, offered_by, offered_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      ),
      get: db.prepare<[number], RawOffer>('SELECT * FROM knowledge_offers WHERE id = ?'),
      forTicket: db.prepare<[number], RawOffer>('SELECT * FROM knowledge_offers WHERE ticket_id = ? ORDER BY id'),
      settle: db.prepare<[OfferStatus, string, number, number, string]>(
        'UPDATE knowledge_offers SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = ?',
      ),
      expiring: db.prepare<[number, number], { id: number }>(
        "SELECT id FROM knowledge_offers INDEXED BY knowledge_offers_pending WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?",
      ),
      decision: db.prepare<[number], { ticket_id: number; offered: number; declined: string | null; answer_id: string | null; score: number; at: number }>(
        'SELECT * FROM knowledge_decisions WHERE ticket_id = ?',
      ),
    };
  }

  /**
   * Was an escalation prompt raised for this ticket at triage (VIP, keywords)? A cluster prompt
   * does not count: many people asking the same known question is what answers are for.
   */
  escalated(ticketId: number, clusterRules: readonly string[]): boolean {
    const rows = this.db.prepare<[number], { rule_id: string }>('SELECT rule_id FROM escalations WHERE ticket_id = ?').all(ticketId);
    return rows.some((r) => !clusterRules.includes(r.rule_id));
  }

  /** Record what the matcher said about a new request (once per ticket). */
  recordDecision(d: DecisionRow): void {
    this.s.decide.run(d.ticketId, d.offered ? 1 : 0, d.declined, d.answerId, d.score, d.at);
  }

  decision(ticketId: number): DecisionRow | null {
    const r = this.s.decision.get(ticketId);
    return r ? { ticketId: r.ticket_id, offered: r.offered === 1, declined: r.declined, answerId: r.answer_id, score: r.score, at: r.at } : null;
  }

  insert(o: NewOffer): Offer {
    return toOffer(this.s.insert.get(o.ticketId, o.answerId, o.answerTitle, o.via, o.score, o.explanation, o.status, o.offeredBy, o.offeredAt, o.expiresAt)!);
  }

  get(id: number): Offer | null {
    const r = this.s.get.get(id);
    return r ? toOffer(r) : null;
  }

  forTicket(ticketId: number): Offer[] {
    return this.s.forTicket.all(ticketId).map(toOffer);
  }

  /** The automatic offer of a ticket, if any. */
  autoOffer(ticketId: number): Offer | null {
    return this.forTicket(ticketId).find((o) => o.via === 'auto') ?? null;
  }

  /** Move an offer from `from` to `to`; false when it was no longer in `from` (someone else decided first). */
  settle(id: number, from: OfferStatus, to: OfferStatus, by: string, at: number): boolean {
    return this.s.settle.run(to, by, at, id, from).changes > 0;
  }

  /** Pending offers whose wait is over at `now`, soonest first. */
  expiring(now: number, limit = 500): number[] {
    return this.s.expiring.all(now, limit).map((r) => r.id);
  }

  /**
   * Outcomes per answer of the offers made in [from, to): automatic offers by status, and the
   * answers agents sent. Most offered first.
   */
  outcomes(from: number, to: number): AnswerOutcomes[] {
    const rows = this.db
      .prepare<[number, number], { answer_id: string; title: string; via: OfferVia; status: OfferStatus; n: number }>(
        `SELECT answer_id, MAX(answer_title) AS title, via, status, COUNT(*) AS n FROM knowledge_offers INDEXED BY knowledge_offers_at
          WHERE offered_at >= ? AND offered_at < ? GROUP BY answer_id, via, status`,
      )
      .all(from, to);
    return foldOutcomes(rows);
  }

  /** The digest's counts over the requests (non-deleted tickets) created in [from, to). */
  periodCounts(from: number, to: number): KnowledgePeriodCounts {
    const period = 'FROM tickets t WHERE t.created_at >= ? AND t.created_at < ? AND t.deleted = 0';
    const count = (where: string) => this.db.prepare<[number, number], { n: number }>(`SELECT COUNT(*) AS n ${period}${where}`).get(from, to)!.n;
    return {
      requests: count(''),
      decided: count(' AND EXISTS (SELECT 1 FROM knowledge_decisions d WHERE d.ticket_id = t.id)'),
      offered: count(' AND EXISTS (SELECT 1 FROM knowledge_decisions d WHERE d.ticket_id = t.id AND d.offered = 1)'),
      deflected: count(" AND EXISTS (SELECT 1 FROM knowledge_offers o WHERE o.ticket_id = t.id AND o.status = 'solved')"),
    };
  }

  /** Requests created in [from, to) declined for one of `reasons` with no answer sent by an agent, newest first. */
  gapRequests(from: number, to: number, reasons: readonly string[], limit: number): GapRequest[] {
    if (reasons.length === 0) return [];
    const rows = this.db
      .prepare<unknown[], { id: number; key: string; title: string; text: string; status: string; resolved_at: number | null }>(
        `SELECT t.id, t.key, t.title, t.text, t.status, t.resolved_at FROM tickets t WHERE t.created_at >= ? AND t.created_at < ? AND t.deleted = 0
           AND EXISTS (SELECT 1 FROM knowledge_decisions d WHERE d.ticket_id = t.id AND d.offered = 0 AND d.declined IN (${reasons.map(() => '?').join(',')}))
           AND NOT EXISTS (SELECT 1 FROM knowledge_offers o WHERE o.ticket_id = t.id AND o.via = 'agent')
         ORDER BY t.created_at DESC, t.id DESC LIMIT ?`,
      )
      .all(from, to, ...reasons, limit);
    return rows.map((r) => ({ id: r.id, key: r.key, title: r.title, text: r.text, status: r.status, resolvedAt: r.resolved_at }));
  }

  /** Run `fn` in one transaction on this connection (with the ticket writes made in it). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
