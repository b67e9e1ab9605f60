/**
 * Linear through @linear/sdk's LinearClient (LINEAR_API_KEY, a personal API key; `apiUrl` points
 * tests at the fake — the SDK allows plain http only for localhost/127.0.0.1).
 *
 * We send our own small, named GraphQL documents through the SDK's client
 * (`client.client.rawRequest`) instead of its model methods: the SDK's models fetch every
 * relation lazily (an issue, then its state, then its assignee = 3 round trips per issue, and
 * more for search results), while polling many linked issues wants one request per issue. The
 * SDK still does the transport, the auth header and the error typing (LinearError subclasses,
 * RatelimitedLinearError with its retry headers), and its input types type our variables.
 *
 * Team by key (or id) from config; labels by name among the team's and the workspace's labels —
 * an unknown name is a config error listing the known ones (we never create labels). State from
 * the workflow state type: backlog/unstarted/triage → open, started → in_progress, completed →
 * closed (completed), canceled/duplicate → closed (not_planned). addLink = a URL attachment
 * (attachmentLinkURL), which Linear shows in the issue's sidebar. Comments by the API key's own
 * user (`viewer`) are `byBot`.
 */
import { LinearClient, type LinearDocument, LinearError, LinearErrorType, type RatelimitedLinearError } from '@linear/sdk';
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
import { checkHmac, commentEventId, type Headers, header, type Json, ms, retryText, SelfIdentity, stateEventId } from './common.js';

export interface LinearTrackerConfig {
  team: string;
  labels: string[];
  priorities: Partial<Record<Priority, number>>;
}

export interface LinearTrackerOptions {
  apiKey: string;
  /** Default https://api.linear.app/graphql. */
  apiUrl?: string;
  clock?: Clock;
  self?: SelfIdentity;
  /** Give up on a request after this long (default 15 s); the SDK's client has no timeout of its own. */
  timeoutMs?: number;
}

const ISSUE = 'id identifier title url updatedAt state { name type } assignee { name displayName }';
const COMMENT = 'id body createdAt user { id name displayName } botActor { name }';

export const LINEAR_OPERATIONS = {
  viewer: 'query FrontdeskViewer { viewer { id name } }',
  teams: `query FrontdeskTeams {
  teams(first: 250) { nodes { id key name labels(first: 250) { nodes { id name } } } }
  issueLabels(first: 250, filter: { team: { null: true } }) { nodes { id name } }
}`,
  issue: `query FrontdeskIssue($id: String!) { issue(id: $id) { ${ISSUE} } }`,
  create: `mutation FrontdeskIssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { ${ISSUE} } } }`,
  search: `query FrontdeskSearchIssues($term: String!, $teamId: String, $first: Int) { searchIssues(term: $term, teamId: $teamId, first: $first) { nodes { ${ISSUE} } } }`,
  byMarker: `query FrontdeskFindByMarker($teamId: ID!, $marker: String!) { issues(first: 5, filter: { team: { id: { eq: $teamId } }, description: { contains: $marker } }) { nodes { ${ISSUE} } } }`,
  comment: `mutation FrontdeskCommentCreate($input: CommentCreateInput!) { commentCreate(input: $input) { success comment { ${COMMENT} } } }`,
  comments: `query FrontdeskComments($id: String!, $since: DateTimeOrDuration!, $after: String) {
  issue(id: $id) { comments(first: 100, after: $after, filter: { createdAt: { gt: $since } }) { nodes { ${COMMENT} } pageInfo { hasNextPage endCursor } } }
}`,
  link: 'mutation FrontdeskAttachmentLink($issueId: String!, $url: String!, $title: String) { attachmentLinkURL(issueId: $issueId, url: $url, title: $title) { success } }',
} as const;

interface Team {
  id: string;
  key: string;
  name: string;
  labels: { id: string; name: string }[];
}

const KEY = /^[A-Za-z0-9]+-\d+$/;

/** Our view of a Linear issue JSON (query result or webhook `data`). */
export function linearIssue(json: Json): TrackerIssue {
  const type: string = json.state?.type ?? 'unstarted';
  const state: IssueState = type === 'completed' || type === 'canceled' || type === 'duplicate' ? 'closed' : type === 'started' ? 'in_progress' : 'open';
  const closeReason: CloseReason = state !== 'closed' ? null : type === 'completed' ? 'completed' : 'not_planned';
  return {
    tracker: 'linear',
    key: json.identifier,
    url: json.url,
    title: json.title ?? '',
    state,
    stateLabel: json.state?.name ?? type,
    closeReason,
    assignee: json.assignee?.displayName ?? json.assignee?.name ?? null,
    updatedAt: ms(json.updatedAt),
  };
}

