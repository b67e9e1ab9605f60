/**
 * Scheduled jobs on one replica per tick: the SLA sweep, the digest and the retention job run
 * under the store's leader lock. Two cores on one SQLite file (the same lock identity, as two
 * replicas would share one database): a second run while the first is going is skipped, and the
 * next tick runs. On PostgreSQL the same wrapping over two stores on one schema (the app itself
 * still runs on SQLite, so two cores on PostgreSQL are not possible yet).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { openStore } from '../../src/store/kysely/open-store.js';
import { createTestSchema, pgAvailable } from '../store/pg.js';
import { type Desk, MIN, MON, makeDesk, pings, tempDir } from './helpers.js';

/** A cron expression that does not fire during a test (1 January, 00:00): runs are started by hand. */
const NEVER = '0 0 1 1 *';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('leader-wrapped jobs on one SQLite file', () => {
  const twoCores = (): [Desk, Desk] => {
    const tmp = tempDir();
    const path = join(tmp.dir, 'desk.db');
    const config = { scheduler: { slaSweep: NEVER }, retention: { schedule: NEVER } };
    const a = makeDesk({ dbPath: path, batchSize: 1, config });
    const b = makeDesk({ dbPath: path, batchSize: 1, config });
    cleanups.push(tmp.remove, () => a.close(), () => b.close());
    for (const d of [a, b]) installSlaAndDigest(d.core, { schedule: true });
    return [a, b];
  };

  it('a second core running the sweep while the first one is at it skips the tick; pings go out once', async () => {
    const [a, b] = twoCores();
    const t1 = a.open('Checkout fails for every customer', { priority: 'P0' });
    const t2 = a.open('Search is down for the whole team', { priority: 'P0' });
    a.clock.set(MON + 30 * MIN);
    b.clock.set(MON + 30 * MIN);
    // The first core's sweep yields between its one-ticket batches: it is still going when the second asks.
    const first = a.core.scheduler.runNow('sla-sweep');
    expect(await b.core.scheduler.runNow('sla-sweep')).toBe(false);
    expect(await first).toBe(true);
    const job = (d: Desk) => d.core.scheduler.jobs().find((j) => j.name === 'sla-sweep')!;
    expect([job(a).runs, job(a).skipped, job(b).runs, job(b).skipped]).toEqual([1, 0, 0, 1]);
    expect(pings(a.db, t1.id)).toEqual(['first_response:0.5=sent']);
    expect(pings(a.db, t2.id)).toEqual(['first_response:0.5=sent']);
    // The next tick: the lock is free again, the other core runs it (nothing new is due).
    expect(await b.core.scheduler.runNow('sla-sweep')).toBe(true);
    expect(job(b).runs).toBe(1);
    expect(pings(b.db, t1.id)).toEqual(['first_response:0.5=sent']);
  });

  it('the digest and retention jobs are leader jobs too; different jobs do not block each other', async () => {
    const [a, b] = twoCores();
    const sweep = a.core.scheduler.runNow('sla-sweep');
    const retention = a.core.scheduler.runNow('retention');
    expect(await b.core.scheduler.runNow('retention')).toBe(false);
    expect(await b.core.scheduler.runNow('digest')).toBe(true);
    expect(await Promise.all([sweep, retention])).toEqual([true, true]);
    expect(await b.core.scheduler.runNow('retention')).toBe(true);
  });
});

if (pgAvailable())
  describe('leader-wrapped jobs on PostgreSQL', () => {
    it('two schedulers over two stores on one schema: one runs the job, the other skips the tick', async () => {
      const s = await createTestSchema();
      const x = await openStore(s.url, { schema: s.schema });
      const y = await openStore(s.url, { schema: s.schema });
      const sx = new Scheduler(undefined, { leader: (name, fn) => x.withLeader(name, fn) });
      const sy = new Scheduler(undefined, { leader: (name, fn) => y.withLeader(name, fn) });
      cleanups.push(
        () => s.drop(),
        () => x.close(),
        () => y.close(),
        () => sx.stopAll(),
        () => sy.stopAll(),
      );
      let runs = 0;
      let release: () => void = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const job = async () => {
        runs += 1;
        await gate;
      };
      sx.add('sla-sweep', NEVER, job, { leader: true });
      sy.add('sla-sweep', NEVER, job, { leader: true });
      const first = sx.runNow('sla-sweep');
      await vi.waitFor(() => expect(runs).toBe(1));
      expect(await sy.runNow('sla-sweep')).toBe(false);
      release();
      expect(await first).toBe(true);
      expect(await sy.runNow('sla-sweep')).toBe(true);
      expect(runs).toBe(2);
      expect(sy.jobs()[0]).toMatchObject({ runs: 1, skipped: 1, leader: true });
    });
  });
