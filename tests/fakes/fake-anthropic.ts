/**
 * A fake Anthropic Messages API on 127.0.0.1 (random port) for tests that drive the REAL
 * @anthropic-ai/sdk. It implements POST /v1/messages, records every request (headers + JSON body)
 * and answers from a per-test script: a tool_use built from a given input, output that fails the
 * schema, plain text without a tool call, 429 with retry-after, 529 overloaded, other statuses, or
 * a hang (for timeouts). Usage numbers, including cache tokens, are part of every answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** One scripted answer. */
export type FakeReply =
  /** A tool_use block with this input (tool name defaults to the request's tool_choice name). */
  | { kind: 'tool'; input: unknown; name?: string; usage?: Partial<FakeUsage>; stopReason?: string; until?: Promise<unknown> }
  /** A text-only answer with no tool call. */
  | { kind: 'text'; text: string; usage?: Partial<FakeUsage> }
  /** An error status with an Anthropic-shaped error body. */
  | { kind: 'status'; status: number; errorType?: string; headers?: Record<string, string> }
  /** Accept the request and never answer (until the server closes). */
  | { kind: 'hang' };

/** Builders for scripted answers. */
export const reply = {
  /** `until`: hold the answer until this promise settles (to observe concurrency). */
  tool: (input: unknown, opts: { name?: string; usage?: Partial<FakeUsage>; stopReason?: string; until?: Promise<unknown> } = {}): FakeReply => ({
    kind: 'tool',
    input,
    ...opts,
  }),
  text: (text: string, usage?: Partial<FakeUsage>): FakeReply => ({ kind: 'text', text, usage }),
  /** 429 with `retry-after` in seconds (default 0.01 s so tests stay fast). */
  rateLimited: (retryAfterSeconds = 0.01): FakeReply => ({
    kind: 'status',
    status: 429,
    errorType: 'rate_limit_error',
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  /** 529 overloaded (with a short `retry-after-ms` so the SDK's backoff stays small in tests). */
  overloaded: (retryAfterMs = 5): FakeReply => ({ kind: 'status', status: 529, errorType: 'overloaded_error', headers: { 'retry-after-ms': String(retryAfterMs) } }),
  status: (status: number, errorType = 'api_error', headers?: Record<string, string>): FakeReply => ({ kind: 'status', status, errorType, headers }),
  hang: (): FakeReply => ({ kind: 'hang' }),
};

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are inspected freely in assertions
  body: any;
}

const DEFAULT_USAGE: FakeUsage = { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

/**
 * @example
 * const fake = await FakeAnthropic.start();
 * fake.enqueue(reply.tool({ category: 'billing', ... }));
 * const env = { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url };
 * ...
 * expect(fake.requests[0]!.body.tool_choice).toEqual({ type: 'tool', name: 'record_triage' });
 * await fake.close();
 */
export class FakeAnthropic {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: FakeReply[] = [];
  private fallback: ((req: RecordedRequest, index: number) => FakeReply) | null = null;
  private readonly hanging = new Set<ServerResponse>();
  private inFlight = 0;
  /** Most requests that were being answered at the same time. */
  maxInFlight = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Start on 127.0.0.1 with a free port. */
  static async start(): Promise<FakeAnthropic> {
    let fake: FakeAnthropic | null = null;
    const server = createServer((req, res) => {
      void fake?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeAnthropic(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  /** Answers for the next requests, in order. */
  enqueue(...replies: FakeReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** The answer when the queue is empty (default: a 500 saying nothing was scripted). */
  otherwise(fn: (req: RecordedRequest, index: number) => FakeReply): this {
    this.fallback = fn;
    return this;
  }

  /** Requests to /v1/messages only. */
  get messageRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/v1/messages');
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers, body };
    this.requests.push(recorded);

    const send = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${this.requests.length}`, ...extra });
      res.end(JSON.stringify(payload));
    };
    const error = (status: number, type: string, message: string, extra?: Record<string, string>) =>
      send(status, { type: 'error', error: { type, message } }, extra);

    if (req.method !== 'POST' || path !== '/v1/messages') return error(404, 'not_found_error', `fake: no route ${req.method} ${path}`);
    const bearer = /^Bearer\s+\S+/.test(headers.authorization ?? '');
    if (!bearer && !headers['x-api-key']) return error(401, 'authentication_error', 'fake: missing Authorization: Bearer or x-api-key');

    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    const index = this.messageRequests.length - 1;
    const next = this.queue.shift() ?? this.fallback?.(recorded, index);
    if (!next) return error(500, 'api_error', 'fake: no scripted reply for this request');

    // biome-ignore lint/suspicious/noExplicitAny: request bodies are inspected freely
    const b = body as any;
    const model = typeof b?.model === 'string' ? b.model : 'claude-fake';
    const usage = (u?: Partial<FakeUsage>) => ({ ...DEFAULT_USAGE, ...u });
    switch (next.kind) {
      case 'hang':
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      case 'status':
        return error(next.status, next.errorType ?? 'api_error', `fake: scripted ${next.status}`, next.headers);
      case 'text':
        return send(200, {
          id: `msg_fake_${index}`,
          type: 'message',
          role: 'assistant',
          model,
          content: [{ type: 'text', text: next.text }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: usage(next.usage),
        });
      case 'tool':
        if (next.until) await next.until.catch(() => {});
        return send(200, {
          id: `msg_fake_${index}`,
          type: 'message',
          role: 'assistant',
          model,
          content: [{ type: 'tool_use', id: `toolu_fake_${index}`, name: next.name ?? b?.tool_choice?.name ?? 'tool', input: next.input }],
          stop_reason: next.stopReason ?? 'tool_use',
          stop_sequence: null,
          usage: usage(next.usage),
        });
    }
  }
}
