/**
 * A fake GitHub REST API on 127.0.0.1 for tests that drive the REAL @octokit/rest client
 * (GITHUB_API_URL = `fake.url`). It serves just what src/trackers/github.ts calls:
 *   GET  /user                                  the token's identity
 *   POST /repos/:owner/:repo/issues             create
 *   GET  /repos/:owner/:repo/issues             list (state, newest first by number, per_page)
 *   GET  /repos/:owner/:repo/issues/:n          read
 *   GET  /repos/:owner/:repo/issues/:n/comments list (`since` = updated since, paginated)
 *   POST /repos/:owner/:repo/issues/:n/comments comment
 *   GET  /search/issues?q=repo:o/r is:issue …   search (every remaining word must be in title or body)
 * Every request is recorded (`requests`). A token other than `token` gets 401 "Bad credentials";
 * a repository not in `repos` gets 404. `close`, `assign`, `comment` change an issue server-side
 * (for polling tests); `delivery` builds a correctly signed webhook delivery.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { FakeHttp, matchPath, type RecordedRequest, type Reply, steppingClock } from './fake-http.js';

interface GhComment {
  id: number;
  body: string;
  user: { login: string; type: 'User' | 'Bot' };
  created_at: string;
  updated_at: string;
  html_url: string;
}

export interface GhIssue {
  number: number;
  repo: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'reopened' | null;
  labels: string[];
  assignees: string[];
  created_at: string;
  updated_at: string;
  comments: GhComment[];
}

export interface FakeGithubOptions {
  token?: string;
  repos?: string[];
  /** Login GET /user reports for the token. */
  login?: string;
  clock?: { now(): number };
}

export class FakeGithub {
  readonly issues: GhIssue[] = [];
  readonly token: string;
  readonly login: string;
  private readonly repos: Set<string>;
  private readonly clock: { now(): number };
  private commentSeq = 1000;

  private constructor(
    private readonly http: FakeHttp,
    opts: FakeGithubOptions,
  ) {
    this.token = opts.token ?? 'ghp_test';
    this.login = opts.login ?? 'frontdesk-bot';
    this.repos = new Set(opts.repos ?? ['acme/app']);
    this.clock = opts.clock ?? steppingClock();
  }

