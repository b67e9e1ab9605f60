/** SLA policy: snapshots, clock states, pauses, thresholds, next check instants and card texts. */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { ConfigInvalidError } from '../../src/domain/errors.js';
import type { SlaSnapshot } from '../../src/domain/types.js';
import {
  type SlaTicket,
  addPolicyTime,
  describeClock,
  nextSlaCheckAt,
  pauseDuration,
  policyTimeBetween,
  reachedThresholds,
  slaState,
  snapshotPolicy,
  thresholdAt,
  thresholdKey,
} from '../../src/sla/policy.js';

const MIN = 60_000;
const H = 3_600_000;

const at = (iso: string): number => {
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid) throw new Error(`bad instant ${iso}`);
  return dt.toMillis();
};

const ticket = (sla: SlaSnapshot, createdAt: number, over: Partial<SlaTicket> = {}): SlaTicket => ({
  sla,
  createdAt,
  firstResponseAt: null,
  resolvedAt: null,
  pausedMs: 0,
  pausedSince: null,
  status: 'new',
  ...over,
});

const defaults = parseConfig({});
/** P0 calendar: first response 1 h, resolution 4 h. */
const p0 = snapshotPolicy(defaults, 'P0');

/** Business-hours desk in Berlin, 09:00–17:00 Mon–Fri, Good Friday off; an APAC team in Tokyo. */
const businessConfig = () =>
  parseConfig({
    sla: { P2: { firstResponse: '8h', resolution: '3d', hours: 'business' } },
    businessHours: { timezone: 'Europe/Berlin', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00', holidays: ['2026-04-03'] },
    teams: [{ id: 'support' }, { id: 'apac', timezone: 'Asia/Tokyo' }],
  });

describe('snapshotPolicy', () => {
  it('freezes the default calendar targets', () => {
    expect(p0).toEqual({
      policy: 'P0 1h/4h calendar',
      priority: 'P0',
      firstResponseMs: H,
      resolutionMs: 4 * H,
      businessHours: null,
      thresholds: [0.5, 0.75, 0.9, 1],
    });
    expect(snapshotPolicy(defaults, 'P4')).toMatchObject({ firstResponseMs: 7 * 24 * H, resolutionMs: 14 * 24 * H, businessHours: null });
  });

  it('copies business hours, with the team time zone when the team has one', () => {
    const cfg = businessConfig();
    const desk = snapshotPolicy(cfg, 'P2');
    expect(desk.businessHours).toEqual({ timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: ['2026-04-03'] });
    expect(desk.policy).toBe('P2 8h/3d business');
    expect(snapshotPolicy(cfg, 'P2', { team: 'apac' }).businessHours?.timezone).toBe('Asia/Tokyo');
    expect(snapshotPolicy(cfg, 'P2', { team: 'support' }).businessHours?.timezone).toBe('Europe/Berlin');
    expect(snapshotPolicy(cfg, 'P2', { team: 'no-such-team' }).businessHours?.timezone).toBe('Europe/Berlin');
    expect(snapshotPolicy(cfg, 'P1', { team: 'apac' }).businessHours).toBeNull();
  });

  it('refuses a business-hours policy when no weekday is a working day', () => {
    const cfg = parseConfig({ sla: { P3: { firstResponse: '1d', resolution: '5d', hours: 'business' } }, businessHours: { days: [] } });
    expect(() => snapshotPolicy(cfg, 'P3')).toThrow(ConfigInvalidError);
    expect(snapshotPolicy(cfg, 'P2').businessHours).toBeNull();
  });

  it('is not moved by later config edits', () => {
    const cfg = businessConfig();
    const created = at('2026-03-31T10:00:00+02:00'); // Tuesday
    const t = ticket(snapshotPolicy(cfg, 'P2'), created);
    const before = slaState(t, created).resolution.dueAt;
    // 72 business hours = 9 working days; Good Friday (Apr 3) is off → Tuesday Apr 14, 10:00.
    expect(before).toBe(at('2026-04-14T10:00:00+02:00'));

    cfg.sla.P2.resolution = 1 * H;
    cfg.businessHours.holidays.push('2026-04-06', '2026-04-07');
    cfg.businessHours.days.splice(0, cfg.businessHours.days.length, 2);
    cfg.sla.thresholds.push(0.95);
    expect(slaState(t, created).resolution.dueAt).toBe(before);
    expect(t.sla.thresholds).toEqual([0.5, 0.75, 0.9, 1]);
    // A fresh snapshot does see the edits.
    expect(slaState(ticket(snapshotPolicy(cfg, 'P2'), created), created).resolution.dueAt).toBe(at('2026-03-31T11:00:00+02:00'));
  });
});

describe('addPolicyTime / policyTimeBetween / pauseDuration', () => {
  it('counts calendar time as real elapsed time, across DST: 24 h is 24 real hours', () => {
    const ny = at('2026-03-07T12:00:00-05:00');
    const due = addPolicyTime(p0, ny, 24 * H);
    expect(due - ny).toBe(24 * H);
    expect(DateTime.fromMillis(due, { zone: 'America/New_York' }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-03-08 13:00');
    const nyFall = at('2026-10-31T12:00:00-04:00');
    expect(DateTime.fromMillis(addPolicyTime(p0, nyFall, 24 * H), { zone: 'America/New_York' }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-11-01 11:00');
    const berlin = at('2026-03-28T12:00:00+01:00');
    expect(DateTime.fromMillis(addPolicyTime(p0, berlin, 24 * H), { zone: 'Europe/Berlin' }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-03-29 13:00');
    expect(policyTimeBetween(p0, berlin, at('2026-03-29T12:00:00+02:00'))).toBe(23 * H);
  });

  it('counts business time for business snapshots', () => {
    const snap = snapshotPolicy(businessConfig(), 'P2');
    expect(addPolicyTime(snap, at('2026-03-27T15:00:00+01:00'), 8 * H)).toBe(at('2026-03-30T15:00:00+02:00'));
    expect(policyTimeBetween(snap, at('2026-03-27T15:00:00+01:00'), at('2026-03-30T15:00:00+02:00'))).toBe(8 * H);
  });

  it('a pause over a weekend costs only the business time inside it', () => {
    const snap = snapshotPolicy(businessConfig(), 'P2');
    expect(pauseDuration(snap, at('2026-03-27T16:00:00+01:00'), at('2026-03-30T10:00:00+02:00'))).toBe(2 * H);
    expect(pauseDuration(p0, at('2026-03-27T16:00:00+01:00'), at('2026-03-30T10:00:00+02:00'))).toBe(65 * H);
    expect(pauseDuration(p0, 1_000, 500)).toBe(0);
  });
});

describe('slaState: calendar clocks', () => {
  const created = at('2026-05-04T10:00:00Z');

  it('runs, then breaches', () => {
    const t = ticket(p0, created);
    const s = slaState(t, created + 15 * MIN).firstResponse;
    expect(s).toEqual({
      clock: 'first_response',
      targetMs: H,
      dueAt: created + H,
      elapsedMs: 15 * MIN,
      remainingMs: 45 * MIN,
      percentElapsed: 0.25,
      state: 'running',
      stoppedAt: null,
    });
    expect(slaState(t, created + H - 1).firstResponse.state).toBe('running');
    expect(slaState(t, created + H).firstResponse).toMatchObject({ state: 'breached', percentElapsed: 1, remainingMs: 0 });
    expect(slaState(t, created + 90 * MIN).firstResponse).toMatchObject({ state: 'breached', percentElapsed: 1.5, remainingMs: -30 * MIN });
    expect(slaState(t, created + 2 * H).resolution).toMatchObject({ state: 'running', dueAt: created + 4 * H, percentElapsed: 0.5 });
  });

  it('stops the first-response clock at firstResponseAt: met before due, met late after', () => {
    const met = ticket(p0, created, { firstResponseAt: created + 41 * MIN });
    const s = slaState(met, created + 5 * H).firstResponse;
    expect(s).toMatchObject({ state: 'met', stoppedAt: created + 41 * MIN, elapsedMs: 41 * MIN, dueAt: created + H });
    expect(slaState(met, created + 50 * H).firstResponse.percentElapsed).toBe(s.percentElapsed);

    const late = ticket(p0, created, { firstResponseAt: created + 75 * MIN });
    expect(slaState(late, created + 5 * H).firstResponse).toMatchObject({ state: 'breached_met_late', elapsedMs: 75 * MIN, remainingMs: -15 * MIN });
  });

  it('judges the state as of `now`: a response recorded later does not count yet', () => {
    const t = ticket(p0, created, { firstResponseAt: created + 30 * MIN });
    expect(slaState(t, created + 10 * MIN).firstResponse).toMatchObject({ state: 'running', stoppedAt: null, elapsedMs: 10 * MIN });
  });

  it('never reports negative elapsed time before the ticket exists', () => {
    expect(slaState(ticket(p0, created), created - H).firstResponse).toMatchObject({ elapsedMs: 0, percentElapsed: 0, state: 'running' });
  });

  it('stops the resolution clock at resolvedAt; a reopened ticket (resolvedAt cleared) runs on', () => {
    const resolved = ticket(p0, created, { firstResponseAt: created + 5 * MIN, resolvedAt: created + 3 * H, status: 'resolved' });
    expect(slaState(resolved, created + 6 * H).resolution).toMatchObject({ state: 'met', stoppedAt: created + 3 * H, elapsedMs: 3 * H });
    const reopened = { ...resolved, resolvedAt: null, status: 'in_progress' as const };
    expect(slaState(reopened, created + 6 * H).resolution).toMatchObject({ state: 'breached', elapsedMs: 6 * H, stoppedAt: null });
    expect(slaState(reopened, created + 3.5 * H).resolution).toMatchObject({ state: 'running', remainingMs: 30 * MIN });
  });
});

describe('slaState: pause and resume of the resolution clock', () => {
  const created = at('2026-05-04T10:00:00Z');

  it('stops moving while paused, and the first-response clock is not paused', () => {
    const t = ticket(p0, created, { pausedSince: created + H, status: 'waiting_on_customer' });
    const a = slaState(t, created + 2 * H);
    const b = slaState(t, created + 30 * H);
    expect(a.resolution).toMatchObject({ state: 'paused', dueAt: null, elapsedMs: H, percentElapsed: 0.25, remainingMs: 3 * H });
    expect(b.resolution).toEqual(a.resolution);
    expect(b.firstResponse.state).toBe('breached');
  });

  it('moves the due time by the length of the pause once resumed', () => {
    const pausedSince = created + H;
    const resumedAt = created + 3 * H;
    const t = ticket(p0, created, { pausedMs: pauseDuration(p0, pausedSince, resumedAt), status: 'in_progress' });
    expect(t.pausedMs).toBe(2 * H);
    expect(slaState(t, resumedAt).resolution).toMatchObject({ state: 'running', dueAt: created + 6 * H, elapsedMs: H });
    expect(slaState(t, created + 5 * H).resolution).toMatchObject({ state: 'running', elapsedMs: 3 * H });
    expect(slaState(t, created + 6 * H).resolution.state).toBe('breached');
  });

  it('a business-hours pause over the weekend moves the due time by business time only', () => {
    const snap = snapshotPolicy(businessConfig(), 'P2'); // resolution 72 business hours
    const createdFri = at('2026-03-20T09:00:00+01:00'); // Friday
    const base = ticket(snap, createdFri);
    expect(slaState(base, createdFri).resolution.dueAt).toBe(at('2026-04-01T17:00:00+02:00'));
    const pausedSince = at('2026-03-27T16:00:00+01:00');
    const resumedAt = at('2026-03-30T10:00:00+02:00');
    const paused = ticket(snap, createdFri, { pausedSince, status: 'waiting_on_customer' });
    expect(slaState(paused, at('2026-03-28T12:00:00+01:00')).resolution.elapsedMs).toBe(47 * H);
    const resumed = ticket(snap, createdFri, { pausedMs: pauseDuration(snap, pausedSince, resumedAt) });
    expect(resumed.pausedMs).toBe(2 * H);
    expect(slaState(resumed, resumedAt).resolution).toMatchObject({ dueAt: at('2026-04-02T11:00:00+02:00'), elapsedMs: 47 * H });
  });

  it('a ticket resolved while paused counts only the time before the pause', () => {
    const t = ticket(p0, created, { pausedSince: created + H, resolvedAt: created + 9 * H, status: 'resolved' });
    expect(slaState(t, created + 10 * H).resolution).toMatchObject({ state: 'met', elapsedMs: H, stoppedAt: created + 9 * H, dueAt: created + 12 * H });
  });

  it('a pause that starts after `now` does not apply yet', () => {
    const t = ticket(p0, created, { pausedSince: created + 2 * H });
    expect(slaState(t, created + H).resolution).toMatchObject({ state: 'running', elapsedMs: H });
  });
});

describe('thresholds', () => {
  const created = at('2026-05-04T10:00:00Z');

  it('thresholdAt gives the instant a fraction of the target is reached', () => {
    const t = ticket(p0, created);
    expect(thresholdAt(t, 'first_response', 0.75, created)).toBe(created + 45 * MIN);
    expect(thresholdAt(t, 'first_response', 1, created)).toBe(created + H);
    expect(thresholdAt(t, 'resolution', 0.5, created)).toBe(created + 2 * H);
    expect(thresholdAt({ ...t, pausedMs: 30 * MIN }, 'resolution', 0.5, created)).toBe(created + 150 * MIN);
  });

  it('thresholdAt is null for a paused or stopped clock', () => {
    expect(thresholdAt(ticket(p0, created, { pausedSince: created }), 'resolution', 0.5, created + MIN)).toBeNull();
    expect(thresholdAt(ticket(p0, created, { pausedSince: created }), 'first_response', 0.5, created + MIN)).toBe(created + 30 * MIN);
    expect(thresholdAt(ticket(p0, created, { firstResponseAt: created + MIN }), 'first_response', 0.5, created + 2 * MIN)).toBeNull();
    expect(thresholdAt(ticket(p0, created, { resolvedAt: created + MIN }), 'resolution', 0.5, created + 2 * MIN)).toBeNull();
  });

  it('thresholdAt follows business hours', () => {
    const snap = snapshotPolicy(businessConfig(), 'P2'); // first response 8 business hours
    const t = ticket(snap, at('2026-03-27T15:00:00+01:00')); // Friday 15:00
    expect(thresholdAt(t, 'first_response', 0.25, t.createdAt)).toBe(at('2026-03-27T17:00:00+01:00'));
    expect(thresholdAt(t, 'first_response', 0.5, t.createdAt)).toBe(at('2026-03-30T11:00:00+02:00'));
    expect(thresholdAt(t, 'first_response', 1, t.createdAt)).toBe(at('2026-03-30T15:00:00+02:00'));
  });

  it('nextSlaCheckAt returns the earliest unfired threshold strictly after now', () => {
    const t = ticket(p0, created);
    expect(nextSlaCheckAt(t, new Set(), created)).toBe(created + 30 * MIN);
    expect(nextSlaCheckAt(t, new Set(['first_response:0.5']), created)).toBe(created + 45 * MIN);
    // Exactly at 30 min the 0.5 threshold is reached: it is for the caller to fire, not a future check.
    expect(nextSlaCheckAt(t, new Set(), created + 30 * MIN)).toBe(created + 45 * MIN);
    const allFr = new Set(t.sla.thresholds.map((f) => thresholdKey('first_response', f)));
    expect(nextSlaCheckAt(t, allFr, created)).toBe(created + 2 * H);
  });

  it('nextSlaCheckAt skips stopped and paused clocks and closed tickets', () => {
    const responded = ticket(p0, created, { firstResponseAt: created + 5 * MIN, status: 'in_progress' });
    expect(nextSlaCheckAt(responded, new Set(), created + 10 * MIN)).toBe(created + 2 * H);
    const waiting = { ...responded, pausedSince: created + 20 * MIN, status: 'waiting_on_customer' as const };
    expect(nextSlaCheckAt(waiting, new Set(), created + 30 * MIN)).toBeNull();
    const resumed = { ...responded, pausedMs: pauseDuration(p0, created + 20 * MIN, created + 80 * MIN) };
    expect(nextSlaCheckAt(resumed, new Set(), created + 80 * MIN)).toBe(created + 3 * H);
    expect(nextSlaCheckAt({ ...responded, resolvedAt: created + H, status: 'resolved' }, new Set(), created + 2 * H)).toBeNull();
    expect(nextSlaCheckAt({ ...ticket(p0, created), status: 'closed' }, new Set(), created)).toBeNull();
    const allFired = new Set(['first_response', 'resolution'].flatMap((c) => p0.thresholds.map((f) => `${c}:${f}`)));
    expect(nextSlaCheckAt(ticket(p0, created), allFired, created)).toBeNull();
  });

  it('reachedThresholds lists unfired thresholds of running clocks reached by now', () => {
    const t = ticket(p0, created);
    expect(reachedThresholds(t, new Set(), created + 29 * MIN)).toEqual([]);
    expect(reachedThresholds(t, new Set(), created + 50 * MIN)).toEqual(['first_response:0.5', 'first_response:0.75']);
    expect(reachedThresholds(t, new Set(['first_response:0.5']), created + 50 * MIN)).toEqual(['first_response:0.75']);
    expect(reachedThresholds(t, new Set(), created + 2 * H)).toEqual([
      'first_response:0.5',
      'first_response:0.75',
      'first_response:0.9',
      'first_response:1',
      'resolution:0.5',
    ]);
    expect(reachedThresholds({ ...t, firstResponseAt: created + 10 * MIN }, new Set(), created + 2 * H)).toEqual(['resolution:0.5']);
    expect(reachedThresholds({ ...t, firstResponseAt: created + 10 * MIN, pausedSince: created + H }, new Set(), created + 3 * H)).toEqual([]);
  });

  it('a sweep driven by nextSlaCheckAt fires each threshold once, in order, across a pause', () => {
    let t = ticket(p0, created, { firstResponseAt: created + 20 * MIN, status: 'in_progress' });
    const fired = new Set<string>();
    const log: Array<[string, number]> = [];
    const sweep = (now: number) => {
      for (const key of reachedThresholds(t, fired, now)) {
        fired.add(key);
        log.push([key, (now - created) / MIN]);
      }
      return nextSlaCheckAt(t, fired, now);
    };
    let next = sweep(created + 20 * MIN);
    expect(next).toBe(created + 2 * H);
    next = sweep(next!); // resolution 0.5 at 120 min
    // Paused from 150 min to 210 min (60 min of calendar time).
    t = { ...t, pausedSince: created + 150 * MIN, status: 'waiting_on_customer' };
    expect(sweep(created + 150 * MIN)).toBeNull();
    t = { ...t, pausedSince: null, pausedMs: pauseDuration(p0, created + 150 * MIN, created + 210 * MIN), status: 'in_progress' };
    next = sweep(created + 210 * MIN);
    while (next !== null) next = sweep(next);
    expect(log).toEqual([
      ['resolution:0.5', 120],
      ['resolution:0.75', 240],
      ['resolution:0.9', 276],
      ['resolution:1', 300],
    ]);
  });
});

describe('describeClock', () => {
  const created = at('2026-05-04T10:00:00Z');
  const p1 = snapshotPolicy(defaults, 'P1'); // 4 h / 24 h

  it('says when a running clock is due', () => {
    expect(describeClock(slaState(ticket(p1, created), created + 48 * MIN).firstResponse)).toBe('first response due in 3h 12m');
    expect(describeClock(slaState(ticket(p1, created), created + 48 * MIN + 30_000).firstResponse)).toBe('first response due in 3h 11m');
    expect(describeClock(slaState(ticket(p1, created), created + 4 * H - 45_000).firstResponse)).toBe('first response due in 45s');
    expect(describeClock(slaState(ticket(snapshotPolicy(defaults, 'P4'), created), created + H).resolution)).toBe('resolution due in 13d 23h');
  });

  it('says by how much a clock is overdue', () => {
    expect(describeClock(slaState(ticket(p0, created), created + 4 * H + 25 * MIN).resolution)).toBe('resolution overdue by 25m');
  });

  it('says when a clock was met, on time or late', () => {
    const t = ticket(p1, created, { firstResponseAt: created + 41 * MIN });
    expect(describeClock(slaState(t, created + 5 * H).firstResponse)).toBe('first response met (41m)');
    const late = ticket(p0, created, { firstResponseAt: created + 100 * MIN });
    expect(describeClock(slaState(late, created + 5 * H).firstResponse)).toBe('first response met late (1h 40m, 40m over)');
  });

  it('says a paused clock is waiting on the customer', () => {
    const t = ticket(p0, created, { pausedSince: created + H, status: 'waiting_on_customer' });
    expect(describeClock(slaState(t, created + 2 * H).resolution)).toBe('resolution paused (waiting on customer)');
    const overdue = ticket(p0, created, { pausedSince: created + 5 * H, status: 'waiting_on_customer' });
    expect(describeClock(slaState(overdue, created + 6 * H).resolution)).toBe('resolution paused (waiting on customer), overdue by 1h');
  });
});
