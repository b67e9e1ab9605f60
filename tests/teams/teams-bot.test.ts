/**
 * End to end through the real botbuilder CloudAdapter: Teams-shaped activities POSTed to
 * /api/messages on 127.0.0.1 (authentication off via the explicit insecure local mode), the
 * core and outbox in between, and the fake Bot Connector recording what Teams would receive.
 * Every card that crosses the wire (and every card in an invoke answer) is parsed with the
 * `adaptivecards` package and must produce no warnings.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/domain/types.js';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import type { ConnectorRequest } from '../fakes/fake-connector.js';
import {
  AGENT,
  AGENT2,
  CHANNEL,
  CUSTOMER,
  cardOf,
  cardProblems,
  channelCommand,
  channelMessage,
  executeActions,
  executeInvoke,
  flatText,
  GROUP,
  groupMessage,
  type Harness,
  personalMessage,
  startHarness,
  submitMessage,
} from './support.js';

const REQUEST = 'Checkout fails with error 502 for all users since 10:00';
const MIN = 60_000;

/** Every card sent so far must parse cleanly. */
function expectValidCards(h: Harness): void {
  for (const r of h.fake.requests) {
    const card = cardOf(r);
    if (card) expect(cardProblems(card), `card sent to ${r.conversationId}`).toEqual([]);
  }
}

/** Post a request in the channel and return the ticket with its card request. */
async function openTicket(h: Harness, text = REQUEST): Promise<{ ticket: Ticket; root: string; card: ConnectorRequest }> {
  const msg = channelMessage(h.fake, CUSTOMER, text);
  const res = await h.send(msg);
  expect(res.status).toBe(200);
  await h.flush();
  const root = msg.id as string;
  const ticket = h.core.tickets.repo.findBySource('teams', CHANNEL, root);
  if (!ticket) throw new Error('no ticket was opened');
  const card = h.fake.messages().find((r) => r.returnedId === ticket.cardMessageId);
  if (!card) throw new Error('no card was posted');
  return { ticket, root, card };
}

function inChain(root: string, cardMessageId: string, channel = CHANNEL) {
  return { conversationId: `${channel};messageid=${root}`, conversationType: 'channel', cardMessageId };
}

/** The private triage channel: proactive prompts and pings go to the ticket's internal chain there. */
const TRIAGE = '19:triage@thread.tacv2';

// biome-ignore lint/suspicious/noExplicitAny: invoke bodies are JSON
function invokeCard(body: any): any {
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  expect(cardProblems(body.value)).toEqual([]);
  return body.value;
}

