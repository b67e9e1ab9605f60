/**
 * `frontdesk demo`: the shipped stream is varied and well formed, bad files are refused with
 * the line at fault, and seeding a fresh database through the real command leaves what a
 * newcomer should see in the playground — a busy queue, greetings left alone, resolved
 * tickets, SLA breaches with escalation prompts, and a leads' digest — spread over hours.
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCliContext, openAppDatabase } from '../../adapters/compose.js';
import { registerDemoCommand } from '../../adapters/local/demo/demo-command.js';
import { PlaygroundStore } from '../../adapters/local/playground-store.js';
import { loadDemoSteps } from '../../adapters/local/demo/seed-demo.js';
import { ManualClock } from '../../src/ports/clock.js';
import { TicketRepo } from '../../src/store/ticket-repo.js';
import { parseDuration } from '../../src/util/duration.js';
import { type RunningPlayground, call, startPlayground, tempDir, textOf } from './playground-harness.js';

describe('the shipped demo stream', () => {
  const steps = loadDemoSteps();

  it('has about 50 varied messages over a few hours', () => {
    const says = steps.filter((s) => s.say !== undefined);
    expect(says.length).toBeGreaterThanOrEqual(45);
    expect(says.length).toBeLessThanOrEqual(60);
    expect(says.filter((s) => s.reply).length).toBeGreaterThanOrEqual(10);
    expect(new Set(says.map((s) => s.as)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(steps.filter((s) => s.react).map((s) => s.react))).toEqual(new Set(['eyes', 'white_check_mark', 'ticket']));
    expect(steps.some((s) => s.click)).toBe(true);
    expect(steps.some((s) => s.command)).toBe(true);
    const agos = steps.map((s) => parseDuration(s.ago)!);
    expect(Math.max(...agos) - Math.min(...agos)).toBeGreaterThanOrEqual(3 * 3_600_000);
    expect(agos).toEqual([...agos].sort((a, b) => b - a));
  });
});

describe('demo files are checked', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  const load = (lines: string[]) => {
    const path = `${tmp.dir}/demo.jsonl`;
    writeFileSync(path, lines.join('\n'));
    return () => loadDemoSteps(path);
  };

  it('names the line and the problem', () => {
    expect(load(['{"ago":"1h","as":"alex","say":"hi"}', '{not json'])).toThrow(/line 2: not valid JSON/);
    expect(load(['{"ago":"1h","as":"mallory","say":"hi"}'])).toThrow(/line 1: as: not one of the demo people/);
    expect(load(['{"ago":"soon","as":"alex","say":"hi"}'])).toThrow(/line 1: ago: expected a duration/);
    expect(load(['{"ago":"1h","as":"alex","say":"hi","command":"list"}'])).toThrow(/exactly one of say, react, click, command/);
    expect(load(['{"ago":"1h","as":"dana","react":"eyes"}'])).toThrow(/need "on"/);
    expect(load(['{"ago":"1h","as":"dana","react":"eyes","on":"later"}', '{"ago":"30m","as":"alex","say":"x","id":"later"}'])).toThrow(/line 1: no earlier message has id "later"/);
    expect(load(['{"ago":"1h","as":"alex","say":"hi","colour":"red"}'])).toThrow(/line 1/);
  });
});

describe('frontdesk demo', () => {
  let tmp: ReturnType<typeof tempDir>;
  let pg: RunningPlayground | undefined;
  afterEach(async () => {
    await pg?.close();
    pg = undefined;
    tmp.cleanup();
  });

  // A fixed Wednesday afternoon (UTC): the demo's output must not depend on the day it runs.
  const WEDNESDAY = Date.parse('2026-12-09T15:00:00Z');
  async function runDemo(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
    return runDemoAt(WEDNESDAY, env, ...args);
  }
  async function runDemoAt(now: number, env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
    const out: string[] = [];
    const ctx = createCliContext(env, (s) => out.push(s), new ManualClock(now, 0));
    const program = new Command().exitOverride();
    registerDemoCommand(program, ctx);
    try {
      await program.parseAsync(['demo', ...args], { from: 'user' });
    } finally {
      await ctx.close();
    }
    return out.join('\n');
  }

  it('seeds a busy queue with breaches and a digest into the playground’s database', async () => {
    tmp = tempDir();
    const dbPath = `${tmp.dir}/frontdesk.db`;
    writeFileSync(`${tmp.dir}/config.json`, '{}');
    const env = { FRONTDESK_DB: dbPath, FRONTDESK_CONFIG: `${tmp.dir}/config.json`, LOG_LEVEL: 'silent' };
    const before = WEDNESDAY;
    const out = await runDemo(env);
    expect(out).toMatch(/Seeded the local playground in .*frontdesk\.db:\n {2}\d+ messages over the last \dh/);

    const db = openAppDatabase(dbPath);
    try {
      const store = new PlaygroundStore(db);
      const repo = new TicketRepo(db);
      const human = store.allMessages().filter((m) => !m.isBot);
      const bot = store.allMessages().filter((m) => m.isBot);
      expect(human.length).toBe(loadDemoSteps().filter((s) => s.say).length);
      const times = human.map((m) => m.createdAt);
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(3 * 3_600_000);
      expect(Math.max(...times)).toBeLessThanOrEqual(WEDNESDAY);
      expect(Math.min(...times)).toBeLessThan(before - 3 * 3_600_000);

      const tickets = repo.list({ limit: 1000 });
      expect(tickets.length).toBeGreaterThanOrEqual(15);
      expect(tickets.filter((t) => t.priority === 'P0' || t.priority === 'P1').length).toBeGreaterThanOrEqual(3);
      expect(tickets.filter((t) => t.status === 'resolved').length).toBeGreaterThanOrEqual(3);
      expect(tickets.some((t) => t.ownerId)).toBe(true);
      expect(new Set(tickets.map((t) => t.category)).size).toBeGreaterThanOrEqual(6);
      const greeting = human.find((m) => m.text === 'good morning everyone ☀️')!;
      expect(repo.findBySource('local', 'support', greeting.id)).toBeNull();
      // Every ticket from the channel has its card in its thread.
      for (const t of tickets) expect(t.cardMessageId, t.key).not.toBeNull();

      const breaches = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM ticket_events WHERE type = 'sla_breached'").get()!.n;
      expect(breaches).toBeGreaterThanOrEqual(1);
      expect(bot.some((m) => m.threadId && m.text.includes('missed its first response SLA'))).toBe(true);
      const digest = store.allMessages('leads').filter((m) => m.isBot);
      expect(digest).toHaveLength(1);
      expect(digest[0]!.text.toLowerCase()).toContain('digest');
    } finally {
      db.close();
    }

    await expect(runDemo(env)).rejects.toThrow(/already seeded/);
    expect(await runDemo(env, '--force')).toContain('Seeded the local playground');

    // The playground serves what the demo wrote.
    pg = await startPlayground({ dbPath, start: WEDNESDAY });
    const { messages } = await call<{ messages: { html: string }[] }>(pg.base, 'GET', '/channels/support/messages', 'dana');
    expect(messages.some((m) => textOf(m.html).includes('Checkout is down for all our customers'))).toBe(true);
    const queue = await call<{ html: string }>(pg.base, 'GET', '/queue', 'dana');
    expect(textOf(queue.html)).toMatch(/At risk: breaching in the next 4 hours \([1-9]/);
  });

  // The leads' channel gets what is due on that day: on a Monday the weekly summary too, on a
  // Sunday (not a working day) a preview of today's digest, so the demo always shows one.
  it.each([
    ['a Monday', '2026-12-07T15:00:00Z', ['digest', 'weekly']],
    ['a Sunday', '2026-12-13T15:00:00Z', ['digest']],
  ])('on %s posts what the leads expect that day', async (_day, iso, kinds) => {
    tmp = tempDir();
    const dbPath = `${tmp.dir}/frontdesk.db`;
    writeFileSync(`${tmp.dir}/config.json`, '{}');
    await runDemoAt(Date.parse(iso), { FRONTDESK_DB: dbPath, FRONTDESK_CONFIG: `${tmp.dir}/config.json`, LOG_LEVEL: 'silent' });
    const db = openAppDatabase(dbPath);
    try {
      const digest = new PlaygroundStore(db).allMessages('leads').filter((m) => m.isBot);
      expect(digest).toHaveLength(kinds.length);
      for (const [i, kind] of kinds.entries()) expect(digest[i]!.text.toLowerCase()).toContain(kind);
    } finally {
      db.close();
    }
  });
});
