/**
 * Test support for the Slack adapter: a real core (SQLite :memory:, ManualClock) with the real
 * Bolt app mounted on 127.0.0.1, the fake Slack Web API, and builders for signed Slack
 * requests (Events API JSON, form-encoded slash commands and interactivity payloads).
 */
import { createHmac } from 'node:crypto';
import { type Core, createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/app.js';
import { createLogger } from '../../src/logger.js';
import { FakeSlack } from '../fakes/fake-slack.js';

export const SECRET = 'test-signing-secret';
export const AGENT = 'U0AGENT';
export const AGENT2 = 'U0AGENT2';
export const LEAD = 'U0LEAD';
export const CUSTOMER = 'U0CUST';
export const CHANNEL = 'C0SUPPORT';
/** 2026-03-10 10:00 UTC (a Tuesday). */
export const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);

export interface Harness {
  fake: FakeSlack;
  core: Core;
  slack: SlackAdapter;
  clock: ManualClock;
  url: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: Record<string, unknown>;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Set up the fake before the adapter starts (user groups, identity). */
  beforeStart?: (fake: FakeSlack) => void;
  /** A database file (restart tests); default :memory:. */
  dbPath?: string;
  /** false: store and ack events but never process them (a crash right after the ack). */
  processInbox?: boolean;
  /** Reuse a running fake Slack (restart tests); it is then not closed with the harness. */
  fake?: FakeSlack;
}

/** Start fake Slack, a core and the Slack adapter in HTTP mode on 127.0.0.1. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const fake = opts.fake ?? (await FakeSlack.start());
  const ownFake = !opts.fake;
  opts.beforeStart?.(fake);
  const clock = new ManualClock(T0);
  const config = parseConfig({ agents: [AGENT, AGENT2], leads: [LEAD], ...(opts.config ?? {}) });
  const env = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, ...(opts.env ?? {}) };
  const core = createCore({ config, db: openDatabase(opts.dbPath ?? ':memory:'), clock, env, logger: createLogger({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  let slack: SlackAdapter;
  try {
    slack = await createSlackAdapter(core, env, { timeoutMs: opts.timeoutMs ?? 2000, processInbox: opts.processInbox });
  } catch (e) {
    if (ownFake) await fake.close();
    await core.close();
    throw e;
  }
  core.outbox.start(20);
  const { port } = await core.listen(0, '127.0.0.1');
  const h: Harness = {
    fake,
    core,
    slack,
    clock,
    url: `http://127.0.0.1:${port}/slack/events`,
    async close() {
      // Stop sending first, let an in-flight drain finish against the closed fake, then close.
      core.outbox.stop();
      if (ownFake) await fake.close();
      await core.outbox.drain().catch(() => undefined);
      await core.close();
    },
  };
  running.add(h);
  return h;
}

const running = new Set<Harness>();

/** Close every harness started by this test file (use in afterEach). */
export async function closeAll(): Promise<void> {
  const all = [...running];
  running.clear();
  for (const h of all) await h.close();
}

/** `v0=` + HMAC-SHA256(secret, `v0:${ts}:${body}`). */
export function sign(body: string, ts: number, secret = SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  /** Seconds since epoch; defaults to now. */
  timestamp?: number;
  signature?: string;
  retryNum?: number;
  secret?: string;
}