describe('Teams channel: requests become tickets with a card in the reply chain', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    expectValidCards(h);
    await h.close();
  });

  it('replies in the message reply chain with the ticket card: same fields and actions as Slack, as Action.Execute', async () => {
    const { ticket, root, card } = await openTicket(h);
    expect(ticket).toMatchObject({ platform: 'teams', channelId: CHANNEL, requesterId: CUSTOMER.aadObjectId, requesterName: 'Carol Customer', threadId: root });
    expect(card).toMatchObject({ kind: 'reply', conversationId: `${CHANNEL};messageid=${root}`, activityId: root });
    expect(card.body.replyToId).toBe(root);
    expect(card.body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const c = cardOf(card);
    expect(c.version).toBe('1.5');
    const text = flatText(c);
    for (const s of [ticket.key, 'Priority', 'Category', 'Owner', 'Status', 'First response', 'Resolution', REQUEST]) expect(text).toContain(s);
    const actions = executeActions(c);
    expect(actions.map((a) => a.title)).toEqual(['Assign to me', 'Acknowledge', 'Resolve', 'Escalate', 'Plan', 'Set priority', 'Set category']);
    expect(actions.find((a) => a.title === 'Resolve')).toMatchObject({ verb: 'ticket.resolve', data: { fd: 'action', actionId: 'ticket.resolve', value: ticket.key } });
    const choiceSets = JSON.stringify(c).match(/"Input\.ChoiceSet"/g) ?? [];
    expect(choiceSets).toHaveLength(2);
    expect(JSON.stringify(c)).toContain(`"value":"${ticket.key}|${ticket.priority}"`);
    expect(h.core.tickets.repo.get(ticket.id)!.cardMessageId).toBe(card.returnedId);
  });

  it('ignores greetings, other bots and agents posting top-level (same rules as Slack)', async () => {
    await h.send(channelMessage(h.fake, CUSTOMER, 'good morning everyone!'));
    await h.send(channelMessage(h.fake, { id: '28:another-bot', name: 'CI bot' }, 'Build failed on main: checkout tests are red'));
    await h.send(channelMessage(h.fake, AGENT, 'Heads up: deploying the checkout fix now'));
    await h.flush();
    expect(h.core.tickets.repo.list({ open: true })).toHaveLength(0);
    expect(h.fake.messages()).toHaveLength(0);
  });

  it('treats a redelivered activity (same id) as one ticket and one card', async () => {
    const msg = channelMessage(h.fake, CUSTOMER, REQUEST);
    await h.send(msg);
    await h.send(msg);
    await h.flush();
    expect(h.core.tickets.repo.list({ open: true })).toHaveLength(1);
    expect(h.fake.messages()).toHaveLength(1);
  });

  it('strips the bot mention from "@frontdesk <request>" and opens a ticket', async () => {
    const a = channelCommand(h.fake, CUSTOMER, 'the admin console is down for all users');
    await h.send(a);
    await h.flush();
    const t = h.core.tickets.repo.findBySource('teams', CHANNEL, a.id as string);
    expect(t?.text).toBe('the admin console is down for all users');
  });

  it('attaches replies in the chain: the first agent reply is the first response; a customer reply resumes a paused clock', async () => {
    const { ticket, root } = await openTicket(h);
    h.clock.advance(10 * MIN);
    await h.send(channelMessage(h.fake, AGENT, 'Looking into it now', { rootId: root }));
    await h.flush();
    const t1 = h.core.tickets.repo.get(ticket.id)!;
    expect(t1.firstResponseAt).toBe(h.clock.now());
    const upd = h.fake.requests.filter((r) => r.kind === 'update');
    expect(upd.at(-1)).toMatchObject({ method: 'PUT', conversationId: `${CHANNEL};messageid=${root}`, activityId: ticket.cardMessageId });
    expect(flatText(cardOf(upd.at(-1)))).not.toContain('First response: due');

    h.core.tickets.setStatus(ticket.key, 'waiting_on_customer', AGENT.aadObjectId);
    h.clock.advance(30 * MIN);
    await h.send(channelMessage(h.fake, CUSTOMER, 'Here is the order id: 12345', { rootId: root }));
    await h.flush();
    const t2 = h.core.tickets.repo.get(ticket.id)!;
    expect(t2.status).toBe('in_progress');
    expect(t2.pausedSince).toBeNull();
    expect(t2.pausedMs).toBeGreaterThan(0);
    expect(h.core.tickets.repo.messages(ticket.id).map((m) => m.authorRole)).toEqual(['customer', 'agent', 'customer']);
  });

  it('follows edits and deletions of the original message', async () => {
    const { ticket, root } = await openTicket(h);
    const edit = channelMessage(h.fake, CUSTOMER, 'Checkout fails with error 502 for EU users only', { id: root });
    await h.send({ ...edit, type: 'messageUpdate', channelData: { ...(edit.channelData as object), eventType: 'editMessage' } });
    expect(h.core.tickets.repo.get(ticket.id)!.text).toBe('Checkout fails with error 502 for EU users only');
    await h.send({ ...edit, type: 'messageDelete', channelData: { ...(edit.channelData as object), eventType: 'softDeleteMessage' } });
    expect(h.core.tickets.repo.get(ticket.id)!.signals.some((s) => s.label.includes('deleted'))).toBe(true);
  });
});

