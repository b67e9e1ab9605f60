/**
 * Jira Cloud (REST v3) through jira.js's Version3Client. Why jira.js: it is the maintained, typed
 * client for Jira Cloud's v3 API (Atlassian publishes no official Node client), covers every
 * endpoint we need (issues, JQL search on /search/jql, comments, remote links, myself) and takes
 * basic auth (JIRA_EMAIL + JIRA_API_TOKEN) and a custom host, so tests point it at a fake.
 *
 * Bodies are sent as ADF (see adf.ts). State comes from the status category: new → open,
 * indeterminate → in_progress, done → closed; the resolution says how ("Won't Do", "Duplicate",
 * "Cannot Reproduce", "Declined", "Obsolete", "Rejected", "Invalid" → not_planned, else completed).
 * Labels cannot contain spaces in Jira; spaces become "-". addLink adds a remote link ("Web
 * link") with a globalId, so linking the same ticket twice updates rather than duplicates.
 * Comments by the API token's own account (GET /myself) are `byBot`.
 */
import { Version3Client } from 'jira.js';
import type { Priority } from '../domain/types.js';
import { type Clock, systemClock } from '../ports/clock.js';
import {
  type CloseReason,
  type IssueState,
  type NewIssue,
  type TrackerComment,
  TrackerError,
  type TrackerEvent,
  type TrackerIssue,
  type TrackerPort,
  type TrackerWebhook,
} from '../ports/tracker-port.js';
import { adfToText, markdownToAdf } from './adf.js';
import { checkHmac, commentEventId, type Headers, header, type Json, ms, retryText, SelfIdentity, stateEventId } from './common.js';

export interface JiraTrackerConfig {
  site: string;
  project: string;
  issueType: string;
  labels: string[];
  priorities: Partial<Record<Priority, string>>;
}

export interface JiraTrackerOptions {
  email: string;
  apiToken: string;
  clock?: Clock;
  timeoutMs?: number;
  /** Shared with the webhook so it can tell frontdesk's own comments. */
  self?: SelfIdentity;
}

const FIELDS = ['summary', 'status', 'resolution', 'assignee', 'updated'];
const NOT_PLANNED = /won'?t|not (do|fix)|duplicate|cannot reproduce|can'?t reproduce|declined|obsolete|rejected|invalid/i;
const KEY = /^[A-Z][A-Z0-9_]+-\d+$/;

/** Our view of a Jira issue JSON (REST answer or webhook `issue`). */
export function jiraIssue(json: Json, site: string): TrackerIssue {
  const f = json.fields ?? {};
  const category: string = f.status?.statusCategory?.key ?? 'new';
  const state: IssueState = category === 'done' ? 'closed' : category === 'indeterminate' ? 'in_progress' : 'open';
  const resolution: string | undefined = f.resolution?.name;
  const closeReason: CloseReason = state !== 'closed' ? null : resolution && NOT_PLANNED.test(resolution) ? 'not_planned' : 'completed';
  return {
    tracker: 'jira',
    key: json.key,
    url: browseUrl(site, json.key),
    title: f.summary ?? '',
    state,
    stateLabel: f.status?.name ?? state,
    closeReason,
    assignee: f.assignee?.displayName ?? null,
    updatedAt: ms(f.updated),
  };
}

const browseUrl = (site: string, key: string) => `${site.replace(/\/$/, '')}/browse/${key}`;

/** A string literal for JQL: double-quoted, with backslashes and quotes escaped. */
export function jqlString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The user's words for `text ~`: Lucene operators and reserved characters (+ - & | ! ( ) { } [ ]
 * ^ ~ * ? : \ / and quotes) become spaces, so a search is always plain words.
 */
