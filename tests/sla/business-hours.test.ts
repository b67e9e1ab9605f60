/** Business-hours arithmetic: day windows, nights across midnight, weekends, holidays and DST days. */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { BusinessHoursSnapshot } from '../../src/domain/types.js';
import { addBusinessTime, businessTimeBetween, isWithinBusinessHours, nextBusinessStart } from '../../src/sla/business-hours.js';

const MIN = 60_000;
const H = 3_600_000;

/** An instant from an ISO string with an explicit offset (unambiguous even on DST days). */
const at = (iso: string): number => {
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid) throw new Error(`bad instant ${iso}`);
  return dt.toMillis();
};
/** Wall-clock time of an instant in a zone, "yyyy-MM-dd HH:mm ZZ". */
const wall = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm ZZ');

const bh = (over: Partial<BusinessHoursSnapshot> = {}): BusinessHoursSnapshot => ({
  timezone: 'UTC',
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
  holidays: [],
  ...over,
});

describe('business hours 09:00–17:00 Mon–Fri (UTC)', () => {
  const office = bh();
  // 2026-01-05 is a Monday.

  it('knows when it is inside hours (windows are half-open)', () => {
    expect(isWithinBusinessHours(office, at('2026-01-05T09:00:00Z'))).toBe(true);
    expect(isWithinBusinessHours(office, at('2026-01-05T16:59:59.999Z'))).toBe(true);
    expect(isWithinBusinessHours(office, at('2026-01-05T17:00:00Z'))).toBe(false);
    expect(isWithinBusinessHours(office, at('2026-01-05T08:59:59Z'))).toBe(false);
    expect(isWithinBusinessHours(office, at('2026-01-10T12:00:00Z'))).toBe(false); // Saturday
  });

  it('finds the next working instant', () => {
    expect(nextBusinessStart(office, at('2026-01-05T11:00:00Z'))).toBe(at('2026-01-05T11:00:00Z'));
    expect(nextBusinessStart(office, at('2026-01-05T07:00:00Z'))).toBe(at('2026-01-05T09:00:00Z'));
    expect(nextBusinessStart(office, at('2026-01-09T17:00:00Z'))).toBe(at('2026-01-12T09:00:00Z'));
    expect(nextBusinessStart(office, at('2026-01-10T12:00:00Z'))).toBe(at('2026-01-12T09:00:00Z'));
  });

  it('adds working time within a day, over a night and over a weekend', () => {
    expect(addBusinessTime(office, at('2026-01-05T10:00:00Z'), 2 * H)).toBe(at('2026-01-05T12:00:00Z'));
    expect(addBusinessTime(office, at('2026-01-05T16:00:00Z'), 2 * H)).toBe(at('2026-01-06T10:00:00Z'));
    expect(addBusinessTime(office, at('2026-01-09T16:00:00Z'), 2 * H)).toBe(at('2026-01-12T10:00:00Z'));
    expect(addBusinessTime(office, at('2026-01-09T16:30:00Z'), 45 * MIN)).toBe(at('2026-01-12T09:15:00Z'));
  });

  it('starts counting at the next window when the start is outside hours', () => {
    expect(addBusinessTime(office, at('2026-01-10T12:00:00Z'), H)).toBe(at('2026-01-12T10:00:00Z'));
    expect(addBusinessTime(office, at('2026-01-06T03:00:00Z'), 30 * MIN)).toBe(at('2026-01-06T09:30:00Z'));
    expect(addBusinessTime(office, at('2026-01-10T12:00:00Z'), 0)).toBe(at('2026-01-12T09:00:00Z'));
  });

  it('ends at the close of a window when the time runs out exactly there', () => {
    expect(addBusinessTime(office, at('2026-01-09T16:00:00Z'), H)).toBe(at('2026-01-09T17:00:00Z'));
    expect(addBusinessTime(office, at('2026-01-05T09:00:00Z'), 8 * H)).toBe(at('2026-01-05T17:00:00Z'));
  });

  it('adds 14 working days (112 h) across two weekends', () => {
    expect(addBusinessTime(office, at('2026-01-05T09:00:00Z'), 112 * H)).toBe(at('2026-01-22T17:00:00Z'));
    expect(addBusinessTime(office, at('2026-01-07T13:00:00Z'), 112 * H)).toBe(at('2026-01-27T13:00:00Z'));
  });

  it('measures working time between instants, antisymmetrically', () => {
    expect(businessTimeBetween(office, at('2026-01-09T16:00:00Z'), at('2026-01-12T10:00:00Z'))).toBe(2 * H);
    expect(businessTimeBetween(office, at('2026-01-12T10:00:00Z'), at('2026-01-09T16:00:00Z'))).toBe(-2 * H);
    expect(businessTimeBetween(office, at('2026-01-05T00:00:00Z'), at('2026-01-12T00:00:00Z'))).toBe(40 * H);
    expect(businessTimeBetween(office, at('2026-01-10T01:00:00Z'), at('2026-01-11T23:00:00Z'))).toBe(0);
    expect(businessTimeBetween(office, at('2026-01-05T12:00:00Z'), at('2026-01-05T12:00:00Z'))).toBe(0);
    expect(businessTimeBetween(office, at('2026-01-05T12:00:00Z'), at('2026-01-05T12:20:00Z'))).toBe(20 * MIN);
  });

  it('rejects nonsense input and reports a calendar without working days as never', () => {
    expect(() => addBusinessTime(office, at('2026-01-05T09:00:00Z'), -1)).toThrow(RangeError);
    expect(() => addBusinessTime(office, Number.NaN, H)).toThrow(RangeError);
    expect(() => addBusinessTime(bh({ timezone: 'Mars/Olympus' }), 0, H)).toThrow(/IANA/);
    expect(addBusinessTime(bh({ days: [] }), at('2026-01-05T09:00:00Z'), H)).toBe(Number.POSITIVE_INFINITY);
    expect(nextBusinessStart(bh({ days: [] }), at('2026-01-05T09:00:00Z'))).toBe(Number.POSITIVE_INFINITY);
  });

  it('gives up (Infinity) after more than 1,000 days in a row without a window, but not before', () => {
    const first = DateTime.fromISO('2026-01-01', { zone: 'utc' });
    const holidays = (n: number) => Array.from({ length: n }, (_, i) => first.plus({ days: i }).toISODate() ?? '');
    const everyDay = { days: [1, 2, 3, 4, 5, 6, 7] };
    expect(addBusinessTime(bh({ ...everyDay, holidays: holidays(1_100) }), at('2026-01-01T00:00:00Z'), H)).toBe(Number.POSITIVE_INFINITY);
    // 900 days off: 2026-01-01 + 900 days = 2028-06-19
    expect(addBusinessTime(bh({ ...everyDay, holidays: holidays(900) }), at('2026-01-01T00:00:00Z'), H)).toBe(at('2028-06-19T10:00:00Z'));
  });
});

