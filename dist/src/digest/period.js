/**
 * Digest periods in a time zone. A daily digest sent on day D covers the local days since the
 * previous scheduled digest day up to D 00:00 (so Monday's digest covers Friday to Sunday when
 * digests go out Monday to Friday); a weekly summary covers the 7 local days before D. Each
 * period is compared with the equally long stretch just before it. Local midnights come from
 * luxon, so periods that contain a daylight-saving change are 23 or 25 hours per day, as they
 * should be.
 */
import { DateTime } from 'luxon';
import { InputInvalidError } from '../domain/errors.js';
/** Parse a YYYY-MM-DD local date in `zone` (start of day), or throw a helpful error. */
export function localDay(date, zone) {
    const d = DateTime.fromISO(date, { zone });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !d.isValid)
        throw new InputInvalidError(`expected a date like 2026-11-23, got "${date}"`);
    return d.startOf('day');
}
/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(at, zone) {
    return DateTime.fromMillis(at, { zone }).toISODate();
}
/**
 * The period a digest sent on `date` covers.
 *
 * @example
 * digestPeriod('daily', '2026-11-23', 'Europe/Berlin', [1, 2, 3, 4, 5]) // Monday: Fri 20 Nov 00:00 → Mon 23 Nov 00:00 Berlin, 3 days
 */
export function digestPeriod(kind, date, zone, weekdays) {
    const day = localDay(date, zone);
    let days = 7;
    if (kind === 'daily') {
        days = 1;
        if (weekdays.length > 0)
            for (let back = 1; back <= 7; back++)
                if (weekdays.includes(day.minus({ days: back }).weekday)) {
                    days = back;
                    break;
                }
    }
    const from = day.minus({ days });
    const prevFrom = from.minus({ days });
    return { kind, date: day.toISODate(), zone, from: from.toMillis(), to: day.toMillis(), prevFrom: prevFrom.toMillis(), prevTo: from.toMillis(), days };
}
//# sourceMappingURL=period.js.map