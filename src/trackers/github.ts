/**
 * GitHub Issues through @octokit/rest (GitHub's own client). Token from GITHUB_TOKEN (a
 * fine-grained token with Issues read/write on the repository); GITHUB_API_URL points at GitHub
 * Enterprise (or, in tests, the fake). Keys look like `owner/repo#12`.
 *
 * State rule: a closed issue is `closed` (state_reason not_planned → not_planned, otherwise
 * completed); an open issue is `in_progress` when someone is assigned or it carries a label named
 * "in progress" / "in-progress" / "status: in progress", else `open`.
 * GitHub has no remote links, so addLink posts a comment with the link. Every comment frontdesk
 * writes ends with an invisible HTML marker (FRONTDESK_MARK); a comment carrying it is `byBot`,
 * so frontdesk's own comments are never echoed back as engineering news (works across restarts
 * and whatever kind of token is used).
 */
import { Octokit } from '@octokit/rest';
import type { Priority } from '../domain/types.js';
import { type Clock, systemClock } from '../ports/clock.js';
import {
  type NewIssue,
  type TrackerComment,
  TrackerError,
  type TrackerEvent,
  type TrackerIssue,
  type TrackerPort,
  type TrackerWebhook,
} from '../ports/tracker-port.js';
import { checkHmac, commentEventId, type Headers, header, type Json, ms, retryText, stateEventId } from './common.js';

export interface GithubTrackerConfig {
  repo: string;
  labels: string[];
  priorityLabels: Partial<Record<Priority, string>>;
}

export interface GithubTrackerOptions {
  token: string;
  /** GITHUB_API_URL; default https://api.github.com. */
  baseUrl?: string;
  clock?: Clock;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
}

/** Appended to every comment frontdesk writes; invisible in GitHub's rendering. */
export const FRONTDESK_MARK = '<!-- frontdesk -->';

const IN_PROGRESS_LABEL = /^(status:\s*)?in[\s_-]?progress$/i;

interface Ref {
  owner: string;
  repo: string;
  number: number;
}

function parseKey(key: string): Ref {
  const m = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(key.trim());
  if (!m) throw new TrackerError('github', 'invalid', `"${key}" is not a GitHub issue key; expected owner/repo#12`);
  return { owner: m[1]!, repo: m[2]!, number: Number(m[3]) };
}

function splitRepo(repo: string): { owner: string; repo: string } {
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(repo.trim());
  if (!m) throw new TrackerError('github', 'invalid', `"${repo}" is not a GitHub repository; expected owner/repo`);
  return { owner: m[1]!, repo: m[2]! };
}

/** Our view of a GitHub issue JSON (REST answer or webhook `issue`). */
export function githubIssue(json: Json, repo: string): TrackerIssue {
  const labels: string[] = (json.labels ?? []).map((l: Json) => (typeof l === 'string' ? l : l?.name)).filter(Boolean);
  const assignees: string[] = (json.assignees ?? (json.assignee ? [json.assignee] : [])).map((a: Json) => a?.login).filter(Boolean);
  const progressLabel = labels.find((l) => IN_PROGRESS_LABEL.test(l));
  const closed = json.state === 'closed';
  const state = closed ? 'closed' : progressLabel || assignees.length > 0 ? 'in_progress' : 'open';
  return {
    tracker: 'github',
    key: `${repo}#${json.number}`,
    url: json.html_url,
    title: json.title ?? '',
    state,
    stateLabel: closed ? (json.state_reason === 'not_planned' ? 'closed (not planned)' : 'closed') : (progressLabel ?? (assignees.length ? 'open (assigned)' : 'open')),
    closeReason: closed ? (json.state_reason === 'not_planned' ? 'not_planned' : 'completed') : null,
    assignee: assignees[0] ?? null,
    updatedAt: ms(json.updated_at),
  };
}

function githubComment(json: Json): TrackerComment {
  const body: string = json.body ?? '';
  return {
    id: String(json.id),
    author: json.user?.login ?? 'unknown',
    body: body.replace(FRONTDESK_MARK, '').trimEnd(),
    at: ms(json.created_at),
    byBot: body.includes(FRONTDESK_MARK),
  };
}

export class GithubTracker implements TrackerPort {
  readonly kind = 'github' as const;
  private readonly octokit: Octokit;
  private readonly clock: Clock;