export function jiraSearchWords(query: string): string {
  return query
    .replace(/[+\-&|!(){}[\]^~*?:\\/"']/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !/^(AND|OR|NOT)$/.test(w))
    .join(' ');
}

function jiraComment(json: Json, selfId: string | null): TrackerComment {
  return {
    id: String(json.id),
    author: json.author?.displayName ?? json.author?.accountId ?? 'unknown',
    body: adfToText(json.body),
    at: ms(json.created),
    byBot: !!selfId && json.author?.accountId === selfId,
  };
}

export class JiraTracker implements TrackerPort {
  readonly kind = 'jira' as const;
  private readonly client: Version3Client;
  private readonly clock: Clock;
  readonly self: SelfIdentity;

  constructor(
    private readonly cfg: JiraTrackerConfig,
    opts: JiraTrackerOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.self = opts.self ?? new SelfIdentity();
    this.client = new Version3Client({
      host: cfg.site.replace(/\/$/, ''),
      authentication: { basic: { email: opts.email, apiToken: opts.apiToken } },
      baseRequestConfig: { timeout: opts.timeoutMs ?? 15_000 },
    });
  }

  /** The token's account id (cached), so comments by it read as frontdesk's own. */
  async identify(): Promise<string> {
    if (!this.self.id) {
      const me = await this.call({}, () => this.client.myself.getCurrentUser());
      this.self.id = me.accountId ?? null;
    }
    return this.self.id ?? '';
  }

  async createIssue(input: NewIssue): Promise<TrackerIssue> {
    const project = input.target.project;
    const priority = this.cfg.priorities[input.priority];
    const labels = [...new Set(input.target.labels.map((l) => l.trim().replace(/\s+/g, '-')).filter(Boolean))];
    const title = input.title.length > 255 ? `${input.title.slice(0, 254)}…` : input.title;
    const created = await this.call({ project, priority, issueType: input.target.issueType ?? this.cfg.issueType }, () =>
      this.client.issues.createIssue({
        fields: {
          project: { key: project },
          summary: title,
          description: markdownToAdf(input.body),
          issuetype: { name: input.target.issueType ?? this.cfg.issueType },
          labels,
          ...(priority ? { priority: { name: priority } } : {}),
        },
      }),
    );
    return this.getIssue(created.key);
  }

  async getIssue(key: string): Promise<TrackerIssue> {
    checkKey(key);
    const json = await this.call({ key }, () => this.client.issues.getIssue({ issueIdOrKey: key, fields: FIELDS }));
    return jiraIssue(json, this.cfg.site);
  }

  /** Start-up probe: a one-result search in the project (401 = bad token, 400 = unknown project). */
  async check(project: string): Promise<void> {
    const jql = `project = ${jqlString(project)} ORDER BY updated DESC`;
    await this.call({ project }, () => this.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql, maxResults: 1, fields: ['summary'] }));
  }

  async searchIssues(query: string, opts: { project?: string; limit?: number } = {}): Promise<TrackerIssue[]> {
    const project = opts.project ?? this.cfg.project;
    // A pasted key ("OPS-12") or browse URL finds that issue.
    const direct = /^(?:https?:\/\/\S+\/browse\/)?([A-Z][A-Z0-9_]+-\d+)\/?$/.exec(query.trim());
    if (direct) {
      try {
        return [await this.getIssue(direct[1]!)];
      } catch (e) {
        // Not an issue after all ("error-500"): search the words instead.
        if (!(e instanceof TrackerError && (e.code === 'not_found' || e.code === 'invalid'))) throw e;
      }
    }
    const words = jiraSearchWords(query);
    const jql = `project = ${jqlString(project)}${words ? ` AND text ~ ${jqlString(words)}` : ''} ORDER BY updated DESC`;
    const res = await this.call({ project }, () =>
      this.client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql, maxResults: Math.min(opts.limit ?? 10, 100), fields: FIELDS }),
    );
    return (res.issues ?? []).map((i) => jiraIssue(i, this.cfg.site));
  }

  async addComment(key: string, body: string): Promise<TrackerComment> {
    checkKey(key);
    const json = await this.call({ key }, () => this.client.issueComments.addComment({ issueIdOrKey: key, comment: markdownToAdf(body) as never }));
    // The author of a comment we just wrote is the token's account: learn it for free.
    if (!this.self.id && json.author?.accountId) this.self.id = json.author.accountId;
    return jiraComment(json, this.self.id);
  }

  async addLink(key: string, link: { url: string; title: string }): Promise<void> {
    checkKey(key);
    await this.call({ key }, () =>
      this.client.issueRemoteLinks.createOrUpdateRemoteIssueLink({
        issueIdOrKey: key,
        globalId: `frontdesk:${link.url}`,
        object: { url: link.url, title: link.title },
      }),
    );
  }

  async commentsSince(key: string, since: number): Promise<TrackerComment[]> {
    checkKey(key);
    const selfId = await this.identify();
    const out: TrackerComment[] = [];
    // Newest first, stopping at the first one not newer than `since`: one page in the usual case.
    for (let startAt = 0; ; ) {
      const page = await this.call({ key }, () => this.client.issueComments.getComments({ issueIdOrKey: key, orderBy: '-created', startAt, maxResults: 100 }));
      const comments = page.comments ?? [];
      let older = false;
      for (const c of comments) {
        const tc = jiraComment(c, selfId);
        if (tc.at <= since) {
          older = true;
          break;
        }
        out.push(tc);
      }
      startAt += comments.length;
      if (older || comments.length === 0 || startAt >= (page.total ?? 0)) break;
    }
    return out.reverse();
  }

  private async call<T>(what: { key?: string; project?: string; priority?: string; issueType?: string }, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw jiraError(err, what, this.cfg.site, this.clock);
    }
  }
}

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new TrackerError('jira', 'invalid', `"${key}" is not a Jira issue key; expected a key like OPS-12`);
}

