/**
 * Known answers end to end through the real Slack adapter against the fake Slack Web API, in
 * triage mode: a documented question gets the answer in the customer's thread; the customer
 * clicks "✅ That solved it" and the ticket is deflected (the offer message loses its buttons,
 * the internal card says so). An undocumented question gets no answer and the agents are
 * paged: the card in the triage channel with the suggestions, and the "no owner" prompt.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import { installKnowledge } from '../../src/knowledge/install.js';
import { blockText, type SlackCall } from '../fakes/fake-slack.js';
import { AGENT, AGENT2, blockAction, CHANNEL, CUSTOMER, closeAll, type Harness, message, nextTs, sendEvent, sendInteraction, settle, startHarness, until } from '../slack/support.js';
import { FIXTURE_DIR } from './helpers.js';

const TRIAGE = 'C0TRIAGE';
const MIN = 60_000;

afterEach(closeAll);

// biome-ignore lint/suspicious/noExplicitAny: Block Kit arrives as free-form JSON
const actionIds = (blocks: any): string[] =>
  (Array.isArray(blocks) ? blocks : []).filter((b: { type: string }) => b.type === 'actions').flatMap((b: { elements: { action_id: string }[] }) => b.elements.map((e) => e.action_id));

const wireInto = (h: Harness, channel: string): SlackCall[] =>
  h.fake.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.outcome === 'ok' && c.args.channel === channel);

async function desk(): Promise<{ h: Harness; sla: ReturnType<typeof installSlaAndDigest> }> {
  const h = await startHarness({
    config: {
      channels: [{ id: CHANNEL }],
      triageChannel: TRIAGE,
      teams: [{ id: 'support', members: [AGENT, AGENT2], routing: 'none' }],
      escalation: { tiers: [{ id: 'tier2', name: 'Tier 2', members: [AGENT2] }] },
      knowledge: { paths: [FIXTURE_DIR] },
    },
  });
  const sla = installSlaAndDigest(h.core, { schedule: false });
  installKnowledge(h.core, { schedule: false });
  return { h, sla };
}

/** The Slack ts the outbox got back for a queued message. */
function sentTs(h: Harness, key: string): string | null {
  const row = h.core.db.prepare<[string], { result: string | null }>("SELECT result FROM outbox WHERE idempotency_key = ? AND status = 'sent'").get(key);
  return row?.result ? (JSON.parse(row.result) as { messageId: string }).messageId : null;
}

describe('known answers in Slack', () => {
  it('a documented question is answered in the thread; “That solved it” deflects the ticket', async () => {
    const { h } = await desk();
    const ts = nextTs();
    await sendEvent(h, message({ ts, text: 'How do I reset my password?', user: CUSTOMER }));
    const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
    const offer = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL && actionIds(c.args.blocks).includes('knowledge.solved'));
    expect(offer.args.thread_ts).toBe(ts);
    expect(blockText(offer.args.blocks)).toContain('How to reset your password');
    expect(blockText(offer.args.blocks)).not.toMatch(/matched|score|category/i);
    expect(actionIds(offer.args.blocks)).toEqual(['knowledge.solved', 'knowledge.need_help']);
    // The card in the triage channel says which answer was offered and why.
    await h.fake.waitFor((c) => c.args.channel === TRIAGE && blockText(c.args.blocks).includes('Known answer offered to the customer'));
    const offerId = await until(() => h.core.db.prepare<[number], { id: number }>('SELECT id FROM knowledge_offers WHERE ticket_id = ?').get(t.id)?.id, 'offer row');
    const offerTs = await until(() => sentTs(h, `knowledge-offer:${offerId}`), 'offer delivered');

    // Someone else cannot answer for the customer.
    await sendInteraction(h, blockAction(h, { actionId: 'knowledge.solved', value: String(offerId), messageTs: offerTs, threadTs: ts, channel: CHANNEL, user: AGENT }));
    await h.fake.waitFor((c) => c.method === 'response_url' && JSON.stringify(c.args).includes('Only the person who asked'));
    expect(h.core.tickets.repo.get(t.id)!.status).toBe('triaged');

    await sendInteraction(h, blockAction(h, { actionId: 'knowledge.solved', value: String(offerId), messageTs: offerTs, threadTs: ts, channel: CHANNEL, user: CUSTOMER }));
    const done = await until(() => {
      const x = h.core.tickets.repo.get(t.id)!;
      return x.status === 'resolved' && x;
    }, 'deflected');
    expect(done.firstResponseAt).toBeNull();
    expect(h.core.tickets.repo.events(t.id).some((e) => e.type === 'status_changed' && e.data.outcome === 'deflected')).toBe(true);
    // The offer message is updated in place without buttons; the card shows the deflection.
    const updated = await h.fake.waitFor((c) => c.method === 'chat.update' && c.args.channel === CHANNEL && c.args.ts === offerTs);
    expect(actionIds(updated.args.blocks)).toEqual([]);
    expect(blockText(updated.args.blocks)).toContain('Glad that solved it');
    await h.fake.waitFor((c) => c.method === 'chat.update' && c.args.channel === TRIAGE && blockText(c.args.blocks).includes('Deflected: the customer said'));
    await settle(h);
    // The customer's channel got the acknowledgement and the answer: customer views only.
    for (const c of wireInto(h, CHANNEL)) expect(blockText(c.args.blocks)).not.toMatch(/matched|score|Escalat|SLA|agents only/i);
    expect(h.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'failed'").get()).toEqual({ n: 0 });
  });

  it('an undocumented question gets no answer: the agents are paged as usual', async () => {
    const { h, sla } = await desk();
    const ts = nextTs();
    await sendEvent(h, message({ ts, text: 'The dashboard shows a blank page after the last update', user: CUSTOMER }));
    const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
    await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
    expect(h.core.db.prepare<[number], { offered: number }>('SELECT offered FROM knowledge_decisions WHERE ticket_id = ?').get(t.id)).toEqual({ offered: 0 });
    expect(h.core.tickets.repo.get(t.id)!.snoozedUntil).toBeNull();
    // No one is around after 30 minutes: the "no owner" prompt mentions tier 2 in the internal thread.
    h.clock.set(t.createdAt + 31 * MIN);
    await sla.sweeper.sweep();
    const prompt = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && blockText(c.args.blocks).includes(`Escalate ${t.key}?`));
    expect(String(prompt.args.text) + blockText(prompt.args.blocks)).toContain(AGENT2);
    await settle(h);
    expect(wireInto(h, CHANNEL).some((c) => actionIds(c.args.blocks).includes('knowledge.solved'))).toBe(false);
  });
});
