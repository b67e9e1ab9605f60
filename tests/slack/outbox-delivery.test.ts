/**
 * Crash-safe, stall-free delivery through the outbox with the REAL SlackChatPort and
 * @slack/web-api against the fake Slack, on a real SQLite file (so a "restart" is a new core
 * on the same file) and a ManualClock for every outbox time.
 *
 * A crash mid-send is simulated exactly: the fake stores the post and never answers
 * (`acceptThenHang`), then the process "dies" (the database is closed, nothing more is
 * recorded) and a new core starts on the same file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackClient, OUTBOX_EVENT_TYPE, SlackChatPort } from '../../adapters/slack/slack-chat-port.js';
import { type Core, createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logger.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';
import { FakeSlack } from '../fakes/fake-slack.js';

const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
const REQUESTS = ['Checkout fails with error 502 for all users', 'I was charged twice for my subscription', 'Cannot log in with SSO, error 403'];

interface Env {
  fake: FakeSlack;
  dir: string;
  timer: ManualClock;
  cores: Core[];
}

let env: Env | null = null;
const noop = () => undefined;
/** The web-api client's logger, silenced (hung requests log a warning when the fake closes). */
const quiet = { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, setName: noop, getLevel: () => 'error' } as never;

afterEach(async () => {
  if (!env) return;
  await env.fake.close();
  for (const c of env.cores) if (c.db.open) await c.close();
  rmSync(env.dir, { recursive: true, force: true });
  env = null;
});

async function setup(): Promise<Env> {
  const timer = new ManualClock(T0);
  env = { fake: await FakeSlack.start({ clock: timer }), dir: mkdtempSync(join(tmpdir(), 'fd-outbox-')), timer, cores: [] };
  return env;
}

/** A core on the env's database file with the real Slack port (client timeout long unless given). */
function boot(e: Env, timeoutMs = 60_000): Core {
  const core = createCore({
    config: parseConfig({ agents: ['U0AGENT'] }),
    db: openDatabase(join(e.dir, 'frontdesk.db')),
    clock: new ManualClock(T0),
    outboxTimer: e.timer,
    env: { VITEST: 'true' },
    logger: createLogger({ LOG_LEVEL: 'silent' }),
  });
  core.registerPort(new SlackChatPort(createSlackClient({ token: 'xoxb-test', apiUrl: e.fake.apiUrl, timeoutMs, logger: quiet })));
  e.cores.push(core);
  return core;
}

/** The process dies: nothing after this point is recorded. */
function crash(core: Core): void {
  core.outbox.stop();
  core.db.close();
}

function openTicket(core: Core, channelId: string, i: number) {
  return core.tickets.open({ platform: 'slack', channelId, sourceMessageId: `1773136800.00010${i}`, requesterId: 'U0CUST', text: REQUESTS[i % REQUESTS.length]! }).ticket!;
}

const untilCall = (e: Env, pred: (c: { method: string; outcome: string; args: Record<string, unknown> }) => boolean) => e.fake.waitFor(pred, 5000);

