/**
 * Two audiences through the real Teams adapter (botbuilder CloudAdapter) against the fake Bot
 * Connector. A whole ticket life in private triage mode — the request, the escalation prompt, a
 * handling plan, the suggested reply, an internal note, an SLA ping, the customer's follow-up,
 * an agent's reply through "Reply to customer" and a sent suggested reply — and then: every
 * activity that crossed the wire into the customer's channel is a customer message (the
 * acknowledgement and the agents' replies, each opening with the agent's name), with no card
 * actions and no internal wording. Everything else went to the triage channel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installAi } from '../../src/ai/install.js';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import type { ConnectorRequest } from '../fakes/fake-connector.js';
import { AGENT, AGENT2, CHANNEL, CUSTOMER, cardOf, cardProblems, channelCommand, channelMessage, executeActions, executeInvoke, flatText, type Harness, startHarness } from './support.js';

const TRIAGE = '19:triage@thread.tacv2';
const MIN = 60_000;
const INTERNAL_WORDS = /Escalat|SLA|Suggested reply|handling plan|Customer need|Priority|Category|learner|matched|agents only|Note on|Tier 2|enterprise plan|AI /i;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** An activity in the triage channel: top level, or in the chain of `root`. */
function inTriage(a: Record<string, unknown>, root?: string): Record<string, unknown> {
  const conversation = a.conversation as Record<string, unknown>;
  const id = root ?? (a.id as string);
  return { ...a, conversation: { ...conversation, id: `${TRIAGE};messageid=${id}` }, channelData: { ...(a.channelData as object), channel: { id: TRIAGE } } };
}

// biome-ignore lint/suspicious/noExplicitAny: invoke bodies are JSON
const invokeCard = (body: any): any => {
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return body.value;
};

/** Everything sent or updated in the customer's channel (its conversation and reply chains). */
const customerSide = (x: Harness): ConnectorRequest[] => x.fake.messages().filter((r) => String(r.conversationId).startsWith(CHANNEL));
const textOfRequest = (r: ConnectorRequest): string => `${r.body?.text ?? ''}\n${flatText(cardOf(r))}`;