describe('Teams card actions', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    expectValidCards(h);
    await h.close();
  });

  it('Action.Execute "Assign to me": the invoke answer is the refreshed card; everyone gets the update and a thread line with a real mention', async () => {
    const { ticket, root, card } = await openTicket(h);
    const assign = executeActions(cardOf(card)).find((a) => a.title === 'Assign to me');
    const res = await h.send(executeInvoke(h.fake, AGENT, inChain(root, card.returnedId!), { verb: assign.verb, data: assign.data }));
    expect(res.status).toBe(200);
    const refreshed = invokeCard(res.body);
    expect(flatText(refreshed)).toContain('<at>Dana Agent</at>');
    expect(refreshed.msteams.entities).toContainEqual({ type: 'mention', text: '<at>Dana Agent</at>', mentioned: { id: AGENT.id, name: 'Dana Agent' } });
    expect(executeActions(refreshed).map((a) => a.title)).not.toContain('Assign to me');
    expect(h.core.tickets.repo.get(ticket.id)!.ownerId).toBe(AGENT.aadObjectId);

    await h.flush();
    const update = h.fake.requests.find((r) => r.kind === 'update' && r.activityId === card.returnedId);
    expect(flatText(cardOf(update))).toContain('<at>Dana Agent</at>');
    const line = h.fake.messages().find((r) => r.body?.text?.includes('took'));
    expect(line).toMatchObject({ kind: 'reply', conversationId: `${CHANNEL};messageid=${root}`, activityId: root });
    expect(line!.body.text).toBe(`<at>Dana Agent</at> took ${ticket.key}.`);
    expect(line!.body.entities).toEqual([{ type: 'mention', text: '<at>Dana Agent</at>', mentioned: { id: AGENT.id, name: 'Dana Agent' } }]);
  });

  it('a non-agent clicking Resolve sees a polite refusal inside their card and nothing changes', async () => {
    const { ticket, root, card } = await openTicket(h);
    const resolve = executeActions(cardOf(card)).find((a) => a.title === 'Resolve');
    const before = h.fake.requests.length;
    const res = await h.send(executeInvoke(h.fake, CUSTOMER, inChain(root, card.returnedId!), { verb: resolve.verb, data: resolve.data }));
    const c = invokeCard(res.body);
    expect(flatText(c)).toContain('only support agents can do that');
    expect(JSON.stringify(c)).toContain('"style":"attention"');
    expect(h.core.tickets.repo.get(ticket.id)!.status).toBe(ticket.status);
    await h.flush();
    expect(h.fake.requests.length).toBe(before);
  });

  it('selects: "Set priority" sends the chosen value and changes the priority', async () => {
    const { ticket, root, card } = await openTicket(h);
    const set = executeActions(cardOf(card)).find((a) => a.title === 'Set priority');
    expect(set.data).toMatchObject({ fd: 'select', actionId: 'ticket.priority' });
    const target = ticket.priority === 'P3' ? 'P2' : 'P3';
    const res = await h.send(executeInvoke(h.fake, AGENT, inChain(root, card.returnedId!), { verb: set.verb, data: { ...set.data, [set.data.input]: `${ticket.key}|${target}` } }));
    const c = invokeCard(res.body);
    expect(h.core.tickets.repo.get(ticket.id)!.priority).toBe(target);
    expect(JSON.stringify(c)).toContain(`"value":"${ticket.key}|${target}"`);
  });

  it('Action.Submit (old clients) runs the same action; private results go to the 1:1 chat', async () => {
    const { ticket, root, card } = await openTicket(h);
    const ack = executeActions(cardOf(card)).find((a) => a.title === 'Acknowledge');
    expect(ack.fallback).toMatchObject({ type: 'Action.Submit', data: ack.data });
    const res = await h.send(submitMessage(h.fake, AGENT, inChain(root, card.returnedId!), ack.fallback.data));
    expect(res.status).toBe(200);
    expect(h.core.tickets.repo.get(ticket.id)).toMatchObject({ status: 'acknowledged', ownerId: AGENT.aadObjectId });

    const esc = executeActions(cardOf(card)).find((a) => a.title === 'Escalate');
    await h.send(submitMessage(h.fake, AGENT, inChain(root, card.returnedId!), esc.fallback.data));
    await h.flush();
    const created = h.fake.requests.find((r) => r.kind === 'create_conversation');
    expect(created?.body.members).toEqual([{ id: AGENT.id, name: '' }]);
    const privateNote = h.fake.messages().find((r) => r.conversationId === created?.returnedId);
    expect(privateNote?.body.text).toMatch(new RegExp(`${ticket.key} escalated to`));
    // Inline mode: the escalation line reaches agents privately, never the requester's chain.
    expect(h.fake.messages().some((r) => JSON.stringify(r.body ?? {}).includes('escalated to') && r.conversationId === `${CHANNEL};messageid=${root}`)).toBe(false);
  });

  it('a resolved ticket card offers Reopen, and Reopen works', async () => {
    const { ticket, root, card } = await openTicket(h);
    h.core.tickets.resolve(ticket.key, AGENT.aadObjectId);
    await h.flush();
    const latest = h.fake.requests.filter((r) => r.kind === 'update' && r.activityId === card.returnedId).at(-1);
    const reopen = executeActions(cardOf(latest)).find((a) => a.title === 'Reopen');
    expect(reopen).toBeTruthy();
    const res = await h.send(executeInvoke(h.fake, AGENT, inChain(root, card.returnedId!), { verb: reopen.verb, data: reopen.data }));
    invokeCard(res.body);
    expect(h.core.tickets.repo.get(ticket.id)!.status).toBe('in_progress');
  });
});

