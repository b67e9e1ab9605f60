/**
 * A fake Jira Cloud (REST v3) on 127.0.0.1 for tests that drive the REAL jira.js Version3Client
 * (config `trackers.jira.site` = `fake.url`). It serves just what src/trackers/jira.ts calls:
 *   GET  /rest/api/3/myself
 *   POST /rest/api/3/issue                       create (project, issuetype, priority names checked)
 *   GET  /rest/api/3/issue/:key                  read
 *   GET  /rest/api/3/search/jql?jql=…            search; the JQL is PARSED (quoted strings with
 *        backslash escapes), so a badly escaped query fails here as it would on Jira
 *   GET  /rest/api/3/issue/:key/comment          list (startAt, maxResults, orderBy ±created)
 *   POST /rest/api/3/issue/:key/comment          comment (ADF body)
 *   POST /rest/api/3/issue/:key/remotelink       remote link
 * Basic auth must be `email:token`; otherwise 401. Requests are recorded (`requests`).
 * `transition`, `comment` change an issue server-side; `delivery` builds a signed webhook.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { FakeHttp, matchPath, type RecordedRequest, type Reply, steppingClock } from './fake-http.js';

type Category = 'new' | 'indeterminate' | 'done';

interface JiraUser {
  accountId: string;
  displayName: string;
}

interface JiraComment {
  id: string;
  author: JiraUser;
  body: unknown;
  created: string;
  updated: string;
}

export interface JiraIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  description: unknown;
  issuetype: string;
  labels: string[];
  priority: string | null;
  status: { name: string; category: Category };
  resolution: string | null;
  assignee: JiraUser | null;
  created: string;
  updated: string;
  comments: JiraComment[];
  remoteLinks: { id: number; globalId?: string; object: { url: string; title: string; icon?: unknown } }[];
}

export interface FakeJiraOptions {
  email?: string;
  token?: string;
  projects?: string[];
  priorities?: string[];
  issueTypes?: string[];
  clock?: { now(): number };
}

/** Every text node of an ADF document, joined by spaces (independent of the code under test). */
export function adfTexts(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { text?: string; content?: unknown[] };
  return [n.text ?? '', ...(n.content ?? []).map(adfTexts)].filter(Boolean).join(' ');
}

const CATEGORY_NAMES: Record<Category, string> = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' };

/** Jira's timestamp format: 2027-01-04T09:00:01.000+0000. */
const jiraTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

export class FakeJira {
  readonly issues: JiraIssue[] = [];
  readonly email: string;
  readonly token: string;
  readonly me: JiraUser = { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'frontdesk bot' };
  private readonly projects: Set<string>;
  private readonly priorities: Set<string>;
  private readonly issueTypes: Set<string>;
  private readonly clock: { now(): number };
  private seq = 10_000;

  private constructor(
    private readonly http: FakeHttp,
    opts: FakeJiraOptions,
  ) {
    this.email = opts.email ?? 'bot@acme.test';
    this.token = opts.token ?? 'jira-token';
    this.projects = new Set(opts.projects ?? ['OPS']);
    this.priorities = new Set(opts.priorities ?? ['Highest', 'High', 'Medium', 'Low', 'Lowest']);
    this.issueTypes = new Set(opts.issueTypes ?? ['Bug', 'Task']);
    this.clock = opts.clock ?? steppingClock();
  }

  static async start(opts: FakeJiraOptions = {}): Promise<FakeJira> {
    let fake: FakeJira | null = null;
    const http = await FakeHttp.start((req) => fake!.route(req));
    fake = new FakeJira(http, opts);
    return fake;
  }

  get url(): string {
    return this.http.url;
  }
  get requests(): RecordedRequest[] {
    return this.http.requests;
  }
  failNext(...args: Parameters<FakeHttp['failNext']>): void {
    this.http.failNext(...args);
  }
  close(): Promise<void> {
    return this.http.close();
  }

  issue(key: string): JiraIssue {
    const i = this.issues.find((x) => x.key === key);
    if (!i) throw new Error(`fake Jira has no issue ${key}`);
    return i;
  }