describe('two audiences in Teams (triage mode)', () => {
  it('the customer’s channel only ever receives the acknowledgement and agents’ replies in their name; all work happens in the internal chain', async () => {
    h = await startHarness({
      config: {
        triageChannel: TRIAGE,
        escalation: { tiers: [{ id: 'tier2', name: 'Tier 2', members: [AGENT2.aadObjectId] }], rules: [{ id: 'p0-p1', trigger: 'priority', priorities: ['P0', 'P1'], escalateTo: 'tier2' }] },
      },
    });
    const ai = installAi(h.core, { answerWithinMs: 2000 });
    const sla = installSlaAndDigest(h.core, { schedule: false });
    await h.send(inTriage(channelMessage(h.fake, AGENT, 'morning all'))); // Dana has talked to the bot (for private answers)

    // The request: one acknowledgement in the customer's chain; the card is a new post in #triage.
    const request = channelMessage(h.fake, CUSTOMER, 'Checkout fails with error 502 for all users since 10:00');
    expect((await h.send(request)).status).toBe(200);
    const root = request.id as string;
    await ai.idle();
    await h.flush();
    const t = h.core.tickets.repo.findBySource('teams', CHANNEL, root)!;
    expect(t.triageChannelId).toBe(TRIAGE);
    const cardId = h.core.tickets.repo.get(t.id)!.cardMessageId!;
    expect(h.fake.messages().find((r) => r.returnedId === cardId)).toMatchObject({ kind: 'send', conversationId: TRIAGE });
    const chain = `${TRIAGE};messageid=${cardId}`;
    const where = (messageId: string) => ({ conversationId: chain, conversationType: 'channel', cardMessageId: messageId });
    const internal = () => h!.fake.messages().filter((r) => r.conversationId === chain);

    // The escalation prompt and the suggested reply are in the internal chain.
    expect(internal().some((r) => flatText(cardOf(r)).includes(`Escalate ${t.key}?`))).toBe(true);
    const draft = internal().find((r) => executeActions(cardOf(r)).some((a) => a.verb === 'draft.send'));
    expect(draft).toBeTruthy();

    // A plan and a note, asked for in #triage; an SLA ping at 50%.
    await h.send(inTriage(channelCommand(h.fake, AGENT, `plan ${t.key}`)));
    await ai.idle();
    await h.send(inTriage(channelCommand(h.fake, AGENT, `note ${t.key} customer is on the enterprise plan`)));
    h.clock.set(t.createdAt + Math.ceil(t.sla.firstResponseMs * 0.5) + MIN);
    await sla.sweeper.sweep();
    await h.settle();
    expect(internal().some((r) => textOfRequest(r).includes('Customer need'))).toBe(true);
    expect(internal().some((r) => textOfRequest(r).includes('enterprise plan'))).toBe(true);
    expect(internal().some((r) => textOfRequest(r).includes('SLA used'))).toBe(true);

    // The customer adds details in their chain: mirrored into the internal chain.
    await h.send(channelMessage(h.fake, CUSTOMER, 'Still failing for every card we try', { rootId: root }));
    await h.settle();
    expect(internal().some((r) => textOfRequest(r).includes('Still failing for every card'))).toBe(true);

    // Reply to customer from the card: a form, then the reply in the customer's chain in Dana's name.
    const card = h.fake.messages().filter((r) => r.returnedId === cardId || (r.kind === 'update' && r.activityId === cardId)).at(-1)!;
    const open = executeActions(cardOf(card)).find((a) => a.verb === 'ticket.reply_to_customer');
    expect(open).toBeTruthy();
    const form = invokeCard((await h.send(executeInvoke(h.fake, AGENT, where(cardId), { verb: open.verb, data: open.data }))).body);
    const submit = executeActions(form).find((a) => a.verb === 'form.submit');
    invokeCard((await h.send(executeInvoke(h.fake, AGENT, where(cardId), { verb: submit.verb, data: { ...submit.data, f_text: 'We found it: the payment provider had an outage.' } }))).body);
    // Then Eli sends the suggested reply from the internal chain.
    const send = executeActions(cardOf(draft)).find((a) => a.verb === 'draft.send');
    invokeCard((await h.send(executeInvoke(h.fake, AGENT2, where(draft!.returnedId!), { verb: send.verb, data: send.data }))).body);
    await h.settle();
    expect(h.core.tickets.repo.get(t.id)).toMatchObject({ status: 'in_progress', ownerId: AGENT.aadObjectId });

    // The customer's channel: the acknowledgement and the two replies, each in its agent's name. Nothing else, ever.
    const seen = customerSide(h);
    expect(seen.map((r) => r.conversationId)).toEqual([`${CHANNEL};messageid=${root}`, `${CHANNEL};messageid=${root}`, `${CHANNEL};messageid=${root}`]);
    expect(seen.every((r) => r.kind === 'reply' && r.activityId === root)).toBe(true);
    expect(textOfRequest(seen[0]!)).toContain(`we have your request: **${t.key}**`);
    expect(textOfRequest(seen[1]!)).toMatch(/\*\*Dana Agent\*\* replied:[\s\S]*payment provider had an outage/);
    expect(textOfRequest(seen[2]!)).toMatch(/\*\*Eli Agent\*\* replied:/);
    for (const r of seen) {
      expect(JSON.stringify(r.body)).not.toMatch(/Action\.(Execute|Submit)|"actions"/);
      expect(textOfRequest(r).replace(/\*\*(Dana|Eli) Agent\*\* replied:/, '')).not.toMatch(INTERNAL_WORDS);
      const c = cardOf(r);
      if (c) expect(cardProblems(c)).toEqual([]);
    }
    // Nothing was refused on the way, and the internal side got all the work.
    expect(h.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'failed'").get()).toEqual({ n: 0 });
    expect(internal().length).toBeGreaterThanOrEqual(7);
  });

  it('the guard refuses an internal view aimed at the customer’s chain: failed, never on the wire', async () => {
    h = await startHarness({ config: { triageChannel: TRIAGE, escalation: { rules: [] } } });
    const request = channelMessage(h.fake, CUSTOMER, 'The export button does nothing');
    await h.send(request);
    await h.flush();
    const t = h.core.tickets.repo.findBySource('teams', CHANNEL, request.id as string)!;
    h.core.outbox.enqueue({ platform: 'teams', ticketId: t.id, idempotencyKey: 'rogue', payload: { kind: 'post', channelId: CHANNEL, threadOfTicket: t.id, view: { text: 'Escalate? internal', blocks: [{ type: 'text', text: 'internal only' }] } } });
    // Not tied to the ticket, but in its customer chain: refused too.
    h.core.outbox.enqueue({ platform: 'teams', idempotencyKey: 'rogue-untied', payload: { kind: 'post', channelId: CHANNEL, threadId: request.id as string, view: { text: 'internal too', blocks: [{ type: 'text', text: 'internal too' }] } } });
    await h.flush();
    const rows = h.core.db.prepare<[], { idempotency_key: string; status: string }>("SELECT idempotency_key, status FROM outbox WHERE idempotency_key LIKE 'rogue%' ORDER BY id").all();
    expect(rows).toEqual([
      { idempotency_key: 'rogue', status: 'failed' },
      { idempotency_key: 'rogue-untied', status: 'failed' },
    ]);
    expect(customerSide(h).some((r) => textOfRequest(r).includes('internal'))).toBe(false);
  });

  it('a command answer meant for the channel goes to the asker’s 1:1 chat when customers read the channel', async () => {
    h = await startHarness({ config: { triageChannel: TRIAGE } });
    const view = { text: 'Queue: 3 P1s breaching', blocks: [{ type: 'text' as const, text: 'Queue: 3 P1s breaching' }] };
    h.core.commands.register({ name: 'announce', usage: 'announce', summary: 'test only', agentOnly: false, run: () => ({ view, visibility: 'in_channel' }) });
    await h.send(channelCommand(h.fake, AGENT, 'announce'));
    await h.send(inTriage(channelCommand(h.fake, AGENT, 'announce')));
    await h.flush();
    const sent = h.fake.messages().filter((r) => textOfRequest(r).includes('3 P1s breaching'));
    expect(sent.map((r) => (String(r.conversationId).startsWith(CHANNEL) ? 'customer channel' : String(r.conversationId).startsWith(TRIAGE) ? 'triage' : 'private'))).toEqual(['private', 'triage']);
    expect(h.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'failed'").get()).toEqual({ n: 0 });
  });
});