function linearComment(json: Json, selfId: string | null): TrackerComment {
  const userId: string | undefined = json.user?.id ?? json.userId;
  return {
    id: String(json.id),
    author: json.user?.displayName ?? json.user?.name ?? json.botActor?.name ?? (typeof json.botActor === 'string' ? json.botActor : 'unknown'),
    body: json.body ?? '',
    at: ms(json.createdAt),
    byBot: !!selfId && userId === selfId,
  };
}

export class LinearTracker implements TrackerPort {
  readonly kind = 'linear' as const;
  private readonly client: LinearClient;
  private readonly clock: Clock;
  readonly self: SelfIdentity;
  private teams: Team[] | null = null;
  private workspaceLabels: { id: string; name: string }[] = [];
  private readonly timeoutMs: number;

  constructor(
    private readonly cfg: LinearTrackerConfig,
    opts: LinearTrackerOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.self = opts.self ?? new SelfIdentity();
    this.client = new LinearClient({ apiKey: opts.apiKey, ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}) });
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  /** The API key's user id (cached), so comments by it read as frontdesk's own. */
  async identify(): Promise<string> {
    if (!this.self.id) this.self.id = (await this.request<{ viewer: { id: string } }>(LINEAR_OPERATIONS.viewer, {}, {})).viewer.id;
    return this.self.id;
  }

  /** Start-up probe: the team list (refetched), in which the team key must be. */
  async check(project: string): Promise<void> {
    this.teams = null;
    await this.team(project);
  }

  async createIssue(input: NewIssue): Promise<TrackerIssue> {
    const team = await this.team(input.target.project);
    const labelIds = await this.labelIds(team, input.target.labels);
    const priority = this.cfg.priorities[input.priority];
    const vars: { input: LinearDocument.IssueCreateInput } = {
      input: { teamId: team.id, title: input.title, description: input.body, ...(labelIds.length ? { labelIds } : {}), ...(priority !== undefined ? { priority } : {}) },
    };
    const data = await this.request<{ issueCreate: { success: boolean; issue: Json } }>(LINEAR_OPERATIONS.create, vars, { team: team.key });
    if (!data.issueCreate.success || !data.issueCreate.issue) throw new TrackerError('linear', 'unavailable', `Linear did not create the issue in team ${team.key}`);
    return linearIssue(data.issueCreate.issue);
  }

  async getIssue(key: string): Promise<TrackerIssue> {
    checkKey(key);
    const data = await this.request<{ issue: Json }>(LINEAR_OPERATIONS.issue, { id: key }, { key });
    if (!data.issue) throw notFound(key);
    return linearIssue(data.issue);
  }

  async searchIssues(query: string, opts: { project?: string; limit?: number } = {}): Promise<TrackerIssue[]> {
    // A pasted key ("ENG-42") or issue URL finds that issue.
    const direct = /^(?:https?:\/\/\S+\/issue\/)?([A-Za-z][A-Za-z0-9]*-\d+)(?:\/\S*)?$/.exec(query.trim());
    if (direct) {
      try {
        return [await this.getIssue(direct[1]!.toUpperCase())];
      } catch (e) {
        // Not an issue after all ("error-500"): search the words instead.
        if (!(e instanceof TrackerError && (e.code === 'not_found' || e.code === 'invalid'))) throw e;
      }
    }
    const team = await this.team(opts.project ?? this.cfg.team);
    const term = query.trim();
    if (!term) return [];
    const data = await this.request<{ searchIssues: { nodes: Json[] } }>(LINEAR_OPERATIONS.search, { term, teamId: team.id, first: Math.min(opts.limit ?? 10, 50) }, { team: team.key });
    return data.searchIssues.nodes.map(linearIssue);
  }

  /** The team's issue whose description contains `marker` (an exact filter, not the search index), or null. */
  async findByMarker(marker: string, opts: { project?: string } = {}): Promise<TrackerIssue | null> {
    const team = await this.team(opts.project ?? this.cfg.team);
    const data = await this.request<{ issues: { nodes: Json[] } }>(LINEAR_OPERATIONS.byMarker, { teamId: team.id, marker }, { team: team.key });
    const hit = data.issues.nodes[0];
    return hit ? linearIssue(hit) : null;
  }

  async addComment(key: string, body: string): Promise<TrackerComment> {
    checkKey(key);
    const vars: { input: LinearDocument.CommentCreateInput } = { input: { issueId: key, body } };
    const data = await this.request<{ commentCreate: { success: boolean; comment: Json } }>(LINEAR_OPERATIONS.comment, vars, { key });
    const c = data.commentCreate.comment;
    // The author of a comment we just wrote is the API key's user: learn it for free.
    if (!this.self.id && c?.user?.id) this.self.id = c.user.id;
    return linearComment(c, this.self.id);
  }

  async addLink(key: string, link: { url: string; title: string }): Promise<void> {
    checkKey(key);
    const data = await this.request<{ attachmentLinkURL: { success: boolean } }>(LINEAR_OPERATIONS.link, { issueId: key, url: link.url, title: link.title }, { key });
    if (!data.attachmentLinkURL.success) throw new TrackerError('linear', 'unavailable', `Linear did not attach the link to ${key}`);
  }

  async commentsSince(key: string, since: number): Promise<TrackerComment[]> {
    checkKey(key);
    const selfId = await this.identify();
    const out: TrackerComment[] = [];
    let after: string | null = null;
    do {
      const data: { issue: { comments: { nodes: Json[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } = await this.request(
        LINEAR_OPERATIONS.comments,
        { id: key, since: new Date(since).toISOString(), after },
        { key },
      );
      if (!data.issue) throw notFound(key);
      out.push(...data.issue.comments.nodes.map((c) => linearComment(c, selfId)));
      after = data.issue.comments.pageInfo.hasNextPage ? data.issue.comments.pageInfo.endCursor : null;
    } while (after);
    return out.filter((c) => c.at > since).sort((a, b) => a.at - b.at);
  }

  /** The team by key or id; the list is fetched once and refreshed once on a miss. */
  private async team(keyOrId: string): Promise<Team> {
    const find = () => this.teams?.find((t) => t.key.toLowerCase() === keyOrId.toLowerCase() || t.id === keyOrId);
    if (!find()) await this.loadTeams();
    const team = find();
    if (!team) {
      throw new TrackerError('linear', 'invalid', `Linear team "${keyOrId}" not found (check trackers.linear.team / the route's project). Teams LINEAR_API_KEY can see: ${this.teams!.map((t) => t.key).join(', ') || 'none'}`);
    }
    return team;
  }

  private async labelIds(teamAsCached: Team, names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    let team = teamAsCached;
    const lookup = (n: string) => [...team.labels, ...this.workspaceLabels].find((l) => l.name.toLowerCase() === n.toLowerCase());
    if (names.some((n) => !lookup(n))) {
      // Labels may have been added since the list was fetched: look once more before failing.
      await this.loadTeams();
      team = await this.team(team.id);
    }
    const missing = names.filter((n) => !lookup(n));
    if (missing.length) {
      const known = [...new Set([...team.labels, ...this.workspaceLabels].map((l) => l.name))].sort((a, b) => a.localeCompare(b));
      throw new TrackerError(
        'linear',
        'invalid',
        `Linear has no label ${missing.map((m) => `"${m}"`).join(', ')} for team ${team.key} (check trackers.linear.labels / the route's labels; frontdesk does not create labels). Known labels: ${known.join(', ') || 'none'}`,
      );
    }
    return [...new Set(names.map((n) => lookup(n)!.id))];
  }

  private async loadTeams(): Promise<void> {
    const data = await this.request<{ teams: { nodes: Json[] }; issueLabels: { nodes: { id: string; name: string }[] } }>(LINEAR_OPERATIONS.teams, {}, {});
    this.teams = data.teams.nodes.map((t) => ({ id: t.id, key: t.key, name: t.name, labels: t.labels?.nodes ?? [] }));
    this.workspaceLabels = data.issueLabels.nodes;
  }

  private async request<T>(doc: string, variables: Record<string, unknown>, what: { key?: string; team?: string }): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TrackerError('linear', 'unavailable', `Linear did not answer within ${this.timeoutMs / 1000} s`)), this.timeoutMs);
      timer.unref?.();
    });
    try {
      const res = await Promise.race([this.client.client.rawRequest<T, Record<string, unknown>>(doc, variables), timeout]);
      return res.data as T;
    } catch (err) {
      throw linearError(err, what, this.clock);
    } finally {
      clearTimeout(timer);
    }
  }
}

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new TrackerError('linear', 'invalid', `"${key}" is not a Linear issue key; expected a key like ENG-42`);
}