  /** Server-side: move the issue to a status (and resolution when done). */
  transition(key: string, to: Category, opts: { name?: string; resolution?: string; assignee?: string } = {}): JiraIssue {
    const i = this.issue(key);
    i.status = { name: opts.name ?? CATEGORY_NAMES[to], category: to };
    i.resolution = to === 'done' ? (opts.resolution ?? 'Done') : null;
    if (opts.assignee) i.assignee = { accountId: `acc-${opts.assignee}`, displayName: opts.assignee };
    i.updated = jiraTime(this.clock.now());
    return i;
  }

  /** Server-side: someone comments (plain text becomes a one-paragraph ADF body). */
  comment(key: string, who: string, text: string): JiraComment {
    const i = this.issue(key);
    const at = jiraTime(this.clock.now());
    const c: JiraComment = {
      id: String(++this.seq),
      author: { accountId: `acc-${who}`, displayName: who },
      body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
      created: at,
      updated: at,
    };
    i.comments.push(c);
    i.updated = at;
    return c;
  }

  issueJson(i: JiraIssue): Record<string, unknown> {
    return {
      id: i.id,
      key: i.key,
      self: `${this.url}/rest/api/3/issue/${i.id}`,
      fields: {
        summary: i.summary,
        description: i.description,
        issuetype: { name: i.issuetype },
        labels: i.labels,
        priority: i.priority ? { name: i.priority } : null,
        status: { name: i.status.name, statusCategory: { key: i.status.category, name: CATEGORY_NAMES[i.status.category] } },
        resolution: i.resolution ? { name: i.resolution } : null,
        assignee: i.assignee,
        project: { key: i.project },
        created: i.created,
        updated: i.updated,
      },
    };
  }

  /** A `jira:issue_updated` payload for a status change, as Jira Cloud sends it. */
  statusChangedPayload(key: string, from: string, who = 'dev-alice'): Record<string, unknown> {
    const i = this.issue(key);
    return {
      timestamp: Date.parse(i.updated),
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: 'issue_generic',
      user: { accountId: `acc-${who}`, displayName: who },
      issue: this.issueJson(i),
      changelog: { id: String(++this.seq), items: [{ field: 'status', fieldtype: 'jira', from: '1', fromString: from, to: '2', toString: i.status.name }] },
    };
  }

  /** A `comment_created` payload. */
  commentPayload(key: string, c: JiraComment): Record<string, unknown> {
    const i = this.issue(key);
    return { timestamp: Date.parse(c.created), webhookEvent: 'comment_created', comment: c, issue: { id: i.id, key: i.key, fields: { summary: i.summary } } };
  }