  constructor(
    private readonly cfg: GithubTrackerConfig,
    opts: GithubTrackerOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    const timeoutMs = opts.timeoutMs ?? 15_000;
    this.octokit = new Octokit({
      auth: opts.token,
      baseUrl: (opts.baseUrl ?? 'https://api.github.com').replace(/\/$/, ''),
      userAgent: 'frontdesk',
      // Octokit logs every failed request; failures reach the caller as TrackerErrors instead.
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }) },
    });
  }

  async createIssue(input: NewIssue): Promise<TrackerIssue> {
    const { owner, repo } = splitRepo(input.target.project);
    const priorityLabel = this.cfg.priorityLabels[input.priority];
    const labels = [...new Set([...input.target.labels, ...(priorityLabel ? [priorityLabel] : [])])];
    const res = await this.call({ repo: `${owner}/${repo}` }, () =>
      this.octokit.rest.issues.create({ owner, repo, title: input.title, body: input.body, labels }),
    );
    return githubIssue(res.data, `${owner}/${repo}`);
  }

  /** Start-up probe: list one issue of the repository (needs Issues: read, as every other call). */
  async check(project: string): Promise<void> {
    const { owner, repo } = splitRepo(project);
    await this.call({ repo: `${owner}/${repo}` }, () => this.octokit.rest.issues.listForRepo({ owner, repo, state: 'all', per_page: 1 }));
  }

  async getIssue(key: string): Promise<TrackerIssue> {
    const r = parseKey(key);
    const res = await this.call({ key }, () => this.octokit.rest.issues.get({ owner: r.owner, repo: r.repo, issue_number: r.number }));
    return githubIssue(res.data, `${r.owner}/${r.repo}`);
  }

  async searchIssues(query: string, opts: { project?: string; limit?: number } = {}): Promise<TrackerIssue[]> {
    const repo = opts.project ?? this.cfg.repo;
    splitRepo(repo);
    // A pasted key ("acme/app#12", "#12") or issue URL finds that issue.
    const direct = /^(?:https?:\/\/[^/\s]+\/)?([\w.-]+\/[\w.-]+)(?:#|\/issues\/)(\d+)\/?$/.exec(query.trim()) ?? /^#(\d+)$/.exec(query.trim());
    if (direct) {
      const key = direct.length === 3 ? `${direct[1]}#${direct[2]}` : `${repo}#${direct[1]}`;
      try {
        return [await this.getIssue(key)];
      } catch (e) {
        // Not an issue after all ("error-500"): search the words instead.
        if (!(e instanceof TrackerError && (e.code === 'not_found' || e.code === 'invalid'))) throw e;
      }
    }
    // The user's words are search terms only: quotes and qualifiers ("repo:other/x") are neutralised
    // so a search can never leave the configured repository.
    const words = query
      .replace(/["\\]/g, ' ')
      .split(/\s+/)
      .map((w) => w.replace(/:/g, ' ').trim())
      .filter(Boolean);
    const q = [`repo:${repo}`, 'is:issue', ...words].join(' ');
    const res = await this.call({ repo }, () => this.octokit.rest.search.issuesAndPullRequests({ q, per_page: Math.min(opts.limit ?? 10, 100), sort: 'updated', order: 'desc' }));
    return res.data.items.map((i) => githubIssue(i, repo));
  }

  /**
   * The issue whose body contains `marker`: among the repository's 50 newest issues (read
   * directly, so a just-created issue is there before the search index has it), else by search
   * (bodies checked, not just matched).
   */
  async findByMarker(marker: string, opts: { project?: string } = {}): Promise<TrackerIssue | null> {
    const repo = opts.project ?? this.cfg.repo;
    const { owner, repo: name } = splitRepo(repo);
    const newest = await this.call({ repo }, () => this.octokit.rest.issues.listForRepo({ owner, repo: name, state: 'all', sort: 'created', direction: 'desc', per_page: 50 }));
    const hit = newest.data.find((i) => !i.pull_request && (i.body ?? '').includes(marker));
    if (hit) return githubIssue(hit, repo);
    const words = marker.replace(/["\\:]/g, ' ').split(/\s+/).filter(Boolean);
    const res = await this.call({ repo }, () => this.octokit.rest.search.issuesAndPullRequests({ q: [`repo:${repo}`, 'is:issue', ...words].join(' '), per_page: 10 }));
    const found = res.data.items.find((i) => (i.body ?? '').includes(marker));
    return found ? githubIssue(found, repo) : null;
  }

  async addComment(key: string, body: string): Promise<TrackerComment> {
    const r = parseKey(key);
    const res = await this.call({ key }, () =>
      this.octokit.rest.issues.createComment({ owner: r.owner, repo: r.repo, issue_number: r.number, body: `${body}\n\n${FRONTDESK_MARK}` }),
    );
    return githubComment(res.data);
  }

  async addLink(key: string, link: { url: string; title: string }): Promise<void> {
    await this.addComment(key, `🔗 Linked from frontdesk: [${link.title.replace(/[[\]]/g, '')}](${link.url})`);
  }

  async commentsSince(key: string, since: number): Promise<TrackerComment[]> {
    const r = parseKey(key);
    // `since` filters on updated_at server-side; keep only comments created after it.
    const all = await this.call({ key }, () =>
      this.octokit.paginate(this.octokit.rest.issues.listComments, {
        owner: r.owner,
        repo: r.repo,
        issue_number: r.number,
        since: new Date(since).toISOString(),
        per_page: 100,
      }),
    );
    return all
      .map(githubComment)
      .filter((c) => c.at > since)
      .sort((a, b) => a.at - b.at);
  }

  /** Run an Octokit call, turning its errors into TrackerErrors that say what to fix. */
  private async call<T>(what: { repo?: string; key?: string }, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw githubError(err, what, this.clock);
    }
  }
}

export function githubError(err: unknown, what: { repo?: string; key?: string }, clock: Clock): TrackerError {
  if (err instanceof TrackerError) return err;
  const e = err as Json;
  const status: number | undefined = typeof e?.status === 'number' ? e.status : undefined;
  const headers: Record<string, string> = e?.response?.headers ?? {};
  const detail: string = e?.response?.data?.message ?? e?.message ?? String(err);
  const repo = what.repo ?? (what.key ? what.key.split('#')[0] : undefined);
  if (status === 429 || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] || /rate limit/i.test(detail)))) {
    const retryAfterMs = headers['retry-after']
      ? Number(headers['retry-after']) * 1000
      : headers['x-ratelimit-reset']
        ? Math.max(0, Number(headers['x-ratelimit-reset']) * 1000 - clock.now())
        : 60_000;
    return new TrackerError('github', 'rate_limited', `GitHub rate limit reached; ${retryText(retryAfterMs, clock)}`, retryAfterMs);
  }
  if (status === 401) return new TrackerError('github', 'auth', `GITHUB_TOKEN was refused: ${detail}. Create a fine-grained token with Issues read/write on ${repo ?? 'the repository'} and set GITHUB_TOKEN.`);
  if (status === 403) return new TrackerError('github', 'auth', `GITHUB_TOKEN may not do this on ${repo ?? 'the repository'}: ${detail}. The token needs Issues read/write on it.`);
  if (status === 404) {
    return what.key
      ? new TrackerError('github', 'not_found', `issue ${what.key} not found, or repository ${repo} is not visible to the token`)
      : new TrackerError('github', 'not_found', `repository ${repo} not found or the token cannot see it (check trackers.github.repo or the route's project, and the token's repository access)`);
  }
  if (status === 410) return new TrackerError('github', 'not_found', `issue ${what.key ?? ''} was deleted or issues are disabled on ${repo}`);
  if (status === 422) {
    const errors = (e?.response?.data?.errors ?? []).map((x: Json) => x?.message ?? `${x?.field} ${x?.code}`).join('; ');
    if (/cannot be searched/.test(errors)) return new TrackerError('github', 'not_found', `repository ${repo} not found or the token cannot see it (check trackers.github.repo or the route's project, and the token's repository access)`);
    return new TrackerError('github', 'invalid', `GitHub rejected the request on ${repo}: ${detail}${errors ? ` (${errors})` : ''}`);
  }
  if (!e?.response) {
    // No HTTP answer at all (Octokit reports it as status 500): the network, the host or GITHUB_API_URL.
    const cause = e?.cause?.cause?.code ?? e?.cause?.code ?? e?.cause?.message;
    return new TrackerError('github', 'unavailable', `GitHub could not be reached (${cause ? `${detail}: ${cause}` : detail}); check the network, and GITHUB_API_URL for GitHub Enterprise`);
  }
  return new TrackerError('github', 'unavailable', `GitHub did not answer properly${status ? ` (HTTP ${status})` : ''}: ${detail}`);
}

