/**
 * Durable AI tasks: the AI work after ticket creation (AI triage, then the first suggested reply)
 * is a row in `ai_tasks` enqueued with the ticket and claimed with a lease. A core that dies with
 * a task running leaves the row to its lease: a new core on the same SQLite file leaves it alone
 * while the lease is live, takes it over once it ran out, and the triage and the draft land once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { triageTask } from '../../src/ai/after-create.js';
import { type AiFeatures, installAi } from '../../src/ai/install.js';
import { AI_TASK_LEASE_MS } from '../../src/ai/task-worker.js';
import { type Core, createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logger.js';
import { ManualClock } from '../../src/ports/clock.js';
import { AiRepo } from '../../src/store/ai-repo.js';
import { openDatabase } from '../../src/store/db.js';
import { ACTIONS } from '../../src/views/action-ids.js';
import { FakeAnthropic, type RecordedRequest, reply } from '../fakes/fake-anthropic.js';
import { AGENT1, AGENT2, API_KEY, CHANNEL, CUSTOMER, ephemerals, makeAiCore, openTicket, PROMPTS_DIR, T0 } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: recorded bodies are untyped JSON
const toolOf = (r: RecordedRequest): string => (r.body as any)?.tool_choice?.name ?? '';

const TRIAGE = { category: 'data', priority: 'P1', summary: 'CSV export is cut at 10,000 rows', customerImpact: 'Finance report incomplete', escalate: false };
const DRAFT = { reply: 'Thanks, Ana. We are raising the export row limit for your workspace; please run the export again.', sources: [] as string[], suggestions: ['Check the workspace export limit.'] };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A core on a SQLite file with the AI features pointed at the fake (model calls may take a minute). */
function fileCore(path: string, clock: ManualClock, fake: FakeAnthropic): { core: Core; features: AiFeatures } {
  const config = parseConfig({
    agents: [AGENT1, AGENT2],
    teams: [{ id: 'support', members: [AGENT1, AGENT2], routing: 'none' }],
    ai: { timeout: '60s', maxRetries: 0 },
    personas: { dir: PROMPTS_DIR },
  });
  const core = createCore({
    config,
    db: openDatabase(path),
    clock,
    outboxTimer: new ManualClock(T0),
    env: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url },
    logger: createLogger({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  return { core, features: installAi(core) };
}

/** Wait (event loop turns, not wall-clock time) until `cond` holds. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`never happened: ${what}`);
}

describe('durable AI tasks', () => {
  it('a task left running by a crashed core is taken over after its lease; its triage and draft land exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-ai-tasks-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'desk.db');
    const fake = await FakeAnthropic.start();
    cleanups.push(() => fake.close());
    // The first core's triage call never gets its answer while that core lives.
    let releaseHeld!: () => void;
    const held = new Promise<void>((r) => {
      releaseHeld = r;
    });
    cleanups.push(() => releaseHeld());
    let triageCalls = 0;
    fake.otherwise((req) => {
      if (toolOf(req) === 'record_triage') {
        triageCalls += 1;
        return triageCalls === 1 ? reply.tool(TRIAGE, { until: held }) : reply.tool(TRIAGE);
      }
      if (toolOf(req) === 'record_reply') return reply.tool(DRAFT);
      return reply.status(400, 'invalid_request_error');
    });

    // Core A opens a ticket; its worker claims the triage task and is mid-call when it "crashes".
    const a = fileCore(path, new ManualClock(T0), fake);
    const t = openTicket(a.core, 'Our CSV export stops at 10,000 rows and the finance report is incomplete');
    await until(() => fake.messageRequests.length === 1, 'core A calls the model for AI triage');
    const [running] = await a.core.store.aiTasks.ofTicket(t.id);
    expect(running).toMatchObject({ kind: 'triage', status: 'running', attempts: 1, token: 1, nextAttemptAt: T0 + AI_TASK_LEASE_MS });
    await a.core.close();

    // Core B starts on the same file while A's lease is still live: it leaves the task alone.
    const clockB = new ManualClock(T0 + 60_000);
    const b = fileCore(path, clockB, fake);
    cleanups.push(() => b.core.close());
    await b.features.idle();
    expect(await b.core.store.aiTasks.ofTicket(t.id)).toEqual([expect.objectContaining({ status: 'running', token: 1 })]);
    expect(await b.core.store.ai.latestDraft(t.id)).toBeNull();
    expect(fake.messageRequests).toHaveLength(1);

    // Once the lease ran out, B takes the task over: AI triage, then the first draft.
    clockB.set(T0 + AI_TASK_LEASE_MS);
    await b.features.idle();
    const tasks = await b.core.store.aiTasks.ofTicket(t.id);
    expect(tasks.map((x) => [x.kind, x.status, x.attempts])).toEqual([
      ['triage', 'done', 2],
      ['draft', 'done', 1],
    ]);
    expect(fake.messageRequests.map(toolOf)).toEqual(['record_triage', 'record_triage', 'record_reply']);
    const events = b.core.tickets.repo.events(t.id);
    expect(events.filter((e) => e.type === 'reply_drafted')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'priority_changed' && e.data.source === 'ai')).toHaveLength(1);
    const cur = b.core.tickets.require(t.id);
    expect(cur.priority).toBe(events.find((e) => e.type === 'priority_changed')?.data.to);
    const draft = await b.core.store.ai.latestDraft(t.id);
    expect(draft).toMatchObject({ path: 'ai', status: 'pending', text: DRAFT.reply });
    // Delivered privately to the team once per agent.
    expect(ephemerals(b.core).filter((e) => JSON.stringify(e.view).includes(DRAFT.reply.slice(0, 30))).map((e) => e.userId).sort()).toEqual([AGENT1, AGENT2]);
  });

  it('a duplicate enqueue does nothing: one task per key, one triage, one draft', async () => {
    const { core, features } = makeAiCore();
    cleanups.push(() => core.close());
    const t = openTicket(core, 'Our CSV export stops at 10,000 rows and the finance report is incomplete');
    await features.idle();
    const before = await core.store.aiTasks.ofTicket(t.id);
    expect(before.map((x) => [x.kind, x.idempotencyKey, x.status])).toEqual([
      ['triage', `ai-triage:${t.id}`, 'done'],
      ['draft', `ai-draft:${t.id}`, 'done'],
    ]);
    // The same ticket's tasks again: through the creation hook's repository and through the store.
    expect(new AiRepo(core.db).enqueueTask(triageTask(t, true))).toBe(false);
    expect(await core.store.aiTasks.enqueue({ kind: 'draft', ticketId: t.id, idempotencyKey: `ai-draft:${t.id}`, payload: '{}', createdAt: T0 + 1 })).toBe(false);
    await features.idle();
    expect(await core.store.aiTasks.ofTicket(t.id)).toEqual(before);
    expect(core.tickets.repo.events(t.id).filter((e) => e.type === 'reply_drafted')).toHaveLength(1);
  });

  it('the task commits with its ticket: a redelivered message opens no second ticket and no second task', async () => {
    const { core, features } = makeAiCore();
    cleanups.push(() => core.close());
    const input = { platform: 'local' as const, channelId: CHANNEL, sourceMessageId: 'm-dup', requesterId: CUSTOMER, text: 'The invoice PDF download fails with an error', eventId: 'ev-dup' };
    const first = core.tickets.open(input);
    const again = core.tickets.open(input);
    expect([first.outcome, again.outcome]).toEqual(['created', 'duplicate_event']);
    await features.idle();
    expect(await core.store.aiTasks.stats()).toEqual({ done: 2 });
  });

  it('a plan follow-up ticket gets AI triage but no suggested reply', async () => {
    const { core, features } = makeAiCore();
    cleanups.push(() => core.close());
    const t = openTicket(core, 'Our CSV export stops at 10,000 rows and the finance report is incomplete');
    await features.idle();
    const { planId, plan } = await features.plan(t.id, AGENT1);
    expect(plan.followUps.length).toBeGreaterThan(0);
    await core.interactions.action(ACTIONS.followUpCreate, `${planId}|0`, { platform: 'local', userId: AGENT1, channelId: CHANNEL });
    await features.idle();
    const followUp = core.tickets.repo.list({ limit: 100 }).find((x) => x.id !== t.id);
    expect(followUp).toBeTruthy();
    expect((await core.store.aiTasks.ofTicket(followUp!.id)).map((x) => x.kind)).toEqual(['triage']);
    expect(await core.store.ai.latestDraft(followUp!.id)).toBeNull();
  });
});