const notFound = (key: string) => new TrackerError('linear', 'not_found', `Linear issue ${key} not found, or LINEAR_API_KEY's user cannot see it`);

export function linearError(err: unknown, what: { key?: string; team?: string }, clock: Clock): TrackerError {
  if (err instanceof TrackerError) return err;
  if (!(err instanceof LinearError)) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const cause = e?.cause?.code ?? e?.cause?.message;
    return new TrackerError('linear', 'unavailable', `Linear could not be reached (${e?.message ?? String(err)}${cause ? `: ${cause}` : ''}); check the network, and LINEAR_API_URL if set`);
  }
  const detail = err.errors?.[0]?.message ?? err.message;
  switch (err.type) {
    case LinearErrorType.AuthenticationError:
      return new TrackerError('linear', 'auth', `LINEAR_API_KEY was refused: ${detail}. Create a personal API key under Settings → Security & access and set LINEAR_API_KEY.`);
    case LinearErrorType.Forbidden:
      return new TrackerError('linear', 'auth', `LINEAR_API_KEY's user may not do this${what.team ? ` in team ${what.team}` : ''}: ${detail}`);
    case LinearErrorType.Ratelimited: {
      const r = err as RatelimitedLinearError;
      const retryAfterMs = r.retryAfter ? r.retryAfter * 1000 : r.requestsResetAt ? Math.max(0, r.requestsResetAt - clock.now()) : 60_000;
      return new TrackerError('linear', 'rate_limited', `Linear rate limit reached; ${retryText(retryAfterMs, clock)}`, retryAfterMs);
    }
    case LinearErrorType.InvalidInput:
    case LinearErrorType.UserError:
    case LinearErrorType.GraphqlError:
      if (what.key && /not found|could not find/i.test(detail)) return notFound(what.key);
      return new TrackerError('linear', 'invalid', `Linear rejected the request: ${detail}`);
    default:
      return new TrackerError('linear', 'unavailable', `Linear did not answer properly${err.status ? ` (HTTP ${err.status})` : ''}: ${detail}`);
  }
}

