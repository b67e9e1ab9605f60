/**
 * Repository for known answers in the ticket flow (migration 0014): `knowledge_decisions` (what
 * the matcher said about each new request) and `knowledge_offers` (answers that went to a
 * customer and what came of them). All the SQL of offers and their figures lives here.
 */
import type { Db } from '../store/db.js';

export type OfferStatus = 'pending' | 'solved' | 'need_help' | 'expired' | 'sent';
export type OfferVia = 'auto' | 'agent';

/** One known answer that went to a customer. */
export interface Offer {
  id: number;
  ticketId: number;
  answerId: string;
  answerTitle: string;
  via: OfferVia;
  score: number | null;
  explanation: string;
  status: OfferStatus;
  offeredBy: string;
  offeredAt: number;
  expiresAt: number | null;
  decidedBy: string | null;
  decidedAt: number | null;
}

export interface DecisionRow {
  ticketId: number;
  offered: boolean;
  declined: string | null;
  answerId: string | null;
  score: number;
  at: number;
}

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

/** Per-answer outcome of automatic offers in a period. */
export interface AnswerOutcomes {
  answerId: string;
  title: string;
  offered: number;
  solved: number;
  needHelp: number;
  expired: number;
  pending: number;
  /** Sent by agents. */
  sent: number;
}

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

  /** Has an answer been saved from this ticket's resolution? */
  answerSavedFrom(ticketId: number): boolean {
    return this.db.prepare<[number], { n: number }>('SELECT 1 AS n FROM knowledge_answers WHERE ticket_id = ? LIMIT 1').get(ticketId) !== undefined;
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

  insert(o: Omit<Offer, 'id' | 'decidedBy' | 'decidedAt'>): Offer {
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
    const by = new Map<string, AnswerOutcomes>();
    for (const r of rows) {
      const o = by.get(r.answer_id) ?? { answerId: r.answer_id, title: r.title, offered: 0, solved: 0, needHelp: 0, expired: 0, pending: 0, sent: 0 };
      if (r.via === 'agent') o.sent += r.n;
      else {
        o.offered += r.n;
        if (r.status === 'solved') o.solved += r.n;
        else if (r.status === 'need_help') o.needHelp += r.n;
        else if (r.status === 'expired') o.expired += r.n;
        else if (r.status === 'pending') o.pending += r.n;
      }
      by.set(r.answer_id, o);
    }
    return [...by.values()].sort((a, b) => b.offered + b.sent - (a.offered + a.sent) || a.answerId.localeCompare(b.answerId));
  }
}
