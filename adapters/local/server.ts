/**
 * The local playground's HTTP side, mounted on the bot's own express app: the page and its
 * static files, a small JSON API the page calls (post a message or /ticket command, click a
 * button or select, react, submit a form, read the queue, move the clock), and the live
 * stream (SSE). Everything a person does goes through the same core use cases as Slack and
 * Teams (handleMessage, handleReaction, runCommand, interactions); everything the bot says
 * comes back through LocalChatPort and is rendered by render-html.ts.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Core } from '../../src/app.js';
import { homeFor } from '../../src/commands/home.js';
import { customerHomeView } from '../../src/views/customer-home-view.js';
import { runCommand } from '../../src/commands/ticket-commands.js';
import { ticketsForQuery } from '../../src/commands/ticket-query.js';
import { DEMO_PEOPLE, DEFAULT_PERSON } from './people.js';
import { describeSupportChannels } from '../../src/config/support-channels.js';
import { CLOCK_AHEAD_SETTING, applyPlaygroundDefaults, playgroundAheadMs } from './playground-defaults.js';
import { dmChannelId, type LocalChannel, type LocalForm, PlaygroundStore } from './playground-store.js';
import { FrontdeskError, InputInvalidError, NotPermittedError } from '../../src/domain/errors.js';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import { installKnowledge } from '../../src/knowledge/install.js';
import { cardChannelOf, isTriageChannel } from '../../src/audience/placement.js';
import { handleMessage, handleReaction } from '../../src/inbound/inbound.js';
import type { MessageView } from '../../src/ports/message-view.js';
import { notice, ticketListView } from '../../src/views/ticket-views.js';
import { ClockControl, ClockNotMovableError } from './clock-control.js';
import { LiveHub } from './live-hub.js';
import { type LocalFaults, LocalChatPort } from './local-chat-port.js';
import { type RenderContext, renderForm, renderMessage, renderMessageView } from './render-html.js';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

export interface PlaygroundOptions {
  /** Test hook: make LocalChatPort deliveries fail on purpose (see LocalFaults). */
  faults?: LocalFaults;
  /** How often to look for writes by other processes (ms, default 1000). */
  pollMs?: number;
  /** While the clock is sped up, run the scheduled jobs this often (real ms, default 5000). */
  tickMs?: number;
  /** Add a private #triage channel when the config names none (default true; false = inline mode). */
  triage?: boolean;
  /** Use the sample known answers (examples/knowledge) when the config names no folders (default true). */
  knowledge?: boolean;
}

export interface Playground {
  store: PlaygroundStore;
  port: LocalChatPort;
  hub: LiveHub;
  clock: ClockControl;
}

/** Reactions the playground offers on every message. */
const REACTIONS = ['eyes', 'white_check_mark', 'ticket'] as const;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function str(v: unknown, name: string, max = 40_000): string {
  if (typeof v !== 'string') throw new HttpError(400, `${name} is required`);
  if (v.length > max) throw new HttpError(413, `${name} is longer than ${max} characters`);
  return v;
}

function optStr(v: unknown, name: string, max = 200): string | null {
  if (v === undefined || v === null || v === '') return null;
  return str(v, name, max);
}

/**
 * Mount the playground on the core's HTTP app and register its ChatPort.
 * @example const pg = mountPlayground(core); await core.listen(3000, '127.0.0.1');
 */