describe('@frontdesk commands (one parser with Slack)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    expectValidCards(h);
    await h.close();
  });

  /** The 1:1 chat frontdesk opened with a Teams user. */
  const personalChatOf = (teamsId: string) => [...h.fake.createdConversations.entries()].find(([, m]) => m.includes(teamsId))?.[0];

  it('"@frontdesk assign T-… @Eli" resolves the Teams mention to the Entra id, assigns, and answers privately', async () => {
    const { ticket, root } = await openTicket(h);
    h.fake.addMember({ id: AGENT2.id, aadObjectId: AGENT2.aadObjectId, name: AGENT2.name });
    await h.send(channelCommand(h.fake, AGENT, `assign ${ticket.key} @${AGENT2.name}`, { mentions: [AGENT2] }));
    await h.flush();
    expect(h.core.tickets.repo.get(ticket.id)!.ownerId).toBe(AGENT2.aadObjectId);
    expect(h.fake.requests.some((r) => r.kind === 'get_member' && r.memberId === AGENT2.id)).toBe(true);
    const chat = personalChatOf(AGENT.id);
    const answer = h.fake.messages().find((r) => r.conversationId === chat);
    expect(answer?.body.text).toContain(`${ticket.key} is assigned to <at>Eli Agent</at>`);
    const line = h.fake.messages().find((r) => r.conversationId === `${CHANNEL};messageid=${root}` && r.body?.text?.includes('assigned to'));
    expect(line?.body.entities).toContainEqual({ type: 'mention', text: '<at>Eli Agent</at>', mentioned: { id: AGENT2.id, name: 'Eli Agent' } });
  });

  it('"@frontdesk list" answers in the asker\'s 1:1 chat, not in the channel', async () => {
    const { ticket } = await openTicket(h);
    const before = h.fake.messages().length;
    await h.send(channelCommand(h.fake, AGENT, 'list open'));
    await h.flush();
    const sent = h.fake.messages().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.conversationId).toBe(personalChatOf(AGENT.id));
    expect(flatText(cardOf(sent[0]))).toContain(ticket.key);
  });

  it('refuses agent-only commands from non-agents politely, privately', async () => {
    const { ticket } = await openTicket(h);
    await h.send(channelCommand(h.fake, CUSTOMER, `resolve ${ticket.key}`));
    await h.flush();
    expect(h.core.tickets.repo.get(ticket.id)!.status).not.toBe('resolved');
    const answer = h.fake.messages().find((r) => r.conversationId === personalChatOf(CUSTOMER.id));
    expect(flatText(cardOf(answer)) + (answer?.body.text ?? '')).toContain('is for support agents');
  });

  it('"@frontdesk" alone or "help" lists the commands with Teams syntax', async () => {
    await h.send(channelCommand(h.fake, CUSTOMER, ''));
    await h.flush();
    const answer = h.fake.messages().find((r) => r.conversationId === personalChatOf(CUSTOMER.id));
    const text = flatText(cardOf(answer));
    expect(text).toContain('@frontdesk');
    expect(text).toContain('assign ID @user');
  });

  it('installing the app personally greets the person and shows their home; a requester sees their own requests', async () => {
    const { ticket } = await openTicket(h);
    const install = personalMessage(h.fake, CUSTOMER, '');
    await h.send({ ...install, type: 'conversationUpdate', text: undefined, membersAdded: [{ id: 'x' }, { id: (install.recipient as { id: string }).id }] });
    await h.flush();
    const chat = (install.conversation as { id: string }).id;
    const sent = h.fake.messages().filter((r) => r.conversationId === chat);
    expect(sent).toHaveLength(2);
    expect(flatText(cardOf(sent[0]))).toContain('Hi, I am frontdesk');
    const home = flatText(cardOf(sent[1]));
    expect(home).toContain('Your requests');
    expect(home).toContain(ticket.key);
  });

  it('personal chat: an agent gets the "my tickets" home, runs commands, and buttons there act on tickets', async () => {
    const { ticket } = await openTicket(h);
    h.core.tickets.assign(ticket.key, AGENT.aadObjectId, AGENT.aadObjectId);
    await h.flush();
    const hi = personalMessage(h.fake, AGENT, 'hi');
    await h.send(hi);
    await h.flush();
    const chat = (hi.conversation as { id: string }).id;
    const home = h.fake.messages().find((r) => r.conversationId === chat);
    expect(home?.kind).toBe('send');
    const homeCard = cardOf(home);
    expect(flatText(homeCard)).toContain('My open tickets');
    expect(flatText(homeCard)).toContain(ticket.key);

    await h.send(personalMessage(h.fake, AGENT, `sla ${ticket.key}`));
    await h.flush();
    expect(flatText(cardOf(h.fake.messages().filter((r) => r.conversationId === chat).at(-1)))).toContain(`${ticket.key} · SLA`);

    const resolve = executeActions(homeCard).find((a) => a.title === 'Resolve' && a.data.value === ticket.key);
    const res = await h.send(executeInvoke(h.fake, AGENT, { conversationId: chat, conversationType: 'personal', cardMessageId: home!.returnedId! }, { verb: resolve.verb, data: resolve.data }));
    const c = invokeCard(res.body);
    expect(h.core.tickets.repo.get(ticket.id)!.status).toBe('resolved');
    // Resolving asks for the (optional) resolution note in place of the home card.
    expect(flatText(c)).toContain('Resolution note (optional)');
  });
});