describe('outbox delivery across a crash (Slack metadata + conversations lookups)', () => {
  it('adopts a card that landed before the crash: no second post, the ticket points at the one card', async () => {
    const e = await setup();
    const before = boot(e);
    e.fake.failNext('chat.postMessage', { kind: 'acceptThenHang' });
    const t = openTicket(before, 'C1', 1);
    void before.outbox.drain();
    const landed = await untilCall(e, (c) => c.method === 'chat.postMessage' && c.outcome === 'accepted_hang');
    expect(landed.args.metadata).toEqual({ event_type: OUTBOX_EVENT_TYPE, event_payload: { key: `card-post:${t.id}` } });
    crash(before);
    const after = boot(e);
    await after.outbox.drain();
    const cards = e.fake.botMessages('C1');
    expect(cards).toHaveLength(1);
    expect(e.fake.callsOf('chat.postMessage')).toHaveLength(1);
    const lookup = e.fake.callsOf('conversations.replies')[0]!;
    expect(lookup.args).toMatchObject({ channel: 'C1', ts: t.threadId, include_all_metadata: 'true' });
    expect(after.tickets.repo.get(t.id)!.cardMessageId).toBe(cards[0]!.ts);
    expect(after.outbox.stats()).toEqual({ sent: 1 });
    // Later card refreshes edit that one card.
    after.tickets.assign(t.key, 'U0AGENT', 'U0AGENT');
    for (let i = 0; i < 3; i++) {
      e.timer.advance(1000);
      await after.outbox.drain();
    }
    expect(e.fake.callsOf('chat.update').map((c) => c.args.ts)).toContain(cards[0]!.ts);
  });

  it('after a crash with several sends in flight: what landed is adopted, what did not is sent once', async () => {
    const e = await setup();
    const before = boot(e);
    // C1: the card landed; C2: the card never reached Slack; C3: a top-level post landed.
    e.fake.failNext('chat.postMessage', { kind: 'acceptThenHang' });
    e.fake.failNext('chat.postMessage', { kind: 'hang' });
    e.fake.failNext('chat.postMessage', { kind: 'acceptThenHang' });
    const t1 = openTicket(before, 'C1', 1);
    const t2 = openTicket(before, 'C2', 2);
    const view = { text: 'Daily digest', blocks: [{ type: 'text' as const, text: 'Daily digest' }] };
    before.outbox.enqueue({ platform: 'slack', idempotencyKey: 'digest:C3:daily', payload: { kind: 'post', channelId: 'C3', view } });
    void before.outbox.drain();
    await untilCall(e, () => e.fake.callsOf('chat.postMessage').length === 3);
    crash(before);

    const after = boot(e);
    await after.outbox.drain();
    for (const ch of ['C1', 'C2', 'C3']) expect(e.fake.botMessages(ch), ch).toHaveLength(1);
    expect(after.tickets.repo.get(t1.id)!.cardMessageId).toBe(e.fake.botMessages('C1')[0]!.ts);
    expect(after.tickets.repo.get(t2.id)!.cardMessageId).toBe(e.fake.botMessages('C2')[0]!.ts);
    expect(e.fake.callsOf('conversations.history').map((c) => c.args.channel)).toEqual(['C3']);
    expect(after.outbox.stats()).toEqual({ sent: 3 });
  });
});

describe('outbox lanes and recovery', () => {
  it('a hung call holds only its own channel: the other channel keeps sending', async () => {
    const e = await setup();
    const core = boot(e);
    const view = (text: string) => ({ text, blocks: [{ type: 'text' as const, text }] });
    const post = (key: string, channelId: string) => core.outbox.enqueue({ platform: 'slack', idempotencyKey: key, payload: { kind: 'post', channelId, view: view(key) } });
    e.fake.failNext('chat.postMessage', { kind: 'hang' });
    post('a1', 'CA');
    post('b1', 'CB');
    post('b2', 'CB');
    void core.outbox.drain();
    await untilCall(e, (c) => c.outcome === 'hang');
    await untilCall(e, (c) => c.method === 'chat.postMessage' && c.args.text === 'b1');
    e.timer.advance(1000); // Slack's pace: one message per second per channel
    core.outbox.kick();
    await untilCall(e, (c) => c.method === 'chat.postMessage' && c.args.text === 'b2');
    post('b3', 'CB');
    e.timer.advance(1000);
    await untilCall(e, (c) => c.method === 'chat.postMessage' && c.args.text === 'b3');
    expect(e.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'CA').map((c) => c.outcome)).toEqual(['hang']);
  });

  it('drains an outage backlog within seconds of recovery, in order, without duplicates', async () => {
    const e = await setup();
    const core = boot(e);
    const channels = ['C1', 'C2', 'C3', 'C4'];
    e.fake.outage = { kind: 'server_error', status: 503 };
    // A 60-second outage while messages keep arriving.
    for (let s = 0; s < 60; s++) {
      const ch = channels[s % channels.length]!;
      if (s % 5 === 0) core.outbox.enqueue({ platform: 'slack', idempotencyKey: `m${s}`, payload: { kind: 'post', channelId: ch, view: { text: `m${s}`, blocks: [] } } });
      await core.outbox.drain();
      e.timer.advance(1000);
    }
    expect(core.outbox.stats().sent).toBeUndefined();
    e.fake.clearFailures();
    let waited = 0;
    while ((core.outbox.stats().pending ?? 0) > 0 && waited < 120) {
      await core.outbox.drain();
      if ((core.outbox.stats().pending ?? 0) === 0) break;
      e.timer.advance(1000);
      waited += 1;
    }
    expect(core.outbox.stats()).toEqual({ sent: 12 });
    expect(waited).toBeLessThanOrEqual(15);
    for (const ch of channels) {
      const texts = e.fake.botMessages(ch).map((m) => m.text);
      expect(texts).toEqual([...new Set(texts)]);
      expect(texts).toEqual([...texts].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
    }
  });
});
