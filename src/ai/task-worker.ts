/**
 * The durable AI task worker: claims due rows of `ai_tasks` through the store port with a lease
 * (a replica that dies mid-task leaves its rows 'running' until the lease runs out; then any
 * replica takes them over) and runs them, a few at a time. A task that throws is retried with
 * exponential backoff and given up ('failed', kept for an operator) after `maxAttempts` runs.
 * Marks are fenced by the claim's token: a worker whose lease was taken over writes no mark.
 *
 * The worker is woken after a ticket is created (`kick`), after each finished task (a task may
 * enqueue the next one), by a slow poll (retries that came due, tasks other replicas enqueued,
 * leases that ran out) and by `BackgroundWork.idle()`, which asks it to start what is due now.
 */
import type { Logger } from 'pino';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { AiTaskEnqueue, ClaimedAiTask } from '../ports/store-ai.js';
import type { BackgroundWork } from './background.js';

/**
 * 'done' = finished (mark it done); `{ next }` = finished, enqueue these tasks in the transaction
 * that marks it done; 'abandoned' = the core is closing (leave the task to its lease).
 */
export type TaskOutcome = 'done' | 'abandoned' | { next: Omit<AiTaskEnqueue, 'createdAt'>[] };

export interface AiTaskWorkerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  work: BackgroundWork;
  run(task: ClaimedAiTask): Promise<TaskOutcome>;
  /** How long a claimed task is this worker's before another may take it over. */
  leaseMs?: number;
  /** Tasks run at the same time (the AI client limits model calls on its own). */
  concurrency?: number;
  /** Runs before a task is given up. */
  maxAttempts?: number;
  /** First retry delay; doubled per attempt up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Real-time poll interval for due retries and taken-over leases (0 = no poll). */
  pollMs?: number;
}

/** Default lease: longer than any model call with its retries, so a live task is never taken over. */
export const AI_TASK_LEASE_MS = 10 * 60_000;
export const AI_TASK_MAX_ATTEMPTS = 5;

export class AiTaskWorker {
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private inFlight = 0;
  private stopped = false;
  private claiming: Promise<boolean> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: AiTaskWorkerOptions) {
    this.leaseMs = o.leaseMs ?? AI_TASK_LEASE_MS;
    this.concurrency = Math.max(1, o.concurrency ?? 4);
    this.maxAttempts = Math.max(1, o.maxAttempts ?? AI_TASK_MAX_ATTEMPTS);
    this.backoffMs = o.backoffMs ?? 5_000;
    this.maxBackoffMs = o.maxBackoffMs ?? 5 * 60_000;
    o.work.addSource(() => this.drain());
  }

  /**
   * Start: put back the rows whose lease ran out (a crashed process's; rows under a live lease are
   * left to their holder), run what is due, and poll.
   */
  start(pollMs = this.o.pollMs ?? 5_000): void {
    void this.o.store.aiTasks
      .recoverExpired(this.o.clock.now())
      .then((n) => {
        if (n > 0) this.o.logger.info({ tasks: n }, 'AI tasks left running by a stopped process are taken up again');
      })
      .catch((err: unknown) => this.failedQuietly(err, 'recovering AI tasks failed'))
      .finally(() => this.kick());
    if (pollMs > 0) {
      this.timer = setInterval(() => this.kick(), pollMs);
      this.timer.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Run what is due now, in the background. */
  kick(): void {
    void this.drain();
  }

  /**
   * Claim what is due now (up to the free slots) and start it; resolves whether anything started.
   * Calls while a claim is running coalesce into one more claim after it.
   */
  drain(): Promise<boolean> {
    if (this.stopped || this.o.work.closed) return Promise.resolve(false);
    if (this.claiming) {
      this.again = true;
      return this.claiming;
    }
    const p = (async () => {
      let started = false;
      try {
        do {
          this.again = false;
          if (await this.claimOnce()) started = true;
        } while (this.again && !this.stopped);
      } finally {
        this.claiming = null;
      }
      return started;
    })();
    this.claiming = p;
    return p;
  }

  private async claimOnce(): Promise<boolean> {
    const free = this.concurrency - this.inFlight;
    if (free <= 0) return false;
    let tasks: ClaimedAiTask[];
    try {
      tasks = await this.o.store.aiTasks.claimDue({ now: this.o.clock.now(), limit: free, leaseMs: this.leaseMs });
    } catch (err) {
      this.failedQuietly(err, 'claiming AI tasks failed');
      return false;
    }
    if (this.stopped || this.o.work.closed) return false;
    for (const t of tasks) {
      this.inFlight += 1;
      void this.o.work.track(
        this.runOne(t).finally(() => {
          this.inFlight -= 1;
          this.kick();
        }),
      );
    }
    return tasks.length > 0;
  }

  private async runOne(t: ClaimedAiTask): Promise<void> {
    const { store, clock, logger } = this.o;
    let outcome: TaskOutcome;
    try {
      outcome = await this.o.run(t);
    } catch (err) {
      if (this.o.work.closed) return;
      const error = err instanceof Error ? err.message : String(err);
      const now = clock.now();
      try {
        if (t.attempts >= this.maxAttempts) {
          await store.aiTasks.markFailed(t.claim, error, now);
          logger.error({ err, task: t.idempotencyKey, attempts: t.attempts }, 'AI task failed for good; kept as failed');
        } else {
          const delay = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (t.attempts - 1));
          await store.aiTasks.markRetry(t.claim, now + delay, error, now);
          logger.warn({ err, task: t.idempotencyKey, attempts: t.attempts, retryInMs: delay }, 'AI task failed; retrying later');
        }
      } catch (markErr) {
        this.failedQuietly(markErr, 'marking an AI task failed');
      }
      return;
    }
    if (outcome === 'abandoned' || this.o.work.closed) return;
    const next = outcome === 'done' ? [] : outcome.next;
    try {
      const now = clock.now();
      // Decided above; one transaction with store calls only (no other I/O inside).
      const marked = await store.tx(async (r) => {
        for (const n of next) await r.aiTasks.enqueue({ ...n, createdAt: now });
        return r.aiTasks.markDone(t.claim, now);
      });
      if (!marked) logger.warn({ task: t.idempotencyKey }, 'AI task finished after its lease was taken over');
    } catch (err) {
      this.failedQuietly(err, 'marking an AI task done failed');
    }
  }

  /** After close the store is gone: nothing to report. Before, it is worth a line. */
  private failedQuietly(err: unknown, msg: string): void {
    if (this.stopped || this.o.work.closed) return;
    this.o.logger.error({ err }, msg);
  }
}
