/**
 * Test support for the Teams adapter: a real core (SQLite :memory:, ManualClock) with the
 * REAL botbuilder CloudAdapter mounted at /api/messages on 127.0.0.1 (authentication off via
 * the explicit insecure local mode), the fake Bot Connector, builders for Teams-shaped
 * activities, and a strict Adaptive Card validator (the `adaptivecards` package).
 */
import { createRequire } from 'node:module';
import { createTeamsAdapter, type TeamsAdapter } from '../../adapters/teams/index.js';
import { type Core, createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logger.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';
import { type ConnectorRequest, type FakeConnector, startFakeConnector } from '../fakes/fake-connector.js';

/** Entra object ids (what config lists) and Teams ids (what mentions carry). */
export const AGENT = { id: '29:agent-dana', aadObjectId: '00000000-0000-0000-0000-0000000000a1', name: 'Dana Agent' };
export const AGENT2 = { id: '29:agent-eli', aadObjectId: '00000000-0000-0000-0000-0000000000a2', name: 'Eli Agent' };
export const CUSTOMER = { id: '29:cust-carol', aadObjectId: '00000000-0000-0000-0000-0000000000c1', name: 'Carol Customer' };
export const BOT = { id: '28:00000000-0000-0000-0000-00000000b075', name: 'frontdesk' };
export const TENANT = '00000000-0000-0000-0000-0000000000e7';
export const CHANNEL = '19:support-channel@thread.tacv2';
export const TEAM = '19:general-channel@thread.tacv2';
export const GROUP = '19:group-chat-1@thread.v2';
/** 2026-03-10 10:00 UTC (a Tuesday). */
export const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);

export interface Account {
  id: string;
  aadObjectId?: string;
  name: string;
}