describe('Teams group chats', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    expectValidCards(h);
    await h.close();
  });

  it('a request becomes a ticket answered with replyToId; a quoted "Reply" to the card attaches to the ticket', async () => {
    const msg = groupMessage(h.fake, CUSTOMER, REQUEST);
    await h.send(msg);
    await h.flush();
    const t = h.core.tickets.repo.findBySource('teams', GROUP, msg.id as string)!;
    expect(t).toBeTruthy();
    const card = h.fake.messages()[0]!;
    expect(card).toMatchObject({ kind: 'reply', conversationId: GROUP, activityId: msg.id });
    await h.send(groupMessage(h.fake, AGENT, 'On it — can you share the order id?', { quoteOf: card.returnedId! }));
    await h.flush();
    expect(h.core.tickets.repo.get(t.id)!.firstResponseAt).not.toBeNull();
    expect(h.core.tickets.repo.list({ open: true })).toHaveLength(1);
  });
});

describe('Proactive messages: SLA pings, escalation prompts and the digest reach Teams', () => {
  let h: Harness;
  afterEach(async () => {
    expectValidCards(h);
    await h.close();
  });

  it('SLA pings @mention the owner in the internal reply chain (triage channel); the 90% ping also arrives as a DM', async () => {
    h = await startHarness({ config: { escalation: { rules: [] }, triageChannel: TRIAGE } });
    const sla = installSlaAndDigest(h.core, { schedule: false });
    const { ticket, root, card: slaCard } = await openTicket(h);
    await h.send(channelMessage(h.fake, AGENT, 'hello from Dana', { rootId: root })); // Dana is known to Teams now
    h.core.tickets.assign(ticket.key, AGENT.aadObjectId, AGENT.aadObjectId);
    await h.flush();
    h.fake.clear();
    const target = ticket.sla.resolutionMs;
    h.clock.set(ticket.createdAt + Math.ceil(target * 0.5) + MIN);
    await sla.sweeper.sweep();
    await h.flush();
    const ping = h.fake.messages().find((r) => r.body?.text?.includes('SLA used'));
    expect(ping).toMatchObject({ kind: 'reply', conversationId: `${TRIAGE};messageid=${slaCard.returnedId}`, activityId: slaCard.returnedId });
    expect(ping!.body.text).toContain('<at>Dana Agent</at>');
    expect(ping!.body.entities).toContainEqual({ type: 'mention', text: '<at>Dana Agent</at>', mentioned: { id: AGENT.id, name: 'Dana Agent' } });

    h.clock.set(ticket.createdAt + Math.ceil(target * 0.9) + MIN);
    await sla.sweeper.sweep();
    await h.flush();
    const created = h.fake.requests.find((r) => r.kind === 'create_conversation');
    expect(created?.body.members).toEqual([{ id: AGENT.id, name: '' }]);
    const dm = h.fake.messages().find((r) => r.conversationId === created?.returnedId);
    expect(dm).toBeTruthy();
    expect(flatText(cardOf(dm)) + (dm?.body.text ?? '')).toContain(ticket.key);
  });

  it('a P0/P1 raises an escalation prompt in the internal chain; accepting it via Action.Execute escalates and updates the prompt', async () => {
    h = await startHarness({
      config: { triageChannel: TRIAGE, escalation: { tiers: [{ id: 'tier2', name: 'Tier 2', members: [AGENT2.aadObjectId] }], rules: [{ id: 'p0-p1', trigger: 'priority', priorities: ['P0', 'P1'], escalateTo: 'tier2' }] } },
    });
    installSlaAndDigest(h.core, { schedule: false });
    const { ticket, card: pCard } = await openTicket(h);
    const root = pCard.returnedId!;
    expect(['P0', 'P1']).toContain(ticket.priority);
    const prompt = h.fake.messages().find((r) => flatText(cardOf(r)).includes(`Escalate ${ticket.key}?`));
    expect(prompt).toMatchObject({ kind: 'reply', conversationId: `${TRIAGE};messageid=${root}` });
    const accept = executeActions(cardOf(prompt)).find((a) => a.verb === 'escalation.accept');
    expect(accept.title).toBe('Escalate to Tier 2');
    const res = await h.send(executeInvoke(h.fake, AGENT, inChain(root, prompt!.returnedId!, TRIAGE), { verb: accept.verb, data: accept.data }));
    const c = invokeCard(res.body);
    expect(executeActions(c).some((a) => a.verb === 'escalation.accept')).toBe(false);
    expect(h.core.tickets.repo.events(ticket.id).some((e) => e.type === 'escalated')).toBe(true);
    await h.flush();
    const upd = h.fake.requests.find((r) => r.kind === 'update' && r.activityId === prompt!.returnedId);
    expect(upd?.conversationId).toBe(`${TRIAGE};messageid=${root}`);
    expect(executeActions(cardOf(upd)).some((a) => a.verb === 'escalation.accept')).toBe(false);
  });

  it('the daily digest is posted as a card in the configured Teams channel', async () => {
    h = await startHarness({ config: { leads: [AGENT.aadObjectId], digest: { channels: ['teams:19:leads@thread.tacv2'], time: '09:00' }, escalation: { rules: [] } } });
    const sla = installSlaAndDigest(h.core, { schedule: false });
    await openTicket(h);
    h.fake.clear();
    const sent = await sla.digests.run();
    expect(sent.length).toBeGreaterThan(0);
    await h.flush();
    const digest = h.fake.messages().find((r) => r.conversationId === '19:leads@thread.tacv2');
    expect(digest).toMatchObject({ kind: 'send' });
    expect(cardOf(digest)).toBeTruthy();
  });
});

