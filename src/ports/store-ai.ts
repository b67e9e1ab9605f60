/**
 * The AI domain's part of the store port: model calls (cost and budget accounting), suggested
 * reply drafts, handling plans, the learner's training examples (imported history and agents'
 * corrections) and durable AI tasks — the work started after a ticket is created (AI triage, the
 * first suggested reply), claimed with a lease and a fencing token like the outbox, so a crash
 * after the ticket's commit does not lose it and several replicas never run one task twice at
 * the same time.
 */
import type { Priority } from '../domain/types.js';

// ─── model calls ──────────────────────────────────────────────────────────────────────────────

/** How a model call ended. `over_budget` rows record calls that were never made. */
export const AI_OUTCOMES = ['ok', 'invalid_output', 'error', 'timeout', 'rate_limited', 'over_budget'] as const;
export type AiOutcome = (typeof AI_OUTCOMES)[number];

export interface AiCallRecord {
  /** Epoch ms the call started. */
  at: number;
  /** What the call was for: 'triage', 'draft_reply', 'plan:analyst', ... */
  purpose: string;
  model: string;
  ticketId: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  latencyMs: number;
  outcome: AiOutcome;
}

export interface AiUsage {
  calls: number;
  /** Calls per outcome (every outcome present, 0 when none). */
  byOutcome: Record<AiOutcome, number>;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** input + output + cache read + cache write: what counts against the daily budget. */
  totalTokens: number;
  /** Share of prompt tokens served from the cache: cacheRead / (input + cacheRead + cacheWrite); 0 when no prompt tokens. */
  cacheHitRate: number;
  /** Mean latency of calls that reached the API (outcome other than over_budget), ms; 0 when none. */
  avgLatencyMs: number;
}

// ─── drafts and plans ─────────────────────────────────────────────────────────────────────────

export type DraftStatus = 'pending' | 'sent' | 'discarded' | 'superseded';

export interface NewDraft {
  persona: string;
  text: string;
  sources: string[];
  suggestions: string[];
  path: 'ai' | 'offline';
}

export interface StoredDraft {
  id: number;
  ticketId: number;
  persona: string;
  text: string;
  sources: string[];
  suggestions: string[];
  path: 'ai' | 'offline';
  status: DraftStatus;
  createdAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
}

export interface StoredPlan<T = unknown> {
  id: number;
  ticketId: number;
  /** The whole plan as it was built (JSON). */
  plan: T;
  path: string;
  createdAt: number;
  createdBy: string;
}

export interface AiRepository {
  /** Store one model call; returns its row id. Token counts are rounded and never negative. */
  recordCall(r: AiCallRecord): Promise<number>;
  /** Calls in [fromMs, toMs), oldest first. */
  listCalls(fromMs?: number, toMs?: number): Promise<AiCallRecord[]>;
  /** Tokens counted against the budget (input + output + cache read + cache write) since `fromMs`. */
  tokensSince(fromMs: number): Promise<number>;
  /** Totals over [dayStartMs, dayEndMs) for the digest. */
  usageForDay(dayStartMs: number, dayEndMs: number): Promise<AiUsage>;
  /** Store a suggested reply (pending); earlier pending drafts of the ticket become superseded — atomically. */
  saveDraft(ticketId: number, draft: NewDraft, at: number): Promise<number>;
  getDraft(id: number): Promise<StoredDraft | null>;
  /** The newest draft of a ticket, whatever its status. */
  latestDraft(ticketId: number): Promise<StoredDraft | null>;
  /** Mark a pending draft sent or discarded; false if it was not pending (decided already, by anyone). */
  decideDraft(id: number, status: 'sent' | 'discarded', by: string, at: number): Promise<boolean>;
  /** Store a handling plan (the whole plan object as JSON). */
  savePlan(ticketId: number, plan: { path: string }, createdBy: string, at: number): Promise<number>;
  getPlan<T = unknown>(id: number): Promise<StoredPlan<T> | null>;
  latestPlan<T = unknown>(ticketId: number): Promise<StoredPlan<T> | null>;
}

// ─── training examples (learner corrections) ──────────────────────────────────────────────────

