/**
 * A fake Linear GraphQL API on 127.0.0.1 for tests that drive the REAL @linear/sdk LinearClient
 * (`apiUrl` = `fake.apiUrl`). POST /graphql with `{ query, variables }`; the operation is
 * recognised by its NAME (FrontdeskIssue, FrontdeskIssueCreate, …, see LINEAR_OPERATIONS in
 * src/trackers/linear.ts) and answered with the shape the selection asks for. An unknown
 * operation is a GraphQL error, so a renamed query fails loudly. Errors look like Linear's:
 * HTTP 400 with `errors[].extensions.type` ("authentication error", "invalid input", "ratelimited").
 * The API key must equal `apiKey` (sent raw in Authorization, as the SDK does for personal keys).
 * `moveTo`, `comment` change an issue server-side; `delivery` builds a signed webhook delivery.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { FakeHttp, type RecordedRequest, type Reply, steppingClock } from './fake-http.js';

type StateType = 'triage' | 'backlog' | 'unstarted' | 'started' | 'completed' | 'canceled';

interface LinUser {
  id: string;
  name: string;
  displayName: string;
}

interface LinComment {
  id: string;
  body: string;
  createdAt: string;
  user: LinUser;
}

export interface LinIssue {
  id: string;
  identifier: string;
  teamId: string;
  title: string;
  description: string;
  priority: number;
  labelIds: string[];
  state: { id: string; name: string; type: StateType };
  assignee: LinUser | null;
  createdAt: string;
  updatedAt: string;
  comments: LinComment[];
  attachments: { url: string; title: string }[];
}

export interface FakeLinearOptions {
  apiKey?: string;
  clock?: { now(): number };
}

const STATES: Record<StateType, string> = { triage: 'Triage', backlog: 'Backlog', unstarted: 'Todo', started: 'In Progress', completed: 'Done', canceled: 'Canceled' };

const gqlError = (type: string, message: string, status = 400): Reply => ({
  status,
  body: { errors: [{ message, extensions: { type, code: type.toUpperCase().replace(/ /g, '_'), userPresentableMessage: message } }], data: null },
});

export class FakeLinear {
  readonly issues: LinIssue[] = [];
  readonly apiKey: string;
  readonly viewer: LinUser = { id: 'user-bot', name: 'frontdesk bot', displayName: 'frontdesk' };
  readonly teams = [{ id: 'team-eng', key: 'ENG', name: 'Engineering', labels: [{ id: 'lbl-bug', name: 'Bug' }, { id: 'lbl-support', name: 'support' }] }];
  readonly workspaceLabels = [{ id: 'lbl-frontdesk', name: 'from-frontdesk' }];
  private readonly clock: { now(): number };
  private seq = 100;

  private constructor(
    private readonly http: FakeHttp,
    opts: FakeLinearOptions,
  ) {
    this.apiKey = opts.apiKey ?? 'lin_api_test';
    this.clock = opts.clock ?? steppingClock();
  }

  static async start(opts: FakeLinearOptions = {}): Promise<FakeLinear> {
    let fake: FakeLinear | null = null;
    const http = await FakeHttp.start((req) => fake!.route(req));
    fake = new FakeLinear(http, opts);
    return fake;
  }

  get apiUrl(): string {
    return `${this.http.url}/graphql`;
  }
  get requests(): RecordedRequest[] {
    return this.http.requests;
  }
  /** The operation names received, in order. */
  get operations(): string[] {
    return this.requests.map((r) => operationName(r.body?.query ?? '') ?? '?');
  }
  failNext(...args: Parameters<FakeHttp['failNext']>): void {
    this.http.failNext(...args);
  }
  close(): Promise<void> {
    return this.http.close();
  }

  issue(key: string): LinIssue {
    const i = this.issues.find((x) => x.identifier === key || x.id === key);
    if (!i) throw new Error(`fake Linear has no issue ${key}`);
    return i;
  }

  /** Server-side: move the issue to a workflow state of this type. */
  moveTo(key: string, type: StateType, assignee?: string): LinIssue {
    const i = this.issue(key);
    i.state = { id: `state-${type}`, name: STATES[type], type };
    if (assignee) i.assignee = { id: `user-${assignee}`, name: assignee, displayName: assignee };
    i.updatedAt = this.iso();
    return i;
  }

  /** Server-side: someone comments. */
  comment(key: string, who: string, body: string): LinComment {
    const i = this.issue(key);
    const c: LinComment = { id: `comment-${++this.seq}`, body, createdAt: this.iso(), user: { id: `user-${who}`, name: who, displayName: who } };
    i.comments.push(c);
    i.updatedAt = c.createdAt;
    return c;
  }

  issueJson(i: LinIssue): Record<string, unknown> {
    return {
      id: i.id,
      identifier: i.identifier,
      title: i.title,
      url: this.url(i),
      updatedAt: i.updatedAt,
      state: i.state,
      assignee: i.assignee,
    };
  }

  /** The body of an `Issue` `update` webhook (a state change), as Linear sends it. */
  issueUpdatePayload(key: string, fromStateId: string, webhookTimestamp: number, actor = 'dev-alice'): Record<string, unknown> {
    const i = this.issue(key);
    return {
      action: 'update',
      type: 'Issue',
      actor: { id: `user-${actor}`, name: actor, type: 'user' },
      createdAt: i.updatedAt,
      data: { ...this.issueJson(i), stateId: i.state.id, state: { ...i.state, color: '#5e6ad2' }, teamId: i.teamId, priority: i.priority, labelIds: i.labelIds, description: i.description },
      updatedFrom: { stateId: fromStateId, updatedAt: i.createdAt },
      url: this.url(i),
      organizationId: 'org-1',
      webhookTimestamp,
      webhookId: 'webhook-1',
    };
  }

  /** The body of a `Comment` `create` webhook. */
  commentCreatePayload(key: string, c: LinComment, webhookTimestamp: number): Record<string, unknown> {
    const i = this.issue(key);
    return {
      action: 'create',
      type: 'Comment',
      actor: { id: c.user.id, name: c.user.name, type: 'user' },
      createdAt: c.createdAt,
      data: { id: c.id, body: c.body, createdAt: c.createdAt, updatedAt: c.createdAt, issueId: i.id, userId: c.user.id, user: { id: c.user.id, name: c.user.name }, issue: { id: i.id, identifier: i.identifier, title: i.title, teamId: i.teamId, url: this.url(i) } },
      url: `${this.url(i)}#comment-${c.id}`,
      organizationId: 'org-1',
      webhookTimestamp,
      webhookId: 'webhook-1',
    };
  }

  /** A delivery as Linear sends it: `Linear-Signature` = hex HMAC-SHA256 of the raw body, `Linear-Delivery`. */
  delivery(payload: Record<string, unknown>, secret: string, deliveryId: string | null = randomUUID()) {
    const rawBody = Buffer.from(JSON.stringify(payload));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'linear-event': String(payload.type),
      'linear-signature': createHmac('sha256', secret).update(rawBody).digest('hex'),
    };
    if (deliveryId) headers['linear-delivery'] = deliveryId;
    return { headers, rawBody, body: payload };
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private url(i: LinIssue): string {
    return `https://linear.app/acme/issue/${i.identifier}/${i.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
  }

  private route(req: RecordedRequest): Reply {
    if (req.method !== 'POST' || req.path !== '/graphql') return { status: 404, body: { message: 'not found' } };
    if (req.headers.authorization !== this.apiKey) return gqlError('authentication error', 'Authentication required, not authenticated');
    const op = operationName(req.body?.query ?? '');
    const v = req.body?.variables ?? {};
    switch (op) {
      case 'FrontdeskViewer':
        return ok({ viewer: this.viewer });
      case 'FrontdeskTeams':
        return ok({ teams: { nodes: this.teams.map((t) => ({ ...t, labels: { nodes: t.labels } })) }, issueLabels: { nodes: this.workspaceLabels } });
      case 'FrontdeskIssue': {
        const i = this.issues.find((x) => x.identifier === v.id || x.id === v.id);
        return i ? ok({ issue: this.issueJson(i) }) : gqlError('invalid input', 'Entity not found: Issue');
      }
      case 'FrontdeskIssueCreate': {
        const input = v.input ?? {};
        const team = this.teams.find((t) => t.id === input.teamId);
        if (!team) return gqlError('invalid input', 'Argument Validation Error: teamId must be a valid team');
        const known = new Set([...team.labels, ...this.workspaceLabels].map((l) => l.id));
        if ((input.labelIds ?? []).some((id: string) => !known.has(id))) return gqlError('invalid input', 'Argument Validation Error: labelIds');
        if (input.priority !== undefined && ![0, 1, 2, 3, 4].includes(input.priority)) return gqlError('invalid input', 'Argument Validation Error: priority');
        const at = this.iso();
        const n = this.issues.filter((x) => x.teamId === team.id).length + 1;
        const i: LinIssue = {
          id: `issue-${++this.seq}`,
          identifier: `${team.key}-${n}`,
          teamId: team.id,
          title: input.title,
          description: input.description ?? '',
          priority: input.priority ?? 0,
          labelIds: input.labelIds ?? [],
          state: { id: 'state-unstarted', name: STATES.unstarted, type: 'unstarted' },
          assignee: null,
          createdAt: at,
          updatedAt: at,
          comments: [],
          attachments: [],
        };
        this.issues.push(i);
        return ok({ issueCreate: { success: true, issue: this.issueJson(i) } });
      }
      case 'FrontdeskSearchIssues': {
        const terms = String(v.term ?? '')
          .toLowerCase()
          .split(/\s+/)
          .filter(Boolean);
        const hits = this.issues
          .filter((i) => !v.teamId || i.teamId === v.teamId)
          .filter((i) => terms.every((t) => `${i.title} ${i.description}`.toLowerCase().includes(t)))
          .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
          .slice(0, v.first ?? 50);
        return ok({ searchIssues: { nodes: hits.map((i) => this.issueJson(i)) } });
      }
      case 'FrontdeskFindByMarker': {
        const marker = String(v.marker ?? '');
        const hits = this.issues.filter((i) => i.teamId === v.teamId && marker !== '' && i.description.includes(marker)).slice(0, 5);
        return ok({ issues: { nodes: hits.map((i) => this.issueJson(i)) } });
      }
      case 'FrontdeskCommentCreate': {
        const i = this.issues.find((x) => x.identifier === v.input?.issueId || x.id === v.input?.issueId);
        if (!i) return gqlError('invalid input', 'Entity not found: Issue');
        const c: LinComment = { id: `comment-${++this.seq}`, body: v.input.body, createdAt: this.iso(), user: this.viewer };
        i.comments.push(c);
        i.updatedAt = c.createdAt;
        return ok({ commentCreate: { success: true, comment: { ...c, botActor: null } } });
      }
      case 'FrontdeskComments': {
        const i = this.issues.find((x) => x.identifier === v.id || x.id === v.id);
        if (!i) return gqlError('invalid input', 'Entity not found: Issue');
        const since = Date.parse(v.since);
        const all = i.comments.filter((c) => Date.parse(c.createdAt) > since);
        const start = v.after ? Number(v.after) : 0;
        const page = all.slice(start, start + 100);
        const end = start + page.length;
        return ok({ issue: { comments: { nodes: page.map((c) => ({ ...c, botActor: null })), pageInfo: { hasNextPage: end < all.length, endCursor: String(end) } } } });
      }
      case 'FrontdeskAttachmentLink': {
        const i = this.issues.find((x) => x.identifier === v.issueId || x.id === v.issueId);
        if (!i) return gqlError('invalid input', 'Entity not found: Issue');
        const existing = i.attachments.find((a) => a.url === v.url);
        if (existing) existing.title = v.title;
        else i.attachments.push({ url: v.url, title: v.title });
        return ok({ attachmentLinkURL: { success: true } });
      }
      default:
        return gqlError('graphql error', `Unknown operation ${op ?? '(anonymous)'}`);
    }
  }
}

const ok = (data: unknown): Reply => ({ status: 200, body: { data } });

export function operationName(query: string): string | null {
  return /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? null;
}