describe('Delivery through the outbox honours Teams limits', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    expectValidCards(h);
    await h.close();
  });

  it('a 429 on the card waits for Retry-After, then the card is posted exactly once', async () => {
    h.fake.failNext(429, { retryAfterSec: 5 });
    const msg = channelMessage(h.fake, CUSTOMER, REQUEST);
    await h.send(msg);
    await h.flush();
    expect(h.fake.requests.map((r) => r.status)).toEqual([429]);
    const row = h.core.db.prepare<[], { status: string; next_attempt_at: number }>("SELECT status, next_attempt_at FROM outbox WHERE kind = 'card'").get();
    expect(row).toMatchObject({ status: 'pending', next_attempt_at: h.timer.now() + 5000 });
    h.timer.advance(4999);
    await h.flush();
    expect(h.fake.messages()).toHaveLength(0);
    h.timer.advance(1);
    await h.flush();
    expect(h.fake.messages()).toHaveLength(1);
    expect(h.core.tickets.repo.findBySource('teams', CHANNEL, msg.id as string)!.cardMessageId).toBe(h.fake.messages()[0]!.returnedId);
  });

  it('a 502 is retried with backoff; a 403 is not retried', async () => {
    h.fake.failNext(502);
    await h.send(channelMessage(h.fake, CUSTOMER, REQUEST));
    await h.flush();
    h.timer.advance(10 * MIN);
    await h.flush();
    expect(h.fake.requests.map((r) => r.status)).toEqual([502, 201]);

    h.fake.failNext(403);
    await h.send(channelMessage(h.fake, CUSTOMER, 'The export to CSV button does nothing for our team'));
    await h.flush();
    h.timer.advance(10 * MIN);
    await h.flush();
    expect(h.fake.requests.map((r) => r.status)).toEqual([502, 201, 403]);
    expect(h.core.outbox.stats().failed).toBe(1);
  });

  it('sends at most 7 operations per second into one conversation; the rest follow in the next second', async () => {
    expect(h.teams.port.ratePerChannelPerSec).toBe(7);
    await h.send(channelMessage(h.fake, CUSTOMER, 'hello')); // the bot learns the channel
    await h.flush();
    h.fake.clear();
    for (let i = 0; i < 10; i++)
      h.core.outbox.enqueue({ platform: 'teams', idempotencyKey: `burst:${i}`, payload: { kind: 'post', channelId: CHANNEL, view: { text: `n${i}`, blocks: [{ type: 'text', text: `burst ${i}` }] } } });
    await h.flush();
    expect(h.fake.messages()).toHaveLength(7);
    await h.settle();
    expect(h.fake.messages().map((r) => r.body.text)).toEqual(Array.from({ length: 10 }, (_, i) => `burst ${i}`));
  });
});

