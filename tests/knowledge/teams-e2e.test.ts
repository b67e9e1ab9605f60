/**
 * Known answers end to end through the Teams adapter (real botbuilder CloudAdapter) against
 * the fake Bot Connector, in triage mode: the answer is an Adaptive Card in the customer's
 * reply chain; the customer's "✅ That solved it" (Action.Execute) deflects the ticket and the
 * card is updated without buttons. An undocumented question gets no answer and the agents are
 * paged (the "no owner" prompt in the internal chain).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import { installKnowledge } from '../../src/knowledge/install.js';
import { AGENT, AGENT2, CHANNEL, CUSTOMER, type Harness, cardOf, cardProblems, channelMessage, executeActions, executeInvoke, flatText, startHarness } from '../teams/support.js';
import { FIXTURE_DIR } from './helpers.js';

const TRIAGE = '19:triage@thread.tacv2';
const MIN = 60_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function desk(): Promise<{ x: Harness; sla: ReturnType<typeof installSlaAndDigest> }> {
  h = await startHarness({
    config: {
      triageChannel: TRIAGE,
      escalation: { tiers: [{ id: 'tier2', name: 'Tier 2', members: [AGENT2.aadObjectId] }] },
      knowledge: { paths: [FIXTURE_DIR] },
    },
  });
  h.fake.addMember({ id: AGENT.id, aadObjectId: AGENT.aadObjectId, name: AGENT.name });
  h.fake.addMember({ id: AGENT2.id, aadObjectId: AGENT2.aadObjectId, name: AGENT2.name });
  const sla = installSlaAndDigest(h.core, { schedule: false });
  installKnowledge(h.core, { schedule: false });
  return { x: h, sla };
}

describe('known answers in Teams', () => {
  it('a documented question is answered in the reply chain; “That solved it” deflects the ticket', async () => {
    const { x } = await desk();
    const msg = channelMessage(x.fake, CUSTOMER, 'Where can I download my invoices?');
    await x.send(msg);
    await x.settle();
    const root = msg.id as string;
    const t = x.core.tickets.repo.findBySource('teams', CHANNEL, root)!;
    const chain = `${CHANNEL};messageid=${root}`;
    const offer = x.fake.messages().find((r) => r.conversationId === chain && executeActions(cardOf(r)).some((a) => a.title === '✅ That solved it'))!;
    expect(offer).toBeDefined();
    expect(cardProblems(cardOf(offer))).toEqual([]);
    expect(flatText(cardOf(offer))).not.toMatch(/matched|score|category/i);
    expect(executeActions(cardOf(offer)).map((a) => a.title)).toEqual(['✅ That solved it', '🙋 I still need help']);
    // The internal card (in the triage channel) says which answer was offered.
    expect(x.fake.messages().some((r) => r.conversationId?.startsWith(TRIAGE) && flatText(cardOf(r)).includes('Known answer offered to the customer'))).toBe(true);

    const solved = executeActions(cardOf(offer)).find((a) => a.title === '✅ That solved it');
    const res = await x.send(executeInvoke(x.fake, CUSTOMER, { conversationId: chain, conversationType: 'channel', cardMessageId: offer.returnedId! }, { verb: solved.verb, data: solved.data }));
    expect(res.status).toBe(200);
    await x.settle();
    const after = x.core.tickets.repo.get(t.id)!;
    expect(after).toMatchObject({ status: 'resolved', firstResponseAt: null });
    expect(x.core.tickets.repo.events(t.id).some((e) => e.type === 'status_changed' && e.data.outcome === 'deflected')).toBe(true);
    const updated = x.fake.requests.find((r) => r.kind === 'update' && r.activityId === offer.returnedId);
    expect(flatText(cardOf(updated))).toContain('Glad that solved it');
    expect(executeActions(cardOf(updated))).toEqual([]);
  });

  it('an undocumented question gets no answer: the agents are paged as usual', async () => {
    const { x, sla } = await desk();
    const msg = channelMessage(x.fake, CUSTOMER, 'The dashboard shows a blank page after the last update');
    await x.send(msg);
    await x.settle();
    const t = x.core.tickets.repo.findBySource('teams', CHANNEL, msg.id as string)!;
    const chain = `${CHANNEL};messageid=${msg.id as string}`;
    expect(x.fake.messages().some((r) => r.conversationId === chain && executeActions(cardOf(r)).some((a) => a.title === '✅ That solved it'))).toBe(false);
    x.clock.set(t.createdAt + 31 * MIN);
    await sla.sweeper.sweep();
    await x.settle();
    const prompt = x.fake.messages().find((r) => r.conversationId?.startsWith(TRIAGE) && flatText(cardOf(r)).includes(`Escalate ${t.key}?`));
    expect(prompt).toBeDefined();
  });
});