export interface Harness {
  core: Core;
  teams: TeamsAdapter;
  fake: FakeConnector;
  clock: ManualClock;
  timer: ManualClock;
  url: string;
  /** POST one activity to /api/messages. */
  send(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  /** Send everything the outbox has due. */
  flush(): Promise<void>;
  /**
   * Send everything, including rows the per-conversation rate limit (7/s) pushed back: the
   * limiter counts real seconds, so this waits about a second per round.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

let seq = 0;
/** A fresh Teams-looking activity id. */
export const nextId = (): string => `1650000000${String(++seq).padStart(3, '0')}`;

/** Start the fake connector, a core and the Teams adapter (insecure local mode) on 127.0.0.1. */
export async function startHarness(opts: { config?: Record<string, unknown>; dbPath?: string; env?: Record<string, string> } = {}): Promise<Harness> {
  const fake = await startFakeConnector();
  const clock = new ManualClock(T0);
  const timer = new ManualClock(T0);
  const config = parseConfig({
    agents: [AGENT.aadObjectId, AGENT2.aadObjectId],
    teams: [{ id: 'support', members: [AGENT.aadObjectId, AGENT2.aadObjectId], routing: 'none' }],
    ...(opts.config ?? {}),
  });
  const env = { FRONTDESK_TEAMS_INSECURE_LOCAL: '1', ...opts.env };
  const core = createCore({ config, db: openDatabase(opts.dbPath ?? ':memory:'), clock, outboxTimer: timer, env, logger: createLogger({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const teams = createTeamsAdapter(core, env);
  const { port } = await core.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/api/messages`;
  const h: Harness = {
    core,
    teams,
    fake,
    clock,
    timer,
    url,
    async send(activity, headers = {}) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        /* plain text body */
      }
      return { status: res.status, body };
    },
    async flush() {
      // Enqueues kick a drain on the next tick; run until nothing is due.
      await new Promise((r) => setImmediate(r));
      await core.outbox.drain();
      await core.outbox.drain();
    },
    async settle() {
      for (let round = 0; round < 5; round++) {
        await h.flush();
        const next = core.db.prepare<[], { at: number | null }>("SELECT max(next_attempt_at) AS at FROM outbox WHERE status = 'pending'").get()?.at;
        if (next === null || next === undefined) return;
        await new Promise((r) => setTimeout(r, 1050));
        // Paced channels are not claimed until their bucket refills on the timer: move it on.
        timer.set(Math.max(timer.now() + 1000, next));
      }
    },
    async close() {
      await core.close();
      await fake.close();
    },
  };
  return h;
}

/** Common activity envelope. */
function envelope(fake: FakeConnector, conversation: Record<string, unknown>, from: Account, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl: fake.url,
    id: nextId(),
    timestamp: new Date(T0).toISOString(),
    from: { id: from.id, name: from.name, ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}) },
    recipient: BOT,
    conversation: { tenantId: TENANT, ...conversation },
    channelData: { tenant: { id: TENANT }, team: { id: TEAM }, channel: { id: CHANNEL } },
    locale: 'en-US',
    ...extra,
  };
}

/** A message in a channel: a new post (root = its own id) or a reply in a chain. */
export function channelMessage(fake: FakeConnector, from: Account, text: string, opts: { rootId?: string; id?: string; entities?: unknown[]; attachments?: unknown[] } = {}): Record<string, unknown> {
  const id = opts.id ?? nextId();
  const root = opts.rootId ?? id;
  return envelope(
    fake,
    { id: `${CHANNEL};messageid=${root}`, conversationType: 'channel', isGroup: true },
    from,
    { type: 'message', id, text, textFormat: 'plain', ...(opts.rootId ? { replyToId: opts.rootId } : {}), ...(opts.entities ? { entities: opts.entities } : {}), ...(opts.attachments ? { attachments: opts.attachments } : {}) },
  );
}

/** `<at>frontdesk</at> <command>` in a channel, with the bot's mention entity (and any people mentioned). */
export function channelCommand(fake: FakeConnector, from: Account, command: string, opts: { rootId?: string; mentions?: Account[] } = {}): Record<string, unknown> {
  let text = `<at>frontdesk</at> ${command}`;
  const entities: unknown[] = [{ type: 'mention', text: '<at>frontdesk</at>', mentioned: { id: BOT.id, name: BOT.name } }];
  for (const m of opts.mentions ?? []) {
    const tag = `<at>${m.name}</at>`;
    text = text.replace(`@${m.name}`, tag);
    entities.push({ type: 'mention', text: tag, mentioned: { id: m.id, name: m.name } });
  }
  return channelMessage(fake, from, text, { rootId: opts.rootId, entities });
}

/** A message in a group chat (no reply chains; `quoteOf` makes it a Teams "Reply" quoting that message). */
export function groupMessage(fake: FakeConnector, from: Account, text: string, opts: { quoteOf?: string } = {}): Record<string, unknown> {
  const attachments = opts.quoteOf
    ? [{ contentType: 'text/html', content: `<blockquote itemscope="" itemtype="http://schema.skype.com/Reply" itemid="${opts.quoteOf}"><strong>x</strong><p>quoted</p></blockquote><p>${text}</p>` }]
    : undefined;
  const a = envelope(fake, { id: GROUP, conversationType: 'groupChat', isGroup: true }, from, { type: 'message', text, textFormat: 'plain', ...(attachments ? { attachments } : {}) });
  a.channelData = { tenant: { id: TENANT } };
  return a;
}

/** A message in the user's personal (1:1) chat with the bot. */
export function personalMessage(fake: FakeConnector, from: Account, text: string): Record<string, unknown> {
  const a = envelope(fake, { id: `a:personal-${from.id}`, conversationType: 'personal' }, from, { type: 'message', text, textFormat: 'plain' });
  a.channelData = { tenant: { id: TENANT } };
  return a;
}

/** An Action.Execute click: the `adaptiveCard/action` invoke Teams sends for a card message. */
export function executeInvoke(
  fake: FakeConnector,
  from: Account,
  where: { conversationId: string; conversationType: string; cardMessageId: string },
  action: { verb: string; data: unknown },
): Record<string, unknown> {
  const a = envelope(fake, { id: where.conversationId, conversationType: where.conversationType }, from, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: where.cardMessageId,
    value: { action: { type: 'Action.Execute', ...action }, trigger: 'manual' },
  });
  if (where.conversationType === 'personal') a.channelData = { tenant: { id: TENANT } };
  return a;
}

/** An Action.Submit click: a message activity with the action's data as `value` and no text. */
export function submitMessage(fake: FakeConnector, from: Account, where: { conversationId: string; conversationType: string; cardMessageId: string }, data: unknown): Record<string, unknown> {
  return envelope(fake, { id: where.conversationId, conversationType: where.conversationType }, from, { type: 'message', replyToId: where.cardMessageId, value: data });
}

// ---------------------------------------------------------------- what crossed the wire

/** The Adaptive Card a recorded request carried, if any. */
// biome-ignore lint/suspicious/noExplicitAny: card JSON is inspected freely
export function cardOf(r: ConnectorRequest | undefined): any {
  // biome-ignore lint/suspicious/noExplicitAny: card JSON is inspected freely
  return r?.body?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** All strings under `text`/`title`/`label` keys of a JSON value, joined. */
export function flatText(x: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, val] of Object.entries(v)) {
        if (typeof val === 'string' && (k === 'text' || k === 'title' || k === 'label')) out.push(val);
        else walk(val);
      }
  };
  walk(x);
  return out.join('\n');
}

/** Every Action.Execute in a card (with its title, verb and data). */
// biome-ignore lint/suspicious/noExplicitAny: card JSON is inspected freely
export function executeActions(card: unknown): any[] {
  // biome-ignore lint/suspicious/noExplicitAny: card JSON is inspected freely
  const out: any[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'Action.Execute') out.push(o);
      for (const [k, val] of Object.entries(o)) if (k !== 'fallback') walk(val);
    }
  };
  walk(card);
  return out;
}

// ---------------------------------------------------------------- card validation

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: the adaptivecards UMD bundle has no usable types here
const AC: any = require('adaptivecards/dist/adaptivecards.js');

/**
 * Parse a card with the official `adaptivecards` package and return every problem: parse
 * events (unknown elements, invalid property values) plus checks the parser does not make
 * (version, Action.Execute verbs/data, unique input ids, mention entities matching the text).
 */
export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const ac = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  ac.parse(card, ctx);
  for (let i = 0; i < ctx.eventCount; i++) {
    const e = ctx.getEventAt(i);
    problems.push(`adaptivecards: ${e.message}`);
  }
  const c = card as { type?: string; version?: string; body?: unknown[]; msteams?: { entities?: { text: string; mentioned: { id: string; name: string } }[] } };
  if (c.type !== 'AdaptiveCard') problems.push('type is not AdaptiveCard');
  if (c.version !== '1.5') problems.push(`version ${c.version} (Universal Actions need 1.5)`);
  const ids = new Set<string>();
  const texts: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.')) {
        if (typeof o.id !== 'string' || !o.id) problems.push(`${o.type} without id`);
        else if (ids.has(o.id)) problems.push(`duplicate input id ${o.id}`);
        else ids.add(o.id);
      }
      if (o.type === 'Action.Execute') {
        if (typeof o.verb !== 'string' || !o.verb || !o.data) problems.push(`Action.Execute "${String(o.title)}" without verb/data`);
        // The JS parser ignores `fallback` on actions: check the Action.Submit fallback ourselves.
        const fb = o.fallback as Record<string, unknown> | undefined;
        if (fb && (fb.type !== 'Action.Submit' || fb.title !== o.title || JSON.stringify(fb.data) !== JSON.stringify(o.data)))
          problems.push(`Action.Execute "${String(o.title)}" has a fallback that is not the same Action.Submit`);
      }
      if (o.type === 'TextBlock') {
        if (typeof o.text !== 'string' || !o.text) problems.push('empty TextBlock');
        else texts.push(o.text);
      }
      for (const [k, val] of Object.entries(o)) if (k !== 'msteams') walk(val);
    }
  };
  walk(c.body ?? []);
  const all = texts.join('\n');
  for (const e of c.msteams?.entities ?? []) if (!all.includes(e.text)) problems.push(`mention entity ${e.text} not in any TextBlock`);
  for (const m of all.match(/<at>[^<]*<\/at>/g) ?? []) if (!(c.msteams?.entities ?? []).some((e) => e.text === m)) problems.push(`${m} has no mention entity`);
  // Round trip: the parser must keep every element and action we sent.
  const count = (x: unknown, acc: Record<string, number> = {}) => {
    if (Array.isArray(x)) for (const y of x) count(y, acc);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.type === 'string') acc[o.type] = (acc[o.type] ?? 0) + 1;
      // Not modelled by the JS SDK (so not round-tripped): action fallbacks (checked above) and
      // Teams' people-picker query `choices.data`.
      for (const [k, val] of Object.entries(o)) if (k !== 'msteams' && k !== 'data' && k !== 'fallback' && k !== 'choices.data') count(val, acc);
    }
    return acc;
  };
  const before = count(c.body ?? []);
  const after = count((ac.toJSON() as { body?: unknown[] }).body ?? []);
  for (const [t, n] of Object.entries(before)) if ((after[t] ?? 0) !== n) problems.push(`${t}: sent ${n}, parser kept ${after[t] ?? 0}`);
  return problems;
}
