/**
 * The watcher as scheduled jobs: installSlaAndDigest registers 'sla-sweep' (config.scheduler.slaSweep,
 * seconds allowed) and 'digest', and node-cron (driven by vitest's fake timers) runs the sweep.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import { type Desk, MIN, MON, makeDesk, outboxRows, pings } from './helpers.js';

let d: Desk | undefined;
afterEach(async () => {
  await d?.close();
  d = undefined;
  vi.useRealTimers();
});

describe('scheduled jobs', () => {
  it('registers sla-sweep, digest and retention (each on one replica per tick); the cron job sweeps on its own and installing twice changes nothing', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-23T08:00:00.500Z') });
    d = makeDesk({ config: { scheduler: { slaSweep: '*/10 * * * * *' } } });
    expect(d.core.scheduler.jobs().map((j) => j.name)).not.toContain('sla-sweep');
    const again = installSlaAndDigest(d.core, { schedule: true });
    expect(again).toBe(d.sla);
    expect(d.core.scheduler.jobs().map((j) => [j.name, j.expression, j.leader])).toEqual([
      ['sla-sweep', '*/10 * * * * *', true],
      ['digest', '* * * * *', true],
      ['retention', '*/10 * * * *', true],
    ]);
    const t = d.open('Payments API returns 503', { priority: 'P0' });
    d.clock.set(MON + 30 * MIN);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pings(d.db, t.id)).toEqual(['first_response:0.5=sent']);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(outboxRows(d.db, 'sla:').length).toBe(1);
    expect(d.core.scheduler.jobs().find((j) => j.name === 'sla-sweep')!.runs).toBeGreaterThanOrEqual(3);
    installSlaAndDigest(d.core, { schedule: false });
    expect(d.core.scheduler.jobs()).toEqual([]);
  });
});
