/**
 * Working-time arithmetic over a BusinessHoursSnapshot: add working time to an instant, measure
 * working time between two instants, find the next working instant. All zone arithmetic goes
 * through luxon; the loops step one local day (one window) at a time, never minute by minute,
 * and each day's window is computed once and cached, so a 14-day target costs a few dozen map
 * look-ups.
 *
 * Model: every local calendar day D whose ISO weekday is in `days` and which is not listed in
 * `holidays` has one window, [D start, D end). When end <= start the window runs across midnight
 * and ends on D+1 (22:00–06:00 on a Friday runs Fri 22:00 → Sat 06:00; it belongs to Friday, so a
 * holiday on Friday removes it). start == end means a full 24-hour window. Windows are measured
 * in real elapsed time, so a 22:00–06:00 night is 7 h long when clocks spring forward and 9 h when
 * they fall back. A local time that does not exist (skipped by a spring-forward) resolves to the
 * same wall time one hour later; an ambiguous one (repeated by a fall-back) resolves as luxon does
 * (the later offset).
 */
import { DateTime, IANAZone } from 'luxon';
const DAY_MS = 86_400_000;
/** Give up after this many consecutive days without a window (e.g. a year of holidays). */
const MAX_EMPTY_DAYS = 1_000;
/** Cached days per calendar before its cache is reset (about 27 years of days). */
const MAX_CACHED_DAYS = 10_000;
/** Distinct calendars kept compiled. */
const MAX_CALENDARS = 256;
const calendars = new Map();
function parseTime(hhmm, field) {
    const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
    const h = Number(m?.[1]);
    const min = Number(m?.[2]);
    if (!m || h > 23 || min > 59)
        throw new RangeError(`business hours ${field}: expected "HH:MM", got ${JSON.stringify(hhmm)}`);
    return [h, min];
}
/** Compile (or fetch the cached compilation of) a business-hours snapshot. */
function calendarFor(bh) {
    const key = `${bh.timezone}|${bh.days.join(',')}|${bh.start}|${bh.end}|${bh.holidays.join(',')}`;
    const hit = calendars.get(key);
    if (hit)
        return hit;
    if (!IANAZone.isValidZone(bh.timezone))
        throw new RangeError(`business hours timezone: unknown IANA zone ${JSON.stringify(bh.timezone)}`);
    const [startH, startM] = parseTime(bh.start, 'start');
    const [endH, endM] = parseTime(bh.end, 'end');
    const workday = new Array(8).fill(false);
    for (const d of bh.days)
        if (Number.isInteger(d) && d >= 1 && d <= 7)
            workday[d] = true;
    const cal = {
        zone: bh.timezone,
        workday,
        startH,
        startM,
        endH,
        endM,
        crossesMidnight: endH * 60 + endM <= startH * 60 + startM,
        holidays: new Set(bh.holidays),
        windows: new Map(),
    };
    if (calendars.size >= MAX_CALENDARS)
        calendars.clear();
    calendars.set(key, cal);
    return cal;
}
function hasWorkdays(cal) {
    return cal.workday.some(Boolean);
}
/** ISO weekday (1 = Monday) of a day number; 1970-01-01 was a Thursday. */
function isoWeekday(day) {
    return ((((day + 3) % 7) + 7) % 7) + 1;
}
/** The window that belongs to local day `day`, or null when the day has none. */
function windowOf(cal, day) {
    const cached = cal.windows.get(day);
    if (cached !== undefined)
        return cached;
    let w = null;
    if (cal.workday[isoWeekday(day)]) {
        const date = DateTime.fromMillis(day * DAY_MS, { zone: 'utc' });
        if (!cal.holidays.has(date.toISODate() ?? '')) {
            const start = DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour: cal.startH, minute: cal.startM }, { zone: cal.zone }).toMillis();
            const endDate = cal.crossesMidnight ? date.plus({ days: 1 }) : date;
            const end = DateTime.fromObject({ year: endDate.year, month: endDate.month, day: endDate.day, hour: cal.endH, minute: cal.endM }, { zone: cal.zone }).toMillis();
            w = [start, Math.max(start, end)];
        }
    }
    if (cal.windows.size >= MAX_CACHED_DAYS)
        cal.windows.clear();
    cal.windows.set(day, w);
    return w;
}
/**
 * First local day whose window could still end after `at`. A window of local day D ends no later
 * than local midnight after D+1, i.e. at most (D+2) days + 12 h after the epoch day of D in UTC.
 */
