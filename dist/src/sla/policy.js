import { ConfigInvalidError } from '../domain/errors.js';
import { OPEN_STATUSES } from '../domain/types.js';
import { formatDuration } from '../util/duration.js';
import { addBusinessTime, businessTimeBetween } from './business-hours.js';
export const SLA_CLOCKS = ['first_response', 'resolution'];
/**
 * Freeze the policy for a priority onto a ticket (called when it opens and when priority changes).
 * Business-hours policies copy config.businessHours, with the team's time zone when the team
 * defines one; calendar policies get `businessHours: null`. Arrays are copied, so later config
 * edits do not move a ticket's deadlines.
 *
 * @example
 * const snap = snapshotPolicy(parseConfig({}), 'P1');
 * // { policy: 'P1 4h/1d calendar', priority: 'P1', firstResponseMs: 14_400_000, resolutionMs: 86_400_000,
 * //   businessHours: null, thresholds: [0.5, 0.75, 0.9, 1] }
 */
export function snapshotPolicy(config, priority, opts = {}) {
    const target = config.sla[priority];
    let businessHours = null;
    if (target.hours === 'business') {
        const bh = config.businessHours;
        if (bh.days.length === 0)
            throw new ConfigInvalidError([`sla.${priority}: counts business hours, but businessHours.days is empty — list working days, e.g. [mon, tue, wed, thu, fri]`], 'configuration');
        const teamZone = opts.team === undefined ? undefined : config.teams.find((t) => t.id === opts.team)?.timezone;
        businessHours = { timezone: teamZone ?? bh.timezone, days: [...bh.days], start: bh.start, end: bh.end, holidays: [...bh.holidays] };
    }
    const thresholds = [...new Set(config.sla.thresholds)].sort((a, b) => a - b);
    return {
        policy: `${priority} ${formatDuration(target.firstResponse)}/${formatDuration(target.resolution)} ${target.hours}`,
        priority,
        firstResponseMs: target.firstResponse,
        resolutionMs: target.resolution,
        businessHours,
        thresholds,
    };
}
/**
 * Add `ms` of policy time to `start`: business time for business-hours snapshots, calendar time otherwise.
 *
 * @example
 * addPolicyTime(snapshotPolicy(parseConfig({}), 'P0'), Date.parse('2026-03-07T17:00:00Z'), 86_400_000);
 * // Date.parse('2026-03-08T17:00:00Z'): calendar time is real elapsed time, DST or not
 */
export function addPolicyTime(snap, start, ms) {
    return snap.businessHours ? addBusinessTime(snap.businessHours, start, ms) : start + ms;
}
/**
 * Policy time (ms) between two instants; negative when `to` is before `from`.
 *
 * @example
 * policyTimeBetween(calendarSnap, t, t + 90_000); // 90_000
 */
export function policyTimeBetween(snap, from, to) {
    return snap.businessHours ? businessTimeBetween(snap.businessHours, from, to) : to - from;
}
/**
 * Time the pause lasted in policy time, to add to pausedMs on resume (0 if resumedAt <= pausedSince).
 *
 * @example
 * // business hours 09–17 Mon–Fri: paused Friday 16:00, resumed Monday 10:00 → 2 h
 * ticket.pausedMs += pauseDuration(ticket.sla, ticket.pausedSince!, now);
 */
export function pauseDuration(snap, pausedSince, resumedAt) {
    return Math.max(0, policyTimeBetween(snap, pausedSince, resumedAt));
}
/** The key under which a fired threshold is remembered, e.g. "first_response:0.5". */
export function thresholdKey(clock, fraction) {
    return `${clock}:${fraction}`;
}
/** Policy time at which `fraction` of `targetMs` is reached. */
function fractionMs(targetMs, fraction) {
    return Math.round(targetMs * fraction);
}
/** The stop instant of a clock if it has stopped by `now`. */
function stopOf(t, clock, now) {
    const at = clock === 'first_response' ? t.firstResponseAt : t.resolvedAt;
    return at !== null && at <= now ? at : null;
}
/** Start of the current pause if it applies to the resolution clock before `end`. */
function pauseOf(t, end) {
    return t.pausedSince !== null && t.pausedSince <= end ? t.pausedSince : null;
}
function clockState(t, clock, now) {
    const snap = t.sla;
    const targetMs = clock === 'first_response' ? snap.firstResponseMs : snap.resolutionMs;
    const stoppedAt = stopOf(t, clock, now);
    const end = stoppedAt ?? now;
    let pausedMs = 0;
    let pausedSince = null;
    if (clock === 'resolution') {
        pausedMs = Math.max(0, t.pausedMs);
        pausedSince = pauseOf(t, end);
    }
    const countedUntil = pausedSince ?? end;
    const elapsedMs = Math.max(0, policyTimeBetween(snap, t.createdAt, countedUntil) - pausedMs);
    const remainingMs = targetMs - elapsedMs;
    const percentElapsed = targetMs > 0 ? elapsedMs / targetMs : Number.POSITIVE_INFINITY;
    const overdue = elapsedMs >= targetMs;
    let dueAt;
    let state;
    if (stoppedAt !== null) {
        // Pause time up to the stop counts as paused, so the due instant reflects it.
        const openPause = pausedSince === null ? 0 : pauseDuration(snap, pausedSince, stoppedAt);
        dueAt = addPolicyTime(snap, t.createdAt, targetMs + pausedMs + openPause);
        state = overdue ? 'breached_met_late' : 'met';
    }
    else if (pausedSince !== null) {
        dueAt = null;
        state = 'paused';
    }
    else {
        dueAt = addPolicyTime(snap, t.createdAt, targetMs + pausedMs);
        state = overdue ? 'breached' : 'running';
    }
    return { clock, targetMs, dueAt, elapsedMs, remainingMs, percentElapsed, state, stoppedAt };
}
/**
 * Pure: SLA state of a ticket at an instant.
 *
 * @example
 * const s = slaState(ticket, clock.now());
 * s.firstResponse.state; // 'running' | 'met' | 'breached' | 'breached_met_late'
 * s.resolution.dueAt;    // null while waiting on the customer
 */
