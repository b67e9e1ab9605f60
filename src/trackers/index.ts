/**
 * Builds the configured trackers from config (`trackers.*`) and the environment (secrets only
 * there): one TrackerPort and one TrackerWebhook per configured tracker, the webhook secrets, and
 * the routing of a ticket to a tracker + target.
 *
 * Environment: GITHUB_TOKEN (+ GITHUB_API_URL for GitHub Enterprise), JIRA_EMAIL + JIRA_API_TOKEN,
 * LINEAR_API_KEY (+ LINEAR_API_URL); webhook secrets GITHUB_WEBHOOK_SECRET, JIRA_WEBHOOK_SECRET,
 * LINEAR_WEBHOOK_SECRET (optional: without one, that tracker's webhook cannot be verified and
 * the polling fallback is the only way to hear back).
 *
 * Routing: the first `trackers.routes` entry whose category and/or team match the ticket (an
 * entry with neither matches every ticket); else `trackers.default`; else the only configured
 * tracker; else null (several trackers, no default, no matching route).
 */
import type { FrontdeskConfig } from '../config/schema.js';
import { ConfigInvalidError } from '../domain/errors.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { IssueTarget, TrackerKind, TrackerPort, TrackerWebhook } from '../ports/tracker-port.js';
import { SelfIdentity } from './common.js';
import { GithubTracker, GithubWebhook } from './github.js';
import { JiraTracker, JiraWebhook } from './jira.js';
import { LinearTracker, LinearWebhook } from './linear.js';

export type TrackersConfig = FrontdeskConfig['trackers'];

export interface Trackers {
  ports: Map<TrackerKind, TrackerPort>;
  webhooks: Map<TrackerKind, TrackerWebhook>;
  /** Webhook secret per configured tracker (undefined when its *_WEBHOOK_SECRET is unset). */
  secrets: Map<TrackerKind, string | undefined>;
  /** Where an escalated ticket's issue goes; null when no tracker applies. */
  route(ticket: { category: string | null; teamId: string | null }): { port: TrackerPort; target: IssueTarget } | null;
  /**
   * Learn who the Jira / Linear tokens belong to, so webhooks can tell frontdesk's own comments
   * from the first delivery on (otherwise learnt on the first comment or poll). Best effort:
   * returns one line per tracker that could not be asked.
   */
  identify(): Promise<string[]>;
}

export interface CreateTrackersOptions {
  clock?: Clock;
  /** Named in config errors (the config file path). */
  source?: string;
}

const TOKEN_HELP = {
  github: 'a fine-grained personal access token with Issues: read and write on the repository',
  jira: 'the Atlassian account email and an API token from https://id.atlassian.com/manage-profile/security/api-tokens',
  linear: 'a personal API key from Linear → Settings → Security & access',
} as const;