/** POST a signed body to the app; returns status and body text. */
export async function post(url: string, body: string, contentType: string, o: SendOptions = {}): Promise<{ status: number; text: string }> {
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': o.signature ?? sign(body, ts, o.secret),
  };
  if (o.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(o.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

let eventCounter = 0;

/** An Events API envelope around `event`. */
export function envelope(event: Record<string, unknown>, eventId?: string): Record<string, unknown> {
  eventCounter += 1;
  return {
    token: 'legacy-verification-token',
    team_id: 'T0TEAM',
    api_app_id: 'A0FAKE',
    type: 'event_callback',
    event_id: eventId ?? `Ev${String(eventCounter).padStart(8, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0TEAM', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    event,
  };
}

/** POST an event (JSON) to the app. */
export function sendEvent(h: Harness, event: Record<string, unknown>, o: SendOptions & { eventId?: string } = {}): Promise<{ status: number; text: string }> {
  return post(h.url, JSON.stringify(envelope(event, o.eventId)), 'application/json', o);
}

let tsCounter = 0;
/** Every command and interaction gets its own trigger_id, as on Slack (the gate de-duplicates on it). */
let triggerCounter = 0;
/** A fresh Slack message ts. */
export function nextTs(): string {
  tsCounter += 1;
  return `1773136800.${String(tsCounter).padStart(6, '0')}`;
}

/** A `message` event. */
export function message(fields: { text: string; user?: string; channel?: string; ts?: string; thread_ts?: string; subtype?: string; bot_id?: string; files?: unknown[] }): Record<string, unknown> {
  return { type: 'message', channel: CHANNEL, user: CUSTOMER, ts: fields.ts ?? nextTs(), channel_type: 'channel', ...fields };
}

/** POST a slash command (form-encoded). */
export function sendCommand(h: Harness, text: string, o: { user?: string; channel?: string; responseId?: string } & SendOptions = {}): Promise<{ status: number; text: string }> {
  const form = new URLSearchParams({
    token: 'legacy',
    team_id: 'T0TEAM',
    team_domain: 'fake',
    channel_id: o.channel ?? CHANNEL,
    channel_name: 'support',
    user_id: o.user ?? AGENT,
    user_name: 'agent',
    command: '/ticket',
    text,
    api_app_id: 'A0FAKE',
    response_url: h.fake.responseUrl(o.responseId ?? 'cmd'),
    trigger_id: `trigger.cmd.${++triggerCounter}`,
  });
  return post(h.url, form.toString(), 'application/x-www-form-urlencoded', o);
}

/** POST an interactivity payload (`payload=<json>`, form-encoded). */
export function sendInteraction(h: Harness, payload: Record<string, unknown>, o: SendOptions = {}): Promise<{ status: number; text: string }> {
  const form = new URLSearchParams({ payload: JSON.stringify(payload) });
  return post(h.url, form.toString(), 'application/x-www-form-urlencoded', o);
}

/** A block_actions payload for a button or select on a message (or on the Home tab with `home`). */
export function blockAction(
  h: Harness,
  a: { actionId: string; value?: string; selected?: string; user?: string; channel?: string; messageTs?: string; threadTs?: string; home?: boolean },
): Record<string, unknown> {
  const action =
    a.selected !== undefined
      ? { type: 'static_select', action_id: a.actionId, block_id: 'b', selected_option: { text: { type: 'plain_text', text: a.selected }, value: a.selected }, action_ts: '1.2' }
      : { type: 'button', action_id: a.actionId, block_id: 'b', value: a.value, text: { type: 'plain_text', text: 'x' }, action_ts: '1.2' };
  const base = { type: 'block_actions', team: { id: 'T0TEAM', domain: 'fake' }, user: { id: a.user ?? AGENT, username: 'agent', team_id: 'T0TEAM' }, api_app_id: 'A0FAKE', token: 'legacy', trigger_id: `trigger.action.${++triggerCounter}`, actions: [action] };
  if (a.home)
    return { ...base, container: { type: 'view', view_id: 'VHOME' }, view: { id: 'VHOME', type: 'home', team_id: 'T0TEAM', blocks: [], private_metadata: '', callback_id: '', state: { values: {} }, hash: 'h', app_id: 'A0FAKE', bot_id: 'BBOT' } };
  return {
    ...base,
    container: { type: 'message', message_ts: a.messageTs, channel_id: a.channel ?? CHANNEL, is_ephemeral: false },
    channel: { id: a.channel ?? CHANNEL, name: 'support' },
    message: { type: 'message', ts: a.messageTs, thread_ts: a.threadTs, text: 'card', user: 'UBOT', bot_id: 'BBOT' },
    response_url: h.fake.responseUrl('action'),
  };
}

/** Wait until `check` returns a truthy value (polling; no timing assertions). */
export async function until<T>(check: () => T | null | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Let in-flight listeners and outbox drains settle (used before asserting that nothing happened). */
export async function settle(h: Harness, ms = 150): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
  await h.core.outbox.drain();
}
