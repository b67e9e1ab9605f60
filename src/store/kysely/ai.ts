/**
 * The AI domain on Kysely (both engines): model calls, drafts, plans, training examples and the
 * durable AI tasks. A claimed task is 'running' and its `next_attempt_at` is the lease expiry;
 * `token` (bumped by every claim) fences the claim, so a worker whose lease expired and was taken
 * over can no longer mark the row. On PostgreSQL the claim locks its candidates with FOR UPDATE
 * SKIP LOCKED inside one UPDATE … RETURNING (as the outbox does), so concurrent claimers get
 * disjoint tasks without waiting on each other; on SQLite the same statement runs under its
 * single writer.
 */
import type { Kysely, Selectable } from 'kysely';
import type { StoreEngine } from '../../ports/store.js';
import {
  AI_OUTCOMES,
  type AiCallRecord,
  type AiOutcome,
  type AiRepository,
  type AiTask,
  type AiTaskClaim,
  type AiTaskEnqueue,
  type AiTaskKind,
  type AiTaskRepository,
  type AiTaskStatus,
  type AiUsage,
  type ClaimedAiTask,
  type DraftStatus,
  type NewDraft,
  type StoredDraft,
  type StoredPlan,
  type TrainingExample,
  type TrainingExampleInput,
  type TrainingRepository,
} from '../../ports/store-ai.js';
import type { Priority } from '../../domain/types.js';
import { changed } from './inbox.js';
import type { AiTasksTable, DraftsTable, PlansTable, StoreDb, TrainingExamplesTable } from './schema.js';

type InTx = <T>(fn: (db: Kysely<StoreDb>) => Promise<T>) => Promise<T>;

const nonNegative = (n: number) => Math.max(0, Math.round(n));

