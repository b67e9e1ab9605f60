/**
 * A fake Slack on 127.0.0.1 (random port) for tests that drive the REAL Bolt app and
 * @slack/web-api client. It answers Web API methods under /api/<method> (form-encoded or JSON,
 * like the real client sends them), records every call with its parsed arguments (blocks and
 * views are decoded from their JSON strings), receives `response_url` posts under /response/,
 * and runs a Socket Mode WebSocket endpoint under /socket for apps.connections.open.
 *
 * Failures are scripted per method: ok:false with an error code, 429 with Retry-After, 500, or
 * a hang (the request is held until the server closes, so client timeouts can be exercised).
 * `acceptThenHang` stores the message and then never answers (a post that landed although the
 * sender never learnt it), for crash and timeout tests.
 *
 * Messages the bot posts (chat.postMessage) are stored with their `metadata` and bot_id, edited
 * by chat.update, and returned by conversations.history / .replies (metadata only with
 * `include_all_metadata`, like Slack; `oldest`/`latest`, `limit` and cursors honoured).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** One Web API call or response_url post as the fake saw it. */
export interface SlackCall {
  /** Web API method (`chat.postMessage`) or `response_url` for posts to a response URL. */
  method: string;
  /** Arguments, with JSON-encoded values (blocks, view, attachments) decoded. */
  // biome-ignore lint/suspicious/noExplicitAny: call arguments are inspected freely in assertions
  args: Record<string, any>;
  /** Bearer token sent, if any. */
  token: string | null;
  /** What the fake answered. */
  outcome: 'ok' | 'ok_false' | 'rate_limited' | 'server_error' | 'hang' | 'accepted_hang';
}

export type SlackFailure =
  | { kind: 'ok_false'; error?: string }
  | { kind: 'rate_limited'; retryAfterSec?: number }
  | { kind: 'server_error'; status?: number }
  | { kind: 'hang' }
  | { kind: 'acceptThenHang' };

