/** How a model call ended. `over_budget` rows record calls that were never made. */
export const AI_OUTCOMES = ['ok', 'invalid_output', 'error', 'timeout', 'rate_limited', 'over_budget'];
const toDraft = (r) => ({
    id: r.id,
    ticketId: r.ticket_id,
    persona: r.persona,
    text: r.text,
    sources: JSON.parse(r.sources),
    suggestions: JSON.parse(r.suggestions),
    path: r.path,
    status: r.status,
    createdAt: r.created_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
});
/**
 * Repository over the AI tables.
 *
 * @example
 * const repo = new AiRepo(db);
 * repo.recordCall({ at: Date.now(), purpose: 'triage', model: 'claude-sonnet-4-6', ticketId: null,
 *   inputTokens: 900, outputTokens: 80, cacheReadTokens: 0, cacheWriteTokens: 0, latencyMs: 850, outcome: 'ok' });
 * repo.usageForDay(dayStart, dayStart + 86_400_000).totalTokens // 980
 */
export class AiRepo {
    db;
    constructor(db) {
        this.db = db;
    }
    /** Store one model call; returns its row id. */
    recordCall(r) {
        const info = this.db
            .prepare(`INSERT INTO ai_calls (at, purpose, model, ticket_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, latency_ms, outcome)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
            .run(r.at, r.purpose, r.model, r.ticketId, Math.max(0, Math.round(r.inputTokens)), Math.max(0, Math.round(r.outputTokens)), Math.max(0, Math.round(r.cacheReadTokens)), Math.max(0, Math.round(r.cacheWriteTokens)), Math.max(0, Math.round(r.latencyMs)), r.outcome);
        return Number(info.lastInsertRowid);
    }
    /** Calls in [fromMs, toMs), oldest first (for tests and diagnostics). */
    listCalls(fromMs = 0, toMs = Number.MAX_SAFE_INTEGER) {
        const rows = this.db
            .prepare(`SELECT at, purpose, model, ticket_id AS ticketId, input_tokens AS inputTokens, output_tokens AS outputTokens,
                cache_read_tokens AS cacheReadTokens, cache_write_tokens AS cacheWriteTokens, latency_ms AS latencyMs, outcome
         FROM ai_calls WHERE at >= ? AND at < ? ORDER BY id`)
            .all(fromMs, toMs);
        return rows;
    }
    /** Tokens counted against the budget (input + output + cache read + cache write) since `fromMs`. */
    tokensSince(fromMs) {
        const row = this.db
            .prepare('SELECT COALESCE(SUM(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0) AS n FROM ai_calls WHERE at >= ?')
            .get(fromMs);
        return row.n;
    }
    /**
     * Totals for the digest over [dayStartMs, dayEndMs): calls per outcome, tokens and cache hit rate.
     *
     * @example
     * const u = repo.usageForDay(start, start + 86_400_000);
     * `${u.calls} AI calls, ${u.totalTokens} tokens, ${Math.round(u.cacheHitRate * 100)}% cached`
     */
    usageForDay(dayStartMs, dayEndMs) {
        const t = this.db
            .prepare(`SELECT COUNT(*) AS calls,
                COALESCE(SUM(input_tokens), 0) AS input, COALESCE(SUM(output_tokens), 0) AS output,
                COALESCE(SUM(cache_read_tokens), 0) AS cacheRead, COALESCE(SUM(cache_write_tokens), 0) AS cacheWrite,
                COALESCE(AVG(CASE WHEN outcome != 'over_budget' THEN latency_ms END), 0) AS avgLatency
         FROM ai_calls WHERE at >= ? AND at < ?`)
            .get(dayStartMs, dayEndMs);
        const byOutcome = Object.fromEntries(AI_OUTCOMES.map((o) => [o, 0]));
        const rows = this.db
            .prepare('SELECT outcome, COUNT(*) AS n FROM ai_calls WHERE at >= ? AND at < ? GROUP BY outcome')
            .all(dayStartMs, dayEndMs);
        for (const r of rows)
            byOutcome[r.outcome] = r.n;
        const prompt = t.input + t.cacheRead + t.cacheWrite;
        return {
            calls: t.calls,
            byOutcome,
            inputTokens: t.input,
            outputTokens: t.output,
            cacheReadTokens: t.cacheRead,
            cacheWriteTokens: t.cacheWrite,
            totalTokens: prompt + t.output,
            cacheHitRate: prompt === 0 ? 0 : t.cacheRead / prompt,
            avgLatencyMs: Math.round(t.avgLatency),
        };
    }
    /** Store a suggested reply (status pending); earlier pending drafts of the ticket become superseded. */
    saveDraft(ticketId, draft, at) {
        return this.db.transaction(() => {
            this.db.prepare(`UPDATE drafts SET status = 'superseded' WHERE ticket_id = ? AND status = 'pending'`).run(ticketId);
            const info = this.db
                .prepare('INSERT INTO drafts (ticket_id, persona, text, sources, suggestions, path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
                .run(ticketId, draft.persona, draft.text, JSON.stringify(draft.sources), JSON.stringify(draft.suggestions), draft.path, at);
            return Number(info.lastInsertRowid);
        })();
    }
    getDraft(id) {
        const row = this.db.prepare('SELECT * FROM drafts WHERE id = ?').get(id);
        return row ? toDraft(row) : null;
    }
    /** The newest draft of a ticket, whatever its status. */
    latestDraft(ticketId) {
        const row = this.db.prepare('SELECT * FROM drafts WHERE ticket_id = ? ORDER BY id DESC LIMIT 1').get(ticketId);
        return row ? toDraft(row) : null;
    }
    /** Mark a pending draft sent or discarded; returns false if it was not pending (already decided). */
    decideDraft(id, status, by, at) {
        const info = this.db
            .prepare(`UPDATE drafts SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'`)
            .run(status, by, at, id);
        return info.changes === 1;
    }
    /** Store a handling plan (the whole plan object as JSON). */
    savePlan(ticketId, plan, createdBy, at) {
        const info = this.db
            .prepare('INSERT INTO plans (ticket_id, stages, path, created_at, created_by) VALUES (?, ?, ?, ?, ?)')
            .run(ticketId, JSON.stringify(plan), plan.path, at, createdBy);
        return Number(info.lastInsertRowid);
    }
    latestPlan(ticketId) {
        const row = this.db.prepare('SELECT * FROM plans WHERE ticket_id = ? ORDER BY id DESC LIMIT 1').get(ticketId);
        return row ? toPlan(row) : null;
    }
    /** One stored plan by id (follow-up buttons reference plans by id). */
    getPlan(id) {
        const row = this.db.prepare('SELECT * FROM plans WHERE id = ?').get(id);
        return row ? toPlan(row) : null;
    }
}
function toPlan(row) {
    return { id: row.id, ticketId: row.ticket_id, plan: JSON.parse(row.stages), path: row.path, createdAt: row.created_at, createdBy: row.created_by };
}
//# sourceMappingURL=ai-repo.js.map