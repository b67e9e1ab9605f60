/**
 * Customer outcomes in the digest and weekly summary — CSAT % (share of 4–5), responses,
 * first-contact resolution and reopen rate, each with the change since the period before —
 * against a hand-computed fixture (tests/digest/outcomes-fixture.ts) written through the real
 * resolve path and CSAT buttons.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/digest/build-digest.js';
import { digestSources } from './sources.js';
import { digestPeriod } from '../../src/digest/period.js';
import { digestView } from '../../src/views/digest-view.js';
import { CsatRepo } from '../../src/store/csat-repo.js';
import { type Desk, events, makeDesk, viewText } from '../sla-watcher/helpers.js';
import { seedOutcomes } from './outcomes-fixture.js';

let d: Desk | undefined;
afterEach(async () => {
  await d?.close();
  d = undefined;
});

const WEEKDAYS = [1, 2, 3, 4, 5];

describe('customer outcomes (fixture computed by hand)', () => {
  it('weekly summary: CSAT 2/4, FCR 3/5, reopen 1/5 against the week before (2/2, 1/2, 0/2)', async () => {
    d = makeDesk({ start: Date.parse('2026-11-16T00:00:00Z') });
    const f = await seedOutcomes(d);
    const data = await buildDigest(digestSources(d.db), digestPeriod('weekly', '2026-11-30', 'UTC', WEEKDAYS), Date.parse('2026-11-30T09:00:00Z'));
    // Ratings first given this week: C1 5 (changed from 4), C2 2, C4 4 (the late change refused), C5 1.
    expect(data.outcomes.csat).toEqual({ count: 2, of: 4, rate: 0.5 });
    // Resolutions this week: C1 ✓, C2 (reopened), C3 (no agent reply), C4 ✓, C5 ✓.
    expect(data.outcomes.fcr).toEqual({ count: 3, of: 5, rate: 0.6 });
    expect(data.outcomes.reopen).toEqual({ count: 1, of: 5, rate: 0.2 });
    // Week before: P1 (one reply) and P2 (two replies), both rated 5.
    expect(data.previousOutcomes).toEqual({
      csat: { count: 2, of: 2, rate: 1 },
      fcr: { count: 1, of: 2, rate: 0.5 },
      reopen: { count: 0, of: 2, rate: 0 },
    });
    expect(data.targets).toEqual({ csat: 0.9, fcr: 0.8 });
    const text = viewText(digestView(data));
    expect(text).toContain('**CSAT** **50%** (2/4) _−50 pts_ · target > 90% :warning: below');
    expect(text).toContain('**Responses** 4 _+2 (+100%)_');
    expect(text).toContain('**First-contact resolution** **60%** (3/5) _+10 pts_ · target > 80% :warning: below');
    expect(text).toContain('**Reopen rate** **20%** (1/5) _+20 pts_');
    // The current ratings and the refused clicks.
    const repo = new CsatRepo(d.db);
    expect([f.C1, f.C2, f.C4, f.C5].map((t) => repo.get(t.id)?.rating)).toEqual([5, 2, 4, 1]);
    expect(viewText(f.refusedLate)).toContain('can no longer be changed');
    expect(viewText(f.refusedAgent)).toContain('Only the person who asked for help');
    expect(events(d, f.C1.id, ['csat_rated']).map((e) => e.data)).toEqual([
      { rating: 4, previous: null },
      { rating: 5, previous: 4 },
    ]);
  });

  it('daily digest: Monday alone, with nothing the day before', async () => {
    d = makeDesk({ start: Date.parse('2026-11-16T00:00:00Z') });
    await seedOutcomes(d);
    const data = await buildDigest(digestSources(d.db), digestPeriod('daily', '2026-11-24', 'UTC', WEEKDAYS), Date.parse('2026-11-30T09:00:00Z'), { targets: { csat: 0.4, fcr: 0.8 } });
    expect(data.outcomes).toEqual({
      csat: { count: 1, of: 2, rate: 0.5 },
      fcr: { count: 1, of: 2, rate: 0.5 },
      reopen: { count: 1, of: 2, rate: 0.5 },
    });
    expect(data.previousOutcomes.csat).toEqual({ count: 0, of: 0, rate: null });
    const text = viewText(digestView(data));
    expect(text).toContain('**CSAT** **50%** (1/2) _new_ · target > 40% :white_check_mark:');
  });
});