export function slaState(t, now) {
    return { firstResponse: clockState(t, 'first_response', now), resolution: clockState(t, 'resolution', now) };
}
/**
 * When the given fraction of a clock's target is reached (epoch ms), accounting for pauses so far;
 * null if the clock is paused or stopped at `now`. The instant may lie in the past.
 *
 * @example
 * thresholdAt(ticket, 'first_response', 0.75, now); // createdAt + 45 min for a 1 h calendar target
 */
export function thresholdAt(t, clock, fraction, now) {
    if (stopOf(t, clock, now) !== null)
        return null;
    const targetMs = clock === 'first_response' ? t.sla.firstResponseMs : t.sla.resolutionMs;
    if (clock === 'first_response')
        return addPolicyTime(t.sla, t.createdAt, fractionMs(targetMs, fraction));
    if (pauseOf(t, now) !== null)
        return null;
    return addPolicyTime(t.sla, t.createdAt, fractionMs(targetMs, fraction) + Math.max(0, t.pausedMs));
}
/**
 * Keys of the thresholds of running clocks that have been reached by `now` but are not in `fired`,
 * lowest first. Paused and stopped clocks have none. This is what a sweep should act on (and then
 * add to `fired`) before asking for nextSlaCheckAt.
 *
 * @example
 * reachedThresholds(ticket, new Set(['first_response:0.5']), now); // ['first_response:0.75']
 */
export function reachedThresholds(t, fired, now) {
    const keys = [];
    for (const clock of SLA_CLOCKS) {
        const s = clockState(t, clock, now);
        if (s.state !== 'running' && s.state !== 'breached')
            continue;
        for (const f of t.sla.thresholds) {
            const key = thresholdKey(clock, f);
            if (!fired.has(key) && s.elapsedMs >= fractionMs(s.targetMs, f))
                keys.push(key);
        }
    }
    return keys;
}
/**
 * Earliest instant > `now` at which any not-yet-fired threshold of a running clock is reached;
 * null if none (clocks stopped or paused, everything fired, or the ticket is no longer open).
 * `fired` holds keys like "first_response:0.5" (see thresholdKey). Used to fill
 * tickets.next_sla_check_at. Thresholds already reached at `now` are not returned: fire them
 * first (see reachedThresholds).
 *
 * @example
 * nextSlaCheckAt(ticket, new Set(), ticket.createdAt); // createdAt + 30 min for a 1 h first-response target
 */
export function nextSlaCheckAt(t, fired, now) {
    if (!OPEN_STATUSES.includes(t.status))
        return null;
    let best = null;
    for (const clock of SLA_CLOCKS) {
        for (const f of t.sla.thresholds) {
            if (fired.has(thresholdKey(clock, f)))
                continue;
            const at = thresholdAt(t, clock, f, now);
            if (at === null)
                break; // the clock is paused or stopped: none of its thresholds apply
            if (at > now && (best === null || at < best))
                best = at;
        }
    }
    return best;
}
const CLOCK_LABEL = { first_response: 'first response', resolution: 'resolution' };
/** Duration for a card: whole minutes once it is a minute or more, seconds below that. */
function cardDuration(ms) {
    const abs = Math.abs(ms);
    return formatDuration(abs >= 60_000 ? Math.floor(abs / 60_000) * 60_000 : abs);
}
/**
 * Human text for a card, e.g. "first response due in 3h 12m", "resolution overdue by 25m",
 * "first response met (41m)", "resolution paused (waiting on customer)".
 *
 * @example
 * describeClock(slaState(ticket, now).firstResponse); // "first response due in 3h 12m"
 */
export function describeClock(s) {
    const label = CLOCK_LABEL[s.clock];
    switch (s.state) {
        case 'running':
            return `${label} due in ${cardDuration(s.remainingMs)}`;
        case 'breached':
            return `${label} overdue by ${cardDuration(s.remainingMs)}`;
        case 'paused':
            return s.remainingMs < 0
                ? `${label} paused (waiting on customer), overdue by ${cardDuration(s.remainingMs)}`
                : `${label} paused (waiting on customer)`;
        case 'met':
            return `${label} met (${cardDuration(s.elapsedMs)})`;
        case 'breached_met_late':
            return `${label} met late (${cardDuration(s.elapsedMs)}, ${cardDuration(s.remainingMs)} over)`;
    }
}
/**
 * A clock judged when it stopped (or when the ticket was resolved): "met (41m)", or
 * "missed (5h 10m, 1h 10m over)" — for the cards of resolved tickets, where "due in" would be
 * untrue. Pass the state at the stop instant.
 *
 * @example
 * describeVerdict(slaState(ticket, ticket.resolvedAt!).resolution); // "met (2h 5m)"
 */
export function describeVerdict(s) {
    return s.elapsedMs >= s.targetMs ? `missed (${cardDuration(s.elapsedMs)}, ${cardDuration(s.remainingMs)} over)` : `met (${cardDuration(s.elapsedMs)})`;
}
/** A policy-time duration as the cards write it ("2h 5m"). */
export function describeElapsed(ms) {
    return cardDuration(ms);
}
//# sourceMappingURL=policy.js.map