/**
 * Webhook: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` with the secret set on
 * the webhook; delivery id = X-GitHub-Delivery. `issues` (opened, closed, reopened, assigned,
 * unassigned, labeled, unlabeled) → a state event; `issue_comment` created → a comment event.
 */
export class GithubWebhook implements TrackerWebhook {
  readonly kind = 'github' as const;

  verify(headers: Headers, rawBody: Buffer, secret: string): string | null {
    return checkHmac(headers, 'X-Hub-Signature-256', rawBody, secret, 'sha256=');
  }

  deliveryId(headers: Headers): string | null {
    return header(headers, 'X-GitHub-Delivery') ?? null;
  }

  parse(headers: Headers, body: unknown): TrackerEvent[] {
    const event = header(headers, 'X-GitHub-Event');
    const b = body as Json;
    const repo: string | undefined = b?.repository?.full_name;
    if (!repo || typeof b?.issue?.number !== 'number' || b.issue.pull_request) return [];
    const issue = githubIssue(b.issue, repo);
    if (event === 'issues' && ['opened', 'closed', 'reopened', 'assigned', 'unassigned', 'labeled', 'unlabeled'].includes(b.action)) {
      return [{ id: stateEventId(issue), kind: 'state', issue, actor: b.sender?.login ?? null }];
    }
    if (event === 'issue_comment' && b.action === 'created' && b.comment) {
      const comment = githubComment(b.comment);
      return [{ id: commentEventId(issue, comment), kind: 'comment', issue: { tracker: 'github', key: issue.key, url: issue.url }, comment }];
    }
    return [];
  }
}
