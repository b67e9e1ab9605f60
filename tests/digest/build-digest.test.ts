/**
 * Digest numbers against a hand-computed fixture (tests/digest/fixture.ts), the weekly summary
 * with week-over-week change, periods (Monday covers the weekend, DST), the view, and the
 * at-risk buttons.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/digest/build-digest.js';
import { digestSources } from './sources.js';
import { digestPeriod } from '../../src/digest/period.js';
import { digestView } from '../../src/views/digest-view.js';
import { AGENT2, CHANNEL, type Desk, H, MIN, OWNER, actionsOf, events, makeDesk, viewText } from '../sla-watcher/helpers.js';
import { seedFixture } from './fixture.js';

let d: Desk | undefined;
afterEach(async () => {
  await d?.close();
  d = undefined;
});

const TUE_0900 = Date.parse('2026-11-24T09:00:00Z');
const WEEKDAYS = [1, 2, 3, 4, 5];

describe('digest periods', () => {
  it('a daily digest covers the days since the previous digest day; Monday covers Friday to Sunday', () => {
    const tue = digestPeriod('daily', '2026-11-24', 'UTC', WEEKDAYS);
    expect([tue.from, tue.to, tue.prevFrom, tue.days]).toEqual([Date.parse('2026-11-23T00:00:00Z'), Date.parse('2026-11-24T00:00:00Z'), Date.parse('2026-11-22T00:00:00Z'), 1]);
    const mon = digestPeriod('daily', '2026-11-23', 'UTC', WEEKDAYS);
    expect([mon.from, mon.to, mon.prevFrom, mon.days]).toEqual([Date.parse('2026-11-20T00:00:00Z'), Date.parse('2026-11-23T00:00:00Z'), Date.parse('2026-11-17T00:00:00Z'), 3]);
    const week = digestPeriod('weekly', '2026-11-30', 'UTC', WEEKDAYS);
    expect([week.from, week.to, week.prevFrom, week.prevTo]).toEqual(
      ['2026-11-23', '2026-11-30', '2026-11-16', '2026-11-23'].map((x) => Date.parse(`${x}T00:00:00Z`)),
    );
  });

  it('uses local midnights, so a period across the autumn change is 73 hours long', () => {
    const p = digestPeriod('daily', '2026-10-26', 'Europe/Berlin', WEEKDAYS);
    expect(p.from).toBe(Date.parse('2026-10-23T00:00:00+02:00'));
    expect(p.to).toBe(Date.parse('2026-10-26T00:00:00+01:00'));
    expect(p.to - p.from).toBe(73 * H);
  });
});

describe('daily digest numbers (fixture computed by hand)', () => {
  it('matches every number', async () => {
    d = makeDesk({ start: Date.parse('2026-11-22T00:00:00Z') });
    const f = seedFixture(d);
    const data = await buildDigest(digestSources(d.db), digestPeriod('daily', '2026-11-24', 'UTC', WEEKDAYS), TUE_0900);

    expect(data.new).toEqual({ count: 6, keys: [f.T1, f.T2, f.T3, f.T4, f.T6, f.T5].map((t) => t.key) });
    expect(data.resolved).toEqual({ count: 3, keys: [f.S3, f.T1, f.T3].map((t) => t.key) });
    expect(data.reopened).toEqual({ count: 1, keys: [f.T6.key] });
    expect(data.open).toEqual({ count: 4 });
    expect(data.previous).toEqual({ new: 3, resolved: 2, reopened: 0 });
    expect(data.openByPriority).toEqual({ P0: 1, P1: 1, P2: 1, P3: 1, P4: 0 });
    expect(data.openByAge.map((b) => b.count)).toEqual([3, 1, 0, 0]); // T2 is exactly 24 h old

    // First response: T1, T3, T4, T6, S3 met; T2 answered 30 min late. T5's deadline (Tue 00:00) is not Monday's.
    expect(data.sla.firstResponse).toEqual({ met: 5, missed: 1, compliance: 5 / 6 });
    // Resolution: T1, T3, S3 met; T2 (due Mon 13:00) still open.
    expect(data.sla.resolution).toEqual({ met: 3, missed: 1, compliance: 0.75 });
    expect(data.breaches).toEqual([
      { key: f.T2.key, priority: 'P0', clock: 'first_response', dueAt: Date.parse('2026-11-23T10:00:00Z'), stoppedAt: Date.parse('2026-11-23T10:30:00Z'), ownerId: OWNER },
      { key: f.T2.key, priority: 'P0', clock: 'resolution', dueAt: Date.parse('2026-11-23T13:00:00Z'), stoppedAt: null, ownerId: OWNER },
    ]);
    // First responses 20, 30, 60, 60, 90, 780 min → 60 min; resolutions 2 h, 3 h, 15 h → 3 h.
    expect(data.medians).toEqual({ firstResponseMs: 60 * MIN, firstResponseSamples: 6, resolutionMs: 3 * H, resolutionSamples: 3 });
    expect(data.categories).toEqual([
      { category: 'bug', count: 2, previous: 1 },
      { category: 'outage', count: 2, previous: 0 },
      { category: 'access', count: 1, previous: 0 },
      { category: 'billing', count: 1, previous: 0 },
      { category: 'question', count: 0, previous: 2 },
    ]);
    expect(data.clusters).toEqual([{ keys: [f.T1.key, f.T2.key, f.T3.key], words: expect.any(Array), suggestion: 'known_answer', incident: null }]);
    expect(data.owners).toEqual([
      { ownerId: OWNER, open: 2, resolved: 1 },
      { ownerId: AGENT2, open: 1, resolved: 2 },
      { ownerId: null, open: 1, resolved: 0 },
    ]);
    expect(data.atRisk).toEqual([{ key: f.T5.key, priority: 'P1', clock: 'resolution', dueAt: Date.parse('2026-11-24T20:00:00Z'), ownerId: null, title: f.T5.title }]);
    expect(data.ai).toMatchObject({ calls: 1, totalTokens: 4200, cacheHitRate: 0.75 });
  });

  it('renders a 30-second digest: links behind the numbers, each breach, at-risk tickets with Take it / Snooze', async () => {
    d = makeDesk({ start: Date.parse('2026-11-22T00:00:00Z') });
    const f = seedFixture(d);
    const view = digestView(await buildDigest(digestSources(d.db), digestPeriod('daily', '2026-11-24', 'UTC', WEEKDAYS), TUE_0900));
    const text = viewText(view);
    expect(view.blocks.length).toBeLessThanOrEqual(50);
    expect(view.blocks[0]).toEqual({ type: 'header', text: 'Daily digest · Tue 24 Nov · covers Mon 23 Nov' });
    expect(text).toContain('**New** [6](#tickets?created=2026-11-23..2026-11-24) _+3 (+100%)_');
    expect(text).toContain('**Open now** [4](#tickets?status=open)');
    expect(text).toContain('P0 [1](#tickets?status=open&priority=P0)');
    expect(text).toContain('First response SLA: **83%** met (5/6)');
    expect(text).toContain('Resolution SLA: **75%** met (3/4)');
    expect(text).toContain(`[${f.T2.key}](#ticket/${f.T2.key}) P0 first response — met 30m late`);
    expect(text).toContain(`[${f.T2.key}](#ticket/${f.T2.key}) P0 resolution — still open`);
    expect(text).toContain('Median first response: 1h (n=6)');
    expect(text).toMatch(/\*\*Top categories\*\* bug \[2\]\([^)]*\) _\+1 \(\+100%\)_ · outage \[2\]\([^)]*\) _\+2_/);
    expect(text).not.toContain('question ['); // none this period: not a top category
    expect(text).toContain('3 tickets about');
    expect(text).toContain('add a known answer');
    expect(text).toContain('AI: 1 calls · 4,200 tokens · 75% cache hits');
    expect(actionsOf(view)).toEqual([
      { actionId: 'digest.take', label: 'Take it', value: f.T5.key },
      { actionId: 'digest.snooze', label: 'Snooze 1h', value: `${f.T5.key}|60` },
    ]);
  });

  it('the at-risk buttons take and snooze the ticket, on its timeline', async () => {
    d = makeDesk({ start: Date.parse('2026-11-22T00:00:00Z') });
    const f = seedFixture(d);
    d.clock.set(TUE_0900);
    const [take, snooze] = actionsOf(digestView(await buildDigest(digestSources(d.db), digestPeriod('daily', '2026-11-24', 'UTC', WEEKDAYS), TUE_0900)));
    await d.core.interactions.action(take!.actionId, take!.value, { platform: 'slack', userId: AGENT2, channelId: CHANNEL });
    expect(d.core.tickets.require(f.T5.id).ownerId).toBe(AGENT2);
    expect(events(d, f.T5.id, ['assigned']).at(-1)).toMatchObject({ actor: AGENT2, data: { via: 'digest' } });
    await d.core.interactions.action(snooze!.actionId, snooze!.value, { platform: 'slack', userId: AGENT2, channelId: CHANNEL });
    expect(d.core.tickets.require(f.T5.id).snoozedUntil).toBe(TUE_0900 + 60 * MIN);
  });
});

describe('weekly summary', () => {
  it('covers 7 days with week-over-week change', async () => {
    d = makeDesk({ start: Date.parse('2026-11-16T00:00:00Z') });
    seedFixture(d);
    const data = await buildDigest(digestSources(d.db), digestPeriod('weekly', '2026-11-30', 'UTC', WEEKDAYS), Date.parse('2026-11-30T09:00:00Z'));
    // This week (23–29 Nov): the 6 Monday tickets; the week before (16–22 Nov): the 3 Sunday ones.
    expect(data.new.count).toBe(6);
    expect(data.previous).toEqual({ new: 3, resolved: 2, reopened: 0 });
    expect(data.resolved.count).toBe(3);
    const view = digestView(data);
    expect(view.blocks[0]).toEqual({ type: 'header', text: 'Weekly summary · Mon 30 Nov · covers Mon 23 Nov – Sun 29 Nov' });
    expect(viewText(view)).toContain('_+3 (+100%)_');
    expect(viewText(view)).toContain('vs the 7 days before');
    // Over the week T5's first response (due Tue 00:00) and resolution (Tue 20:00) were missed too,
    // and so was T4's resolution (P2, 3 days: due Thu 12:00).
    expect(data.sla.firstResponse).toEqual({ met: 5, missed: 2, compliance: 5 / 7 });
    expect(data.sla.resolution).toEqual({ met: 3, missed: 3, compliance: 0.5 });
  });
});