function firstCandidateDay(at) {
    return Math.floor(at / DAY_MS) - 2;
}
function assertInstant(name, v) {
    if (!Number.isFinite(v))
        throw new RangeError(`${name} must be a finite epoch-ms number, got ${v}`);
}
/**
 * Add `ms` of working time to `start` (epoch ms); returns epoch ms. If start is outside hours,
 * counting begins at the next window. When the time runs out exactly at the end of a window the
 * result is that window's end (not the next window's start). Returns Infinity when the calendar
 * has no working time at all (no working weekdays, or 1,000 consecutive days without a window).
 *
 * @example
 * const bh = { timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [] };
 * // Friday 2026-03-27 16:00 Berlin + 2 h → Monday 2026-03-30 10:00 Berlin (CEST by then)
 * addBusinessTime(bh, Date.parse('2026-03-27T15:00:00Z'), 2 * 3_600_000); // Date.parse('2026-03-30T08:00:00Z')
 */
export function addBusinessTime(bh, start, ms) {
    assertInstant('start', start);
    if (!(ms >= 0) || !Number.isFinite(ms))
        throw new RangeError(`ms must be a finite number >= 0, got ${ms}`);
    const cal = calendarFor(bh);
    if (!hasWorkdays(cal))
        return Number.POSITIVE_INFINITY;
    let remaining = ms;
    let cursor = start;
    let empty = 0;
    for (let day = firstCandidateDay(start);; day++) {
        const w = windowOf(cal, day);
        if (w === null || w[0] === w[1]) {
            if (++empty > MAX_EMPTY_DAYS)
                return Number.POSITIVE_INFINITY;
            continue;
        }
        empty = 0;
        if (w[1] <= cursor)
            continue;
        const from = Math.max(w[0], cursor);
        const available = w[1] - from;
        if (remaining <= available)
            return from + remaining;
        remaining -= available;
        cursor = w[1];
    }
}
/**
 * Working time (ms) between two instants. Antisymmetric: negative when `to` is before `from`.
 *
 * @example
 * const bh = { timezone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [] };
 * // Friday 16:00 → Monday 10:00 is 2 h of working time
 * businessTimeBetween(bh, Date.parse('2026-01-09T16:00:00Z'), Date.parse('2026-01-12T10:00:00Z')); // 7_200_000
 */
export function businessTimeBetween(bh, from, to) {
    assertInstant('from', from);
    assertInstant('to', to);
    if (to < from)
        return -businessTimeBetween(bh, to, from);
    const cal = calendarFor(bh);
    let total = 0;
    let cursor = from;
    // A window of local day D starts no earlier than (D days − 14 h) after the epoch.
    const lastDay = Math.floor(to / DAY_MS) + 1;
    for (let day = firstCandidateDay(from); day <= lastDay; day++) {
        const w = windowOf(cal, day);
        if (w === null || w[1] <= cursor)
            continue;
        if (w[0] >= to)
            break;
        const start = Math.max(w[0], cursor);
        const end = Math.min(w[1], to);
        if (end > start)
            total += end - start;
        cursor = Math.max(cursor, end);
    }
    return total;
}
/**
 * Is `at` inside working hours (some window with start <= at < end)?
 *
 * @example
 * const bh = { timezone: 'America/New_York', days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00', holidays: [] };
 * isWithinBusinessHours(bh, Date.parse('2026-01-10T08:00:00Z')); // true: Saturday 03:00, inside Friday's night shift
 */
export function isWithinBusinessHours(bh, at) {
    assertInstant('at', at);
    const cal = calendarFor(bh);
    const last = Math.floor(at / DAY_MS) + 1;
    for (let day = firstCandidateDay(at); day <= last; day++) {
        const w = windowOf(cal, day);
        if (w !== null && w[0] <= at && at < w[1])
            return true;
    }
    return false;
}
/**
 * The earliest working instant at or after `at`: `at` itself when it is inside hours, otherwise
 * the start of the next window. Infinity when the calendar has no working time.
 *
 * @example
 * const bh = { timezone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: [] };
 * nextBusinessStart(bh, Date.parse('2026-01-10T12:00:00Z')); // Saturday → Date.parse('2026-01-12T09:00:00Z')
 */
export function nextBusinessStart(bh, at) {
    return addBusinessTime(bh, at, 0);
}
//# sourceMappingURL=business-hours.js.map