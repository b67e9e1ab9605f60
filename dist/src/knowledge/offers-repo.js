const toOffer = (r) => ({
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
    db;
    s;
    constructor(db) {
        this.db = db;
        this.s = {
            decide: db.prepare(`INSERT INTO knowledge_decisions (ticket_id, offered, declined, answer_id, score, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (ticket_id) DO NOTHING`),
            insert: db.prepare(`INSERT INTO knowledge_offers (ticket_id, answer_id, answer_title, via, score, explanation, status, offered_by, offered_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`),
            get: db.prepare('SELECT * FROM knowledge_offers WHERE id = ?'),
            forTicket: db.prepare('SELECT * FROM knowledge_offers WHERE ticket_id = ? ORDER BY id'),
            settle: db.prepare('UPDATE knowledge_offers SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = ?'),
            expiring: db.prepare("SELECT id FROM knowledge_offers INDEXED BY knowledge_offers_pending WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?"),
            decision: db.prepare('SELECT * FROM knowledge_decisions WHERE ticket_id = ?'),
        };
    }
    /** Has an answer been saved from this ticket's resolution? */
    answerSavedFrom(ticketId) {
        return this.db.prepare('SELECT 1 AS n FROM knowledge_answers WHERE ticket_id = ? LIMIT 1').get(ticketId) !== undefined;
    }
    /**
     * Was an escalation prompt raised for this ticket at triage (VIP, keywords)? A cluster prompt
     * does not count: many people asking the same known question is what answers are for.
     */
    escalated(ticketId, clusterRules) {
        const rows = this.db.prepare('SELECT rule_id FROM escalations WHERE ticket_id = ?').all(ticketId);
        return rows.some((r) => !clusterRules.includes(r.rule_id));
    }
    /** Record what the matcher said about a new request (once per ticket). */
    recordDecision(d) {
        this.s.decide.run(d.ticketId, d.offered ? 1 : 0, d.declined, d.answerId, d.score, d.at);
    }
    decision(ticketId) {
        const r = this.s.decision.get(ticketId);
        return r ? { ticketId: r.ticket_id, offered: r.offered === 1, declined: r.declined, answerId: r.answer_id, score: r.score, at: r.at } : null;
    }
    insert(o) {
        return toOffer(this.s.insert.get(o.ticketId, o.answerId, o.answerTitle, o.via, o.score, o.explanation, o.status, o.offeredBy, o.offeredAt, o.expiresAt));
    }
    get(id) {
        const r = this.s.get.get(id);
        return r ? toOffer(r) : null;
    }
    forTicket(ticketId) {
        return this.s.forTicket.all(ticketId).map(toOffer);
    }
    /** The automatic offer of a ticket, if any. */
    autoOffer(ticketId) {
        return this.forTicket(ticketId).find((o) => o.via === 'auto') ?? null;
    }
    /** Move an offer from `from` to `to`; false when it was no longer in `from` (someone else decided first). */
    settle(id, from, to, by, at) {
        return this.s.settle.run(to, by, at, id, from).changes > 0;
    }
    /** Pending offers whose wait is over at `now`, soonest first. */
    expiring(now, limit = 500) {
        return this.s.expiring.all(now, limit).map((r) => r.id);
    }
    /**
     * Outcomes per answer of the offers made in [from, to): automatic offers by status, and the
     * answers agents sent. Most offered first.
     */
    outcomes(from, to) {
        const rows = this.db
            .prepare(`SELECT answer_id, MAX(answer_title) AS title, via, status, COUNT(*) AS n FROM knowledge_offers INDEXED BY knowledge_offers_at
          WHERE offered_at >= ? AND offered_at < ? GROUP BY answer_id, via, status`)
            .all(from, to);
        const by = new Map();
        for (const r of rows) {
            const o = by.get(r.answer_id) ?? { answerId: r.answer_id, title: r.title, offered: 0, solved: 0, needHelp: 0, expired: 0, pending: 0, sent: 0 };
            if (r.via === 'agent')
                o.sent += r.n;
            else {
                o.offered += r.n;
                if (r.status === 'solved')
                    o.solved += r.n;
                else if (r.status === 'need_help')
                    o.needHelp += r.n;
                else if (r.status === 'expired')
                    o.expired += r.n;
                else if (r.status === 'pending')
                    o.pending += r.n;
            }
            by.set(r.answer_id, o);
        }
        return [...by.values()].sort((a, b) => b.offered + b.sent - (a.offered + a.sent) || a.answerId.localeCompare(b.answerId));
    }
}
//# sourceMappingURL=offers-repo.js.map