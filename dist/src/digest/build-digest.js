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
import { PRIORITIES } from '../domain/types.js';
import { clusterTexts } from '../escalation/similarity.js';
import { slaState } from '../sla/policy.js';
import { AiRepo } from '../store/ai-repo.js';
import { CsatRepo } from '../store/csat-repo.js';
import { agentResolutionSql } from '../tickets/resolution-outcome.js';
import { buildKnowledgeFigures } from './knowledge-figures.js';
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
];
export const DEFAULT_TARGETS = { csat: 0.9, fcr: 0.8 };
function share(count, of) {
    return { count, of, rate: of > 0 ? count / of : null };
}
/**
 * Customer outcomes for [from, to): CSAT from csat_surveys, FCR and reopen rate from the
 * timeline (definitions in the file header). Period-sized work: the resolutions come from the
 * (type, at) index on ticket_events, the replies and reopens per ticket from (ticket_id, id).
 */
export function computeOutcomes(db, from, to) {
    const csat = new CsatRepo(db).counts(from, to);
    const row = db
        .prepare(`WITH res AS (
         SELECT e.ticket_id AS id, MIN(e.at) AS at
           FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
          WHERE e.type = 'status_changed' AND e.at >= @from AND e.at < @to AND t.deleted = 0
            AND (e.data ->> '$.to' = 'resolved' OR (e.data ->> '$.to' = 'closed' AND e.data ->> '$.from' <> 'resolved'))
            AND ${agentResolutionSql('e')}
          GROUP BY e.ticket_id
       ), scored AS (
         -- One pass over each resolved ticket's timeline (ticket_events_ticket index).
         SELECT res.id,
                SUM(CASE WHEN r.at <= res.at AND r.type = 'replied' AND r.data ->> '$.role' = 'agent' THEN 1 ELSE 0 END) AS replies,
                MAX(r.type = 'reopened') AS ever_reopened,
                MAX(r.type = 'reopened' AND r.at >= res.at) AS reopened_after
           FROM res JOIN ticket_events r ON r.ticket_id = res.id
          GROUP BY res.id
       )
       SELECT COUNT(*) AS n,
              COALESCE(SUM(CASE WHEN replies = 1 AND NOT ever_reopened THEN 1 ELSE 0 END), 0) AS fcr,
              COALESCE(SUM(reopened_after), 0) AS reopened
         FROM scored`)
        .get({ from, to });
    return { csat: share(csat.satisfied, csat.responses), fcr: share(row.fcr, row.n), reopen: share(row.reopened, row.n) };
}
const SLA_COLS = 'id, key, priority, owner_id, status, sla, created_at, first_response_at, resolved_at, paused_ms, paused_since, title, incident_key';
/** Snapshots are shared by many tickets (same priority, same policy): parse each distinct one once. */
const snapshotCache = new Map();
function snapshotOf(json) {
    let snap = snapshotCache.get(json);
    if (!snap) {
        if (snapshotCache.size >= 1000)
            snapshotCache.clear();
        snap = JSON.parse(json);
        snapshotCache.set(json, snap);
    }
    return snap;
}
function parse(row) {
    return {
        row,
        t: {
            sla: snapshotOf(row.sla),
            createdAt: row.created_at,
            firstResponseAt: row.first_response_at,
            resolvedAt: row.resolved_at,
            pausedMs: row.paused_ms,
            pausedSince: row.paused_since,
            status: row.status,
        },
    };
}
function median(xs) {
    if (xs.length === 0)
        return null;
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
}
const OPEN = "status NOT IN ('resolved','closed') AND deleted = 0";
/**
 * The open queue, read through its covering partial index (migration 0002) — named, because
 * without statistics the planner prefers a smaller index that is not covering.
 */
const OPEN_FROM = 'tickets INDEXED BY tickets_open_sla';
/**
 * Build the digest for a period. `now` is when it is generated (open counts and at-risk tickets
 * are as of then).
 *
 * @example
 * const data = buildDigest(db, digestPeriod('daily', '2026-11-23', 'Europe/Berlin', [1, 2, 3, 4, 5]), clock.now());
 * data.new.count; data.sla.firstResponse.compliance; data.atRisk[0]?.key
 */
