/**
 * A deflected ticket (the customer's "✅ That solved it" on a known answer) next to the
 * customer-outcome features, on a real core and SQLite: it gets no CSAT question, it is left out
 * of CSAT / first-contact resolution / reopen rate in the daily digest and the weekly summary
 * (it counts in the deflection rate), and its card describes its clocks truthfully — as do the
 * cards of tickets resolved by agents (met / missed, with times).
 *
 * Monday 23 Nov 2026 (UTC), hand-computed:
 *   pw   How do I reset my password?                  offered → solved         deflected
 *   dash The dashboard shows a blank page …           agent replies, resolves  FCR, rated 5
 * So the Monday digest and that week's summary: CSAT 1/1, FCR 1/1, reopen 0/1; deflected 1 of 2.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/digest/build-digest.js';
import { digestSources } from '../digest/sources.js';
import { digestPeriod } from '../../src/digest/period.js';
import type { Ticket } from '../../src/domain/types.js';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import { installKnowledge } from '../../src/knowledge/install.js';
import { CsatRepo } from '../../src/store/csat-repo.js';
import type { MessageView } from '../../src/ports/message-view.js';
import { ticketDetailView } from '../../src/views/ticket-views.js';
import { type TestCore, makeTestCore } from '../helpers/core.js';
import { FIXTURE_DIR } from './helpers.js';

const MIN = 60_000;
const H = 60 * MIN;
let t: TestCore;
afterEach(async () => {
  await t?.core.close();
});

function desk() {
  t = makeTestCore({ timezone: 'UTC', channels: [{ id: 'support' }], triageChannel: 'triage', knowledge: { paths: [FIXTURE_DIR] } });
  installSlaAndDigest(t.core, { schedule: false });
  return installKnowledge(t.core, { schedule: false });
}

let n = 0;
function ask(text: string, extra: { priority?: 'P1' | 'P2' } = {}): Ticket {
  n += 1;
  const r = t.core.tickets.open({ platform: 'local', channelId: 'support', sourceMessageId: `m${n}`, requesterId: `U_C${n}`, text, ...(extra.priority ? { force: true, overrides: { priority: extra.priority } } : {}) });
  if (r.outcome !== 'created') throw new Error(r.outcome);
  return r.ticket;
}

const click = (actionId: string, value: string, userId: string) => t.core.interactions.action(actionId, value, { platform: 'local', userId });
const keys = (id: number) => t.core.db.prepare<[number], { k: string }>('SELECT idempotency_key AS k FROM outbox WHERE ticket_id = ?').all(id).map((r) => r.k);
/** The card's field value under `label`. */
function field(view: MessageView, label: string): string {
  for (const b of view.blocks) if (b.type === 'fields') for (const f of b.fields) if (f.label === label) return f.value;
  throw new Error(`no field ${label}`);
}

