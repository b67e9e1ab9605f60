import { clusterTexts } from '../escalation/similarity.js';
import { OffersRepo } from '../knowledge/offers-repo.js';
import { shorten } from '../util/text.js';
/** Why a request counts as a documentation gap (match.ts DeclineReason values). */
export const GAP_REASONS = ['no_match', 'below_threshold', 'category', 'ambiguous'];
/**
 * Compute the known-answers figures of a period.
 * @example buildKnowledgeFigures(db, period.from, period.to)?.deflectionRate // 0.4
 */
export function buildKnowledgeFigures(db, from, to, opts = {}) {
    const one = (sql, ...args) => db.prepare(sql).get(...args);
    const period = 'FROM tickets t WHERE t.created_at >= ? AND t.created_at < ? AND t.deleted = 0';
    const decided = one(`SELECT COUNT(*) AS n ${period} AND EXISTS (SELECT 1 FROM knowledge_decisions d WHERE d.ticket_id = t.id)`, from, to).n;
    const repo = new OffersRepo(db);
    const answers = repo.outcomes(from, to);
    if (decided === 0 && answers.length === 0)
        return null;
    const requests = one(`SELECT COUNT(*) AS n ${period}`, from, to).n;
    const deflected = one(`SELECT COUNT(*) AS n ${period} AND EXISTS (SELECT 1 FROM knowledge_offers o WHERE o.ticket_id = t.id AND o.status = 'solved')`, from, to).n;
    const offered = one(`SELECT COUNT(*) AS n ${period} AND EXISTS (SELECT 1 FROM knowledge_decisions d WHERE d.ticket_id = t.id AND d.offered = 1)`, from, to).n;
    const failing = answers
        .map((a) => ({ answerId: a.answerId, title: a.title, offered: a.offered, failed: a.needHelp + a.expired, solved: a.solved }))
        .filter((a) => a.offered >= 2 && a.failed >= 2 && a.failed > a.solved)
        .sort((a, b) => b.failed - a.failed || a.answerId.localeCompare(b.answerId));
    const reasons = GAP_REASONS.map((r) => `'${r}'`).join(',');
    const gapRows = db
        .prepare(`SELECT t.id, t.key, t.title, t.text, t.status, t.resolved_at ${period}
         AND EXISTS (SELECT 1 FROM knowledge_decisions d WHERE d.ticket_id = t.id AND d.offered = 0 AND d.declined IN (${reasons}))
         AND NOT EXISTS (SELECT 1 FROM knowledge_offers o WHERE o.ticket_id = t.id AND o.via = 'agent')
       ORDER BY t.created_at DESC LIMIT ?`)
        .all(from, to, opts.gapScan ?? 1000);
    const byId = new Map(gapRows.map((r) => [r.id, r]));
    const clusters = clusterTexts([...gapRows].reverse().map((r) => ({ id: r.id, text: `${r.title}\n${shorten(r.text, 500, '')}` })), opts.gapClusterMin ?? 2)
        .slice(0, 5)
        .map((c) => {
        const rows = c.ids.map((id) => byId.get(id));
        const resolved = rows.filter((r) => r.resolved_at !== null).sort((a, b) => b.resolved_at - a.resolved_at || b.id - a.id);
        const latest = [...rows].sort((a, b) => b.id - a.id)[0];
        return { keys: rows.map((r) => r.key), words: c.words.slice(0, 4), example: { key: rows[0].key, title: rows[0].title }, writeFrom: (resolved[0] ?? latest).key };
    });
    return {
        requests,
        deflected,
        deflectionRate: requests > 0 ? deflected / requests : null,
        offered,
        answers: answers.slice(0, 10),
        failing,
        gaps: { count: gapRows.length, clusters },
    };
}
//# sourceMappingURL=knowledge-figures.js.map