export function buildDigest(db, period, now, opts = {}) {
    const { from, to, prevFrom, prevTo } = period;
    const horizon = opts.riskHorizonMs ?? DAY;
    const openFrom = OPEN_FROM;
    const count = (sql, ...args) => db.prepare(sql).get(...args).n;
    const keys = (sql, ...args) => db.prepare(sql).all(...args, KEYS_CAP).map((r) => r.key);
    const newSql = 'FROM tickets WHERE created_at >= ? AND created_at < ? AND deleted = 0';
    const resolvedSql = 'FROM tickets WHERE resolved_at >= ? AND resolved_at < ? AND deleted = 0';
    const reopenedSql = "FROM tickets WHERE deleted = 0 AND id IN (SELECT DISTINCT ticket_id FROM ticket_events WHERE type = 'reopened' AND at >= ? AND at < ?)";
    const counted = (sql) => ({
        count: count(`SELECT COUNT(*) AS n ${sql}`, from, to),
        keys: keys(`SELECT key ${sql} ORDER BY id LIMIT ?`, from, to),
    });
    const openByPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0]));
    for (const r of db.prepare(`SELECT priority, COUNT(*) AS n FROM ${openFrom} WHERE ${OPEN} GROUP BY priority`).all())
        openByPriority[r.priority] = r.n;
    const openCount = Object.values(openByPriority).reduce((a, b) => a + b, 0);
    const ageRow = db
        .prepare(`SELECT SUM(CASE WHEN created_at > @now - @d1 THEN 1 ELSE 0 END) AS b0,
              SUM(CASE WHEN created_at <= @now - @d1 AND created_at > @now - @d3 THEN 1 ELSE 0 END) AS b1,
              SUM(CASE WHEN created_at <= @now - @d3 AND created_at > @now - @d7 THEN 1 ELSE 0 END) AS b2,
              SUM(CASE WHEN created_at <= @now - @d7 THEN 1 ELSE 0 END) AS b3
         FROM ${openFrom} WHERE ${OPEN}`)
        .get({ now, d1: DAY, d3: 3 * DAY, d7: 7 * DAY });
    const ages = [ageRow.b0, ageRow.b1, ageRow.b2, ageRow.b3];
    const openByAge = AGE_BUCKETS.map((b, i) => ({ id: b.id, label: b.label, count: ages[i] ?? 0 }));
    // --- SLA: clocks that stopped in the period, and running clocks that crossed their target in it.
    const frStopped = db.prepare(`SELECT ${SLA_COLS} FROM tickets WHERE first_response_at >= ? AND first_response_at < ? AND deleted = 0`).all(from, to).map(parse);
    const resStopped = db.prepare(`SELECT ${SLA_COLS} FROM tickets WHERE resolved_at >= ? AND resolved_at < ? AND deleted = 0`).all(from, to).map(parse);
    // Covered by tickets_open_sla: no table look-ups (title and incident are fetched for the few shown).
    const openRows = db
        .prepare(`SELECT id, key, priority, owner_id, status, sla, created_at, first_response_at, resolved_at, paused_ms, paused_since, '' AS title, NULL AS incident_key
           FROM ${openFrom} WHERE ${OPEN}`)
        .all().map(parse);
    // Clocks still running at the period's end but stopped since (only for digests of past days).
    const laterStopped = [
        ...db.prepare(`SELECT ${SLA_COLS} FROM tickets WHERE resolved_at >= ? AND deleted = 0`).all(to),
        ...db.prepare(`SELECT ${SLA_COLS} FROM tickets WHERE first_response_at >= ? AND deleted = 0`).all(to),
    ].map(parse);
    const fr = { met: 0, missed: 0, compliance: null };
    const res = { met: 0, missed: 0, compliance: null };
    const breaches = [];
    const judgeStopped = (rows, clock, acc) => {
        for (const p of rows) {
            const stop = clock === 'first_response' ? p.row.first_response_at : p.row.resolved_at;
            const s = pick(slaState(p.t, stop), clock);
            if (s.state === 'met')
                acc.met++;
            else if (s.state === 'breached_met_late') {
                acc.missed++;
                breaches.push({ key: p.row.key, priority: p.row.priority, clock, dueAt: s.dueAt ?? stop, stoppedAt: stop, ownerId: p.row.owner_id });
            }
        }
    };
    judgeStopped(frStopped, 'first_response', fr);
    judgeStopped(resStopped, 'resolution', res);
    const seen = new Set();
    for (const p of [...openRows, ...laterStopped]) {
        if (seen.has(p.row.id) || p.row.created_at >= to)
            continue;
        seen.add(p.row.id);
        const s = slaState(p.t, to - 1);
        for (const [clock, acc] of [['first_response', fr], ['resolution', res]]) {
            const c = pick(s, clock);
            if (c.state === 'breached' && c.dueAt !== null && c.dueAt >= from && c.dueAt < to) {
                acc.missed++;
                breaches.push({ key: p.row.key, priority: p.row.priority, clock, dueAt: c.dueAt, stoppedAt: null, ownerId: p.row.owner_id });
            }
        }
    }
    for (const acc of [fr, res])
        acc.compliance = acc.met + acc.missed > 0 ? acc.met / (acc.met + acc.missed) : null;
    breaches.sort((a, b) => PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority) || a.dueAt - b.dueAt);
    // --- at risk: running clocks of open tickets due within the horizon.
    const atRisk = [];
    for (const p of openRows) {
        if (p.row.status === 'waiting_on_customer')
            continue;
        const s = slaState(p.t, now);
        const soonest = [s.firstResponse, s.resolution]
            .filter((c) => c.state === 'running' && c.dueAt !== null && c.dueAt <= now + horizon)
            .sort((a, b) => a.dueAt - b.dueAt)[0];
        if (soonest)
            atRisk.push({ key: p.row.key, priority: p.row.priority, clock: soonest.clock, dueAt: soonest.dueAt, ownerId: p.row.owner_id, title: '' });
    }
    atRisk.sort((a, b) => a.dueAt - b.dueAt);
    const atRiskCount = atRisk.length;
    atRisk.splice(KEYS_CAP);
    const titleOf = db.prepare('SELECT title FROM tickets WHERE key = ?');
    for (const r of atRisk)
        r.title = titleOf.get(r.key)?.title ?? '';
    // --- medians (calendar time).
    const frTimes = frStopped.map((p) => p.row.first_response_at - p.row.created_at);
    const resTimes = resStopped.map((p) => p.row.resolved_at - p.row.created_at);
    // --- categories, this period vs the previous one.
    const cats = new Map();
    const catSql = 'SELECT category, COUNT(*) AS n FROM tickets WHERE created_at >= ? AND created_at < ? AND deleted = 0 GROUP BY category';
    for (const r of db.prepare(catSql).all(from, to))
        cats.set(r.category, { category: r.category, count: r.n, previous: 0 });
    for (const r of db.prepare(catSql).all(prevFrom, prevTo)) {
        const c = cats.get(r.category);
        if (c)
            c.previous = r.n;
        else
            cats.set(r.category, { category: r.category, count: 0, previous: r.n });
    }
    const categories = [...cats.values()].sort((a, b) => b.count - a.count || b.previous - a.previous || a.category.localeCompare(b.category));
    // --- repeated issues among the period's new tickets.
    const scan = db
        .prepare(`SELECT id, key, title, text, status, incident_key FROM tickets WHERE created_at >= ? AND created_at < ? AND deleted = 0 ORDER BY created_at DESC LIMIT ?`)
        .all(from, to, opts.clusterScan ?? 1000);
    const byId = new Map(scan.map((r) => [r.id, r]));
    const clusters = clusterTexts([...scan].reverse().map((r) => ({ id: r.id, text: `${r.title}\n${shorten(r.text, 500, '')}` })), opts.clusterMin ?? 3).map((c) => {
        const rows = c.ids.map((id) => byId.get(id));
        const incident = rows.find((r) => r.incident_key)?.incident_key ?? null;
        const resolved = rows.filter((r) => r.status === 'resolved' || r.status === 'closed').length;
        const suggestion = incident ? 'incident' : resolved * 2 >= rows.length ? 'known_answer' : 'investigate';
        return { keys: rows.map((r) => r.key), words: c.words.slice(0, 4), suggestion, incident };
    });
    // --- per-owner load: open now, resolved in the period.
    const owners = new Map();
    for (const r of db.prepare(`SELECT owner_id, COUNT(*) AS n FROM ${openFrom} WHERE ${OPEN} GROUP BY owner_id`).all())
        owners.set(r.owner_id, { ownerId: r.owner_id, open: r.n, resolved: 0 });
    for (const p of resStopped) {
        const o = owners.get(p.row.owner_id) ?? { ownerId: p.row.owner_id, open: 0, resolved: 0 };
        o.resolved++;
        owners.set(p.row.owner_id, o);
    }
    const aiRepo = new AiRepo(db);
    const usage = aiRepo.usageForDay(from, to);
    return {
        period,
        generatedAt: now,
        new: counted(newSql),
        resolved: counted(resolvedSql),
        reopened: counted(reopenedSql),
        open: { count: openCount },
        previous: {
            new: count(`SELECT COUNT(*) AS n ${newSql}`, prevFrom, prevTo),
            resolved: count(`SELECT COUNT(*) AS n ${resolvedSql}`, prevFrom, prevTo),
            reopened: count(`SELECT COUNT(*) AS n ${reopenedSql}`, prevFrom, prevTo),
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
        outcomes: computeOutcomes(db, from, to),
        previousOutcomes: computeOutcomes(db, prevFrom, prevTo),
        targets: opts.targets ?? DEFAULT_TARGETS,
        knowledge: buildKnowledgeFigures(db, from, to),
    };
}
function pick(s, clock) {
    return clock === 'first_response' ? s.firstResponse : s.resolution;
}
//# sourceMappingURL=build-digest.js.map