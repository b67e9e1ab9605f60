/**
 * The small HTTP core the fake trackers (GitHub, Jira, Linear) share: a server on 127.0.0.1 (random
 * port) that parses each request's JSON body, records it (method, path, query, headers, body) and
 * hands it to the fake's router. Scripted failures answer the next matching request(s) with a
 * status, headers and body before the router sees them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are inspected freely in assertions
  body: any;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ScriptedFailure extends Reply {
  /** Only requests whose path matches (default: any). */
  path?: RegExp;
  /** Never answer (until the fake closes), for client timeouts. */
  hang?: boolean;
}

export type Router = (req: RecordedRequest) => Reply;

export class FakeHttp {
  readonly requests: RecordedRequest[] = [];
  private readonly failures: ScriptedFailure[] = [];
  private readonly holds: { path: RegExp; gate: Promise<void> }[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(router: Router): Promise<FakeHttp> {
    let fake: FakeHttp | null = null;
    const server = createServer((req, res) => {
      void fake!.handle(req, res, router);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    fake = new FakeHttp(server, (server.address() as AddressInfo).port);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Answer the next `times` requests (matching `failure.path`) with this reply instead. */
  failNext(failure: ScriptedFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  /**
   * Hold the next request matching `path` (a slow tracker): it is answered normally once the
   * returned `release` is called.
   */
  holdNext(path: RegExp): () => void {
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    this.holds.push({ path, gate });
    return () => release();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse, router: Router): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    let body: unknown = raw;
    if (raw && (headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body };
    this.requests.push(recorded);
    const h = this.holds.findIndex((x) => x.path.test(recorded.path));
    if (h >= 0) await this.holds.splice(h, 1)[0]!.gate;
    const i = this.failures.findIndex((f) => !f.path || f.path.test(recorded.path));
    let reply: Reply;
    if (i >= 0) {
      const failure = this.failures.splice(i, 1)[0]!;
      if (failure.hang) return;
      reply = failure;
    }
    else {
      try {
        reply = router(recorded);
      } catch (err) {
        reply = { status: 500, body: { message: `fake crashed: ${(err as Error).message}` } };
      }
    }
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }
}

/** Match `path` against a pattern like `/repos/:owner/:repo/issues/:n`; returns the named parts or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(':')) out[p[i]!.slice(1)] = decodeURIComponent(s[i]!);
    else if (p[i] !== s[i]) return null;
  }
  return out;
}

/** A clock for the fakes' timestamps: a fixed start that moves one second per server-side change. */
export function steppingClock(start = Date.UTC(2027, 0, 4, 9, 0, 0)): { now(): number } {
  let t = start;
  return { now: () => (t += 1000) };
}
