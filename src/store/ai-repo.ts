/**
 * AI repository (synchronous, better-sqlite3): one row per model call in `ai_calls` (cost, cache
 * and outcome accounting), suggested reply drafts in `drafts`, handling plans in `plans`, and the
 * enqueue of durable AI tasks from inside a ticket's creation transaction. The async store port
 * (src/ports/store-ai.ts, src/store/kysely/ai.ts) has the same queries for both engines; this
 * one serves the callers still inside synchronous transactions (issue #13's next step).
 */
import type { Database } from 'better-sqlite3';

import {
  AI_OUTCOMES,
  type AiCallRecord,
  type AiOutcome,
  type AiTaskEnqueue,
  type AiUsage,
  type DraftStatus,
  type NewDraft,
  type StoredDraft,
  type StoredPlan,
} from '../ports/store-ai.js';

export { AI_OUTCOMES };
export type { AiCallRecord, AiOutcome, AiUsage, DraftStatus, StoredDraft, StoredPlan };

interface DraftRow {
  id: number;
  ticket_id: number;
  persona: string;
  text: string;
  sources: string;
  suggestions: string;
  path: 'ai' | 'offline';
  status: DraftStatus;
  created_at: number;
  decided_by: string | null;
  decided_at: number | null;
}

interface PlanRow {
  id: number;
  ticket_id: number;
  stages: string;
  path: string;
  created_at: number;
  created_by: string;
}