/** A labelled example to store. At least one of category/priority should be set. */
export interface TrainingExampleInput {
  text: string;
  category?: string | null;
  priority?: Priority | null;
  /** Where it came from: 'import', 'correction', ... */
  source: string;
  ticketId?: number | null;
}

/** A stored example. */
export interface TrainingExample {
  id: number;
  text: string;
  category: string | null;
  priority: Priority | null;
  source: string;
  ticketId: number | null;
  createdAt: number;
  /** The channel of the example's ticket (a correction's), null without one. Read by the synchronous `recent` only (for now). */
  channelId?: string | null;
}

export interface TrainingRepository {
  /** Store one example; returns its id. */
  add(ex: TrainingExampleInput, at: number): Promise<number>;
  /** Store many in ONE transaction (all or nothing; the caller's inside `store.tx`); returns how many. */
  addMany(examples: readonly TrainingExampleInput[], at: number): Promise<number>;
  /** Up to `limit` examples with id > `afterId`, oldest first (page through all of them). */
  page(afterId: number, limit: number): Promise<TrainingExample[]>;
  /** The most recent `limit` examples, oldest first (what the learner retrains on). */
  recent(limit: number): Promise<TrainingExample[]>;
  count(): Promise<number>;
}

// ─── durable AI tasks ─────────────────────────────────────────────────────────────────────────

/** 'triage' = AI triage after creation; 'draft' = the first suggested reply. */
export type AiTaskKind = 'triage' | 'draft';
export type AiTaskStatus = 'pending' | 'running' | 'done' | 'failed';

export interface AiTaskEnqueue {
  kind: AiTaskKind;
  ticketId: number | null;
  /** Unique: enqueuing the same key again does nothing. */
  idempotencyKey: string;
  /** Opaque to the store (JSON the worker reads). */
  payload: string;
  createdAt: number;
  /** Due from (default createdAt). */
  notBefore?: number;
}

export interface AiTask {
  id: number;
  kind: AiTaskKind;
  ticketId: number | null;
  idempotencyKey: string;
  payload: string;
  status: AiTaskStatus;
  /** Runs started (claims). */
  attempts: number;
  /** Due time while pending; the lease expiry while running. */
  nextAttemptAt: number;
  /** The fencing token of the newest claim. */
  token: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  doneAt: number | null;
}

/** A task handed to one worker until `leaseUntil`; `token` fences it (a taken-over claim cannot mark the row). */
export interface AiTaskClaim {
  id: number;
  token: number;
  leaseUntil: number;
}

export interface ClaimedAiTask extends AiTask {
  claim: AiTaskClaim;
}

export interface AiTaskRepository {
  /** Add a task; false when the idempotency key was seen before (the row is left as it is). */
  enqueue(req: AiTaskEnqueue): Promise<boolean>;
  /**
   * Claim up to `limit` tasks, oldest first, that are pending and due, or running under an
   * EXPIRED lease (their worker crashed: taken over). Claimed tasks are 'running' until
   * `now + leaseMs` with a new fencing token. Concurrent claimers never get the same task
   * (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer).
   */
  claimDue(opts: { now: number; limit: number; leaseMs: number }): Promise<ClaimedAiTask[]>;
  markDone(claim: AiTaskClaim, at: number): Promise<boolean>;
  /** Back to pending, due at `nextAttemptAt`. */
  markRetry(claim: AiTaskClaim, nextAttemptAt: number, error: string, at: number): Promise<boolean>;
  /** Give up (kept for an operator). */
  markFailed(claim: AiTaskClaim, error: string, at: number): Promise<boolean>;
  /**
   * Tasks left 'running' whose lease expired before `now` go back to pending (their worker
   * crashed). Tasks under a live lease are never touched: another replica is running them.
   */
  recoverExpired(now: number): Promise<number>;
  /** Whether a task is runnable now (pending and due, or running under an expired lease). */
  hasDue(now: number): Promise<boolean>;
  get(id: number): Promise<AiTask | null>;
  byKey(idempotencyKey: string): Promise<AiTask | null>;
  /** The tasks of a ticket, oldest first. */
  ofTicket(ticketId: number): Promise<AiTask[]>;
  stats(): Promise<Partial<Record<AiTaskStatus, number>>>;
}