const toDraft = (r: Selectable<DraftsTable>): StoredDraft => ({
  id: r.id,
  ticketId: r.ticket_id,
  persona: r.persona,
  text: r.text,
  sources: JSON.parse(r.sources) as string[],
  suggestions: JSON.parse(r.suggestions) as string[],
  path: r.path as 'ai' | 'offline',
  status: r.status as DraftStatus,
  createdAt: r.created_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

const toPlan = <T>(r: Selectable<PlansTable>): StoredPlan<T> => ({
  id: r.id,
  ticketId: r.ticket_id,
  plan: JSON.parse(r.stages) as T,
  path: r.path,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

export class KyselyAiRepository implements AiRepository {
  constructor(
    private readonly db: Kysely<StoreDb>,
    private readonly inTx: InTx,
  ) {}

  async recordCall(r: AiCallRecord): Promise<number> {
    const row = await this.db
      .insertInto('ai_calls')
      .values({
        at: r.at,
        purpose: r.purpose,
        model: r.model,
        ticket_id: r.ticketId,
        input_tokens: nonNegative(r.inputTokens),
        output_tokens: nonNegative(r.outputTokens),
        cache_read_tokens: nonNegative(r.cacheReadTokens),
        cache_write_tokens: nonNegative(r.cacheWriteTokens),
        latency_ms: nonNegative(r.latencyMs),
        outcome: r.outcome,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async listCalls(fromMs = 0, toMs = Number.MAX_SAFE_INTEGER): Promise<AiCallRecord[]> {
    const rows = await this.db.selectFrom('ai_calls').selectAll().where('at', '>=', fromMs).where('at', '<', toMs).orderBy('id').execute();
    return rows.map((r) => ({
      at: r.at,
      purpose: r.purpose,
      model: r.model,
      ticketId: r.ticket_id,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      cacheReadTokens: r.cache_read_tokens,
      cacheWriteTokens: r.cache_write_tokens,
      latencyMs: r.latency_ms,
      outcome: r.outcome as AiOutcome,
    }));
  }

  async tokensSince(fromMs: number): Promise<number> {
    const r = await this.db
      .selectFrom('ai_calls')
      .select((eb) =>
        eb.fn
          .coalesce(eb.fn.sum<number>(eb(eb(eb('input_tokens', '+', eb.ref('output_tokens')), '+', eb.ref('cache_read_tokens')), '+', eb.ref('cache_write_tokens'))), eb.lit(0))
          .as('n'),
      )
      .where('at', '>=', fromMs)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async usageForDay(dayStartMs: number, dayEndMs: number): Promise<AiUsage> {
    const t = await this.db
      .selectFrom('ai_calls')
      .select((eb) => [
        eb.fn.countAll<number>().as('calls'),
        eb.fn.coalesce(eb.fn.sum<number>('input_tokens'), eb.lit(0)).as('input'),
        eb.fn.coalesce(eb.fn.sum<number>('output_tokens'), eb.lit(0)).as('output'),
        eb.fn.coalesce(eb.fn.sum<number>('cache_read_tokens'), eb.lit(0)).as('cacheRead'),
        eb.fn.coalesce(eb.fn.sum<number>('cache_write_tokens'), eb.lit(0)).as('cacheWrite'),
        eb.fn
          .coalesce(eb.fn.avg<number>(eb.case().when('outcome', '!=', 'over_budget').then(eb.ref('latency_ms')).end()), eb.lit(0))
          .as('avgLatency'),
      ])
      .where('at', '>=', dayStartMs)
      .where('at', '<', dayEndMs)
      .executeTakeFirstOrThrow();
    const byOutcome = Object.fromEntries(AI_OUTCOMES.map((o) => [o, 0])) as Record<AiOutcome, number>;
    const rows = await this.db
      .selectFrom('ai_calls')
      .select(['outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .where('at', '>=', dayStartMs)
      .where('at', '<', dayEndMs)
      .groupBy('outcome')
      .execute();
    for (const r of rows) byOutcome[r.outcome as AiOutcome] = Number(r.n);
    const input = Number(t.input);
    const output = Number(t.output);
    const cacheRead = Number(t.cacheRead);
    const cacheWrite = Number(t.cacheWrite);
    const prompt = input + cacheRead + cacheWrite;
    return {
      calls: Number(t.calls),
      byOutcome,
      inputTokens: input,
      outputTokens: output,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      totalTokens: prompt + output,
      cacheHitRate: prompt === 0 ? 0 : cacheRead / prompt,
      avgLatencyMs: Math.round(Number(t.avgLatency)),
    };
  }

  saveDraft(ticketId: number, draft: NewDraft, at: number): Promise<number> {
    return this.inTx(async (db) => {
      await db.updateTable('drafts').set({ status: 'superseded' }).where('ticket_id', '=', ticketId).where('status', '=', 'pending').execute();
      const r = await db
        .insertInto('drafts')
        .values({
          ticket_id: ticketId,
          persona: draft.persona,
          text: draft.text,
          sources: JSON.stringify(draft.sources),
          suggestions: JSON.stringify(draft.suggestions),
          path: draft.path,
          created_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return r.id;
    });
  }

  async getDraft(id: number): Promise<StoredDraft | null> {
    const r = await this.db.selectFrom('drafts').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toDraft(r) : null;
  }

  async latestDraft(ticketId: number): Promise<StoredDraft | null> {
    const r = await this.db.selectFrom('drafts').selectAll().where('ticket_id', '=', ticketId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return r ? toDraft(r) : null;
  }

  async decideDraft(id: number, status: 'sent' | 'discarded', by: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('drafts')
      .set({ status, decided_by: by, decided_at: at })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return changed(r) === 1;
  }

  async savePlan(ticketId: number, plan: { path: string }, createdBy: string, at: number): Promise<number> {
    const r = await this.db
      .insertInto('plans')
      .values({ ticket_id: ticketId, stages: JSON.stringify(plan), path: plan.path, created_at: at, created_by: createdBy })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async getPlan<T = unknown>(id: number): Promise<StoredPlan<T> | null> {
    const r = await this.db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toPlan<T>(r) : null;
  }

  async latestPlan<T = unknown>(ticketId: number): Promise<StoredPlan<T> | null> {
    const r = await this.db.selectFrom('plans').selectAll().where('ticket_id', '=', ticketId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return r ? toPlan<T>(r) : null;
  }
}

const toExample = (r: Selectable<TrainingExamplesTable>): TrainingExample => ({
  id: r.id,
  text: r.text,
  category: r.category,
  priority: r.priority as Priority | null,
  source: r.source,
  ticketId: r.ticket_id,
  createdAt: r.created_at,
});

const exampleRow = (ex: TrainingExampleInput, at: number) => ({
  text: ex.text,
  category: ex.category ?? null,
  priority: ex.priority ?? null,
  source: ex.source,
  ticket_id: ex.ticketId ?? null,
  created_at: at,
});

/** Rows per INSERT in addMany (well under both engines' bound-parameter limits). */
const INSERT_BATCH = 500;

export class KyselyTrainingRepository implements TrainingRepository {
  constructor(
    private readonly db: Kysely<StoreDb>,
    private readonly inTx: InTx,
  ) {}

  async add(ex: TrainingExampleInput, at: number): Promise<number> {
    const r = await this.db.insertInto('training_examples').values(exampleRow(ex, at)).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  addMany(examples: readonly TrainingExampleInput[], at: number): Promise<number> {
    if (examples.length === 0) return Promise.resolve(0);
    return this.inTx(async (db) => {
      for (let i = 0; i < examples.length; i += INSERT_BATCH)
        await db
          .insertInto('training_examples')
          .values(examples.slice(i, i + INSERT_BATCH).map((ex) => exampleRow(ex, at)))
          .execute();
      return examples.length;
    });
  }

  async page(afterId: number, limit: number): Promise<TrainingExample[]> {
    const rows = await this.db.selectFrom('training_examples').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map(toExample);
  }

  async recent(limit: number): Promise<TrainingExample[]> {
    const rows = await this.db.selectFrom('training_examples').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.reverse().map(toExample);
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('training_examples').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}

const toTask = (r: Selectable<AiTasksTable>): AiTask => ({
  id: r.id,
  kind: r.kind as AiTaskKind,
  ticketId: r.ticket_id,
  idempotencyKey: r.idempotency_key,
  payload: r.payload,
  status: r.status as AiTaskStatus,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  token: r.token,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  doneAt: r.done_at,
});

export class KyselyAiTaskRepository implements AiTaskRepository {
  constructor(
    private readonly db: Kysely<StoreDb>,
    private readonly engine: StoreEngine,
  ) {}

  async enqueue(req: AiTaskEnqueue): Promise<boolean> {
    const r = await this.db
      .insertInto('ai_tasks')
      .values({
        kind: req.kind,
        ticket_id: req.ticketId,
        idempotency_key: req.idempotencyKey,
        payload: req.payload,
        next_attempt_at: req.notBefore ?? req.createdAt,
        created_at: req.createdAt,
        updated_at: req.createdAt,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .executeTakeFirst();
    return changed(r) > 0;
  }

  async claimDue(opts: { now: number; limit: number; leaseMs: number }): Promise<ClaimedAiTask[]> {
    if (opts.limit <= 0) return [];
    const { now } = opts;
    const leaseUntil = now + opts.leaseMs;
    // Pending and due, or running under a lease that ran out (its worker crashed or hung).
    const candidates = this.db
      .selectFrom('ai_tasks')
      .select('id')
      .where('status', 'in', ['pending', 'running'])
      .where('next_attempt_at', '<=', now)
      .orderBy('id')
      .limit(opts.limit)
      .$if(this.engine === 'postgres', (q) => q.forUpdate().skipLocked());
    const rows = await this.db
      .updateTable('ai_tasks')
      .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), token: eb('token', '+', 1), next_attempt_at: leaseUntil, updated_at: now }))
      .where('id', 'in', candidates)
      .returningAll()
      .execute();
    return rows.map((r) => ({ ...toTask(r), claim: { id: r.id, token: r.token, leaseUntil } })).sort((a, b) => a.id - b.id);
  }

  /** Only the holder of the newest claim may change a running task. */
  private held(claim: AiTaskClaim) {
    return this.db.updateTable('ai_tasks').where('id', '=', claim.id).where('status', '=', 'running').where('token', '=', claim.token);
  }

  async markDone(claim: AiTaskClaim, at: number): Promise<boolean> {
    return changed(await this.held(claim).set({ status: 'done', done_at: at, updated_at: at, last_error: null }).executeTakeFirst()) > 0;
  }

  async markRetry(claim: AiTaskClaim, nextAttemptAt: number, error: string, at: number): Promise<boolean> {
    const r = await this.held(claim).set({ status: 'pending', next_attempt_at: nextAttemptAt, last_error: error.slice(0, 2000), updated_at: at }).executeTakeFirst();
    return changed(r) > 0;
  }

  async markFailed(claim: AiTaskClaim, error: string, at: number): Promise<boolean> {
    return changed(await this.held(claim).set({ status: 'failed', last_error: error.slice(0, 2000), updated_at: at, done_at: at }).executeTakeFirst()) > 0;
  }

  async recoverExpired(now: number): Promise<number> {
    const r = await this.db
      .updateTable('ai_tasks')
      .set({ status: 'pending', updated_at: now })
      .where('status', '=', 'running')
      .where('next_attempt_at', '<=', now)
      .executeTakeFirst();
    return changed(r);
  }

  async hasDue(now: number): Promise<boolean> {
    const r = await this.db
      .selectFrom('ai_tasks')
      .select('id')
      .where('status', 'in', ['pending', 'running'])
      .where('next_attempt_at', '<=', now)
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  async get(id: number): Promise<AiTask | null> {
    const r = await this.db.selectFrom('ai_tasks').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toTask(r) : null;
  }

  async byKey(idempotencyKey: string): Promise<AiTask | null> {
    const r = await this.db.selectFrom('ai_tasks').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
    return r ? toTask(r) : null;
  }

  async ofTicket(ticketId: number): Promise<AiTask[]> {
    const rows = await this.db.selectFrom('ai_tasks').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
    return rows.map(toTask);
  }

  async stats(): Promise<Partial<Record<AiTaskStatus, number>>> {
    const rows = await this.db
      .selectFrom('ai_tasks')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