describe('a deflected ticket and the customer outcomes', () => {
  it('gets no CSAT question and is left out of CSAT, FCR and reopen rate in the digest and the weekly summary', async () => {
    const k = desk();
    const pw = ask('How do I reset my password?');
    const dash = ask('The dashboard shows a blank page after the last update');
    expect(k.offers.repo.autoOffer(pw.id)?.answerId).toBe('reset-password');
    expect(k.offers.repo.autoOffer(dash.id)).toBeNull();

    t.clock.advance(5 * MIN);
    await click('knowledge.solved', String(k.offers.repo.autoOffer(pw.id)!.id), pw.requesterId);
    expect(t.core.tickets.repo.get(pw.id)!.status).toBe('resolved');
    // No question: no survey, no event, nothing queued for the customer's thread.
    expect(t.core.tickets.repo.events(pw.id).some((e) => e.type === 'csat_asked')).toBe(false);
    expect(keys(pw.id).filter((x) => x.startsWith('csat-ask:'))).toEqual([]);
    expect(new CsatRepo(t.core.db).get(pw.id)).toBeNull();
    const tried = await click('csat.rate', `${pw.key}|1`, pw.requesterId);
    expect(JSON.stringify(tried.ephemeral)).toContain('no rating question open');

    // The agent-resolved ticket is asked as before, and rated.
    t.core.tickets.replyToCustomer(dash.key, 'U_AGENT1', 'Clear the cache and reload, please.', 'reply_form', 'r1');
    t.clock.advance(10 * MIN);
    t.core.tickets.resolve(dash.key, 'U_AGENT1');
    expect(keys(dash.id).filter((x) => x.startsWith('csat-ask:'))).toHaveLength(1);
    await click('csat.rate', `${dash.key}|5`, dash.requesterId);

    const expected = { csat: { count: 1, of: 1, rate: 1 }, fcr: { count: 1, of: 1, rate: 1 }, reopen: { count: 0, of: 1, rate: 0 } };
    const daily = await buildDigest(digestSources(t.core.db), digestPeriod('daily', '2026-11-24', 'UTC', [1, 2, 3, 4, 5]), Date.parse('2026-11-24T09:00:00Z'));
    expect(daily.outcomes).toEqual(expected);
    expect(daily.knowledge).toMatchObject({ requests: 2, deflected: 1, deflectionRate: 0.5 });
    const weekly = await buildDigest(digestSources(t.core.db), digestPeriod('weekly', '2026-11-30', 'UTC', [1, 2, 3, 4, 5]), Date.parse('2026-11-30T09:00:00Z'));
    expect(weekly.outcomes).toEqual(expected);
    expect(weekly.knowledge).toMatchObject({ requests: 2, deflected: 1 });
  });

  it('a deflected ticket reopened and then resolved by an agent is an agent resolution again (asked, counted)', async () => {
    const k = desk();
    const pw = ask('How do I reset my password?');
    await click('knowledge.solved', String(k.offers.repo.autoOffer(pw.id)!.id), pw.requesterId);
    t.clock.advance(H);
    t.core.tickets.reopen(pw.key, 'U_AGENT1');
    t.clock.advance(MIN);
    t.core.tickets.replyToCustomer(pw.key, 'U_AGENT1', 'Let us try the reset link again together.', 'reply_form', 'r2');
    t.clock.advance(MIN);
    t.core.tickets.resolve(pw.key, 'U_AGENT1');
    expect(keys(pw.id).filter((x) => x.startsWith('csat-ask:'))).toHaveLength(1);
    const daily = await buildDigest(digestSources(t.core.db), digestPeriod('daily', '2026-11-24', 'UTC', [1, 2, 3, 4, 5]), Date.parse('2026-11-24T09:00:00Z'));
    // One agent resolution; reopened (after the deflection), so not a first-contact resolution.
    expect(daily.outcomes.fcr).toEqual({ count: 0, of: 1, rate: 0 });
    expect(daily.outcomes.reopen).toEqual({ count: 0, of: 1, rate: 0 });
  });
});

describe('the clocks on a resolved ticket’s card', () => {
  it('deflected: no agent response needed — not "due in"; the resolution says how it went', async () => {
    const k = desk();
    const pw = ask('How do I reset my password?');
    t.clock.advance(12 * MIN);
    await click('knowledge.solved', String(k.offers.repo.autoOffer(pw.id)!.id), pw.requesterId);
    // Days later the card still tells the truth.
    t.clock.advance(5 * 24 * H);
    const card = t.core.tickets.card(t.core.tickets.require(pw.key));
    expect(field(card, 'First response')).toBe('deflected by a known answer — no agent response needed');
    expect(field(card, 'Resolution')).toBe('met (12m) — the customer said the known answer solved it');
    expect(field(card, 'Status')).toBe('Resolved · deflected');
    expect(JSON.stringify(card.blocks)).not.toMatch(/due in|overdue/);
    // The same words in /ticket show.
    const shown = ticketDetailView(t.core.tickets.require(pw.key), t.core.tickets.repo.events(pw.id), t.clock.now(), 'UTC');
    expect(field(shown, 'First response')).toBe('deflected by a known answer — no agent response needed');
  });

  it('resolved by an agent: first response and resolution met or missed, with their times', () => {
    desk();
    const late = ask('Exports to CSV fail with a timeout for large workspaces', { priority: 'P1' });
    t.clock.advance(5 * H); // P1: first response target 4 h
    t.core.tickets.replyToCustomer(late.key, 'U_AGENT1', 'Looking into the export timeout now.', 'reply_form', 'r3');
    t.clock.advance(H);
    t.core.tickets.resolve(late.key, 'U_AGENT1');
    t.clock.advance(30 * 24 * H);
    const card = t.core.tickets.card(t.core.tickets.require(late.key));
    expect(field(card, 'First response')).toBe('missed (5h, 1h over)');
    expect(field(card, 'Resolution')).toBe('met (6h)');

    const silent = ask('Exports to CSV fail with a timeout for large workspaces', { priority: 'P1' });
    t.clock.advance(2 * H);
    t.core.tickets.resolve(silent.key, 'U_AGENT1');
    t.clock.advance(24 * H);
    const card2 = t.core.tickets.card(t.core.tickets.require(silent.key));
    expect(field(card2, 'First response')).toBe('none — resolved after 2h without an agent reply');
    expect(field(card2, 'Resolution')).toBe('met (2h)');
  });
});
