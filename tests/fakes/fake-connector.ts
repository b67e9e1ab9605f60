/**
 * A fake Microsoft Bot Connector on 127.0.0.1: the REAL botbuilder CloudAdapter sends its
 * replies, updates, proactive messages and conversation creations here. Every request is
 * recorded as it crossed the wire (decoded conversation id, activity id, JSON body) so tests
 * assert on what Teams would have received. It can answer 429 (with Retry-After), 5xx or
 * 4xx for the next request(s).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One request as the connector saw it. */
export interface ConnectorRequest {
  method: string;
  /** What the request did. */
  kind: 'send' | 'reply' | 'update' | 'delete' | 'create_conversation' | 'get_member' | 'other';
  /** Decoded conversation id from the URL (with any `;messageid=` suffix). */
  conversationId?: string;
  /** Decoded activity id from the URL (reply target or updated activity). */
  activityId?: string;
  /** Decoded member id (get_member). */
  memberId?: string;
  authorization?: string;
  // biome-ignore lint/suspicious/noExplicitAny: recorded JSON is inspected freely in tests
  body: any;
  /** Status the fake answered with. */
  status: number;
  /** Id the fake returned for a created activity / conversation. */
  returnedId?: string;
}

export interface FakeMember {
  id: string;
  name: string;
  aadObjectId?: string;
  userPrincipalName?: string;
}

interface Failure {
  status: number;
  retryAfterSec?: number;
}

export interface FakeConnector {
  /** serviceUrl to put into activities, ending with a slash. */
  url: string;
  requests: ConnectorRequest[];
  /** Requests that sent or updated a message (send, reply, update). */
  messages(): ConnectorRequest[];
  /** Make the next `count` requests fail with this status. */
  failNext(status: number, opts?: { retryAfterSec?: number; count?: number }): void;
  /** Members the connector knows (for GET .../members/{id}). */
  addMember(m: FakeMember): void;
  /** Personal conversations created through POST /v3/conversations: conversation id → member ids. */
  createdConversations: Map<string, string[]>;
  clear(): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Start a fake Bot Connector on 127.0.0.1 with a free port. */
export async function startFakeConnector(): Promise<FakeConnector> {
  const requests: ConnectorRequest[] = [];
  const failures: Failure[] = [];
  const members = new Map<string, FakeMember>();
  const createdConversations = new Map<string, string[]>();
  let seq = 0;
  const nextId = () => `1700000000${String(++seq).padStart(3, '0')}`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readJson(req);
    const path = (req.url ?? '/').split('?')[0]!;
    const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
    const method = req.method ?? 'GET';
    const rec: ConnectorRequest = { method, kind: 'other', body, status: 200, authorization: req.headers.authorization };
    // /v3/conversations[/{conv}[/activities[/{id}] | /members/{id}]]
    if (parts[0] === 'v3' && parts[1] === 'conversations') {
      rec.conversationId = parts[2];
      if (parts.length === 2 && method === 'POST') rec.kind = 'create_conversation';
      else if (parts[3] === 'activities' && parts.length === 4 && method === 'POST') rec.kind = 'send';
      else if (parts[3] === 'activities' && parts.length === 5) {
        rec.activityId = parts[4];
        rec.kind = method === 'POST' ? 'reply' : method === 'PUT' ? 'update' : method === 'DELETE' ? 'delete' : 'other';
      } else if (parts[3] === 'members' && parts.length === 5 && method === 'GET') {
        rec.kind = 'get_member';
        rec.memberId = parts[4];
      }
    }
    requests.push(rec);
    const failure = failures.shift();
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(json));
    };
    if (failure) {
      const headers: Record<string, string> = failure.retryAfterSec !== undefined ? { 'retry-after': String(failure.retryAfterSec) } : {};
      send(failure.status, { error: { code: failure.status === 429 ? 'Throttled' : 'ServiceError', message: `fake connector answered ${failure.status}` } }, headers);
      return;
    }
    switch (rec.kind) {
      case 'create_conversation': {
        const id = `a:personal-${++seq}`;
        const b = body as { members?: { id: string }[] } | null;
        createdConversations.set(id, (b?.members ?? []).map((m) => m.id));
        rec.returnedId = id;
        send(201, { id });
        return;
      }
      case 'send':
      case 'reply': {
        const id = nextId();
        rec.returnedId = id;
        send(201, { id });
        return;
      }
      case 'update':
        rec.returnedId = rec.activityId;
        send(200, { id: rec.activityId });
        return;
      case 'delete':
        send(200, {});
        return;
      case 'get_member': {
        const m = members.get(rec.memberId ?? '');
        if (m) send(200, m);
        else send(404, { error: { code: 'MemberNotFoundInConversation', message: 'not a member' } });
        return;
      }
      default:
        send(404, { error: { code: 'NotFound', message: `${method} ${path}` } });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    messages: () => requests.filter((r) => (r.kind === 'send' || r.kind === 'reply' || r.kind === 'update') && r.status < 300),
    failNext(status, opts = {}) {
      for (let i = 0; i < (opts.count ?? 1); i++) failures.push({ status, retryAfterSec: opts.retryAfterSec });
    },
    addMember(m) {
      members.set(m.id, m);
      if (m.aadObjectId) members.set(m.aadObjectId, m);
    },
    createdConversations,
    clear() {
      requests.length = 0;
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