describe('business hours in a zone with DST (Europe/Berlin, 09:00–17:00 Mon–Fri)', () => {
  const berlin = bh({ timezone: 'Europe/Berlin' });

  it('uses local office hours on both sides of the spring-forward weekend (2026-03-29)', () => {
    // Friday 16:00 CET + 2 h → Monday 10:00 CEST
    const due = addBusinessTime(berlin, at('2026-03-27T16:00:00+01:00'), 2 * H);
    expect(wall(due, 'Europe/Berlin')).toBe('2026-03-30 10:00 +02:00');
    expect(due).toBe(at('2026-03-30T10:00:00+02:00'));
    expect(businessTimeBetween(berlin, at('2026-03-27T17:00:00+01:00'), at('2026-03-30T09:00:00+02:00'))).toBe(0);
  });

  it('uses local office hours on both sides of the fall-back weekend (2026-10-25)', () => {
    const due = addBusinessTime(berlin, at('2026-10-23T16:00:00+02:00'), 2 * H);
    expect(wall(due, 'Europe/Berlin')).toBe('2026-10-26 10:00 +01:00');
    expect(businessTimeBetween(berlin, at('2026-10-19T00:00:00+02:00'), at('2026-11-02T00:00:00+01:00'))).toBe(80 * H);
  });
});