  /**
   * A webhook delivery from a Jira admin webhook with a secret: `X-Hub-Signature: sha256=<hex
   * HMAC-SHA256 of the raw body>` and `X-Atlassian-Webhook-Identifier`.
   */
  delivery(payload: Record<string, unknown>, secret: string, identifier: string | null = randomUUID()) {
    const rawBody = Buffer.from(JSON.stringify(payload));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-atlassian-webhook-flow': 'Primary',
      'x-hub-signature': `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`,
    };
    if (identifier) headers['x-atlassian-webhook-identifier'] = identifier;
    return { headers, rawBody, body: payload };
  }

  private route(req: RecordedRequest): Reply {
    const want = `Basic ${Buffer.from(`${this.email}:${this.token}`).toString('base64')}`;
    if (req.headers.authorization !== want) return { status: 401, body: { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} } };
    const notFound: Reply = { status: 404, body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} } };
    const { method, path } = req;
    if (method === 'GET' && path === '/rest/api/3/myself') return { status: 200, body: { ...this.me, active: true } };
    if (method === 'POST' && path === '/rest/api/3/issue') return this.create(req.body);
    if (method === 'GET' && path === '/rest/api/3/search/jql') return this.search(req.query);
    const m = matchPath('/rest/api/3/issue/:key', path) ?? matchPath('/rest/api/3/issue/:key/:sub', path);
    if (!m) return { status: 404, body: { errorMessages: [`no route ${method} ${path}`] } };
    const i = this.issues.find((x) => x.key === m.key || x.id === m.key);
    if (!i) return notFound;
    if (!m.sub && method === 'GET') return { status: 200, body: this.issueJson(i) };
    if (m.sub === 'comment' && method === 'POST') {
      const at = jiraTime(this.clock.now());
      const c: JiraComment = { id: String(++this.seq), author: this.me, body: req.body.body, created: at, updated: at };
      i.comments.push(c);
      i.updated = at;
      return { status: 201, body: c };
    }
    if (m.sub === 'comment' && method === 'GET') {
      const startAt = Number(req.query.startAt ?? 0);
      const maxResults = Number(req.query.maxResults ?? 50);
      const sorted = [...i.comments].sort((a, b) => a.created.localeCompare(b.created));
      if (req.query.orderBy === '-created') sorted.reverse();
      return { status: 200, body: { startAt, maxResults, total: sorted.length, comments: sorted.slice(startAt, startAt + maxResults) } };
    }
    if (m.sub === 'remotelink' && method === 'POST') {
      if (!req.body?.object?.url || !req.body?.object?.title) return { status: 400, body: { errorMessages: [], errors: { object: 'url and title are required' } } };
      const link = { id: ++this.seq, globalId: req.body.globalId, object: req.body.object };
      const existing = i.remoteLinks.findIndex((l) => l.globalId && l.globalId === link.globalId);
      if (existing >= 0) i.remoteLinks[existing] = link;
      else i.remoteLinks.push(link);
      return { status: existing >= 0 ? 200 : 201, body: { id: link.id, self: `${this.url}/rest/api/3/issue/${i.key}/remotelink/${link.id}` } };
    }
    return { status: 405, body: { errorMessages: [`${method} not allowed on ${path}`] } };
  }

  private create(body: { fields?: Record<string, Record<string, string> & { name?: string }> }): Reply {
    const f = (body?.fields ?? {}) as Record<string, Record<string, unknown>>;
    const errors: Record<string, string> = {};
    const project = f.project?.key as string | undefined;
    if (!project || !this.projects.has(project)) errors.project = 'valid project is required';
    if (!f.summary) errors.summary = 'You must specify a summary of the issue.';
    const type = f.issuetype?.name as string | undefined;
    if (!type || !this.issueTypes.has(type)) errors.issuetype = 'Specify an issue type';
    const priority = f.priority?.name as string | undefined;
    if (priority !== undefined && !this.priorities.has(priority)) errors.priority = `Specify the Priority (id or name) in the string format`;
    if (f.description && (f.description as { type?: string }).type !== 'doc') errors.description = 'Operation value must be an Atlassian Document.';
    if (Object.keys(errors).length) return { status: 400, body: { errorMessages: [], errors } };
    const at = jiraTime(this.clock.now());
    const n = this.issues.filter((x) => x.project === project).length + 1;
    const i: JiraIssue = {
      id: String(++this.seq),
      key: `${project}-${n}`,
      project: project!,
      summary: f.summary as unknown as string,
      description: f.description ?? null,
      issuetype: type!,
      labels: (f.labels as unknown as string[]) ?? [],
      priority: priority ?? null,
      status: { name: 'To Do', category: 'new' },
      resolution: null,
      assignee: null,
      created: at,
      updated: at,
      comments: [],
      remoteLinks: [],
    };
    this.issues.push(i);
    return { status: 201, body: { id: i.id, key: i.key, self: `${this.url}/rest/api/3/issue/${i.id}` } };
  }

  private search(query: Record<string, string>): Reply {
    const str = '"((?:[^"\\\\]|\\\\.)*)"';
    const m = new RegExp(`^project = ${str}(?: AND text ~ ${str})? ORDER BY updated DESC$`).exec(query.jql ?? '');
    if (!m) return { status: 400, body: { errorMessages: [`Error in the JQL Query: cannot parse ${query.jql}`], errors: {} } };
    const unquote = (s: string) => s.replace(/\\(.)/g, '$1');
    const project = unquote(m[1]!);
    if (!this.projects.has(project)) return { status: 400, body: { errorMessages: [`The value '${project}' does not exist for the field 'project'.`], errors: {} } };
    const terms = m[2] ? unquote(m[2]).toLowerCase().split(/\s+/).filter(Boolean) : [];
    const hits = this.issues
      .filter((i) => i.project === project)
      .filter((i) => terms.every((t) => `${i.summary} ${adfTexts(i.description)}`.toLowerCase().includes(t)))
      .sort((a, b) => b.updated.localeCompare(a.updated))
      .slice(0, Number(query.maxResults ?? 50));
    return { status: 200, body: { issues: hits.map((i) => this.issueJson(i)), isLast: true } };
  }
}
