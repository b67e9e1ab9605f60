/**
 * Compute a digest's numbers. Counts and groupings are SQL aggregates over indexes (new,
 * resolved, reopened, categories, the open queue by priority, age and owner); only period-sized
 * sets (clocks that stopped in the period, the open queue for breaches and at-risk tickets, the
 * period's new tickets for clusters) come into JS, where the SLA policy functions judge them —
 * the same functions the watcher and the cards use, so the digest agrees with them.
 *
 * Definitions (also shown in the digest's footer and the CLI's --json):
 * - new: created in [from, to); resolved: resolved_at in [from, to); reopened: tickets with a
 *   `reopened` event in [from, to); open: open now (= `frontdesk tickets list --status open`).
 * - SLA compliance per clock: of the clocks that stopped in the period plus those that crossed
 *   their target in the period and were still running at its end, the share that met the target.
 *   Breaches are the ones that did not.
 * - medians: calendar time from creation to first response / resolution, for those in the period.
 * - customer outcomes (see computeOutcomes), each also for the comparison period:
 *   - CSAT: of the ratings first given in the period (their current value), the share that is 4 or
 *     5 out of 5; `responses` counts those ratings.
 *   - resolutions: tickets with an agent's resolution in the period (status → resolved, or →
 *     closed from an open status), each ticket once, at its first such resolution in the period.
 *     Deflections (the customer's "✅ That solved it" on a known answer) are not agents'
 *     resolutions: they are left out of CSAT (never asked), FCR and reopen rate, and counted in
 *     the known-answers deflection rate instead (one rule: src/tickets/resolution-outcome.ts).
 *   - first-contact resolution (FCR): of those, the share resolved with exactly one agent reply
 *     (a `replied` event by an agent: in the customer's thread, Reply to customer, or a sent
 *     suggested reply) before that resolution, and
 *     never reopened (no reopen before or since). A ticket resolved without any agent reply is
 *     not a first-contact resolution.
 *   - reopen rate: of those, the share reopened after that resolution (as of now).
 */
import { PRIORITIES, type Priority, type SlaSnapshot, type TicketStatus } from '../domain/types.js';
import { clusterTexts } from '../escalation/similarity.js';
import { type SlaClockName, type SlaClockState, slaState } from '../sla/policy.js';
import { AiRepo, type AiUsage } from '../store/ai-repo.js';
import type { Repos } from '../ports/store.js';
import type { DigestSet, DigestSlaRow } from '../ports/store-escalation.js';
import type { Db } from '../store/db.js';
import { buildEngineeringFigures, type EngineeringFigures } from './engineering-figures.js';
import { type KnowledgeFigures, knowledgeFigures } from './knowledge-figures.js';
import type { DigestPeriod } from './period.js';
import { shorten } from '../util/text.js';

const H = 3_600_000;
const DAY = 24 * H;
/** Keys listed behind each number (the rest is counted). */
export const KEYS_CAP = 50;

export const AGE_BUCKETS = [
  { id: 'lt1d', label: '< 1 day', maxMs: DAY },
  { id: '1to3d', label: '1–3 days', maxMs: 3 * DAY },
  { id: '3to7d', label: '3–7 days', maxMs: 7 * DAY },
  { id: 'gt7d', label: '> 7 days', maxMs: Number.POSITIVE_INFINITY },
] as const;

export interface Counted {
  count: number;
  /** Up to KEYS_CAP ticket keys behind the number. */
  keys: string[];
}

export interface ClockCompliance {
  met: number;
  missed: number;
  /** met / (met + missed), or null when no clock was due in the period. */
  compliance: number | null;
}

export interface BreachItem {
  key: string;
  priority: Priority;
  clock: SlaClockName;
  dueAt: number;
  /** When the clock stopped (late), or null if it was still running at the period's end. */
  stoppedAt: number | null;
  ownerId: string | null;
}

export interface AtRiskItem {
  key: string;
  priority: Priority;
  clock: SlaClockName;
  dueAt: number;
  ownerId: string | null;
  title: string;
}

export interface CategoryItem {
  category: string;
  count: number;
  previous: number;
}

export interface ClusterItem {
  keys: string[];
  words: string[];
  /** What a lead might do: 'incident' (already linked), 'known_answer' (mostly resolved), 'investigate'. */
  suggestion: 'incident' | 'known_answer' | 'investigate';
  incident: string | null;
}

export interface OwnerLoad {
  ownerId: string | null;
  open: number;
  resolved: number;
}

