/**
 * Where the hand-off creates issues, from the `trackers:` config: each configured tracker's
 * default place (GitHub repo, Jira project, Linear team, with their labels) and the route for a
 * ticket (the first `trackers.routes` entry matching its category and/or team, else
 * `trackers.default`, else the only configured tracker). Wraps the clients as HandoffTrackers.
 */
import type { FrontdeskConfig } from '../config/schema.js';
import type { Ticket } from '../domain/types.js';
import type { IssueTarget, TrackerKind, TrackerPort } from '../ports/tracker-port.js';
import type { HandoffTrackers, TrackerChoice } from './handoff.js';

const ORDER: readonly TrackerKind[] = ['github', 'jira', 'linear'];

/** The default place of each configured tracker, in a stable order (GitHub, Jira, Linear). */
export function defaultChoices(config: Pick<FrontdeskConfig, 'trackers'>): TrackerChoice[] {
  const tr = config.trackers;
  const out: TrackerChoice[] = [];
  if (tr.github) out.push({ tracker: 'github', target: { project: tr.github.repo, labels: [...tr.github.labels] } });
  if (tr.jira) out.push({ tracker: 'jira', target: { project: tr.jira.project, labels: [...tr.jira.labels], issueType: tr.jira.issueType } });
  if (tr.linear) out.push({ tracker: 'linear', target: { project: tr.linear.team, labels: [...tr.linear.labels] } });
  return out.sort((a, b) => ORDER.indexOf(a.tracker) - ORDER.indexOf(b.tracker));
}

/**
 * The place for a ticket's issue: first matching route (its project overrides the tracker's, its
 * labels are added), else the default tracker, else the first configured one; null when none is.
 * @example routeFor(config, { category: 'bug', team: 'web' }) // { tracker: 'github', target: { project: 'acme/web', labels: ['support'] } }
 */
export function routeFor(config: Pick<FrontdeskConfig, 'trackers'>, t: Pick<Ticket, 'category' | 'team'>): TrackerChoice | null {
  const choices = defaultChoices(config);
  if (choices.length === 0) return null;
  for (const r of config.trackers.routes) {
    if (r.category && r.category !== t.category) continue;
    if (r.team && r.team !== t.team) continue;
    const base = choices.find((c) => c.tracker === r.tracker);
    if (!base) continue;
    return { tracker: r.tracker, target: { ...base.target, project: r.project ?? base.target.project, labels: [...new Set([...base.target.labels, ...r.labels])] } };
  }
  return choices.find((c) => c.tracker === config.trackers.default) ?? choices[0]!;
}

/**
 * HandoffTrackers over configured clients.
 * @example handoffTrackers(config, { github: new GithubTracker(config.trackers.github!, { token }) })
 */
export function handoffTrackers(config: Pick<FrontdeskConfig, 'trackers'>, ports: Partial<Record<TrackerKind, TrackerPort>>): HandoffTrackers {
  const choices = () => defaultChoices(config).filter((c) => ports[c.tracker]);
  return {
    port: (kind) => ports[kind] ?? null,
    choices,
    route: (t) => {
      const r = routeFor(config, t);
      if (r && ports[r.tracker]) return r;
      const first = choices()[0];
      if (!first) throw new Error('no tracker client is configured');
      return first;
    },
  };
}

/** What the hand-off uses of src/trackers' createTrackers result. */
export interface TrackersLike {
  ports: ReadonlyMap<TrackerKind, TrackerPort>;
  route(ticket: { category: string | null; teamId: string | null }): { port: TrackerPort; target: IssueTarget } | null;
}

/**
 * HandoffTrackers over createTrackers(config, env): its clients and its routing (first matching
 * `trackers.routes` entry, else the default, else the only tracker); the preview's other choices
 * are each configured tracker's default place.
 * @example installHandoff(core, { trackers: fromTrackers(core.config, createTrackers(core.config, core.env)) })
 */
export function fromTrackers(config: Pick<FrontdeskConfig, 'trackers'>, t: TrackersLike): HandoffTrackers {
  const choices = () => defaultChoices(config).filter((c) => t.ports.has(c.tracker));
  return {
    port: (kind) => t.ports.get(kind) ?? null,
    choices,
    route: (ticket) => {
      const r = t.route({ category: ticket.category, teamId: ticket.team });
      if (r) return { tracker: r.port.kind, target: r.target };
      const first = choices()[0];
      if (!first) throw new Error('no tracker client is configured');
      return first;
    },
  };
}
