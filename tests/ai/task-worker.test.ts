/**
 * The AI task worker on a real store (SQLite :memory:) with a ManualClock: a task that throws is
 * retried with exponential backoff (not due before its time, so idle() does not wait for it), is
 * given up after the last attempt, and a finished task may enqueue the next one in the same
 * transaction that marks it done.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BackgroundWork } from '../../src/ai/background.js';
import { AiTaskWorker, type TaskOutcome } from '../../src/ai/task-worker.js';
import { createLogger } from '../../src/logger.js';
import { ManualClock } from '../../src/ports/clock.js';
import type { ClaimedAiTask } from '../../src/ports/store-ai.js';
import type { KyselyStore } from '../../src/store/kysely/kysely-store.js';
import { openStore } from '../../src/store/kysely/open-store.js';

const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
let store: KyselyStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function setup(run: (t: ClaimedAiTask) => Promise<TaskOutcome>) {
  store = await openStore(':memory:');
  const clock = new ManualClock(T0);
  const work = new BackgroundWork();
  const worker = new AiTaskWorker({ store, clock, logger: createLogger({ LOG_LEVEL: 'silent' }), work, run, backoffMs: 1_000, maxAttempts: 3, pollMs: 0 });
  return { store, clock, work, worker };
}

describe('AiTaskWorker', () => {
  it('retries a failing task with exponential backoff and gives up after the last attempt', async () => {
    const runs: number[] = [];
    const { store, clock, work } = await setup(async (t) => {
      runs.push(t.attempts);
      throw new Error(`model unavailable (${t.attempts})`);
    });
    await store.aiTasks.enqueue({ kind: 'triage', ticketId: null, idempotencyKey: 'k', payload: '{}', createdAt: T0 });
    await work.idle();
    expect(await store.aiTasks.byKey('k')).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + 1_000, lastError: 'model unavailable (1)' });
    clock.advance(999);
    await work.idle();
    expect(runs).toEqual([1]);
    clock.advance(1);
    await work.idle();
    expect(await store.aiTasks.byKey('k')).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: T0 + 1_000 + 2_000 });
    clock.advance(2_000);
    await work.idle();
    expect(runs).toEqual([1, 2, 3]);
    expect(await store.aiTasks.byKey('k')).toMatchObject({ status: 'failed', attempts: 3, lastError: 'model unavailable (3)' });
    clock.advance(3_600_000);
    await work.idle();
    expect(runs).toEqual([1, 2, 3]);
  });

  it('a finished task enqueues its next task when it is marked done; idle() waits for both', async () => {
    const ran: string[] = [];
    const { store, work } = await setup(async (t) => {
      ran.push(t.idempotencyKey);
      return t.kind === 'triage' ? { next: [{ kind: 'draft', ticketId: null, idempotencyKey: 'second', payload: '{}' }] } : 'done';
    });
    await store.aiTasks.enqueue({ kind: 'triage', ticketId: null, idempotencyKey: 'first', payload: '{}', createdAt: T0 });
    await work.idle();
    expect(ran).toEqual(['first', 'second']);
    expect(await store.aiTasks.stats()).toEqual({ done: 2 });
  });

  it('work abandoned because the core is closing is left to its lease, not marked', async () => {
    const { store, work } = await setup(async () => {
      work.closed = true;
      return 'abandoned';
    });
    await store.aiTasks.enqueue({ kind: 'triage', ticketId: null, idempotencyKey: 'k', payload: '{}', createdAt: T0 });
    await work.idle();
    expect(await store.aiTasks.byKey('k')).toMatchObject({ status: 'running', attempts: 1 });
  });
});