export interface DigestData {
  period: DigestPeriod;
  /** When the numbers were computed (open/at-risk are as of this instant). */
  generatedAt: number;
  new: Counted;
  resolved: Counted;
  reopened: Counted;
  open: { count: number };
  /** The same counts over the comparison period (week-over-week for the weekly summary). */
  previous: { new: number; resolved: number; reopened: number };
  openByPriority: Record<Priority, number>;
  openByAge: { id: string; label: string; count: number }[];
  sla: { firstResponse: ClockCompliance; resolution: ClockCompliance };
  breaches: BreachItem[];
  medians: { firstResponseMs: number | null; firstResponseSamples: number; resolutionMs: number | null; resolutionSamples: number };
  categories: CategoryItem[];
  clusters: ClusterItem[];
  owners: OwnerLoad[];
  /** The soonest KEYS_CAP of them; `atRiskCount` counts all. */
  atRisk: AtRiskItem[];
  atRiskCount: number;
  ai: AiUsage | null;
  /** CSAT, first-contact resolution and reopen rate for the period and the one before. */
  outcomes: Outcomes;
  previousOutcomes: Outcomes;
  /** Targets the view compares against (config digest.targets). */
  targets: OutcomeTargets;
  /** Known answers: deflection, helpfulness, documentation gaps (null when the feature did nothing). */
  knowledge: KnowledgeFigures | null;
  /** Open tickets waiting on an open engineering issue (absent in older stored digests). */
  engineering?: EngineeringFigures | null;
}

/** A share: `count` of `of`, and count/of (null when `of` is 0). */
export interface Share {
  count: number;
  of: number;
  rate: number | null;
}

export interface Outcomes {
  /** Ratings of 4–5 among the ratings first given in the period. */
  csat: Share;
  /** Resolved with exactly one agent reply and never reopened, among the period's resolutions. */
  fcr: Share;
  /** Reopened after their resolution, among the period's resolutions. */
  reopen: Share;
}

export interface OutcomeTargets {
  /** Target CSAT share (default 0.9). */
  csat: number;
  /** Target first-contact resolution share (default 0.8). */
  fcr: number;
}

export const DEFAULT_TARGETS: OutcomeTargets = { csat: 0.9, fcr: 0.8 };

function share(count: number, of: number): Share {
  return { count, of, rate: of > 0 ? count / of : null };
}

/**
 * Customer outcomes for [from, to): CSAT from csat_surveys, FCR and reopen rate from the
 * timeline (definitions in the file header). Period-sized work: the resolutions come from the
 * (type, at) index on ticket_events, the replies and reopens per ticket from (ticket_id, id).
 */
export async function computeOutcomes(src: DigestSources, from: number, to: number): Promise<Outcomes> {
  const csat = await src.repos.csat.counts(from, to);
  const r = await src.repos.digests.resolutionOutcomes(from, to);
  return { csat: share(csat.satisfied, csat.responses), fcr: share(r.firstContact, r.resolutions), reopen: share(r.reopenedAfter, r.resolutions) };
}

interface Parsed {
  row: DigestSlaRow;
  t: {
    sla: SlaSnapshot;
    createdAt: number;
    firstResponseAt: number | null;
    resolvedAt: number | null;
    pausedMs: number;
    pausedSince: number | null;
    status: TicketStatus;
  };
}

/** Snapshots are shared by many tickets (same priority, same policy): parse each distinct one once. */
const snapshotCache = new Map<string, SlaSnapshot>();
function snapshotOf(json: string): SlaSnapshot {
  let snap = snapshotCache.get(json);
  if (!snap) {
    if (snapshotCache.size >= 1000) snapshotCache.clear();
    snap = JSON.parse(json) as SlaSnapshot;
    snapshotCache.set(json, snap);
  }
  return snap;
}

function parse(row: DigestSlaRow): Parsed {
  return {
    row,
    t: {
      sla: snapshotOf(row.sla),
      createdAt: row.createdAt,
      firstResponseAt: row.firstResponseAt,
      resolvedAt: row.resolvedAt,
      pausedMs: row.pausedMs,
      pausedSince: row.pausedSince,
      status: row.status,
    },
  };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
}

/**
 * Where a digest's numbers come from: the store port (both engines) for its own queries, CSAT
 * and known answers; AI usage and engineering hand-offs still through their synchronous
 * repositories on the app's SQLite connection (their domains move onto the port separately).
 */
export interface DigestSources {
  repos: Pick<Repos, 'digests' | 'csat' | 'offers'>;
  db: Db;
}

