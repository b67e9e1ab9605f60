/**
 * Sending digests: per channel at the configured local time on digest days, the weekly summary
 * on its day, exactly once (across runs and restarts), in the channel team's time zone, right
 * on daylight-saving days; the `/ticket digest` preview for agents and leads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/ticket-commands.js';
import { DigestJob, parseDigestChannel } from '../../src/digest/digest-job.js';
import { CHANNEL, CUSTOMER, type Desk, LEAD, OWNER, makeDesk, outboxRows, viewOf, viewText } from '../sla-watcher/helpers.js';

let d: Desk | undefined;
afterEach(async () => {
  await d?.close();
  d = undefined;
});

function job(desk: Desk, platforms: string[]): DigestJob {
  const { config, db, store, outbox } = desk.core;
  return new DigestJob({ config, store, db, clock: desk.clock, outbox, platforms: () => platforms });
}

const digestRows = (desk: Desk) => outboxRows(desk.db, 'digest:').map((r) => r.key);

describe('digest schedule', () => {
  const config = {
    timezone: 'Europe/Berlin',
    teams: [
      { id: 'support', name: 'Support', members: [OWNER] },
      { id: 'apac', name: 'APAC', members: [OWNER], timezone: 'Asia/Tokyo' },
    ],
    channels: [{ id: 'C0APAC', team: 'apac' }],
    digest: { channels: ['C0LEADS', 'teams:19:leads@thread.tacv2', 'C0APAC'], time: '09:00', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], weeklyDay: 'mon' },
  };

  it('posts at 09:00 local on digest days (daily + weekly on Mondays), per channel and time zone, exactly once', async () => {
    d = makeDesk({ config, start: Date.parse('2026-11-22T23:00:00Z') }); // Mon 08:00 Tokyo, Mon 00:00 Berlin
    const j = job(d, ['slack', 'teams']);
    d.clock.set(Date.parse('2026-11-23T00:00:00Z')); // Mon 09:00 in Tokyo
    expect(await j.run()).toEqual([
      { channel: 'C0APAC', kind: 'daily', date: '2026-11-23' },
      { channel: 'C0APAC', kind: 'weekly', date: '2026-11-23' },
    ]);
    d.clock.set(Date.parse('2026-11-23T07:59:00Z')); // 08:59 Berlin
    expect(await j.run()).toEqual([]);
    d.clock.set(Date.parse('2026-11-23T08:00:00Z'));
    expect((await j.run()).map((x) => `${x.channel}:${x.kind}`)).toEqual(['C0LEADS:daily', 'C0LEADS:weekly', 'teams:19:leads@thread.tacv2:daily', 'teams:19:leads@thread.tacv2:weekly']);
    d.clock.set(Date.parse('2026-11-23T15:00:00Z'));
    expect(await j.run()).toEqual([]);
    // A restart the same day sends nothing again.
    expect(await job(d, ['slack', 'teams']).run()).toEqual([]);

    const rows = outboxRows(d.db, 'digest:');
    expect(rows.map((r) => r.key)).toEqual([
      'digest:C0APAC:daily:2026-11-23',
      'digest:C0APAC:weekly:2026-11-23',
      'digest:C0LEADS:daily:2026-11-23',
      'digest:C0LEADS:weekly:2026-11-23',
      'digest:teams:19:leads@thread.tacv2:daily:2026-11-23',
      'digest:teams:19:leads@thread.tacv2:weekly:2026-11-23',
    ]);
    const teams = d.db.prepare<[], { platform: string; channel_id: string }>("SELECT platform, channel_id FROM outbox WHERE idempotency_key LIKE 'digest:teams:%'").all();
    expect(teams).toEqual([
      { platform: 'teams', channel_id: '19:leads@thread.tacv2' },
      { platform: 'teams', channel_id: '19:leads@thread.tacv2' },
    ]);
    expect(viewText(viewOf(rows[2]!.payload))).toContain('Daily digest · Mon 23 Nov · covers Fri 20 Nov – Sun 22 Nov');
    expect(viewText(viewOf(rows[3]!.payload))).toContain('Weekly summary · Mon 23 Nov');

    // Tuesday: daily only. Saturday: nothing.
    d.clock.set(Date.parse('2026-11-24T08:30:00Z'));
    expect((await j.run()).map((x) => `${x.channel}:${x.kind}`)).toEqual(['C0LEADS:daily', 'teams:19:leads@thread.tacv2:daily', 'C0APAC:daily']);
    d.clock.set(Date.parse('2026-11-28T09:00:00Z'));
    expect(await j.run()).toEqual([]);
  });

  it('waits while no adapter for the channel runs, then posts the same day', async () => {
    d = makeDesk({ config: { digest: { channels: ['C0LEADS'], time: '09:00' } }, start: Date.parse('2026-11-24T09:30:00Z') });
    const platforms: string[] = [];
    const j = job(d, platforms);
    expect(await j.run()).toEqual([]);
    expect(digestRows(d)).toEqual([]);
    platforms.push('slack');
    d.clock.set(Date.parse('2026-11-24T09:31:00Z'));
    expect(await j.run()).toEqual([{ channel: 'C0LEADS', kind: 'daily', date: '2026-11-24' }]);
    // A day the bot was down entirely is not sent late the next day: only the next day's own digest.
    d.clock.set(Date.parse('2026-11-26T10:00:00Z'));
    expect((await j.run()).map((x) => x.date)).toEqual(['2026-11-26']);
  });

  it('is right on daylight-saving days (09:00 and a non-existent 02:30 on the spring-forward Sunday)', async () => {
    const every = { timezone: 'America/New_York', digest: { channels: ['C0LEADS'], time: '09:00', weekdays: [1, 2, 3, 4, 5, 6, 7], weeklyDay: 'sat' } };
    d = makeDesk({ config: every, start: Date.parse('2026-03-08T12:59:00Z') });
    const j = job(d, ['slack']);
    expect(await j.due(Date.parse('2026-03-08T12:59:00Z'))).toEqual([]); // 08:59 EDT
    expect((await j.due(Date.parse('2026-03-08T13:00:00Z'))).map((x) => x.date)).toEqual(['2026-03-08']); // 09:00 EDT, not 14:00 UTC
    const early = makeDesk({ config: { ...every, digest: { ...every.digest, time: '02:30' } }, start: Date.parse('2026-03-08T06:59:00Z') });
    try {
      const k = job(early, ['slack']);
      expect(await k.due(Date.parse('2026-03-08T06:59:00Z'))).toEqual([]); // 01:59 EST
      expect((await k.due(Date.parse('2026-03-08T07:00:00Z'))).map((x) => x.date)).toEqual(['2026-03-08']); // 03:00 EDT: 02:30 never happened
    } finally {
      await early.close();
    }
  });

  it('parses platform prefixes on digest channels', () => {
    expect(parseDigestChannel('C0LEADS')).toEqual({ platform: null, channelId: 'C0LEADS' });
    expect(parseDigestChannel('teams:19:abc@thread.tacv2')).toEqual({ platform: 'teams', channelId: '19:abc@thread.tacv2' });
    expect(parseDigestChannel('local:leads')).toEqual({ platform: 'local', channelId: 'leads' });
    expect(parseDigestChannel('19:abc@thread.tacv2')).toEqual({ platform: null, channelId: '19:abc@thread.tacv2' });
  });
});

describe('/ticket digest', () => {
  it('shows agents and leads an ephemeral preview; others are refused; bad arguments get the usage', async () => {
    d = makeDesk({ start: Date.parse('2026-11-24T09:00:00Z') });
    d.open('Checkout fails with a 502 error', { priority: 'P2' });
    const ctx = (userId: string) => ({ platform: 'slack' as const, userId, channelId: CHANNEL });
    const lead = await runCommand(d.core.commands, d.core.tickets, 'digest', ctx(LEAD));
    expect(lead.visibility).toBe('ephemeral');
    expect(viewText(lead.view)).toContain('Preview — only you can see this.');
    expect(viewText(lead.view)).toContain('Daily digest · Tue 24 Nov');
    expect(viewText(lead.view)).toContain('**Open now** [1]');
    const weekly = await runCommand(d.core.commands, d.core.tickets, 'digest weekly 2026-11-30', ctx(OWNER));
    expect(viewText(weekly.view)).toContain('Weekly summary · Mon 30 Nov · covers Mon 23 Nov – Sun 29 Nov');
    const customer = await runCommand(d.core.commands, d.core.tickets, 'digest', ctx(CUSTOMER));
    expect(viewText(customer.view)).toContain('is for support agents');
    const bad = await runCommand(d.core.commands, d.core.tickets, 'digest monthly', ctx(LEAD));
    expect(viewText(bad.view)).toContain('digest [weekly] [YYYY-MM-DD]');
    expect(digestRows(d)).toEqual([]); // a preview posts nothing
  });
});
