/**
 * The AI domain's store contract (src/ports/store-ai.ts): model calls, drafts, plans, training
 * examples and durable AI tasks, ONE suite run on every engine. The harness opens a fresh,
 * migrated store; `another()` is a second store on the same database (another replica).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.js';
import type { AiCallRecord, AiTaskEnqueue } from '../../src/ports/store-ai.js';
import { draft, type StoreHarness } from './store-contract.js';

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z, a fixed clock
const DAY = 86_400_000;

const call = (over: Partial<AiCallRecord> = {}): AiCallRecord => ({
  at: T0,
  purpose: 'triage',
  model: 'claude-test',
  ticketId: null,
  inputTokens: 100,
  outputTokens: 10,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  latencyMs: 500,
  outcome: 'ok',
  ...over,
});

const task = (key: string, over: Partial<AiTaskEnqueue> = {}): AiTaskEnqueue => ({
  kind: 'triage',
  ticketId: null,
  idempotencyKey: key,
  payload: JSON.stringify({ key }),
  createdAt: T0,
  ...over,
});

export function storeAiContract(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`AI store contract: ${name}`, () => {
    let h: StoreHarness;
    let store: Store;
    let ticketId: number;
    beforeEach(async () => {
      h = await makeHarness();
      store = h.store;
      ticketId = (await store.tickets.create(draft())).id;
    });
    afterEach(async () => {
      await h.close();
    });

    describe('model calls', () => {
      it('records calls (rounded, never negative) and lists them oldest first in a time range', async () => {
        await store.ai.recordCall(call({ inputTokens: 99.6, outputTokens: -5, ticketId }));
        await store.ai.recordCall(call({ at: T0 + 1_000, purpose: 'draft_reply', outcome: 'timeout' }));
        await store.ai.recordCall(call({ at: T0 + DAY }));
        const calls = await store.ai.listCalls(T0, T0 + DAY);
        expect(calls.map((c) => c.purpose)).toEqual(['triage', 'draft_reply']);
        expect(calls[0]).toMatchObject({ inputTokens: 100, outputTokens: 0, ticketId, outcome: 'ok' });
        expect(await store.ai.listCalls()).toHaveLength(3);
      });

      it('sums the budget tokens since a time and the day usage for the digest', async () => {
        expect(await store.ai.tokensSince(T0)).toBe(0);
        await store.ai.recordCall(call({ inputTokens: 500, outputTokens: 50, cacheReadTokens: 300, cacheWriteTokens: 200, latencyMs: 400 }));
        await store.ai.recordCall(call({ at: T0 + 10, inputTokens: 100, outputTokens: 20, latencyMs: 800, outcome: 'error' }));
        await store.ai.recordCall(call({ at: T0 + 20, inputTokens: 0, outputTokens: 0, latencyMs: 0, outcome: 'over_budget' }));
        await store.ai.recordCall(call({ at: T0 - 1, inputTokens: 1_000 }));
        expect(await store.ai.tokensSince(T0)).toBe(1_170);
        const u = await store.ai.usageForDay(T0, T0 + DAY);
        expect(u).toEqual({
          calls: 3,
          byOutcome: { ok: 1, invalid_output: 0, error: 1, timeout: 0, rate_limited: 0, over_budget: 1 },
          inputTokens: 600,
          outputTokens: 70,
          cacheReadTokens: 300,
          cacheWriteTokens: 200,
          totalTokens: 1_170,
          cacheHitRate: 300 / 1_100,
          avgLatencyMs: 600,
        });
        const empty = await store.ai.usageForDay(T0 + DAY, T0 + 2 * DAY);
        expect(empty).toMatchObject({ calls: 0, totalTokens: 0, cacheHitRate: 0, avgLatencyMs: 0 });
      });
    });

    describe('drafts and plans', () => {
      it('a new draft supersedes the pending one; a decision is taken once', async () => {
        const first = await store.ai.saveDraft(ticketId, { persona: 'friendly', text: 'Hello', sources: ['T-1'], suggestions: ['check SSO'], path: 'offline' }, T0);
        const second = await store.ai.saveDraft(ticketId, { persona: 'friendly', text: 'Hello again', sources: [], suggestions: [], path: 'ai' }, T0 + 1);
        expect((await store.ai.getDraft(first))?.status).toBe('superseded');
        expect(await store.ai.latestDraft(ticketId)).toMatchObject({ id: second, text: 'Hello again', status: 'pending', path: 'ai', sources: [], decidedBy: null });
        expect(await store.ai.decideDraft(second, 'sent', 'U_AGENT', T0 + 2)).toBe(true);
        expect(await store.ai.decideDraft(second, 'discarded', 'U_OTHER', T0 + 3)).toBe(false);
        expect(await store.ai.getDraft(second)).toMatchObject({ status: 'sent', decidedBy: 'U_AGENT', decidedAt: T0 + 2 });
        expect(await store.ai.decideDraft(first, 'sent', 'U_AGENT', T0 + 4)).toBe(false);
        expect((await store.ai.getDraft(first))?.sources).toEqual(['T-1']);
        expect(await store.ai.getDraft(9_999)).toBeNull();
        expect(await store.ai.latestDraft(ticketId + 1)).toBeNull();
      });

      it('a draft saved inside a transaction that fails is not kept, nor is its superseding', async () => {
        const kept = await store.ai.saveDraft(ticketId, { persona: 'p', text: 'kept', sources: [], suggestions: [], path: 'offline' }, T0);
        await expect(
          store.tx(async (r) => {
            await r.ai.saveDraft(ticketId, { persona: 'p', text: 'lost', sources: [], suggestions: [], path: 'offline' }, T0 + 1);
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        expect(await store.ai.latestDraft(ticketId)).toMatchObject({ id: kept, status: 'pending' });
      });

      it('stores plans as JSON and finds them by id and as the newest of a ticket', async () => {
        const a = await store.ai.savePlan(ticketId, { path: 'offline', need: 'login', followUps: [{ title: 'docs' }] } as { path: string }, 'U_AGENT', T0);
        const b = await store.ai.savePlan(ticketId, { path: 'ai' }, 'frontdesk', T0 + 1);
        expect(await store.ai.getPlan(a)).toEqual({ id: a, ticketId, plan: { path: 'offline', need: 'login', followUps: [{ title: 'docs' }] }, path: 'offline', createdAt: T0, createdBy: 'U_AGENT' });
        expect((await store.ai.latestPlan(ticketId))?.id).toBe(b);
        expect(await store.ai.getPlan(9_999)).toBeNull();
      });
    });

    describe('training examples', () => {
      it('adds one or many, counts, pages in id order and gives the most recent oldest first', async () => {
        expect(await store.training.count()).toBe(0);
        const id = await store.training.add({ text: 'charged twice', category: 'billing', source: 'correction', ticketId }, T0);
        const many = Array.from({ length: 1_203 }, (_, i) => ({ text: `export ${i}`, priority: 'P3' as const, source: 'import' }));
        expect(await store.training.addMany(many, T0 + 1)).toBe(1_203);
        expect(await store.training.addMany([], T0 + 2)).toBe(0);
        expect(await store.training.count()).toBe(1_204);
        const first = await store.training.page(0, 2);
        expect(first).toEqual([
          { id, text: 'charged twice', category: 'billing', priority: null, source: 'correction', ticketId, createdAt: T0 },
          expect.objectContaining({ text: 'export 0', category: null, priority: 'P3', source: 'import', ticketId: null, createdAt: T0 + 1 }),
        ]);
        let seen = 0;
        for (let after = 0; ; ) {
          const page = await store.training.page(after, 500);
          if (page.length === 0) break;
          seen += page.length;
          after = page.at(-1)!.id;
        }
        expect(seen).toBe(1_204);
        expect((await store.training.recent(3)).map((e) => e.text)).toEqual(['export 1200', 'export 1201', 'export 1202']);
      });

      it('addMany is all or nothing', async () => {
        await expect(store.training.addMany([{ text: 'ok', source: 'import' }, { text: null as unknown as string, source: 'import' }], T0)).rejects.toThrow();
        expect(await store.training.count()).toBe(0);
      });

      it('a correction written by one replica is seen by another', async () => {
        const other = await h.another();
        await store.training.add({ text: 'refund please', category: 'billing', source: 'correction' }, T0);
        expect((await other.training.recent(10)).map((e) => e.text)).toEqual(['refund please']);
      });
    });

    describe('AI tasks', () => {
      it('enqueue is idempotent by key: a duplicate changes nothing', async () => {
        expect(await store.aiTasks.enqueue(task('triage:1', { ticketId }))).toBe(true);
        expect(await store.aiTasks.enqueue(task('triage:1', { kind: 'draft', payload: '{"other":true}', createdAt: T0 + 5 }))).toBe(false);
        const t = await store.aiTasks.byKey('triage:1');
        expect(t).toMatchObject({ kind: 'triage', ticketId, payload: JSON.stringify({ key: 'triage:1' }), status: 'pending', attempts: 0, token: 0, nextAttemptAt: T0, createdAt: T0 });
        expect(await store.aiTasks.ofTicket(ticketId)).toHaveLength(1);
        expect(await store.aiTasks.stats()).toEqual({ pending: 1 });
      });

      it('claims due tasks oldest first under a lease; not-yet-due and leased ones wait', async () => {
        await store.aiTasks.enqueue(task('a'));
        await store.aiTasks.enqueue(task('later', { notBefore: T0 + 60_000 }));
        await store.aiTasks.enqueue(task('b'));
        expect(await store.aiTasks.hasDue(T0)).toBe(true);
        const claimed = await store.aiTasks.claimDue({ now: T0, limit: 5, leaseMs: 30_000 });
        expect(claimed.map((t) => t.idempotencyKey)).toEqual(['a', 'b']);
        expect(claimed[0]).toMatchObject({ status: 'running', attempts: 1, token: 1, nextAttemptAt: T0 + 30_000, claim: { token: 1, leaseUntil: T0 + 30_000 } });
        expect(await store.aiTasks.hasDue(T0 + 1)).toBe(false);
        expect(await store.aiTasks.claimDue({ now: T0 + 1, limit: 5, leaseMs: 30_000 })).toEqual([]);
        expect(await store.aiTasks.markDone(claimed[0]!.claim, T0 + 2)).toBe(true);
        expect(await store.aiTasks.get(claimed[0]!.id)).toMatchObject({ status: 'done', doneAt: T0 + 2 });
        expect(await store.aiTasks.markDone(claimed[0]!.claim, T0 + 3)).toBe(false);
        expect((await store.aiTasks.claimDue({ now: T0 + 60_000, limit: 1, leaseMs: 30_000 })).map((t) => t.idempotencyKey)).toEqual(['later']);
        expect(await store.aiTasks.claimDue({ now: T0, limit: 0, leaseMs: 30_000 })).toEqual([]);
      });

      it('retries with a due time, then fails for good; the error is kept', async () => {
        await store.aiTasks.enqueue(task('flaky'));
        const [first] = await store.aiTasks.claimDue({ now: T0, limit: 1, leaseMs: 30_000 });
        expect(await store.aiTasks.markRetry(first!.claim, T0 + 5_000, 'model timed out', T0 + 1)).toBe(true);
        expect(await store.aiTasks.get(first!.id)).toMatchObject({ status: 'pending', nextAttemptAt: T0 + 5_000, lastError: 'model timed out', attempts: 1 });
        expect(await store.aiTasks.claimDue({ now: T0 + 4_999, limit: 1, leaseMs: 30_000 })).toEqual([]);
        const [second] = await store.aiTasks.claimDue({ now: T0 + 5_000, limit: 1, leaseMs: 30_000 });
        expect(second).toMatchObject({ attempts: 2, token: 2 });
        expect(await store.aiTasks.markRetry(first!.claim, T0 + 9_000, 'stale', T0 + 5_001)).toBe(false);
        expect(await store.aiTasks.markFailed(second!.claim, 'x'.repeat(3_000), T0 + 5_002)).toBe(true);
        const failed = await store.aiTasks.get(first!.id);
        expect(failed).toMatchObject({ status: 'failed', doneAt: T0 + 5_002 });
        expect(failed?.lastError).toHaveLength(2_000);
        expect(await store.aiTasks.claimDue({ now: T0 + DAY, limit: 5, leaseMs: 30_000 })).toEqual([]);
        expect(await store.aiTasks.stats()).toEqual({ failed: 1 });
      });

      it('an expired lease is taken over with a new token; the old claim can no longer mark the task', async () => {
        await store.aiTasks.enqueue(task('slow'));
        const [first] = await store.aiTasks.claimDue({ now: T0, limit: 1, leaseMs: 30_000 });
        expect(await store.aiTasks.claimDue({ now: T0 + 29_999, limit: 5, leaseMs: 30_000 })).toEqual([]);
        expect(await store.aiTasks.hasDue(T0 + 30_000)).toBe(true);
        const [taken] = await store.aiTasks.claimDue({ now: T0 + 30_000, limit: 5, leaseMs: 30_000 });
        expect(taken).toMatchObject({ id: first!.id, attempts: 2, token: 2 });
        expect(await store.aiTasks.markDone(first!.claim, T0 + 30_001)).toBe(false);
        expect(await store.aiTasks.markFailed(first!.claim, 'late', T0 + 30_001)).toBe(false);
        expect(await store.aiTasks.markDone(taken!.claim, T0 + 30_002)).toBe(true);
      });

      it('a starting replica recovers only expired leases, never tasks another one holds', async () => {
        await store.aiTasks.enqueue(task('live'));
        await store.aiTasks.enqueue(task('dead'));
        const [live] = await store.aiTasks.claimDue({ now: T0, limit: 1, leaseMs: 60_000 });
        const [dead] = await store.aiTasks.claimDue({ now: T0 + 1, limit: 1, leaseMs: 5_000 });
        const other = await h.another();
        expect(await other.aiTasks.recoverExpired(T0 + 10_000)).toBe(1);
        expect(await other.aiTasks.get(dead!.id)).toMatchObject({ status: 'pending', token: 1 });
        expect(await other.aiTasks.get(live!.id)).toMatchObject({ status: 'running', token: 1, nextAttemptAt: T0 + 60_000 });
        const stolen = await other.aiTasks.claimDue({ now: T0 + 10_000, limit: 5, leaseMs: 60_000 });
        expect(stolen.map((t) => t.idempotencyKey)).toEqual(['dead']);
        expect(await store.aiTasks.markDone(dead!.claim, T0 + 10_001)).toBe(false);
        expect(await store.aiTasks.markDone(live!.claim, T0 + 10_001)).toBe(true);
      });

      it('two claimers at once get disjoint tasks: 150 tasks, each run once', async () => {
        for (let i = 0; i < 150; i++) await store.aiTasks.enqueue(task(`t${String(i).padStart(3, '0')}`));
        const other = await h.another();
        const handed: number[] = [];
        const claimer = async (s: Store) => {
          for (;;) {
            const rows = await s.aiTasks.claimDue({ now: T0, limit: 4, leaseMs: 600_000 });
            if (rows.length === 0) return;
            for (const r of rows) {
              handed.push(r.id);
              expect(await s.aiTasks.markDone(r.claim, T0)).toBe(true);
            }
          }
        };
        await Promise.all([claimer(store), claimer(other), claimer(store), claimer(other)]);
        expect(handed).toHaveLength(150);
        expect(new Set(handed).size).toBe(150);
        expect(await store.aiTasks.stats()).toEqual({ done: 150 });
      });

      it('a task enqueued in a transaction that rolls back is not there', async () => {
        await expect(
          store.tx(async (r) => {
            await r.aiTasks.enqueue(task('ghost'));
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        expect(await store.aiTasks.byKey('ghost')).toBeNull();
      });
    });
  });
}