  static async start(opts: FakeGithubOptions = {}): Promise<FakeGithub> {
    let fake: FakeGithub | null = null;
    const http = await FakeHttp.start((req) => fake!.route(req));
    fake = new FakeGithub(http, opts);
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

  /** Hold the next matching request until released (a slow GitHub). */
  holdNext(path: RegExp): () => void {
    return this.http.holdNext(path);
  }
  close(): Promise<void> {
    return this.http.close();
  }

  issue(key: string): GhIssue {
    const m = /^(.+)#(\d+)$/.exec(key);
    const found = m && this.issues.find((i) => i.repo === m[1] && i.number === Number(m[2]));
    if (!found) throw new Error(`fake GitHub has no issue ${key}`);
    return found;
  }

  /** Server-side: close the issue (as an engineer would). */
  closeIssue(key: string, reason: 'completed' | 'not_planned' = 'completed'): GhIssue {
    const i = this.issue(key);
    i.state = 'closed';
    i.state_reason = reason;
    i.updated_at = this.iso();
    return i;
  }

  /** Server-side: assign the issue (our rule reads an assigned open issue as in progress). */
  assign(key: string, login: string): GhIssue {
    const i = this.issue(key);
    i.assignees = [login];
    i.updated_at = this.iso();
    return i;
  }

  /** Server-side: someone comments. */
  comment(key: string, login: string, body: string): GhComment {
    const i = this.issue(key);
    const at = this.iso();
    const c: GhComment = { id: ++this.commentSeq, body, user: { login, type: 'User' }, created_at: at, updated_at: at, html_url: `${this.htmlUrl(i)}#issuecomment-${this.commentSeq}` };
    i.comments.push(c);
    i.updated_at = at;
    return c;
  }

  /** The JSON GitHub would put in a webhook for this issue. */
  issueJson(i: GhIssue): Record<string, unknown> {
    return {
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      state_reason: i.state_reason,
      html_url: this.htmlUrl(i),
      labels: i.labels.map((name, n) => ({ id: n + 1, name })),
      assignee: i.assignees[0] ? { login: i.assignees[0] } : null,
      assignees: i.assignees.map((login) => ({ login })),
      created_at: i.created_at,
      updated_at: i.updated_at,
      comments: i.comments.length,
      user: { login: this.login, type: 'User' },
    };
  }

  /**
   * A webhook delivery as GitHub sends it: headers (X-GitHub-Event, X-GitHub-Delivery,
   * X-Hub-Signature-256 = sha256=HMAC of the raw body) and the raw body bytes.
   */
  delivery(event: 'issues' | 'issue_comment', payload: Record<string, unknown>, secret: string, deliveryId: string = randomUUID()) {
    const rawBody = Buffer.from(JSON.stringify(payload));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`,
    };
    return { headers, rawBody, body: payload };
  }

  /** Payload of an `issues` webhook for the issue as it is now. */
  issuesPayload(key: string, action: string, sender = 'octocat'): Record<string, unknown> {
    const i = this.issue(key);
    return { action, issue: this.issueJson(i), repository: { full_name: i.repo }, sender: { login: sender, type: 'User' } };
  }

  /** Payload of an `issue_comment` webhook for one of the issue's comments. */
  commentPayload(key: string, comment: GhComment, action = 'created'): Record<string, unknown> {
    const i = this.issue(key);
    return { action, issue: this.issueJson(i), comment, repository: { full_name: i.repo }, sender: comment.user };
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private htmlUrl(i: GhIssue): string {
    return `https://github.com/${i.repo}/issues/${i.number}`;
  }

  private route(req: RecordedRequest): Reply {
    const auth = req.headers.authorization ?? '';
    if (auth.replace(/^(token|bearer)\s+/i, '') !== this.token) {
      return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' } };
    }
    const notFound: Reply = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } };
    if (req.method === 'GET' && req.path === '/user') return { status: 200, body: { login: this.login, id: 1, type: 'User' } };
    if (req.method === 'GET' && req.path === '/search/issues') return this.search(req.query.q ?? '', Number(req.query.per_page ?? 30));
    let m = matchPath('/repos/:owner/:repo/issues', req.path);
    if (m) {
      const repo = `${m.owner}/${m.repo}`;
      if (!this.repos.has(repo)) return notFound;
      if (req.method === 'GET') return this.list(repo, req.query);
      if (req.method !== 'POST') return notFound;
      const at = this.iso();
      const i: GhIssue = {
        number: this.issues.filter((x) => x.repo === repo).length + 1,
        repo,
        title: req.body.title,
        body: req.body.body ?? '',
        state: 'open',
        state_reason: null,
        labels: req.body.labels ?? [],
        assignees: [],
        created_at: at,
        updated_at: at,
        comments: [],
      };
      if (!i.title) return { status: 422, body: { message: 'Validation Failed', errors: [{ field: 'title', code: 'missing_field' }] } };
      this.issues.push(i);
      return { status: 201, body: this.issueJson(i) };
    }
    m = matchPath('/repos/:owner/:repo/issues/:n', req.path) ?? matchPath('/repos/:owner/:repo/issues/:n/comments', req.path);
    if (m) {
      const i = this.issues.find((x) => x.repo === `${m!.owner}/${m!.repo}` && x.number === Number(m!.n));
      if (!i) return notFound;
      if (!req.path.endsWith('/comments')) return req.method === 'GET' ? { status: 200, body: this.issueJson(i) } : notFound;
      if (req.method === 'POST') {
        const at = this.iso();
        const c: GhComment = { id: ++this.commentSeq, body: req.body.body, user: { login: this.login, type: 'User' }, created_at: at, updated_at: at, html_url: `${this.htmlUrl(i)}#issuecomment-${this.commentSeq}` };
        i.comments.push(c);
        i.updated_at = at;
        return { status: 201, body: c };
      }
      const since = req.query.since ? Date.parse(req.query.since) : 0;
      const perPage = Number(req.query.per_page ?? 30);
      const page = Number(req.query.page ?? 1);
      const all = i.comments.filter((c) => Date.parse(c.updated_at) >= since);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < all.length) {
        const next = new URL(`${this.url}${req.path}`);
        for (const [k, v] of Object.entries({ ...req.query, page: String(page + 1) })) next.searchParams.set(k, v);
        headers.link = `<${next}>; rel="next"`;
      }
      return { status: 200, headers, body: slice };
    }
    return notFound;
  }

  /** GET /repos/:owner/:repo/issues: state (open|closed|all), sort=created, direction, per_page. */
  private list(repo: string, q: Record<string, string>): Reply {
    const state = q.state ?? 'open';
    const hits = this.issues
      .filter((i) => i.repo === repo && (state === 'all' || i.state === state))
      .sort((a, b) => (q.direction === 'asc' ? a.number - b.number : b.number - a.number))
      .slice(0, Number(q.per_page ?? 30));
    return { status: 200, body: hits.map((i) => this.issueJson(i)) };
  }

  private search(q: string, perPage: number): Reply {
    const words = q.split(/\s+/).filter(Boolean);
    const repo = words.find((w) => w.startsWith('repo:'))?.slice(5);
    const terms = words.filter((w) => !w.includes(':')).map((w) => w.toLowerCase());
    if (repo && !this.repos.has(repo)) {
      return { status: 422, body: { message: 'Validation Failed', errors: [{ message: `The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.` }] } };
    }
    const hits = this.issues
      .filter((i) => !repo || i.repo === repo)
      .filter((i) => terms.every((t) => `${i.title} ${i.body}`.toLowerCase().includes(t)))
      .sort((a, b) => b.updated_at.localeCompare(a.updated_at));
    return { status: 200, body: { total_count: hits.length, incomplete_results: false, items: hits.slice(0, perPage).map((i) => ({ ...this.issueJson(i), repository_url: `${this.url}/repos/${i.repo}` })) } };
  }
}
