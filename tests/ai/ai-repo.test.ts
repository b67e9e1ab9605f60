/** AiRepo on a real in-memory SQLite database: usage totals for the digest, drafts, plans. */
import { describe, expect, it } from 'vitest';
import { AiRepo, type AiCallRecord } from '../../src/store/ai-repo.js';
import { openDatabase } from '../../src/store/db.js';
import { insertTicket, NOW } from './helpers.js';

const DAY = 86_400_000;
const call = (r: Partial<AiCallRecord>): AiCallRecord => ({
  at: NOW,
  purpose: 'triage',
  model: 'claude-sonnet-4-6',
  ticketId: null,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  latencyMs: 0,
  outcome: 'ok',
  ...r,
});

describe('AiRepo usage', () => {
  it('usageForDay totals tokens, outcomes, cache hit rate and latency within the day only', () => {
    const repo = new AiRepo(openDatabase(':memory:'));
    repo.recordCall(call({ inputTokens: 200, outputTokens: 50, cacheWriteTokens: 800, latencyMs: 1000 }));
    repo.recordCall(call({ at: NOW + 1000, purpose: 'draft_reply', inputTokens: 200, outputTokens: 100, cacheReadTokens: 800, latencyMs: 500 }));
    repo.recordCall(call({ at: NOW + 2000, outcome: 'timeout', latencyMs: 600 }));
    repo.recordCall(call({ at: NOW + 3000, outcome: 'over_budget' }));
    repo.recordCall(call({ at: NOW - DAY, inputTokens: 99_999 })); // yesterday
    repo.recordCall(call({ at: NOW + DAY, inputTokens: 99_999 })); // tomorrow (end is exclusive)

    const u = repo.usageForDay(NOW, NOW + DAY);
    expect(u).toEqual({
      calls: 4,
      byOutcome: { ok: 2, invalid_output: 0, error: 0, timeout: 1, rate_limited: 0, over_budget: 1 },
      inputTokens: 400,
      outputTokens: 150,
      cacheReadTokens: 800,
      cacheWriteTokens: 800,
      totalTokens: 2150,
      cacheHitRate: 800 / 2000,
      avgLatencyMs: 700,
    });
    expect(repo.tokensSince(NOW)).toBe(2150 + 99_999);
  });

  it('an empty day has zero usage and a zero hit rate', () => {
    const u = new AiRepo(openDatabase(':memory:')).usageForDay(NOW, NOW + DAY);
    expect(u.calls).toBe(0);
    expect(u.cacheHitRate).toBe(0);
    expect(u.avgLatencyMs).toBe(0);
  });

  it('enforces the ticket foreign key', () => {
    const db = openDatabase(':memory:');
    const repo = new AiRepo(db);
    expect(() => repo.recordCall(call({ ticketId: 999 }))).toThrow(/FOREIGN KEY/);
    const t = insertTicket(db);
    expect(repo.recordCall(call({ ticketId: t.id }))).toBeGreaterThan(0);
  });
});

describe('AiRepo drafts and plans', () => {
  it('a new draft supersedes the pending one; a decision happens once', () => {
    const db = openDatabase(':memory:');
    const repo = new AiRepo(db);
    const t = insertTicket(db);
    const first = repo.saveDraft(t.id, { persona: 'support-specialist', text: 'one', sources: ['T-1'], suggestions: ['s'], path: 'offline' }, NOW);
    const second = repo.saveDraft(t.id, { persona: 'support-specialist', text: 'two', sources: [], suggestions: [], path: 'ai' }, NOW + 1);
    expect(repo.getDraft(first)).toMatchObject({ status: 'superseded', sources: ['T-1'], suggestions: ['s'] });
    expect(repo.latestDraft(t.id)).toMatchObject({ id: second, text: 'two', status: 'pending', path: 'ai' });
    expect(repo.decideDraft(second, 'sent', 'U-DANA', NOW + 2)).toBe(true);
    expect(repo.decideDraft(second, 'discarded', 'U-EVE', NOW + 3)).toBe(false);
    expect(repo.getDraft(second)).toMatchObject({ status: 'sent', decidedBy: 'U-DANA', decidedAt: NOW + 2 });
    expect(repo.getDraft(12345)).toBeNull();
  });

  it('stores and returns the whole plan', () => {
    const db = openDatabase(':memory:');
    const repo = new AiRepo(db);
    const t = insertTicket(db);
    expect(repo.latestPlan(t.id)).toBeNull();
    const plan = { path: 'offline', stages: [{ persona: 'analyst', title: 'Resolution checks', output: '- x' }], resolutionChecks: ['x'] };
    repo.savePlan(t.id, plan, 'U-DANA', NOW);
    expect(repo.latestPlan(t.id)).toMatchObject({ ticketId: t.id, plan, path: 'offline', createdBy: 'U-DANA', createdAt: NOW });
  });
});