/**
 * Webhook: `Linear-Signature` = hex HMAC-SHA256 of the raw body with the webhook's signing
 * secret. A delivery whose signed `webhookTimestamp` is more than 60 s from the clock's now is
 * rejected as a replay (Linear's own guidance; the SDK's LinearWebhookClient does the same but
 * reads the wall clock, so we check with the injected Clock). Delivery id = `Linear-Delivery`,
 * else webhookId + webhookTimestamp. `Issue` update with a state change → a state event;
 * `Comment` create → a comment event.
 */
export class LinearWebhook implements TrackerWebhook {
  readonly kind = 'linear' as const;

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly self: SelfIdentity = new SelfIdentity(),
    private readonly maxSkewMs = 60_000,
  ) {}

  verify(headers: Headers, rawBody: Buffer, secret: string): string | null {
    const bad = checkHmac(headers, 'Linear-Signature', rawBody, secret);
    if (bad) return bad;
    let ts: unknown;
    try {
      ts = JSON.parse(rawBody.toString('utf8'))?.webhookTimestamp;
    } catch {
      return 'body is not JSON';
    }
    if (typeof ts !== 'number' || !Number.isFinite(ts)) return 'missing webhookTimestamp in the body';
    const skew = Math.abs(this.clock.now() - ts);
    if (skew > this.maxSkewMs) return `webhookTimestamp is ${Math.round(skew / 1000)} s away from now (more than ${this.maxSkewMs / 1000} s): replay or clock skew`;
    return null;
  }

  deliveryId(headers: Headers, body: unknown): string | null {
    const id = header(headers, 'Linear-Delivery');
    if (id) return id;
    const b = body as Json;
    return b?.webhookId && b?.webhookTimestamp !== undefined ? `${b.webhookId}:${b.webhookTimestamp}` : null;
  }

  parse(_headers: Headers, body: unknown): TrackerEvent[] {
    const b = body as Json;
    const d = b?.data;
    if (!d) return [];
    if (b.type === 'Issue' && b.action === 'update' && typeof d.identifier === 'string' && b.updatedFrom && typeof b.updatedFrom === 'object' && 'stateId' in b.updatedFrom) {
      const issue = linearIssue({ ...d, url: d.url ?? b.url });
      return [{ id: stateEventId(issue), kind: 'state', issue, actor: b.actor?.name ?? null }];
    }
    if (b.type === 'Comment' && b.action === 'create') {
      const key: string | undefined = d.issue?.identifier ?? /\/issue\/([A-Za-z0-9]+-\d+)/.exec(b.url ?? d.issue?.url ?? '')?.[1];
      if (!key) return [];
      const ref = { tracker: 'linear' as const, key, url: d.issue?.url ?? (b.url ?? '').replace(/#.*$/, '') };
      const comment = linearComment(d, this.self.id);
      return [{ id: commentEventId(ref, comment), kind: 'comment', issue: ref, comment }];
    }
    return [];
  }
}