describe('windows across midnight (22:00–06:00)', () => {
  const nights = bh({ timezone: 'America/New_York', start: '22:00', end: '06:00' });

  it("counts a night as belonging to the day it starts on (Friday's night runs into Saturday)", () => {
    // 2026-01-09 is a Friday.
    expect(isWithinBusinessHours(nights, at('2026-01-10T03:00:00-05:00'))).toBe(true); // Sat 03:00, Friday's shift
    expect(isWithinBusinessHours(nights, at('2026-01-11T03:00:00-05:00'))).toBe(false); // Sun 03:00, no Saturday shift
    expect(isWithinBusinessHours(nights, at('2026-01-12T03:00:00-05:00'))).toBe(false); // Mon 03:00, no Sunday shift
    expect(isWithinBusinessHours(nights, at('2026-01-12T23:00:00-05:00'))).toBe(true);
    expect(isWithinBusinessHours(nights, at('2026-01-13T06:00:00-05:00'))).toBe(false);
    expect(isWithinBusinessHours(nights, at('2026-01-12T12:00:00-05:00'))).toBe(false);
  });

  it('adds time through midnight and over the weekend gap', () => {
    expect(addBusinessTime(nights, at('2026-01-09T23:00:00-05:00'), 2 * H)).toBe(at('2026-01-10T01:00:00-05:00'));
    // Sat 05:00: one hour left of Friday's shift, then nothing until Monday 22:00
    expect(addBusinessTime(nights, at('2026-01-10T05:00:00-05:00'), 2 * H)).toBe(at('2026-01-12T23:00:00-05:00'));
    expect(nextBusinessStart(nights, at('2026-01-10T06:00:00-05:00'))).toBe(at('2026-01-12T22:00:00-05:00'));
    expect(businessTimeBetween(nights, at('2026-01-05T12:00:00-05:00'), at('2026-01-12T12:00:00-05:00'))).toBe(40 * H);
  });

  it('treats start == end as a full 24-hour window on working days', () => {
    const allDay = bh({ start: '00:00', end: '00:00' });
    expect(businessTimeBetween(allDay, at('2026-01-05T00:00:00Z'), at('2026-01-12T00:00:00Z'))).toBe(120 * H);
    expect(addBusinessTime(allDay, at('2026-01-09T23:00:00Z'), 2 * H)).toBe(at('2026-01-12T01:00:00Z'));
    expect(isWithinBusinessHours(allDay, at('2026-01-07T00:00:00Z'))).toBe(true);
  });
});