export function jiraError(err: unknown, what: { key?: string; project?: string; priority?: string; issueType?: string }, site: string, clock: Clock): TrackerError {
  if (err instanceof TrackerError) return err;
  const e = err as Json;
  const status: number | undefined = typeof e?.status === 'number' && e?.response ? e.status : e?.response?.status;
  const data = e?.response?.data ?? {};
  const fieldErrors: Record<string, string> = data?.errors ?? {};
  const detail = ([...(data?.errorMessages ?? []), ...Object.entries(fieldErrors).map(([k, v]) => `${k}: ${v}`)].join('; ') || e?.message || String(err)).replace(/\.+$/, '');
  if (status === 401) return new TrackerError('jira', 'auth', `JIRA_API_TOKEN (for JIRA_EMAIL) was refused by ${site}: ${detail}. Create an API token at id.atlassian.com for that account and set both variables.`);
  if (status === 403) return new TrackerError('jira', 'auth', `The JIRA_EMAIL account may not do this on ${site}: ${detail}. It needs Browse, Create issues and Add comments in ${what.project ?? 'the project'}.`);
  if (status === 404) {
    return what.key
      ? new TrackerError('jira', 'not_found', `Jira issue ${what.key} not found on ${site}, or the JIRA_EMAIL account cannot see it`)
      : new TrackerError('jira', 'not_found', `${site} answered 404: is trackers.jira.site the right Jira Cloud site? (${detail})`);
  }
  if (status === 429) {
    const retryAfter = Number(e?.cause?.response?.headers?.['retry-after']);
    const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 60_000;
    return new TrackerError('jira', 'rate_limited', `Jira rate limit reached; ${retryText(retryAfterMs, clock)}`, retryAfterMs);
  }
  if (status === 400) {
    const hints: string[] = [];
    if (fieldErrors.project) hints.push(`project "${what.project}" not found or not visible (check trackers.jira.project / the route's project)`);
    if (fieldErrors.priority) hints.push(`priority "${what.priority}" is not a priority of this Jira site (check trackers.jira.priorities)`);
    if (fieldErrors.issuetype) hints.push(`issue type "${what.issueType}" is not available in ${what.project} (check trackers.jira.issueType)`);
    if (/does not exist for the field 'project'/.test(detail)) hints.push(`project "${what.project}" not found (check trackers.jira.project)`);
    return new TrackerError('jira', 'invalid', `Jira rejected the request: ${hints.length ? hints.join('; ') : detail}`);
  }
  return new TrackerError('jira', 'unavailable', `Jira (${site}) did not answer properly${status ? ` (HTTP ${status})` : ''}: ${detail}`);
}

/**
 * Webhook (a Jira Cloud admin webhook, System → WebHooks, with a secret): Jira signs the raw body
 * with HMAC-SHA256 and sends `X-Hub-Signature: sha256=<hex>` (the WebSub format). The delivery
 * id is `X-Atlassian-Webhook-Identifier` (unchanged across retries), else event + issue key +
 * timestamp. `jira:issue_updated` with a status, resolution or assignee change → a state event;
 * `comment_created` → a comment event.
 */
export class JiraWebhook implements TrackerWebhook {
  readonly kind = 'jira' as const;

  constructor(
    private readonly site: string,
    private readonly self: SelfIdentity = new SelfIdentity(),
  ) {}

  verify(headers: Headers, rawBody: Buffer, secret: string): string | null {
    return checkHmac(headers, 'X-Hub-Signature', rawBody, secret, 'sha256=');
  }

  deliveryId(headers: Headers, body: unknown): string | null {
    const id = header(headers, 'X-Atlassian-Webhook-Identifier');
    if (id) return id;
    const b = body as Json;
    if (!b?.webhookEvent || !b?.issue?.key || b?.timestamp === undefined) return null;
    return `${b.webhookEvent}:${b.issue.key}:${b.comment?.id ? `${b.comment.id}:` : ''}${b.timestamp}`;
  }

  parse(_headers: Headers, body: unknown): TrackerEvent[] {
    const b = body as Json;
    const key: unknown = b?.issue?.key;
    if (typeof key !== 'string' || !KEY.test(key)) return [];
    if (b.webhookEvent === 'jira:issue_updated') {
      const items: Json[] = b.changelog?.items ?? [];
      if (!items.some((i) => ['status', 'resolution', 'assignee'].includes(i?.field))) return [];
      const issue = jiraIssue(b.issue, this.site);
      if (!issue.updatedAt && typeof b.timestamp === 'number') issue.updatedAt = b.timestamp;
      return [{ id: stateEventId(issue), kind: 'state', issue, actor: b.user?.displayName ?? null }];
    }
    if (b.webhookEvent === 'comment_created' && b.comment) {
      const comment = jiraComment(b.comment, this.self.id);
      const ref = { tracker: 'jira' as const, key, url: browseUrl(this.site, key) };
      return [{ id: commentEventId(ref, comment), kind: 'comment', issue: ref, comment }];
    }
    return [];
  }
}