/** A message the fake "has", for conversations.history / conversations.replies. */
export interface StoredMessage {
  channel: string;
  ts: string;
  user: string;
  text: string;
  thread_ts?: string;
  files?: { id: string; name: string; permalink?: string; url_private?: string }[];
  bot_id?: string;
  blocks?: unknown;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface FakeSlackOptions {
  /** Message timestamps follow this clock (seconds part); by default they start at 1800000000. */
  clock?: { now(): number };
  /** Answer every Web API call this many ms after handling it (a message lands before its answer). */
  latencyMs?: number;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers build free-form Slack answers
type Handler = (args: Record<string, any>, call: SlackCall) => Record<string, any>;

const JSON_ARGS = new Set(['blocks', 'attachments', 'view', 'metadata']);

/** An envelope sent over the Socket Mode connection and the app's acknowledgement of it. */
export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

/**
 * @example
 * const slack = await FakeSlack.start();
 * const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.apiUrl };
 * ...
 * const post = await slack.waitFor((c) => c.method === 'chat.postMessage');
 * expect(post.args.thread_ts).toBe('1700000000.000100');
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly messages: StoredMessage[] = [];
  /** Members of user groups, for usergroups.users.list. */
  readonly userGroups = new Map<string, string[]>();
  /** Identity auth.test reports. */
  identity = { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0TEAM', user: 'frontdesk' };
  private readonly failures = new Map<string, SlackFailure[]>();
  private readonly handlers = new Map<string, Handler>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly waiters: { pred: (c: SlackCall) => boolean; resolve: (c: SlackCall) => void }[] = [];
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly acks = new Map<string, (a: SocketAck) => void>();
  private tsCounter = 0;
  private envelopeCounter = 0;
  /** Resolves on each new Socket Mode connection (after hello is sent). */
  private connectionWaiters: ((ws: WebSocket) => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly options: FakeSlackOptions = {},
  ) {
    this.wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
  }

  /** Start on a free port on 127.0.0.1. */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    let fake: FakeSlack | null = null;
    const server = createServer((req, res) => {
      void fake!.handle(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    fake = new FakeSlack(server, (server.address() as AddressInfo).port, options);
    return fake;
  }

  /** Messages the bot posted in a channel (optionally carrying an outbox metadata key). */
  botMessages(channel?: string): StoredMessage[] {
    return this.messages.filter((m) => m.bot_id === this.identity.bot_id && (!channel || m.channel === channel));
  }

  /** Base URL for the Web API client (SLACK_API_URL). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A response_url that records what is posted to it. */
  responseUrl(id = 'r1'): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** Fail the next call(s) of `method` (`*` = any method) in this way, once per call. */
  failNext(method: string, failure: SlackFailure, times = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.failures.set(method, list);
  }

  /** Forget every scripted failure not yet used and end an outage (the platform "recovers"). */
  clearFailures(): void {
    this.failures.clear();
    this.outage = null;
  }

  /** Every call fails this way until clearFailures() (an outage); null ends it. */
  outage: SlackFailure | null = null;

  /** Answer `method` with a custom handler. */
  on(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  /** Calls of one method, in order. */
  callsOf(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Wait until a call matching `pred` has been recorded (checks past calls first). */
  waitFor(pred: (c: SlackCall) => boolean, timeoutMs = 5000): Promise<SlackCall> {
    const seen = this.calls.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (c: SlackCall) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`fake Slack: no matching call within ${timeoutMs} ms; calls so far: ${this.calls.map((c) => c.method).join(', ') || 'none'}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  // ------------------------------------------------------------------ Socket Mode

  /** Wait for the app to connect over Socket Mode. */
  waitForSocket(timeoutMs = 5000): Promise<void> {
    if (this.sockets.size > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fake Slack: no Socket Mode connection')), timeoutMs);
      this.connectionWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Send an envelope to the connected app and resolve with its ack. */
  sendEnvelope(type: 'events_api' | 'slash_commands' | 'interactive', payload: unknown, timeoutMs = 5000): Promise<SocketAck> {
    const ws = [...this.sockets][0];
    if (!ws) return Promise.reject(new Error('fake Slack: no Socket Mode connection'));
    this.envelopeCounter += 1;
    const envelope_id = `env-${this.envelopeCounter}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake Slack: envelope ${envelope_id} was not acknowledged`)), timeoutMs);
      this.acks.set(envelope_id, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
      ws.send(JSON.stringify({ envelope_id, type, payload, retry_attempt: 0, retry_reason: '', accepts_response_payload: type !== 'events_api' }));
    });
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      try {
        const msg = JSON.parse(String(data)) as SocketAck;
        const done = msg.envelope_id ? this.acks.get(msg.envelope_id) : undefined;
        if (done && msg.envelope_id) {
          this.acks.delete(msg.envelope_id);
          done(msg);
        }
      } catch {
        // not JSON: ignore (pings are frames, not messages)
      }
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-slack', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0FAKE' } }));
    const waiters = this.connectionWaiters;
    this.connectionWaiters = [];
    for (const w of waiters) w(ws);
  }

  // ------------------------------------------------------------------ HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = req.url ?? '/';
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
    if (url.startsWith('/response/')) {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw || '{}') as Record<string, unknown>;
      } catch {
        body = { raw };
      }
      this.record({ method: 'response_url', args: { ...body, url }, token, outcome: 'ok' });
      send(res, 200, { ok: true });
      return;
    }
    const m = url.match(/^\/api\/([A-Za-z0-9_.]+)/);
    if (!m) {
      send(res, 404, { ok: false, error: 'unknown_path' });
      return;
    }
    const method = m[1]!;
    const args = parseArgs(raw, String(req.headers['content-type'] ?? ''));
    const failure = this.takeFailure(method);
    const call: SlackCall = { method, args, token: token ?? (typeof args.token === 'string' ? args.token : null), outcome: 'ok' };
    if (failure) {
      switch (failure.kind) {
        case 'ok_false':
          call.outcome = 'ok_false';
          this.record(call);
          send(res, 200, { ok: false, error: failure.error ?? 'channel_not_found' });
          return;
        case 'rate_limited':
          call.outcome = 'rate_limited';
          this.record(call);
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(failure.retryAfterSec ?? 1) });
          res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
          return;
        case 'server_error':
          call.outcome = 'server_error';
          this.record(call);
          res.writeHead(failure.status ?? 500, { 'content-type': 'text/plain' });
          res.end('internal error');
          return;
        case 'hang':
          call.outcome = 'hang';
          this.record(call);
          this.hanging.add(res);
          res.on('close', () => this.hanging.delete(res));
          return;
        case 'acceptThenHang':
          call.outcome = 'accepted_hang';
          this.answer(method, args, call);
          this.record(call);
          this.hanging.add(res);
          res.on('close', () => this.hanging.delete(res));
          return;
      }
    }
    this.record(call);
    const body = this.answer(method, args, call);
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    send(res, 200, body);
  }

  private takeFailure(method: string): SlackFailure | undefined {
    for (const key of [method, '*']) {
      const list = this.failures.get(key);
      if (list?.length) return list.shift();
    }
    return this.outage ?? undefined;
  }

  private record(call: SlackCall): void {
    this.calls.push(call);
    for (const w of [...this.waiters]) {
      if (w.pred(call)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(call);
      }
    }
  }

  private nextTs(): string {
    this.tsCounter += 1;
    const sec = this.options.clock ? Math.floor(this.options.clock.now() / 1000) : 1800000000;
    return `${sec}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  // biome-ignore lint/suspicious/noExplicitAny: free-form Slack answers
  private answer(method: string, args: Record<string, any>, call: SlackCall): Record<string, any> {
    const custom = this.handlers.get(method);
    if (custom) return custom(args, call);
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'Fake', ...this.identity };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        const root = args.thread_ts ? this.messages.find((mm) => mm.channel === args.channel && mm.ts === args.thread_ts) : undefined;
        if (root && !root.thread_ts) root.thread_ts = root.ts;
        this.messages.push({
          channel: String(args.channel),
          ts,
          user: this.identity.user_id,
          bot_id: this.identity.bot_id,
          text: String(args.text ?? ''),
          ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
          ...(args.blocks ? { blocks: args.blocks } : {}),
          ...(args.metadata && typeof args.metadata === 'object' ? { metadata: args.metadata } : {}),
        });
        return { ok: true, channel: args.channel, ts, message: { type: 'message', text: args.text, ts, thread_ts: args.thread_ts, bot_id: this.identity.bot_id } };
      }
      case 'chat.update': {
        const msg = this.messages.find((mm) => mm.channel === args.channel && mm.ts === args.ts);
        if (msg) {
          msg.text = String(args.text ?? msg.text);
          if (args.blocks) msg.blocks = args.blocks;
          if (args.metadata && typeof args.metadata === 'object') msg.metadata = args.metadata;
        }
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.getPermalink':
        return { ok: true, permalink: `https://fake.slack.test/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}` };
      case 'users.info':
        return { ok: true, user: { id: args.user, name: String(args.user).toLowerCase(), profile: { image_72: `https://fake.slack.test/avatars/${args.user}_72.png` } } };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? 'X').split(',')[0]}` } };
      case 'views.open':
      case 'views.publish':
      case 'views.update':
        return { ok: true, view: { id: `V${this.nextTs().replace('.', '')}`, ...(typeof args.view === 'object' ? args.view : {}) } };
      case 'usergroups.users.list': {
        const users = this.userGroups.get(String(args.usergroup));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'conversations.history': {
        const msgs = this.messages
          .filter((mm) => mm.channel === args.channel && inRange(mm.ts, args) && (!mm.thread_ts || mm.thread_ts === mm.ts))
          .sort((a, b) => Number(b.ts) - Number(a.ts));
        return page(msgs, args);
      }
      case 'conversations.replies': {
        const target = this.messages.find((mm) => mm.channel === args.channel && mm.ts === args.ts);
        // A thread whose parent the fake never stored (it came as an event) still has its replies.
        const root = target ? (target.thread_ts ?? target.ts) : this.messages.some((mm) => mm.channel === args.channel && mm.thread_ts === args.ts) ? String(args.ts) : null;
        if (!root) return { ok: false, error: 'thread_not_found' };
        const msgs = this.messages.filter((mm) => mm.channel === args.channel && (mm.ts === root || mm.thread_ts === root) && inRange(mm.ts, args));
        return page(msgs, args);
      }
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket?ticket=fake` };
      default:
        return { ok: true };
    }
  }

  /** Stop the server, releasing hanging requests and sockets. */
  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

// biome-ignore lint/suspicious/noExplicitAny: decoded arguments are free-form
function inRange(ts: string, args: Record<string, any>): boolean {
  const t = Number(ts);
  return (!args.latest || t <= Number(args.latest)) && (!args.oldest || t >= Number(args.oldest));
}

/** One page of messages as Slack returns them (cursor = offset; metadata only when asked for). */
// biome-ignore lint/suspicious/noExplicitAny: decoded arguments are free-form
function page(msgs: StoredMessage[], args: Record<string, any>): Record<string, unknown> {
  const limit = Number(args.limit ?? 100);
  const from = Number(args.cursor ?? 0) || 0;
  const slice = msgs.slice(from, from + limit);
  const withMeta = args.include_all_metadata === true || args.include_all_metadata === 'true';
  const more = from + limit < msgs.length;
  return {
    ok: true,
    messages: slice.map(({ channel: _c, metadata, ...rest }) => ({ type: 'message', ...rest, ...(withMeta && metadata ? { metadata } : {}) })),
    has_more: more,
    response_metadata: { next_cursor: more ? String(from + limit) : '' },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// biome-ignore lint/suspicious/noExplicitAny: decoded arguments are free-form
function parseArgs(raw: string, contentType: string): Record<string, any> {
  // biome-ignore lint/suspicious/noExplicitAny: decoded arguments are free-form
  let out: Record<string, any> = {};
  if (contentType.includes('application/json')) {
    try {
      out = JSON.parse(raw || '{}');
    } catch {
      out = {};
    }
    return out;
  }
  for (const [k, v] of new URLSearchParams(raw)) {
    if (JSON_ARGS.has(k)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // keep the string
      }
    }
    out[k] = v;
  }
  return out;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Every human-visible text in Block Kit blocks, flattened (for "contains" assertions). */
export function blockText(blocks: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
      for (const [k, val] of Object.entries(o)) if (k !== 'text' || typeof val !== 'string') walk(val);
    }
  };
  walk(blocks);
  return out.join('\n');
}