describe('daylight-saving days', () => {
  const everyNight = (timezone: string) => bh({ timezone, days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00' });

  it('New York spring forward (2026-03-08): a 1 h target from 01:30 ends at 03:30 local, one real hour later', () => {
    const ny = everyNight('America/New_York');
    const start = at('2026-03-08T01:30:00-05:00');
    const due = addBusinessTime(ny, start, H);
    expect(due - start).toBe(H);
    expect(wall(due, 'America/New_York')).toBe('2026-03-08 03:30 -04:00');
    // The night of Sat 7th → Sun 8th is only 7 real hours long.
    expect(businessTimeBetween(ny, at('2026-03-07T12:00:00-05:00'), at('2026-03-08T12:00:00-04:00'))).toBe(7 * H);
  });

  it('New York fall back (2026-11-01): a 1 h target from the first 01:30 ends at the second 01:30', () => {
    const ny = everyNight('America/New_York');
    const start = at('2026-11-01T01:30:00-04:00');
    const due = addBusinessTime(ny, start, H);
    expect(due).toBe(at('2026-11-01T01:30:00-05:00'));
    expect(wall(due, 'America/New_York')).toBe('2026-11-01 01:30 -05:00');
    // The night of Sat 31st → Sun 1st is 9 real hours long.
    expect(businessTimeBetween(ny, at('2026-10-31T12:00:00-04:00'), at('2026-11-01T12:00:00-05:00'))).toBe(9 * H);
  });

  it('Berlin spring forward (2026-03-29): 01:30 CET + 1 h = 03:30 CEST', () => {
    const berlin = everyNight('Europe/Berlin');
    const due = addBusinessTime(berlin, at('2026-03-29T01:30:00+01:00'), H);
    expect(due).toBe(at('2026-03-29T03:30:00+02:00'));
    expect(businessTimeBetween(berlin, at('2026-03-28T12:00:00+01:00'), at('2026-03-29T12:00:00+02:00'))).toBe(7 * H);
  });

  it('Berlin fall back (2026-10-25): 02:30 CEST + 1 h = 02:30 CET, and 01:30 + 1 h = 02:30 CEST', () => {
    const berlin = everyNight('Europe/Berlin');
    expect(addBusinessTime(berlin, at('2026-10-25T02:30:00+02:00'), H)).toBe(at('2026-10-25T02:30:00+01:00'));
    expect(addBusinessTime(berlin, at('2026-10-25T01:30:00+02:00'), H)).toBe(at('2026-10-25T02:30:00+02:00'));
    expect(businessTimeBetween(berlin, at('2026-10-24T12:00:00+02:00'), at('2026-10-25T12:00:00+01:00'))).toBe(9 * H);
  });

  it('a morning window 00:00–06:00 is 5 h on spring-forward day and 7 h on fall-back day', () => {
    const mornings = bh({ timezone: 'America/New_York', days: [7], start: '00:00', end: '06:00' });
    expect(businessTimeBetween(mornings, at('2026-03-07T12:00:00-05:00'), at('2026-03-08T12:00:00-04:00'))).toBe(5 * H);
    expect(businessTimeBetween(mornings, at('2026-10-31T12:00:00-04:00'), at('2026-11-01T12:00:00-05:00'))).toBe(7 * H);
    expect(businessTimeBetween(mornings, at('2026-03-14T12:00:00-04:00'), at('2026-03-15T12:00:00-04:00'))).toBe(6 * H);
  });

  it('a daytime window is unaffected: 09:00–17:00 on a DST Sunday is 8 h', () => {
    const sundays = bh({ timezone: 'America/New_York', days: [7] });
    expect(businessTimeBetween(sundays, at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(8 * H);
    expect(addBusinessTime(sundays, at('2026-03-07T20:00:00-05:00'), 8 * H)).toBe(at('2026-03-08T17:00:00-04:00'));
  });
});

describe('holidays', () => {
  it('skips a holiday (Christmas on a Friday)', () => {
    const office = bh({ holidays: ['2026-12-25'] });
    expect(isWithinBusinessHours(office, at('2026-12-25T12:00:00Z'))).toBe(false);
    expect(addBusinessTime(office, at('2026-12-24T16:00:00Z'), 2 * H)).toBe(at('2026-12-28T10:00:00Z'));
    expect(businessTimeBetween(office, at('2026-12-21T00:00:00Z'), at('2026-12-28T00:00:00Z'))).toBe(32 * H);
  });

  it('reads holiday dates in the business-hours zone, not UTC', () => {
    const auckland = bh({ timezone: 'Pacific/Auckland', holidays: ['2026-12-25'] });
    // Friday 25 Dec 10:00 in Auckland is still Thursday 24 Dec in UTC.
    expect(isWithinBusinessHours(auckland, at('2026-12-25T10:00:00+13:00'))).toBe(false);
    expect(isWithinBusinessHours(auckland, at('2026-12-24T10:00:00+13:00'))).toBe(true);
  });

  it("a holiday removes the night that starts on it, not the one that runs into it", () => {
    const nights = bh({ timezone: 'Europe/Berlin', start: '22:00', end: '06:00', holidays: ['2026-12-25'] });
    expect(isWithinBusinessHours(nights, at('2026-12-25T03:00:00+01:00'))).toBe(true); // Thursday's night
    expect(isWithinBusinessHours(nights, at('2026-12-25T23:00:00+01:00'))).toBe(false); // Friday's night is off
    expect(addBusinessTime(nights, at('2026-12-25T05:00:00+01:00'), 2 * H)).toBe(at('2026-12-28T23:00:00+01:00'));
  });
});

describe('zones far from UTC, where the local date differs from the UTC date', () => {
  it('UTC+14 (Pacific/Kiritimati): a morning window is on the previous UTC day', () => {
    const kiritimati = bh({ timezone: 'Pacific/Kiritimati' });
    // Tuesday 09:00–10:00 local = Monday 19:00–20:00 UTC.
    expect(businessTimeBetween(kiritimati, at('2026-01-06T08:00:00+14:00'), at('2026-01-06T10:00:00+14:00'))).toBe(H);
    expect(isWithinBusinessHours(kiritimati, at('2026-01-06T09:30:00+14:00'))).toBe(true);
    expect(addBusinessTime(kiritimati, at('2026-01-05T17:30:00+14:00'), H)).toBe(at('2026-01-06T10:00:00+14:00'));
  });

  it('UTC−11 (Pacific/Pago_Pago): an evening window is on the next UTC day', () => {
    const pago = bh({ timezone: 'Pacific/Pago_Pago', start: '18:00', end: '23:00' });
    // Friday 18:00–23:00 local = Saturday 05:00–10:00 UTC.
    expect(businessTimeBetween(pago, at('2026-01-09T12:00:00-11:00'), at('2026-01-10T12:00:00-11:00'))).toBe(5 * H);
    expect(nextBusinessStart(pago, at('2026-01-09T23:00:00-11:00'))).toBe(at('2026-01-12T18:00:00-11:00'));
  });

  it('UTC−11 with a 23 h shift: Friday 22:00 → Saturday 21:00 local reaches two UTC days later', () => {
    const longShift = bh({ timezone: 'Pacific/Pago_Pago', days: [5], start: '22:00', end: '21:00' });
    const sat20 = at('2026-01-10T20:00:00-11:00'); // Sunday 07:00 UTC
    expect(isWithinBusinessHours(longShift, sat20)).toBe(true);
    expect(addBusinessTime(longShift, sat20, 30 * MIN)).toBe(sat20 + 30 * MIN);
    expect(businessTimeBetween(longShift, sat20, at('2026-01-11T20:00:00-11:00'))).toBe(H);
  });
});

/** Independent reference: step minute by minute and read the local wall clock. */
function referenceMinutes(b: BusinessHoursSnapshot, from: number, to: number): number {
  const [sh, sm] = b.start.split(':').map(Number) as [number, number];
  const [eh, em] = b.end.split(':').map(Number) as [number, number];
  const s = sh * 60 + sm;
  const e = eh * 60 + em;
  const works = (d: DateTime) => b.days.includes(d.weekday) && !b.holidays.includes(d.toISODate() ?? '');
  let minutes = 0;
  for (let t = from; t < to; t += MIN) {
    const local = DateTime.fromMillis(t, { zone: b.timezone });
    const m = local.hour * 60 + local.minute;
    const inside = e > s ? works(local) && m >= s && m < e : (works(local) && m >= s) || (works(local.minus({ days: 1 })) && m < e);
    if (inside) minutes++;
  }
  return minutes;
}

describe('agreement with a minute-by-minute reference', () => {
  const cases: Array<[string, BusinessHoursSnapshot, string, string]> = [
    ['NY nights, spring forward', bh({ timezone: 'America/New_York', days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00' }), '2026-03-06T10:00:00-05:00', '2026-03-10T10:00:00-04:00'],
    ['NY office, fall back', bh({ timezone: 'America/New_York', days: [1, 2, 3, 4, 5, 7] }), '2026-10-30T10:17:00-04:00', '2026-11-03T15:41:00-05:00'],
    ['Berlin nights Mon–Fri, fall back, holiday', bh({ timezone: 'Europe/Berlin', start: '20:30', end: '04:15', holidays: ['2026-10-23'] }), '2026-10-21T10:00:00+02:00', '2026-10-27T10:00:00+01:00'],
    ['Berlin early shift, spring forward', bh({ timezone: 'Europe/Berlin', days: [6, 7, 1], start: '00:00', end: '08:00' }), '2026-03-27T23:59:00+01:00', '2026-03-31T00:01:00+02:00'],
  ];
  it.each(cases)('%s', (_name, b, fromIso, toIso) => {
    const from = at(fromIso);
    const to = at(toIso);
    const expected = referenceMinutes(b, from, to) * MIN;
    expect(expected).toBeGreaterThan(0);
    expect(businessTimeBetween(b, from, to)).toBe(expected);
  });
});

describe('add and between are inverse', () => {
  const calendars: BusinessHoursSnapshot[] = [
    bh({ timezone: 'America/New_York', holidays: ['2026-11-26', '2026-12-25'] }),
    bh({ timezone: 'Europe/Berlin', start: '22:00', end: '06:00', holidays: ['2026-10-03'] }),
    bh({ timezone: 'Asia/Kolkata', days: [7, 1, 2, 3, 4], start: '08:30', end: '18:15' }),
  ];
  // Deterministic pseudo-random instants across 2026 and amounts up to 20 working days.
  let seed = 42;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const samples = Array.from({ length: 60 }, () => ({
    start: at('2026-01-01T00:00:00Z') + Math.floor(rand() * 365 * 24 * 60) * MIN,
    ms: Math.floor(rand() * 160 * 60) * MIN,
  }));

  it.each(calendars.map((c) => [c.timezone, c] as const))('%s', (_zone, c) => {
    for (const { start, ms } of samples) {
      const end = addBusinessTime(c, start, ms);
      expect(end).toBeGreaterThanOrEqual(start);
      expect(businessTimeBetween(c, start, end)).toBe(ms);
      // …and it is the earliest such instant.
      if (ms > 0) expect(businessTimeBetween(c, start, end - 1)).toBe(ms - 1);
    }
  });
});