export function mountPlayground(core: Core, opts: PlaygroundOptions = {}): Playground {
  // The SLA watcher, escalation prompts and digest ('sla-sweep' and 'digest' jobs). Installing
  // is idempotent, so this is a no-op when the composition root has done it already.
  installSlaAndDigest(core);
  const store = new PlaygroundStore(core.db);
  // Demo people, and #leads for the digest when the config names no digest channel.
  applyPlaygroundDefaults(core, store, { triage: opts.triage, knowledge: opts.knowledge });
  // Known answers (after the SLA hooks: a triage-time escalation means no offer). Re-read, since
  // the defaults may just have added the sample folder.
  installKnowledge(core).resync();
  const port = new LocalChatPort({ store, clock: core.clock, faults: opts.faults });
  core.registerPort(port);

  const ctx: RenderContext = { nameOf: (id) => core.directory.nameOf(id), people: DEMO_PEOPLE.map((p) => ({ id: p.id, name: p.name })) };
  const formPayload = (f: LocalForm) => ({ ref: f.id, title: f.form.title, html: renderForm(f.form, f.id, ctx) });
  /** Agents' places (triage and digest channels) are not shown to customers at all. */
  const canSee = (userId: string, channelId: string): boolean =>
    core.directory.isAgent(userId) || !(isTriageChannel(core.config, channelId) || core.config.digest.channels.some((d) => d === `local:${channelId}` || d === channelId));
  const hub = new LiveHub({ store, renderMessage: (m) => renderMessage(m, ctx), renderForm: formPayload, pollMs: opts.pollMs, canSee });
  store.onWrite((w) => (w.op === 'channel' ? hub.broadcast('channels', {}) : hub.schedule()));
  core.tickets.onChange(() => hub.broadcast('tickets', {}));

  const refreshCards = async () => {
    for (const t of core.tickets.repo.list({ open: true, limit: 2000 })) {
      if (t.platform !== 'local' || !t.cardMessageId) continue;
      const shown = store.get(t.cardMessageId);
      const view = core.tickets.card(t);
      if (!shown?.view || JSON.stringify(shown.view) === JSON.stringify(view)) continue;
      await port.update({ channelId: cardChannelOf(t), messageId: t.cardMessageId, view }).catch(() => undefined);
    }
  };
  const clock = new ClockControl(core, {
    tickMs: opts.tickMs,
    onChange: (s) => {
      store.setSetting(CLOCK_AHEAD_SETTING, String(Math.round(s.aheadMs)));
      hub.broadcast('clock', s);
    },
    refreshCards,
  });
  clock.resume(playgroundAheadMs(store));
  hub.start();
  core.onClose(() => {
    hub.stop();
    clock.stop();
  });

  /** The person a request acts as: one of the demo people. */
  const who = (req: Request): string => {
    const as = (req.method === 'GET' ? req.query.as : (req.body as Record<string, unknown> | undefined)?.as) ?? DEFAULT_PERSON;
    if (typeof as !== 'string' || !DEMO_PEOPLE.some((p) => p.id === as)) throw new HttpError(400, `"as" must be one of ${DEMO_PEOPLE.map((p) => p.id).join(', ')}`);
    return as;
  };
  const body = (req: Request): Record<string, unknown> => {
    const b = req.body as unknown;
    if (!b || typeof b !== 'object') throw new HttpError(400, 'send a JSON body (Content-Type: application/json)');
    return b as Record<string, unknown>;
  };
  const channelFor = (id: string, userId: string): LocalChannel => {
    const ch = store.channel(id);
    if (!ch) throw new HttpError(404, `no channel ${id}`);
    if (ch.kind === 'dm' && ch.memberId !== userId) throw new HttpError(403, 'that is someone else’s direct message');
    if (!canSee(userId, ch.id)) throw new HttpError(403, `#${ch.id} is private to the support team`);
    return ch;
  };
  const ephemeralHtml = (view: MessageView) => renderMessageView(view, ctx);
  /**
   * Someone posted a request where the bot does not take them: say so in the channel (only to
   * them, once per channel), with where to post instead and how to make this a support channel.
   */
  const explainNotSupport = async (channelId: string, userId: string) => {
    const key = `hint.notSupportChannel.${channelId}.${userId}`;
    if (store.setting(key)) return;
    store.setSetting(key, String(core.clock.now()));
    const view = notice(
      `No ticket: **#${channelId}** is not a support channel, so I only read along here. Support channels: ${describeSupportChannels(core.config)}. ` +
        `Post your request there, or make this one a support channel by adding \`- id: ${channelId}\` under \`channels:\` in frontdesk.config.yaml and restarting.`,
    );
    await port.postEphemeral({ channelId, userId, view, meta: { hint: 'not_support_channel' } });
  };

  const api = express.Router();
  api.use(express.json({ limit: '200kb' }));
  // The playground binds to 127.0.0.1, but a page on another site could still post to it from
  // the same machine: refuse writes whose Origin is not this server.
  api.use((req, _res, next) => {
    const origin = req.headers.origin;
    if (req.method !== 'GET' && origin && origin !== 'null') {
      let host = '';
      try {
        host = new URL(origin).host;
      } catch {
        host = '';
      }
      if (host !== req.headers.host) return next(new HttpError(403, 'cross-site requests are not accepted'));
    }
    next();
  });

  api.get('/state', (req, res) => {
    const me = who(req);
    store.ensureChannel(dmChannelId(me), core.clock.now());
    res.json({
      me,
      people: DEMO_PEOPLE,
      channels: store.channels(me).filter((c) => canSee(me, c.id)),
      dmChannel: dmChannelId(me),
      clock: clock.state(),
      forms: store.openFormsFor(me).map(formPayload),
      reactions: REACTIONS,
      database: core.db.name,
      adapters: core.adapters,
    });
  });

  api.get('/channels/:id/messages', (req, res) => {
    const me = who(req);
    const ch = channelFor(String(req.params.id), me);
    res.json({ channel: ch, messages: store.messagesFor(ch.id, me).map((m) => renderMessage(m, ctx)) });
  });

  api.post('/channels', (req, res) => {
    const b = body(req);
    who(req);
    const ch = store.createChannel(str(b.name, 'name', 60), optStr(b.topic, 'topic', 250) ?? '', core.clock.now());
    res.status(201).json({ channel: ch });
  });

  api.post('/messages', async (req, res) => {
    const b = body(req);
    const me = who(req);
    const ch = channelFor(str(b.channelId, 'channelId', 100), me);
    const threadId = optStr(b.threadId, 'threadId', 40);
    const text = str(b.text, 'text').trim();
    if (!text) throw new HttpError(400, 'write something first');
    if (text.startsWith('/')) {
      const m = /^\/(ticket|frontdesk)(?:\s+([\s\S]*))?$/i.exec(text);
      const view = m
        ? null
        : notice(`Only \`/ticket\` commands work here (e.g. \`/ticket list\`). Type \`/ticket help\` to see them all.`);
      if (view) {
        await port.postEphemeral({ channelId: ch.id, userId: me, threadId, view, meta: { command: text.slice(0, 200) } });
        res.json({ command: true });
        return;
      }
      const trigger = `trg-${randomUUID()}`;
      const reply = await runCommand(core.commands, core.tickets, m?.[2] ?? 'help', { platform: 'local', userId: me, channelId: ch.id, threadId, trigger });
      if (reply.visibility === 'in_channel') await port.post({ channelId: ch.id, threadId, view: reply.view });
      else await port.postEphemeral({ channelId: ch.id, userId: me, threadId, view: reply.view, meta: { command: text.slice(0, 200) } });
      if (reply.form) await port.openForm({ trigger, userId: me, form: reply.form });
      res.json({ command: true });
      return;
    }
    const msg = store.postHuman({ channelId: ch.id, threadId, authorId: me, text, at: core.clock.now() });
    if (ch.kind === 'dm') {
      await port.postEphemeral({
        channelId: ch.id,
        userId: me,
        view: notice('I take requests in channels, not here: post in #support, or type `/ticket help` to see what I can do.'),
      });
      res.json({ message: renderMessage(msg, ctx), outcome: { kind: 'ignored', reason: 'direct message' } });
      return;
    }
    const out = handleMessage(core.tickets, {
      platform: 'local',
      eventId: `msg:${msg.id}`,
      channelId: ch.id,
      messageId: msg.id,
      threadId: msg.threadId,
      userId: me,
      userName: core.directory.nameOf(me),
      text,
      isBot: false,
    });
    if (out.kind === 'ignored' && out.reason === 'not a support channel' && !msg.threadId) await explainNotSupport(ch.id, me);
    const outcome =
      out.kind === 'ticket'
        ? { kind: 'ticket', result: out.result.outcome, ticket: out.result.ticket?.key ?? null }
        : out.kind === 'reply'
          ? { kind: 'reply', ticket: out.ticket.key }
          : { kind: 'ignored', reason: out.reason };
    res.json({ message: renderMessage(msg, ctx), outcome });
  });

  api.post('/reactions', async (req, res) => {
    const b = body(req);
    const me = who(req);
    const messageId = str(b.messageId, 'messageId', 40);
    const emoji = str(b.emoji, 'emoji', 40);
    const before = store.get(messageId);
    if (!before || !PlaygroundStore.visible(before, me)) throw new HttpError(404, `no message ${messageId}`);
    const had = before.reactions.some((r) => r.emoji === emoji && r.users.includes(me));
    const on = typeof b.on === 'boolean' ? b.on : !had;
    store.react(messageId, me, emoji, on, core.clock.now());
    if (!on || had) {
      res.json({ outcome: { kind: 'ignored', reason: 'reaction removed' } });
      return;
    }
    const out = await handleReaction(core.tickets, {
      platform: 'local',
      channelId: before.channelId,
      messageId,
      userId: me,
      emoji,
      loadMessage: async () => ({ text: before.text, userId: before.authorId, threadId: before.threadId }),
    });
    res.json({ outcome: out.kind === 'ignored' ? out : { kind: out.kind, ticket: out.ticket.key } });
  });

  api.post('/actions', async (req, res) => {
    const b = body(req);
    const me = who(req);
    const actionId = str(b.actionId, 'actionId', 255);
    const value = str(b.value, 'value', 2000);
    const messageId = optStr(b.messageId, 'messageId', 40);
    const msg = messageId ? store.get(messageId) : null;
    if (messageId && (!msg || !PlaygroundStore.visible(msg, me))) throw new HttpError(404, `no message ${messageId}`);
    const trigger = `trg-${randomUUID()}`;
    const result = await core.interactions.action(actionId, value, {
      platform: 'local',
      userId: me,
      channelId: msg?.channelId,
      messageId: msg?.id,
      threadId: msg ? (msg.threadId ?? null) : null,
      trigger,
    });
    if (result.form) await port.openForm({ trigger, userId: me, form: result.form });
    // The clicked bot message is replaced in place (e.g. a suggested reply once sent).
    if (result.replace && msg?.isBot) await port.update({ channelId: msg.channelId, messageId: msg.id, view: result.replace });
    // Answers to buttons in a channel are ephemerals there; answers to buttons in the queue
    // view (no channel, like Slack's App Home) come back to the page as a notice.
    if (result.ephemeral && msg && msg.kind !== 'dm') {
      await port.postEphemeral({ channelId: msg.channelId, userId: me, threadId: msg.threadId, view: result.ephemeral });
      res.json({ ok: true });
      return;
    }
    res.json({ ok: true, notice: result.ephemeral ? ephemeralHtml(result.ephemeral) : null });
  });

  api.post('/forms/:ref', async (req, res) => {
    const b = body(req);
    const me = who(req);
    const f = store.form(Number(req.params.ref));
    if (!f || f.userId !== me) throw new HttpError(404, 'no such form');
    if (f.status !== 'open') throw new HttpError(409, 'this form was already submitted or closed');
    const raw = (b.values ?? {}) as Record<string, unknown>;
    const values: Record<string, string> = {};
    for (const field of f.form.fields) {
      const v = raw[field.id];
      values[field.id] = typeof v === 'string' ? v.slice(0, 40_000) : '';
      if (!field.optional && !values[field.id]) throw new HttpError(400, `${field.label} is required`);
    }
    store.closeForm(f.id, 'submitted');
    const trigger = `trg-${randomUUID()}`;
    const result = await core.interactions.form(f.form.formId, f.form.state, values, { platform: 'local', userId: me, trigger });
    if (result.form) await port.openForm({ trigger, userId: me, form: result.form });
    res.json({ ok: true, notice: result.ephemeral ? ephemeralHtml(result.ephemeral) : null });
  });

  api.post('/forms/:ref/cancel', (req, res) => {
    const me = who(req);
    const f = store.form(Number(req.params.ref));
    if (!f || f.userId !== me) throw new HttpError(404, 'no such form');
    store.closeForm(f.id, 'cancelled');
    res.json({ ok: true });
  });

  // The tickets behind a digest number (its links read "#tickets?status=open&priority=P2").
  api.get('/tickets', (req, res) => {
    const me = who(req);
    const query = new URLSearchParams(req.url.split('?')[1] ?? '');
    query.delete('as');
    const { title, tickets } = ticketsForQuery(core.tickets, query.toString());
    // Roles: a customer sees only their own requests, without internal detail.
    if (!core.directory.isAgent(me)) {
      const own = tickets.filter((t) => t.requesterId === me);
      const open = own.filter((t) => t.status !== 'resolved' && t.status !== 'closed');
      const view = customerHomeView(open, own.filter((t) => !open.includes(t)), core.config.timezone);
      res.json({ title: 'Your requests', count: own.length, keys: own.map((t) => t.key), html: renderMessageView(view, ctx) });
      return;
    }
    res.json({ title, count: tickets.length, keys: tickets.map((t) => t.key), html: renderMessageView(ticketListView(title, tickets, core.clock.now()), ctx) });
  });

  api.get('/tickets/:key', (req, res) => {
    who(req);
    const t = core.tickets.repo.getByKey(String(req.params.key));
    if (!t || t.deleted || t.platform !== 'local') throw new HttpError(404, `no playground ticket ${String(req.params.key).slice(0, 20)}`);
    const anchor = t.threadId ?? t.cardMessageId;
    const root = anchor ? store.get(anchor) : null;
    res.json({ key: t.key, channelId: t.channelId, threadId: root ? (root.threadId ?? root.id) : null });
  });

  api.get('/queue', (req, res) => {
    const me = who(req);
    res.json({ html: renderMessageView(homeFor(core.tickets, me), ctx) });
  });

  api.get('/clock', (_req, res) => {
    res.json(clock.state());
  });

  api.post('/clock', async (req, res) => {
    const b = body(req);
    who(req);
    if (typeof b.advanceMs === 'number') res.json(await clock.advance(b.advanceMs));
    else if (typeof b.speed === 'number') res.json(clock.setSpeed(b.speed));
    else if (b.runJobs === true) {
      await clock.runJobs();
      res.json(clock.state());
    } else throw new HttpError(400, 'send { advanceMs }, { speed } or { runJobs: true }');
  });

  api.get('/events', (req, res) => {
    hub.connect(who(req), res);
  });

  api.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpError) res.status(err.status).json({ error: err.message });
    else if (err instanceof RangeError || err instanceof ClockNotMovableError) res.status(400).json({ error: err.message });
    else if (err instanceof NotPermittedError) res.status(403).json({ error: err.message });
    else if (err instanceof InputInvalidError || err instanceof FrontdeskError) res.status(400).json({ error: err.message });
    else if ((err as { type?: string }).type === 'entity.parse.failed') res.status(400).json({ error: 'the body is not valid JSON' });
    else {
      core.logger.error({ err }, 'playground request failed');
      res.status(500).json({ error: 'something went wrong in the playground; the server log has the details' });
    }
  });

  const page = (_req: Request, res: Response) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.sendFile('index.html', { root: PUBLIC_DIR, headers: { 'Cache-Control': 'no-cache' } });
  };
  core.http.get('/', page);
  core.http.use('/local/assets', express.static(PUBLIC_DIR, { index: false, maxAge: 0 }));
  core.http.use('/local/api', api);

  return { store, port, hub, clock };
}