const toDraft = (r: DraftRow): StoredDraft => ({
  id: r.id,
  ticketId: r.ticket_id,
  persona: r.persona,
  text: r.text,
  sources: JSON.parse(r.sources) as string[],
  suggestions: JSON.parse(r.suggestions) as string[],
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
  constructor(private readonly db: Database) {}

  /** Store one model call; returns its row id. */
  recordCall(r: AiCallRecord): number {
    const info = this.db
      .prepare(
        `INSERT INTO ai_calls (at, purpose, model, ticket_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, latency_ms, outcome)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.at,
        r.purpose,
        r.model,
        r.ticketId,
        Math.max(0, Math.round(r.inputTokens)),
        Math.max(0, Math.round(r.outputTokens)),
        Math.max(0, Math.round(r.cacheReadTokens)),
        Math.max(0, Math.round(r.cacheWriteTokens)),
        Math.max(0, Math.round(r.latencyMs)),
        r.outcome,
      );
    return Number(info.lastInsertRowid);
  }

  /** Calls in [fromMs, toMs), oldest first (for tests and diagnostics). */
  listCalls(fromMs = 0, toMs = Number.MAX_SAFE_INTEGER): AiCallRecord[] {
    const rows = this.db
      .prepare(
        `SELECT at, purpose, model, ticket_id AS ticketId, input_tokens AS inputTokens, output_tokens AS outputTokens,
                cache_read_tokens AS cacheReadTokens, cache_write_tokens AS cacheWriteTokens, latency_ms AS latencyMs, outcome
         FROM ai_calls WHERE at >= ? AND at < ? ORDER BY id`,
      )
      .all(fromMs, toMs) as AiCallRecord[];
    return rows;
  }

  /** Tokens counted against the budget (input + output + cache read + cache write) since `fromMs`. */
  tokensSince(fromMs: number): number {
    const row = this.db
      .prepare(
        'SELECT COALESCE(SUM(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), 0) AS n FROM ai_calls WHERE at >= ?',
      )
      .get(fromMs) as { n: number };
    return row.n;
  }

  /**
   * Totals for the digest over [dayStartMs, dayEndMs): calls per outcome, tokens and cache hit rate.
   *
   * @example
   * const u = repo.usageForDay(start, start + 86_400_000);
   * `${u.calls} AI calls, ${u.totalTokens} tokens, ${Math.round(u.cacheHitRate * 100)}% cached`
   */
  usageForDay(dayStartMs: number, dayEndMs: number): AiUsage {
    const t = this.db
      .prepare(
        `SELECT COUNT(*) AS calls,
                COALESCE(SUM(input_tokens), 0) AS input, COALESCE(SUM(output_tokens), 0) AS output,
                COALESCE(SUM(cache_read_tokens), 0) AS cacheRead, COALESCE(SUM(cache_write_tokens), 0) AS cacheWrite,
                COALESCE(AVG(CASE WHEN outcome != 'over_budget' THEN latency_ms END), 0) AS avgLatency
         FROM ai_calls WHERE at >= ? AND at < ?`,
      )
      .get(dayStartMs, dayEndMs) as { calls: number; input: number; output: number; cacheRead: number; cacheWrite: number; avgLatency: number };
    const byOutcome = Object.fromEntries(AI_OUTCOMES.map((o) => [o, 0])) as Record<AiOutcome, number>;
    const rows = this.db
      .prepare('SELECT outcome, COUNT(*) AS n FROM ai_calls WHERE at >= ? AND at < ? GROUP BY outcome')
      .all(dayStartMs, dayEndMs) as { outcome: AiOutcome; n: number }[];
    for (const r of rows) byOutcome[r.outcome] = r.n;
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
  saveDraft(ticketId: number, draft: NewDraft, at: number): number {
    return this.db.transaction(() => {
      this.db.prepare(`UPDATE drafts SET status = 'superseded' WHERE ticket_id = ? AND status = 'pending'`).run(ticketId);
      const info = this.db
        .prepare('INSERT INTO drafts (ticket_id, persona, text, sources, suggestions, path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(ticketId, draft.persona, draft.text, JSON.stringify(draft.sources), JSON.stringify(draft.suggestions), draft.path, at);
      return Number(info.lastInsertRowid);
    })();
  }

  getDraft(id: number): StoredDraft | null {
    const row = this.db.prepare('SELECT * FROM drafts WHERE id = ?').get(id) as DraftRow | undefined;
    return row ? toDraft(row) : null;
  }

  /** The newest draft of a ticket, whatever its status. */
  latestDraft(ticketId: number): StoredDraft | null {
    const row = this.db.prepare('SELECT * FROM drafts WHERE ticket_id = ? ORDER BY id DESC LIMIT 1').get(ticketId) as DraftRow | undefined;
    return row ? toDraft(row) : null;
  }

  /** Mark a pending draft sent or discarded; returns false if it was not pending (already decided). */
  decideDraft(id: number, status: 'sent' | 'discarded', by: string, at: number): boolean {
    const info = this.db
      .prepare(`UPDATE drafts SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'`)
      .run(status, by, at, id);
    return info.changes === 1;
  }

  /**
   * Decide a pending draft and, only if this call decided it, run `then` in the same transaction
   * (the reply or the timeline entry that goes with the decision). False when it was decided
   * already (by anyone); nothing is written then.
   */
  decideDraftThen(id: number, status: 'sent' | 'discarded', by: string, at: number, then: () => void): boolean {
    return this.db.transaction(() => {
      if (!this.decideDraft(id, status, by, at)) return false;
      then();
      return true;
    })();
  }

  /** Store a handling plan and run `then(planId)` in the same transaction (its timeline entry and post). */
  savePlanThen(ticketId: number, plan: { path: string }, createdBy: string, at: number, then: (planId: number) => void): number {
    return this.db.transaction(() => {
      const id = this.savePlan(ticketId, plan, createdBy, at);
      then(id);
      return id;
    })();
  }

  /**
   * Enqueue a durable AI task (synchronously, so a ticket-creation hook commits it with the
   * ticket); false when the idempotency key is there already (nothing changes).
   */
  enqueueTask(req: AiTaskEnqueue): boolean {
    const info = this.db
      .prepare(
        `INSERT INTO ai_tasks (kind, ticket_id, idempotency_key, payload, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
      )
      .run(req.kind, req.ticketId, req.idempotencyKey, req.payload, req.notBefore ?? req.createdAt, req.createdAt, req.createdAt);
    return info.changes === 1;
  }

  /** Store a handling plan (the whole plan object as JSON). */
  savePlan(ticketId: number, plan: { path: string }, createdBy: string, at: number): number {
    const info = this.db
      .prepare('INSERT INTO plans (ticket_id, stages, path, created_at, created_by) VALUES (?, ?, ?, ?, ?)')
      .run(ticketId, JSON.stringify(plan), plan.path, at, createdBy);
    return Number(info.lastInsertRowid);
  }

  latestPlan<T = unknown>(ticketId: number): StoredPlan<T> | null {
    const row = this.db.prepare('SELECT * FROM plans WHERE ticket_id = ? ORDER BY id DESC LIMIT 1').get(ticketId) as PlanRow | undefined;
    return row ? toPlan<T>(row) : null;
  }

  /** One stored plan by id (follow-up buttons reference plans by id). */
  getPlan<T = unknown>(id: number): StoredPlan<T> | null {
    const row = this.db.prepare('SELECT * FROM plans WHERE id = ?').get(id) as PlanRow | undefined;
    return row ? toPlan<T>(row) : null;
  }
}

function toPlan<T>(row: PlanRow): StoredPlan<T> {
  return { id: row.id, ticketId: row.ticket_id, plan: JSON.parse(row.stages) as T, path: row.path, createdAt: row.created_at, createdBy: row.created_by };
}
