/**
 * End to end through the Teams adapter (real botbuilder CloudAdapter) against the fake Bot
 * Connector: the triage-time prompt as an Adaptive Card in the reply chain and its Not needed
 * button, SLA pings in the chain, the breach prompt and DM delivered exactly once through 500s
 * and 429s, and the digest posted to a Teams channel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import {
  AGENT,
  AGENT2,
  CHANNEL,
  CUSTOMER,
  type Harness,
  T0,
  cardOf,
  cardProblems,
  channelMessage,
  executeActions,
  executeInvoke,
  flatText,
  startHarness,
} from '../teams/support.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const LEADS = '19:leads@thread.tacv2';
/** The private triage channel: prompts and pings go to the ticket's internal chain there. */
const TRIAGE = '19:triage@thread.tacv2';

describe('through the Teams adapter', () => {
  it('prompts, pings in the internal reply chain, escalates on breach through connector failures, and posts the digest — each once', async () => {
    h = await startHarness({
      config: {
        teams: [{ id: 'support', members: [AGENT.aadObjectId], routing: 'round_robin' }],
        escalation: {
          tiers: [{ id: 'tier2', name: 'Tier 2', members: [AGENT2.aadObjectId] }],
          rules: [
            { id: 'p0-p1', trigger: 'priority', priorities: ['P0', 'P1'], escalateTo: 'tier2' },
            { id: 'breach', trigger: 'breach', escalateTo: 'tier2' },
          ],
        },
        digest: { channels: [`teams:${LEADS}`], time: '11:30' },
        triageChannel: TRIAGE,
      },
    });
    const x = h;
    x.fake.addMember({ id: AGENT.id, aadObjectId: AGENT.aadObjectId, name: AGENT.name });
    x.fake.addMember({ id: AGENT2.id, aadObjectId: AGENT2.aadObjectId, name: AGENT2.name });
    const sla = installSlaAndDigest(x.core, { schedule: false });

    const msg = channelMessage(x.fake, CUSTOMER, 'Checkout fails with error 502 for all users since 10:00');
    await x.send(msg);
    await x.settle();
    const root = msg.id as string;
    const t = x.core.tickets.repo.findBySource('teams', CHANNEL, root)!;
    expect(['P0', 'P1']).toContain(t.priority);
    // The card is a new post in the triage channel; its reply chain is the ticket's internal thread.
    const cardId = x.core.tickets.repo.get(t.id)!.cardMessageId!;
    expect(x.fake.messages().find((r) => r.returnedId === cardId)).toMatchObject({ conversationId: TRIAGE });
    const chain = `${TRIAGE};messageid=${cardId}`;

    // The triage-time prompt: an Adaptive Card reply in the chain with Escalate / Not needed.
    const prompt = x.fake.messages().find((r) => r.kind === 'reply' && flatText(cardOf(r)).includes(`Escalate ${t.key}?`))!;
    expect(prompt).toMatchObject({ conversationId: chain, activityId: cardId });
    expect(cardProblems(cardOf(prompt))).toEqual([]);
    const buttons = executeActions(cardOf(prompt));
    expect(buttons.map((a) => a.title)).toEqual(['Escalate to Tier 2', 'Not needed']);
    const decline = buttons.find((a) => a.title === 'Not needed');
    const res = await x.send(executeInvoke(x.fake, AGENT, { conversationId: chain, conversationType: 'channel', cardMessageId: prompt.returnedId! }, { verb: decline.verb, data: decline.data }));
    expect(res.status).toBe(200);
    await x.settle();
    expect(x.core.tickets.repo.events(t.id).map((e) => e.type)).toContain('escalation_declined');
    const updated = x.fake.requests.find((r) => r.kind === 'update' && r.activityId === prompt.returnedId);
    expect(flatText(cardOf(updated))).toContain('decided no escalation is needed');

    // 50% of the first-response target: a reply in the chain that mentions the owner.
    x.clock.set(T0 + t.sla.firstResponseMs / 2);
    await sla.sweeper.sweep();
    await x.settle();
    const half = x.fake.messages().filter((r) => r.conversationId === chain && flatText(cardOf(r) ?? r.body).includes('50% of the first response SLA used'));
    expect(half.length).toBe(1);
    expect(JSON.stringify(half[0]!.body)).toContain(AGENT.name);

    // Breach while the connector answers 500 twice and then 429: delivered once each after retries.
    x.fake.failNext(500, { count: 2 });
    x.fake.failNext(429, { retryAfterSec: 2, count: 2 });
    x.clock.set(T0 + t.sla.firstResponseMs + 60_000);
    await sla.sweeper.sweep();
    await x.settle();
    await x.settle();
    expect(x.fake.requests.some((r) => r.status === 500)).toBe(true);
    expect(x.fake.requests.some((r) => r.status === 429)).toBe(true);
    const pending = x.core.db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE status != 'sent'").get()!.n;
    expect(pending).toBe(0);
    const sent = x.fake.messages();
    expect(sent.filter((r) => r.conversationId === chain && flatText(cardOf(r) ?? r.body).includes('first response SLA breached')).length).toBe(1);
    expect(sent.filter((r) => r.conversationId === chain && flatText(cardOf(r)).includes('missed its first response SLA')).length).toBe(1);
    const dm = sent.filter((r) => r.conversationId !== chain && r.kind === 'send' && flatText(cardOf(r) ?? r.body).includes('SLA breached'));
    expect(dm.length).toBe(1);
    const breachPrompt = sent.find((r) => flatText(cardOf(r)).includes('missed its first response SLA'))!;
    expect(executeActions(cardOf(breachPrompt)).map((a) => a.title)).toEqual(expect.arrayContaining(['Take it', 'Reassign…', 'Add note']));

    // Two audiences: the customer's reply chain got the acknowledgement only — no card, prompt, ping or button.
    const customerSide = x.fake.messages().filter((r) => String(r.conversationId).startsWith(CHANNEL));
    expect(customerSide).toHaveLength(1);
    expect(JSON.stringify(customerSide[0]!.body)).toContain(`we have your request: **${t.key}**`);
    expect(JSON.stringify(customerSide[0]!.body)).not.toMatch(/Action\.(Execute|Submit)|Escalat|SLA/);

    // The digest in a Teams channel at 11:30 (UTC desk), once.
    x.clock.set(Date.parse('2026-03-10T11:30:00Z'));
    expect(await sla.digests.run()).toEqual([{ channel: `teams:${LEADS}`, kind: 'daily', date: '2026-03-10' }]);
    expect(await sla.digests.run()).toEqual([]);
    await x.settle();
    const digest = x.fake.messages().filter((r) => r.conversationId === LEADS);
    expect(digest.length).toBe(1);
    expect(flatText(cardOf(digest[0]))).toContain('Daily digest · Tue 10 Mar · covers Mon 9 Mar');
    expect(cardProblems(cardOf(digest[0]))).toEqual([]);
  });
});