export function createTrackers(config: FrontdeskConfig | { trackers: TrackersConfig }, env: NodeJS.ProcessEnv, opts: CreateTrackersOptions = {}): Trackers {
  const t = config.trackers;
  const clock = opts.clock ?? systemClock;
  const problems: string[] = [];
  const ports = new Map<TrackerKind, TrackerPort>();
  const webhooks = new Map<TrackerKind, TrackerWebhook>();
  const secrets = new Map<TrackerKind, string | undefined>();
  const identities: (() => Promise<unknown>)[] = [];
  const need = (kind: TrackerKind, ...vars: string[]): boolean => {
    const missing = vars.filter((v) => !env[v]?.trim());
    if (missing.length) problems.push(`trackers.${kind} is configured but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: set ${TOKEN_HELP[kind]} in the environment (or remove trackers.${kind})`);
    return missing.length === 0;
  };

  if (t.github && need('github', 'GITHUB_TOKEN')) {
    ports.set('github', new GithubTracker(t.github, { token: env.GITHUB_TOKEN!.trim(), baseUrl: env.GITHUB_API_URL || undefined, clock }));
    webhooks.set('github', new GithubWebhook());
    secrets.set('github', env.GITHUB_WEBHOOK_SECRET || undefined);
  }
  if (t.jira && need('jira', 'JIRA_EMAIL', 'JIRA_API_TOKEN')) {
    const self = new SelfIdentity();
    const port = new JiraTracker(t.jira, { email: env.JIRA_EMAIL!.trim(), apiToken: env.JIRA_API_TOKEN!.trim(), clock, self });
    ports.set('jira', port);
    webhooks.set('jira', new JiraWebhook(t.jira.site, self));
    secrets.set('jira', env.JIRA_WEBHOOK_SECRET || undefined);
    identities.push(() => port.identify());
  }
  if (t.linear && need('linear', 'LINEAR_API_KEY')) {
    const self = new SelfIdentity();
    const apiUrl = env.LINEAR_API_URL || undefined;
    if (apiUrl && !/^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(apiUrl)) problems.push(`LINEAR_API_URL must be https:// (plain http only for localhost): ${apiUrl}`);
    else {
      const port = new LinearTracker(t.linear, { apiKey: env.LINEAR_API_KEY!.trim(), apiUrl, clock, self });
      ports.set('linear', port);
      webhooks.set('linear', new LinearWebhook(clock, self));
      secrets.set('linear', env.LINEAR_WEBHOOK_SECRET || undefined);
      identities.push(() => port.identify());
    }
  }

  const configured = (kind: TrackerKind) => t[kind] !== undefined;
  t.routes.forEach((r, i) => {
    if (!configured(r.tracker)) problems.push(`trackers.routes.${i}: tracker "${r.tracker}" is not configured; add a trackers.${r.tracker} section or route to ${configuredList(t)}`);
    else if (r.project !== undefined) {
      const bad = projectProblem(r.tracker, r.project);
      if (bad) problems.push(`trackers.routes.${i}.project: ${bad}`);
    }
  });
  if (t.default && !configured(t.default)) problems.push(`trackers.default: "${t.default}" is not configured; add a trackers.${t.default} section or choose one of ${configuredList(t)}`);
  if (problems.length) throw new ConfigInvalidError(problems, opts.source ?? 'the trackers settings');

  const baseTarget = (kind: TrackerKind): IssueTarget => {
    if (kind === 'github') return { project: t.github!.repo, labels: [...t.github!.labels] };
    if (kind === 'jira') return { project: t.jira!.project, labels: [...t.jira!.labels], issueType: t.jira!.issueType };
    return { project: t.linear!.team, labels: [...t.linear!.labels] };
  };
  const only = ports.size === 1 ? [...ports.keys()][0]! : undefined;

  return {
    ports,
    webhooks,
    secrets,
    route(ticket) {
      const r = t.routes.find((x) => (x.category === undefined || x.category === ticket.category) && (x.team === undefined || x.team === ticket.teamId));
      const kind = r?.tracker ?? t.default ?? only;
      if (!kind) return null;
      const base = baseTarget(kind);
      return {
        port: ports.get(kind)!,
        target: { ...base, project: r?.project ?? base.project, labels: [...new Set([...base.labels, ...(r?.labels ?? [])])] },
      };
    },
    async identify() {
      const failed: string[] = [];
      for (const id of identities) await id().catch((e: Error) => failed.push(e.message));
      return failed;
    },
  };
}

function configuredList(t: TrackersConfig): string {
  const kinds = (['github', 'jira', 'linear'] as const).filter((k) => t[k] !== undefined);
  return kinds.length ? kinds.join(', ') : '(none configured)';
}

function projectProblem(kind: TrackerKind, project: string): string | null {
  if (kind === 'github' && !/^[\w.-]+\/[\w.-]+$/.test(project)) return `"${project}" is not a GitHub repository; expected "owner/repo"`;
  if (kind === 'jira' && !/^[A-Z][A-Z0-9_]+$/.test(project)) return `"${project}" is not a Jira project key; expected a key like "OPS"`;
  if (kind === 'linear' && !project.trim()) return 'expected a Linear team key like "ENG"';
  return null;
}