describe('Forms and suggested replies in Teams', () => {
  let h: Harness;
  afterEach(async () => {
    expectValidCards(h);
    await h.close();
  });

  it('"Reassign…" on a breach prompt answers the invoke with a form card; submitting it reassigns and refreshes the prompt', async () => {
    h = await startHarness({
      config: {
        escalation: { tiers: [{ id: 'tier2', name: 'Tier 2', members: [AGENT2.aadObjectId] }], rules: [{ id: 'breach', trigger: 'breach', escalateTo: 'tier2' }] },
        triageChannel: TRIAGE,
      },
    });
    const sla = installSlaAndDigest(h.core, { schedule: false });
    const { ticket, card: rCard } = await openTicket(h);
    const root = rCard.returnedId!;
    h.core.tickets.assign(ticket.key, AGENT.aadObjectId, AGENT.aadObjectId);
    h.clock.set(ticket.createdAt + ticket.sla.firstResponseMs + MIN);
    await sla.sweeper.sweep();
    await h.flush();
    const prompt = h.fake.messages().find((r) => executeActions(cardOf(r)).some((a) => a.verb === 'escalation.reassign'));
    expect(prompt).toMatchObject({ kind: 'reply', conversationId: `${TRIAGE};messageid=${root}` });
    const reassign = executeActions(cardOf(prompt)).find((a) => a.verb === 'escalation.reassign');
    const where = inChain(root, prompt!.returnedId!, TRIAGE);
    const formRes = await h.send(executeInvoke(h.fake, AGENT, where, { verb: reassign.verb, data: reassign.data }));
    const form = invokeCard(formRes.body);
    expect(JSON.stringify(form)).toContain('"id":"f_owner"');
    const submit = executeActions(form).find((a) => a.verb === 'form.submit');
    const done = await h.send(executeInvoke(h.fake, AGENT, where, { verb: submit.verb, data: { ...submit.data, f_owner: AGENT2.aadObjectId } }));
    const after = invokeCard(done.body);
    expect(h.core.tickets.repo.get(ticket.id)!.ownerId).toBe(AGENT2.aadObjectId);
    expect(executeActions(after).length).toBeGreaterThan(0); // the prompt, not the form
    expect(JSON.stringify(after)).not.toContain('"id":"f_owner"');
    await h.settle(); // this conversation had more than 7 operations within a second
    expect(h.fake.requests.some((r) => r.kind === 'update' && r.activityId === prompt!.returnedId)).toBe(true);

    const cancel = await h.send(executeInvoke(h.fake, AGENT, where, { verb: 'form.cancel', data: { fd: 'cancel', formId: 'form.reassign' } }));
    expect(executeActions(invokeCard(cancel.body)).some((a) => a.verb === 'escalation.reassign')).toBe(true);
  });

  it('the suggested reply reaches agents privately with Send/Edit/Discard; Edit opens a form and its submit posts the reply in the chain', async () => {
    h = await startHarness({ config: { escalation: { rules: [] } } });
    const { installAi } = await import('../../src/ai/install.js');
    const ai = installAi(h.core);
    await h.send(channelMessage(h.fake, AGENT, 'morning', { rootId: '1649999999999' })); // Dana has talked to the bot before
    const { ticket, root } = await openTicket(h);
    await ai.idle();
    await h.flush();
    const chat = [...h.fake.createdConversations.entries()].find(([, m]) => m.includes(AGENT.id))?.[0];
    const draftMsg = h.fake.messages().find((r) => r.conversationId === chat && executeActions(cardOf(r)).some((a) => a.verb === 'draft.edit'));
    expect(draftMsg).toBeTruthy();
    const titles = executeActions(cardOf(draftMsg)).map((a) => a.title);
    for (const t of ['Send', 'Edit', 'Discard']) expect(titles).toContain(t);
    const edit = executeActions(cardOf(draftMsg)).find((a) => a.verb === 'draft.edit');
    const where = { conversationId: chat!, conversationType: 'personal', cardMessageId: draftMsg!.returnedId! };
    const form = invokeCard((await h.send(executeInvoke(h.fake, AGENT, where, { verb: edit.verb, data: edit.data }))).body);
    const submit = executeActions(form).find((a) => a.verb === 'form.submit');
    const res = await h.send(executeInvoke(h.fake, AGENT, where, { verb: submit.verb, data: { ...submit.data, f_text: 'Hi Carol, the checkout is fixed now.' } }));
    invokeCard(res.body);
    await h.flush();
    const reply = h.fake.messages().find((r) => r.conversationId === `${CHANNEL};messageid=${root}` && JSON.stringify(r.body).includes('the checkout is fixed now'));
    expect(reply).toMatchObject({ kind: 'reply', activityId: root });
    expect(h.core.tickets.repo.get(ticket.id)!.firstResponseAt).not.toBeNull();
  });
});

