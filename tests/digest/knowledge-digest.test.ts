/**
 * The digest's known-answers figures against a hand-computed fixture: a Monday of nine
 * requests, run through the real ticket flow (offers, clicks, the timeout, a resolution), and
 * one request on Tuesday that the Monday digest must not count.
 *
 *   request                                          matcher      customer       counts as
 *   pw1  How do I reset my password?                 offered      solved         deflected
 *   pw2  I forgot my password and can't get in       offered      still needs    failure of reset-password
 *   pw3  where do I request a password reset link    offered      no reply       failure of reset-password
 *   inv  Where can I download my invoices?           offered      solved         deflected
 *   exp  How do I export my data to CSV?             offered      still needs
 *   d1   The dashboard shows a blank page …          no answer    —              gap (resolved with a note)
 *   d2   Our dashboard shows a blank page since …     no answer    —              gap
 *   dm   Can you add dark mode to the mobile app?    no answer    —              gap
 *   wh   Our webhook deliveries stopped arriving     P1: never    —              not a gap (policy)
 *
 * So: requests 9, deflected 2 (22%), offered 5; reset-password 1 solved / 1 still / 1 no reply
 * (failing: 2 of 3); gaps 3, one cluster {d1, d2} with "Write an answer" from d1's note.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/digest/build-digest.js';
import { knowledgeFigures } from '../../src/digest/knowledge-figures.js';
import { digestSources } from './sources.js';
import { digestPeriod } from '../../src/digest/period.js';
import type { Ticket } from '../../src/domain/types.js';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import { type InstalledKnowledge, installKnowledge } from '../../src/knowledge/install.js';
import { digestView } from '../../src/views/digest-view.js';
import { type TestCore, makeTestCore } from '../helpers/core.js';
import { FIXTURE_DIR } from '../knowledge/helpers.js';

const MIN = 60_000;
let t: TestCore;
afterEach(async () => {
  await t?.core.close();
});

describe('known answers in the digest', () => {
  it('deflection rate, helpfulness, failing answers and documentation gaps match the hand-computed fixture', async () => {
    t = makeTestCore({ timezone: 'UTC', channels: [{ id: 'support' }], triageChannel: 'triage', knowledge: { paths: [FIXTURE_DIR] } });
    installSlaAndDigest(t.core, { schedule: false });
    const k: InstalledKnowledge = installKnowledge(t.core, { schedule: false });
    let n = 0;
    const ask = (text: string): Ticket => {
      t.clock.advance(MIN);
      const r = t.core.tickets.open({ platform: 'local', channelId: 'support', sourceMessageId: `s${++n}`, requesterId: `U_C${n}`, text });
      if (r.outcome !== 'created') throw new Error(r.outcome);
      return r.ticket;
    };
    const offerOf = (x: Ticket) => String(k.offers.repo.autoOffer(x.id)!.id);
    const click = (action: 'knowledge.solved' | 'knowledge.need_help', x: Ticket) => t.core.interactions.action(action, offerOf(x), { platform: 'local', userId: x.requesterId });

    const pw1 = ask('How do I reset my password?');
    const pw2 = ask("I forgot my password and can't get into my account");
    const pw3 = ask('where do I request a password reset link');
    const inv = ask('Where can I download my invoices?');
    const exp = ask('How do I export my data to CSV?');
    const d1 = ask('The dashboard shows a blank page after the last update');
    const d2 = ask('Our dashboard shows a blank page since the last update');
    const dm = ask('Can you add dark mode to the mobile app?');
    const wh = ask('Our webhook deliveries stopped arriving since yesterday');
    // The fixture's premises (the matcher's decisions), so a matcher change shows up here first.
    for (const x of [pw1, pw2, pw3]) expect(k.offers.repo.autoOffer(x.id)?.answerId).toBe('reset-password');
    expect(k.offers.repo.autoOffer(inv.id)?.answerId).toBe('invoices');
    expect(k.offers.repo.autoOffer(exp.id)?.answerId).toBe('export-data');
    for (const x of [d1, d2, dm]) expect(['no_match', 'below_threshold', 'category', 'ambiguous']).toContain(k.offers.repo.decision(x.id)?.declined);
    expect(k.offers.repo.decision(wh.id)?.declined).toBe('priority');

    await click('knowledge.solved', pw1);
    await click('knowledge.need_help', pw2);
    await click('knowledge.solved', inv);
    await click('knowledge.need_help', exp);
    t.core.tickets.resolve(d1.key, 'U_AGENT1', 'Clear the browser cache, then reload the dashboard: the new version loads.');
    t.clock.advance(40 * MIN);
    expect(k.offers.expire()).toBe(1); // pw3: no reply

    // Tuesday: another deflected request, outside Monday's digest.
    t.clock.set(Date.parse('2026-11-24T08:00:00Z'));
    const tue = ask('How do I reset my password?');
    await click('knowledge.solved', tue);

    const period = digestPeriod('daily', '2026-11-24', 'UTC', [1, 2, 3, 4, 5]);
    const data = await buildDigest(digestSources(t.core.db), period, Date.parse('2026-11-24T09:00:00Z'));
    const kf = data.knowledge!;
    expect({ requests: kf.requests, deflected: kf.deflected, rate: kf.deflectionRate, offered: kf.offered }).toEqual({ requests: 9, deflected: 2, rate: 2 / 9, offered: 5 });
    expect(kf.answers.map((a) => [a.answerId, a.offered, a.solved, a.needHelp, a.expired])).toEqual([
      ['reset-password', 3, 1, 1, 1],
      ['export-data', 1, 0, 1, 0],
      ['invoices', 1, 1, 0, 0],
    ]);
    expect(kf.failing).toEqual([{ answerId: 'reset-password', title: 'How to reset your password', offered: 3, failed: 2, solved: 1 }]);
    expect(kf.gaps.count).toBe(3);
    expect(kf.gaps.clusters).toHaveLength(1);
    expect(kf.gaps.clusters[0]).toMatchObject({ keys: [d1.key, d2.key], example: { key: d1.key }, writeFrom: d1.key });
    // The same figures through the store port (core.store: the same database, async).
    expect(await knowledgeFigures(t.core.store.offers, period.from, period.to)).toEqual(kf);

    // The view: the figures, and "Write an answer" opening the form pre-filled from d1's resolution note.
    const view = JSON.stringify(digestView(data).blocks);
    expect(view).toContain('deflected 2 of 9 requests (**22%**) · offered to 5');
    expect(view).toContain('Keep failing: **How to reset your password** (2 of 3 not solved)');
    expect(view).toContain('Documentation gaps** (3 requests without a known answer)');
    expect(view).toContain(`"actionId":"knowledge.write","label":"Write an answer","value":"${d1.key}"`);
    const form = await t.core.interactions.action('knowledge.write', d1.key, { platform: 'local', userId: 'U_LEAD' });
    expect(form.form!.fields.find((f) => f.id === 'body')).toMatchObject({ initial: 'Clear the browser cache, then reload the dashboard: the new version loads.' });
  });

  it('leaves the digest as it was on a desk without known answers', async () => {
    t = makeTestCore({ timezone: 'UTC' });
    t.core.tickets.open({ platform: 'local', channelId: 'support', requesterId: 'U_C', text: 'How do I reset my password?', force: true });
    const data = await buildDigest(digestSources(t.core.db), digestPeriod('daily', '2026-11-24', 'UTC', [1, 2, 3, 4, 5]), Date.parse('2026-11-24T09:00:00Z'));
    expect(data.knowledge).toBeNull();
    const period = digestPeriod('daily', '2026-11-24', 'UTC', [1, 2, 3, 4, 5]);
    expect(await knowledgeFigures(t.core.store.offers, period.from, period.to)).toBeNull();
    expect(JSON.stringify(digestView(data).blocks)).not.toContain('Known answers');
  });
});
