/**
 * The watcher on business-hours policies (weekends, holidays, the owner's working hours vs
 * on-call) and on daylight-saving days, by moving the ManualClock across them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Desk, H, MIN, ONCALL, OWNER, events, makeDesk, nextCheck, outboxRows, pings, viewOf, viewText } from './helpers.js';

let d: Desk | undefined;
afterEach(async () => {
  await d?.close();
  d = undefined;
});

const berlinBusiness = {
  sla: { P2: { firstResponse: '8h', resolution: '3d', hours: 'business' } },
  businessHours: { timezone: 'Europe/Berlin', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00', holidays: ['2026-11-30'] },
};

describe('business hours and holidays', () => {
  it('counts only working time across a weekend and a holiday, and pings the owner inside working hours', async () => {
    // Friday 27 Nov 2026, 15:00 Berlin (14:00 UTC).
    d = makeDesk({ config: berlinBusiness, start: Date.parse('2026-11-27T14:00:00Z') });
    const t = d.open('The CSV import skips rows with accents', { priority: 'P2' });
    // 50% of 8 h = 4 h: Fri 15–17 (2 h), weekend, Mon 30 Nov is a holiday, Tue 1 Dec 09–11 (2 h).
    const due = Date.parse('2026-12-01T10:00:00Z');
    expect(nextCheck(d.db, t.id)).toBe(due);
    for (const at of ['2026-11-28T12:00:00Z', '2026-11-29T20:00:00Z', '2026-11-30T12:00:00Z', '2026-12-01T09:59:59Z']) {
      d.clock.set(Date.parse(at));
      expect((await d.sla.sweeper.sweep()).sent).toBe(0);
    }
    d.clock.set(due);
    await d.sla.sweeper.sweep();
    const text = viewText(viewOf(outboxRows(d.db, `sla:${t.id}:first_response:0.5`)[0]!.payload));
    expect(text).toContain(`<@${OWNER}>`);
    expect(text).toContain('due in 4h');
  });

  it("outside the owner's working hours the on-call person is pinged (and DMed at breach)", async () => {
    d = makeDesk({ config: berlinBusiness, start: Date.parse('2026-11-27T14:00:00Z') });
    const t = d.open('Scheduled reports are sent twice', { priority: 'P2' });
    d.clock.set(Date.parse('2026-12-01T10:00:00Z'));
    await d.sla.sweeper.sweep();
    // The bot is down from Tue 12:00 until 17:30 Berlin (after hours): 75% (13:00), 90% (14:12) and
    // the breach (15:00) all pass meanwhile; only the breach is still worth sending.
    d.clock.set(Date.parse('2026-12-01T16:30:00Z'));
    await d.sla.sweeper.sweep();
    expect(pings(d.db, t.id)).toEqual(['first_response:0.5=sent', 'first_response:0.75=dropped', 'first_response:0.9=dropped', 'first_response:1=sent']);
    const [post, dm] = outboxRows(d.db, `sla:${t.id}:first_response:1`);
    expect(viewText(viewOf(post!.payload))).toContain(`<@${ONCALL}>`);
    expect(viewText(viewOf(post!.payload))).toContain("outside the owner's working hours");
    expect(dm!.payload).toMatchObject({ kind: 'dm', userId: ONCALL });
    expect(events(d, t.id, ['sla_breached'])[0]!.data).toMatchObject({ to: [ONCALL], routed: 'outside_hours' });
  });
});

describe('daylight saving', () => {
  it('a business-hours threshold lands on the right UTC instant across the autumn change', async () => {
    // Friday 23 Oct 2026 16:00 CEST (14:00 UTC); clocks go back on Sunday 25 Oct.
    d = makeDesk({ config: berlinBusiness, start: Date.parse('2026-10-23T14:00:00Z') });
    const t = d.open('Webhooks arrive with a stale payload', { priority: 'P2' });
    // 4 h of work: Fri 16–17 CEST, then Mon 26 Oct 09:00–12:00 CET = 11:00 UTC (not 10:00).
    const due = Date.parse('2026-10-26T11:00:00Z');
    expect(nextCheck(d.db, t.id)).toBe(due);
    d.clock.set(due - 1000);
    expect((await d.sla.sweeper.sweep()).sent).toBe(0);
    d.clock.set(due);
    expect((await d.sla.sweeper.sweep()).sent).toBe(1);
  });

  it('calendar targets count real elapsed time on the spring-forward night', async () => {
    // Sunday 29 Mar 2026 00:30 CET in Berlin; 02:00 jumps to 03:00.
    const created = Date.parse('2026-03-29T00:30:00+01:00');
    d = makeDesk({ config: { timezone: 'Europe/Berlin' }, start: created });
    const t = d.open('Nightly export did not run', { priority: 'P1' }); // first response 4 h
    expect(nextCheck(d.db, t.id)).toBe(created + 2 * H); // 03:30 CEST on the wall, two real hours later
    d.clock.set(created + 2 * H - MIN);
    expect((await d.sla.sweeper.sweep()).sent).toBe(0);
    d.clock.set(created + 2 * H);
    expect((await d.sla.sweeper.sweep()).sent).toBe(1);
  });
});