describe('"Create ticket" message action', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    expectValidCards(h);
    await h.close();
  });

  /** The composeExtension invoke Teams sends for a message action on `messageId`. */
  function messageAction(name: 'composeExtension/fetchTask' | 'composeExtension/submitAction', from: typeof AGENT, messageId: string, data?: unknown, author = CUSTOMER) {
    const a = channelMessage(h.fake, from, '', { rootId: messageId });
    return {
      ...a,
      type: 'invoke',
      name,
      text: undefined,
      value: {
        commandId: 'createTicket',
        commandContext: 'message',
        messagePayload: { id: messageId, body: { contentType: 'html', content: '<p>Our SSO login loops back to the start page for every user in the &quot;EU&quot; tenant</p>' }, from: { user: { id: author.aadObjectId, displayName: author.name } } },
        ...(data ? { data } : {}),
      },
    };
  }

  it('an agent opens a dialog with the create-ticket form and submitting it opens the ticket with the card in the message\'s chain', async () => {
    // An agent relays a customer's problem in the channel: agents' posts are not tickets by themselves.
    const relayed = channelMessage(h.fake, AGENT2, 'Our SSO login loops back to the start page for every user in the "EU" tenant');
    await h.send(relayed);
    await h.flush();
    expect(h.core.tickets.repo.list({ open: true })).toHaveLength(0);
    const messageId = relayed.id as string;
    const res = await h.send(messageAction('composeExtension/fetchTask', AGENT, messageId, undefined, AGENT2));
    // biome-ignore lint/suspicious/noExplicitAny: invoke body is JSON
    const body = res.body as any;
    expect(body.task.type).toBe('continue');
    const card = body.task.value.card.content;
    expect(cardProblems(card)).toEqual([]);
    const submit = card.body.flatMap((b: { actions?: unknown[] }) => b.actions ?? [])[0];
    expect(submit.type).toBe('Action.Submit');
    const done = await h.send(messageAction('composeExtension/submitAction', AGENT, messageId, { ...submit.data, f_category: 'access', f_priority: 'P2', f_owner: AGENT.aadObjectId }, AGENT2));
    expect(done.body).toMatchObject({ task: { type: 'message' } });
    // biome-ignore lint/suspicious/noExplicitAny: invoke body is JSON
    expect((done.body as any).task.value).toMatch(/^Opened T-\d+/);
    const t = h.core.tickets.repo.findBySource('teams', CHANNEL, messageId)!;
    expect(t).toMatchObject({ category: 'access', priority: 'P2', ownerId: AGENT.aadObjectId, requesterId: AGENT2.aadObjectId, threadId: messageId });
    expect(t.text).toBe('Our SSO login loops back to the start page for every user in the "EU" tenant');
    await h.flush();
    expect(h.fake.messages().find((r) => r.returnedId === h.core.tickets.repo.get(t.id)!.cardMessageId)).toMatchObject({ conversationId: `${CHANNEL};messageid=${messageId}`, activityId: messageId });
  });

  it('non-agents are told politely; a message that already is a ticket says so', async () => {
    const { ticket, root } = await openTicket(h);
    const res = await h.send(messageAction('composeExtension/fetchTask', CUSTOMER, root));
    expect(res.body).toMatchObject({ task: { type: 'message' } });
    // biome-ignore lint/suspicious/noExplicitAny: invoke body is JSON
    expect((res.body as any).task.value).toContain('Only support agents');
    const again = await h.send(messageAction('composeExtension/fetchTask', AGENT, root));
    // biome-ignore lint/suspicious/noExplicitAny: invoke body is JSON
    expect((again.body as any).task.value).toBe(`That message is already ${ticket.key}.`);
  });
});