export interface BuildOptions {
  /** Tickets at risk: running clocks due within this horizon from `now` (default 24 h). */
  riskHorizonMs?: number;
  /** Minimum size of a repeated-issue cluster (default: the cluster rule's count, else 3). */
  clusterMin?: number;
  /** Most recent new tickets considered for clusters (default 1000). */
  clusterScan?: number;
  /** CSAT and FCR targets shown next to the numbers (default {@link DEFAULT_TARGETS}). */
  targets?: OutcomeTargets;
}

/**
 * Build the digest for a period. `now` is when it is generated (open counts and at-risk tickets
 * are as of then).
 *
 * @example
 * const data = await buildDigest({ repos: core.store, db: core.db }, digestPeriod('daily', '2026-11-23', 'Europe/Berlin', [1, 2, 3, 4, 5]), clock.now());
 * data.new.count; data.sla.firstResponse.compliance; data.atRisk[0]?.key
 */
export async function buildDigest(src: DigestSources, period: DigestPeriod, now: number, opts: BuildOptions = {}): Promise<DigestData> {
  const { from, to, prevFrom, prevTo } = period;
  const horizon = opts.riskHorizonMs ?? DAY;
  const q = src.repos.digests;

  const counted = async (set: DigestSet): Promise<Counted> => ({ count: await q.count(set, from, to), keys: await q.keys(set, from, to, KEYS_CAP) });

  const openByPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  for (const [p, n] of Object.entries(await q.openByPriority())) openByPriority[p as Priority] = n;
  const openCount = Object.values(openByPriority).reduce((a, b) => a + b, 0);

  const ages = await q.openByAge(
    now,
    AGE_BUCKETS.filter((b) => Number.isFinite(b.maxMs)).map((b) => b.maxMs),
  );
  const openByAge = AGE_BUCKETS.map((b, i) => ({ id: b.id, label: b.label, count: ages[i] ?? 0 }));

  // --- SLA: clocks that stopped in the period, and running clocks that crossed their target in it.
  const frStopped = (await q.slaRows('firstResponseIn', from, to)).map(parse);
  const resStopped = (await q.slaRows('resolvedIn', from, to)).map(parse);
  // The open queue, covered by its index (title and incident are fetched for the few shown).
  const openRows = (await q.slaRows('open', from, to)).map(parse);
  // Clocks still running at the period's end but stopped since (only for digests of past days).
  const laterStopped = [...(await q.slaRows('resolvedSince', to, to)), ...(await q.slaRows('firstResponseSince', to, to))].map(parse);

  const fr: ClockCompliance = { met: 0, missed: 0, compliance: null };
  const res: ClockCompliance = { met: 0, missed: 0, compliance: null };
  const breaches: BreachItem[] = [];
  const judgeStopped = (rows: Parsed[], clock: SlaClockName, acc: ClockCompliance) => {
    for (const p of rows) {
      const stop = clock === 'first_response' ? p.row.firstResponseAt! : p.row.resolvedAt!;
      const s = pick(slaState(p.t, stop), clock);
      if (s.state === 'met') acc.met++;
      else if (s.state === 'breached_met_late') {
        acc.missed++;
        breaches.push({ key: p.row.key, priority: p.row.priority, clock, dueAt: s.dueAt ?? stop, stoppedAt: stop, ownerId: p.row.ownerId });
      }
    }
  };
  judgeStopped(frStopped, 'first_response', fr);
  judgeStopped(resStopped, 'resolution', res);
  const seen = new Set<number>();
  for (const p of [...openRows, ...laterStopped]) {
    if (seen.has(p.row.id) || p.row.createdAt >= to) continue;
    seen.add(p.row.id);
    const s = slaState(p.t, to - 1);
    for (const [clock, acc] of [['first_response', fr], ['resolution', res]] as const) {
      const c = pick(s, clock);
      if (c.state === 'breached' && c.dueAt !== null && c.dueAt >= from && c.dueAt < to) {
        acc.missed++;
        breaches.push({ key: p.row.key, priority: p.row.priority, clock, dueAt: c.dueAt, stoppedAt: null, ownerId: p.row.ownerId });
      }
    }
  }
  for (const acc of [fr, res]) acc.compliance = acc.met + acc.missed > 0 ? acc.met / (acc.met + acc.missed) : null;
  breaches.sort((a, b) => PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority) || a.dueAt - b.dueAt);

  // --- at risk: running clocks of open tickets due within the horizon.
  const atRisk: AtRiskItem[] = [];
  for (const p of openRows) {
    if (p.row.status === 'waiting_on_customer') continue;
    const s = slaState(p.t, now);
    const soonest = [s.firstResponse, s.resolution]
      .filter((c) => c.state === 'running' && c.dueAt !== null && c.dueAt <= now + horizon)
      .sort((a, b) => a.dueAt! - b.dueAt!)[0];
    if (soonest) atRisk.push({ key: p.row.key, priority: p.row.priority, clock: soonest.clock, dueAt: soonest.dueAt!, ownerId: p.row.ownerId, title: '' });
  }
  atRisk.sort((a, b) => a.dueAt - b.dueAt);
  const atRiskCount = atRisk.length;
  atRisk.splice(KEYS_CAP);
  const titles = await q.titles(atRisk.map((r) => r.key));
  for (const r of atRisk) r.title = titles.get(r.key) ?? '';

  // --- medians (calendar time).
  const frTimes = frStopped.map((p) => p.row.firstResponseAt! - p.row.createdAt);
  const resTimes = resStopped.map((p) => p.row.resolvedAt! - p.row.createdAt);

  // --- categories, this period vs the previous one.
  const cats = new Map<string, CategoryItem>();
  for (const r of await q.categories(from, to)) cats.set(r.category, { category: r.category, count: r.count, previous: 0 });
  for (const r of await q.categories(prevFrom, prevTo)) {
    const c = cats.get(r.category);
    if (c) c.previous = r.count;
    else cats.set(r.category, { category: r.category, count: 0, previous: r.count });
  }
  const categories = [...cats.values()].sort((a, b) => b.count - a.count || b.previous - a.previous || a.category.localeCompare(b.category));

  // --- repeated issues among the period's new tickets.
  const scan = await q.recentCreated(from, to, opts.clusterScan ?? 1000);
  const byId = new Map(scan.map((r) => [r.id, r]));
  const clusters: ClusterItem[] = clusterTexts(
    [...scan].reverse().map((r) => ({ id: r.id, text: `${r.title}\n${shorten(r.text, 500, '')}` })),
    opts.clusterMin ?? 3,
  ).map((c) => {
    const rows = c.ids.map((id) => byId.get(id)!);
    const incident = rows.find((r) => r.incidentKey)?.incidentKey ?? null;
    const resolved = rows.filter((r) => r.status === 'resolved' || r.status === 'closed').length;
    const suggestion: ClusterItem['suggestion'] = incident ? 'incident' : resolved * 2 >= rows.length ? 'known_answer' : 'investigate';
    return { keys: rows.map((r) => r.key), words: c.words.slice(0, 4), suggestion, incident };
  });

  // --- per-owner load: open now, resolved in the period.
  const owners = new Map<string | null, OwnerLoad>();
  for (const r of await q.openByOwner()) owners.set(r.ownerId, { ownerId: r.ownerId, open: r.count, resolved: 0 });
  for (const p of resStopped) {
    const o = owners.get(p.row.ownerId) ?? { ownerId: p.row.ownerId, open: 0, resolved: 0 };
    o.resolved++;
    owners.set(p.row.ownerId, o);
  }

  const usage = new AiRepo(src.db).usageForDay(from, to);

  return {
    period,
    generatedAt: now,
    new: await counted('new'),
    resolved: await counted('resolved'),
    reopened: await counted('reopened'),
    open: { count: openCount },
    previous: {
      new: await q.count('new', prevFrom, prevTo),
      resolved: await q.count('resolved', prevFrom, prevTo),
      reopened: await q.count('reopened', prevFrom, prevTo),
    },
    openByPriority,
    openByAge,
    sla: { firstResponse: fr, resolution: res },
    breaches,
    medians: { firstResponseMs: median(frTimes), firstResponseSamples: frTimes.length, resolutionMs: median(resTimes), resolutionSamples: resTimes.length },
    categories,
    clusters,
    owners: [...owners.values()].sort((a, b) => b.open - a.open || b.resolved - a.resolved),
    atRisk,
    atRiskCount,
    ai: usage.calls > 0 ? usage : null,
    outcomes: await computeOutcomes(src, from, to),
    previousOutcomes: await computeOutcomes(src, prevFrom, prevTo),
    targets: opts.targets ?? DEFAULT_TARGETS,
    knowledge: await knowledgeFigures(src.repos.offers, from, to),
    engineering: buildEngineeringFigures(src.db, now),
  };
}

function pick(s: { firstResponse: SlaClockState; resolution: SlaClockState }, clock: SlaClockName): SlaClockState {
  return clock === 'first_response' ? s.firstResponse : s.resolution;
}
