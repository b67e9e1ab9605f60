/**
 * Two audiences through the real Slack adapter against the fake Slack Web API. A whole ticket
 * life in triage mode — request, triage prompt, handling plan, suggested reply, SLA pings, a
 * note, the customer's follow-up, an escalation, an agent's reply — and then: every message that
 * crossed the wire into the customer's channel is a customer message (the acknowledgement and
 * agents' replies), with no buttons and no internal wording. Everything else went to the
 * triage channel, in the ticket's internal thread. The guard refuses an internal view aimed at
 * the customer's channel, and inline mode keeps work out of the requester's thread.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installAi } from '../../src/ai/install.js';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import { FakeAnthropic, type RecordedRequest, reply } from '../fakes/fake-anthropic.js';
import { blockText, type SlackCall } from '../fakes/fake-slack.js';
import { AGENT, AGENT2, blockAction, CHANNEL, CUSTOMER, closeAll, type Harness, message, nextTs, sendCommand, sendEvent, sendInteraction, settle, startHarness, until } from './support.js';

const TRIAGE = 'C0TRIAGE';
const MIN = 60_000;
/** A marker in everything the model writes. */
const MODEL = 'MODEL-7Q2X';

afterEach(closeAll);

// biome-ignore lint/suspicious/noExplicitAny: Block Kit arrives as free-form JSON
const actionIds = (blocks: any): string[] =>
  (Array.isArray(blocks) ? blocks : []).filter((b: { type: string }) => b.type === 'actions').flatMap((b: { elements: { action_id: string }[] }) => b.elements.map((e) => e.action_id));

/** Messages that reached a channel (posts and in-place updates). */
const wireInto = (h: Harness, channel: string): SlackCall[] =>
  h.fake.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.outcome === 'ok' && c.args.channel === channel);

const INTERNAL_WORDS = /Escalat|SLA|Suggested reply|handling plan|Customer need|Priority|Category|learner|matched|agents only|Note on|Tier 2|AI /i;

async function triageDesk(): Promise<Harness> {
  const h = await startHarness({
    config: {
      channels: [{ id: CHANNEL }],
      triageChannel: TRIAGE,
      teams: [{ id: 'support', members: [AGENT, AGENT2], routing: 'none' }],
      escalation: { tiers: [{ id: 'tier2', name: 'Tier 2', members: [AGENT2] }] },
    },
  });
  installAi(h.core, { answerWithinMs: 2000 });
  installSlaAndDigest(h.core, { schedule: false });
  return h;
}

describe('two audiences in Slack (triage mode)', () => {
  it('the customer channel only ever receives the acknowledgement and agents’ replies; all work happens in the internal thread', async () => {
    const h = await triageDesk();
    const ai = installAi(h.core);
    const sla = installSlaAndDigest(h.core, { schedule: false });
    const ts = nextTs();
    await sendEvent(h, message({ ts, text: 'sev1: checkout is down for all users, every payment fails with 502', user: CUSTOMER }));
    const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
    expect(t.priority).toBe('P0');
    expect(t.triageChannelId).toBe(TRIAGE);

    // Exactly one acknowledgement in the customer's thread: the key and when to expect an answer.
    const ack = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL && c.outcome === 'ok');
    expect(ack.args.thread_ts).toBe(ts);
    expect(blockText(ack.args.blocks)).toContain(t.key);
    expect(blockText(ack.args.blocks)).toContain('first response within 1 hour');
    expect(actionIds(ack.args.blocks)).toEqual([]);

    // The card: a new message in the triage channel, linking to the customer's message, with Reply to customer.
    const cardTs = await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
    const card = h.fake.calls.find((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && c.args.channel === TRIAGE && !c.args.thread_ts)!;
    expect(card.args.thread_ts).toBeUndefined();
    expect(actionIds(card.args.blocks)).toContain('ticket.reply_to_customer');
    await until(() => wireInto(h, TRIAGE).some((c) => c.method === 'chat.update' && blockText(c.args.blocks).includes(`https://fake.slack.test/archives/${CHANNEL}/p`)), 'card links to the customer message');

    // Triage prompt (P0), a handling plan, the suggested reply: in the internal thread.
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && c.args.thread_ts === cardTs && blockText(c.args.blocks).includes(`Escalate ${t.key}?`));
    await sendCommand(h, `plan ${t.key}`, { user: AGENT });
    await ai.idle();
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && c.args.thread_ts === cardTs && blockText(c.args.blocks).includes('Customer need'));
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && c.args.thread_ts === cardTs && blockText(c.args.blocks).includes('Suggested reply'));

    // An internal note; SLA pings at 50% and at the breach (with the breach prompt).
    await sendCommand(h, `note ${t.key} customer is on the enterprise plan`, { user: AGENT });
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && blockText(c.args.blocks).includes('enterprise plan'));
    h.clock.set(t.createdAt + 30 * MIN);
    await sla.sweeper.sweep();
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && blockText(c.args.blocks).includes('50% of the first response SLA used'));

    // The customer adds details in their thread: mirrored into the internal thread, escaped.
    await sendEvent(h, message({ ts: nextTs(), thread_ts: ts, text: 'Still failing. <!channel> *urgent*', user: CUSTOMER }));
    const mirror = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && c.args.thread_ts === cardTs && blockText(c.args.blocks).includes('Still failing'));
    expect(JSON.stringify(mirror.args.blocks)).not.toContain('<!channel>');

    // Agents talk in the internal thread: kept as notes, not a first response.
    await sendEvent(h, message({ ts: nextTs(), thread_ts: cardTs, channel: TRIAGE, text: 'I think it is the payment provider', user: AGENT }));
    await until(() => h.core.tickets.repo.events(t.id).some((e) => e.type === 'note' && e.data.via === 'internal_thread'), 'internal note');
    expect(h.core.tickets.repo.get(t.id)!.firstResponseAt).toBeNull();

    // Escalate from the card.
    await sendInteraction(h, blockAction(h, { actionId: 'ticket.escalate', value: t.key, messageTs: cardTs, channel: TRIAGE, user: AGENT }));
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && String(c.args.text).includes('escalated'));

    // Reply to customer: the form, then the reply in the customer's thread in the agent's name and picture.
    await sendInteraction(h, blockAction(h, { actionId: 'ticket.reply_to_customer', value: t.key, messageTs: cardTs, channel: TRIAGE, user: AGENT }));
    const open = await h.fake.waitFor((c) => c.method === 'views.open');
    expect(open.args.view.callback_id).toBe('form.reply_to_customer');
    await sendInteraction(h, {
      type: 'view_submission',
      user: { id: AGENT },
      trigger_id: 'trigger.submit',
      view: { id: 'V0R', hash: 'h', type: 'modal', callback_id: 'form.reply_to_customer', private_metadata: open.args.view.private_metadata, state: { values: { text: { text: { type: 'plain_text_input', value: 'We found it: the payment provider had an outage. Payments work again.' } } } } },
    });
    const reply = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL && String(c.args.text).includes('payment provider had an outage'));
    expect(reply.args).toMatchObject({ thread_ts: ts, username: AGENT, icon_url: `https://fake.slack.test/avatars/${AGENT}_72.png` });
    const after = await until(() => {
      const x = h.core.tickets.repo.get(t.id)!;
      return x.firstResponseAt !== null && x;
    }, 'first response');
    expect(after).toMatchObject({ status: 'in_progress', ownerId: AGENT });
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && blockText(c.args.blocks).includes('replied to the customer'));
    await settle(h);

    // The customer's channel: the acknowledgement and the agent's reply. Nothing else, ever.
    const customerSide = wireInto(h, CHANNEL);
    expect(customerSide.map((c) => c.args.thread_ts)).toEqual([ts, ts]);
    expect(customerSide[0]!.args.text).toContain(`We have your request: ${t.key}`);
    expect(customerSide[1]!.args.text).toContain('payment provider had an outage');
    for (const c of customerSide) {
      expect(actionIds(c.args.blocks)).toEqual([]);
      expect(blockText(c.args.blocks)).not.toMatch(INTERNAL_WORDS);
    }
    // Nothing failed or was refused along the way, and the internal side got all the work.
    expect(h.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'failed'").get()).toEqual({ n: 0 });
    expect(wireInto(h, TRIAGE).length).toBeGreaterThanOrEqual(8);
  });

  it('the guard refuses an internal view aimed at the customer’s channel: logged, failed, never on the wire', async () => {
    const h = await triageDesk();
    const ts = nextTs();
    await sendEvent(h, message({ ts, text: 'The export button does nothing', user: CUSTOMER }));
    const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
    await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
    h.core.outbox.enqueue({
      platform: 'slack',
      ticketId: t.id,
      idempotencyKey: 'rogue',
      payload: { kind: 'post', channelId: CHANNEL, threadOfTicket: t.id, view: { text: 'Escalate? internal', blocks: [{ type: 'text', text: 'internal only' }] } },
    });
    const row = await until(
      () => h.core.db.prepare<[], { status: string; last_error: string }>("SELECT status, last_error FROM outbox WHERE idempotency_key = 'rogue' AND status != 'pending'").get(),
      'the rogue row decided',
    );
    expect(row.status).toBe('failed');
    expect(row.last_error).toContain('refused to post an internal message');
    expect(wireInto(h, CHANNEL).some((c) => String(c.args.text).includes('internal'))).toBe(false);
  });

  it('a command answer meant for the whole channel is sent privately when customers read there (the core decides, not the adapter)', async () => {
    const h = await triageDesk();
    const view = { text: 'Queue: 3 P1s breaching', blocks: [{ type: 'text' as const, text: 'Queue: 3 P1s breaching' }] };
    h.core.commands.register({ name: 'announce', usage: 'announce', summary: 'test only', agentOnly: false, run: () => ({ view, visibility: 'in_channel' }) });
    await sendCommand(h, 'announce', { user: AGENT, responseId: 'in-support' });
    const inSupport = await h.fake.waitFor((c) => c.method === 'response_url' && String(c.args.url).includes('in-support'));
    expect(inSupport.args.response_type).toBe('ephemeral');
    await sendCommand(h, 'announce', { user: AGENT, channel: TRIAGE, responseId: 'in-triage' });
    const inTriage = await h.fake.waitFor((c) => c.method === 'response_url' && String(c.args.url).includes('in-triage'));
    expect(inTriage.args.response_type).toBe('in_channel');
  });
});

describe('two audiences in Slack (inline mode)', () => {
  it('the card stays in the requester’s thread, but prompts, pings, plans, drafts and model text go to agents privately', async () => {
    // Claude (the fake Anthropic) writes the draft and the plan, each carrying a marker.
    const claude = await FakeAnthropic.start();
    const tool = (r: RecordedRequest): string => (r.body as { tool_choice?: { name?: string } })?.tool_choice?.name ?? '';
    claude.otherwise((r) => {
      if (tool(r) === 'record_triage') return reply.tool({ category: 'outage', priority: 'P0', summary: `Checkout down ${MODEL}`, customerImpact: `All payments fail ${MODEL}`, escalate: true });
      if (tool(r) === 'record_reply') return reply.tool({ reply: `Hi — we are on it. ${MODEL} draft`, sources: [], suggestions: [`Check the payment provider ${MODEL}`] });
      if (tool(r) === 'record_stage') return reply.tool({ customerGoal: `Pay again ${MODEL}`, urgency: 'now', nextStep: 'Check provider', expectedOutcome: 'Payments work', escalationPath: 'Tier 2', responseDraft: `We are on it ${MODEL}`, owner: 'on call', escalation: 'Tier 2', steps: ['Check'], coordination: 'none', checks: ['A payment goes through'], missingInformation: [], followUps: [], openQuestions: [] });
      return reply.status(400, 'invalid_request_error');
    });
    const h = await startHarness({
      config: { teams: [{ id: 'support', members: [AGENT], routing: 'none' }], escalation: { tiers: [{ id: 'tier2', name: 'Tier 2', members: [AGENT2] }] }, ai: { maxRetries: 0 } },
      env: { ANTHROPIC_API_KEY: 'sk-ant-test-inline-0123456789', ANTHROPIC_BASE_URL: claude.url },
    });
    try {
      const ai = installAi(h.core, { answerWithinMs: 2000 });
      const sla = installSlaAndDigest(h.core, { schedule: false });
      const ts = nextTs();
      await sendEvent(h, message({ ts, text: 'sev1: checkout is down for all users, every payment fails with 502', user: CUSTOMER }));
      const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
      expect(t.triageChannelId).toBeNull();
      await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
      await ai.idle();
      const privately = (c: SlackCall) => c.method === 'chat.postEphemeral' || (c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D'));
      // The escalation prompt (P0) and Claude's suggested reply: to agents only.
      await h.fake.waitFor((c) => privately(c) && blockText(c.args.blocks).includes(`Escalate ${t.key}?`));
      await h.fake.waitFor((c) => privately(c) && blockText(c.args.blocks).includes(`${MODEL} draft`));
      // The handling plan (model text), asked for by the agent.
      await sendCommand(h, `plan ${t.key}`, { user: AGENT });
      await ai.idle();
      await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === AGENT && blockText(c.args.blocks).includes('Customer need') && blockText(c.args.blocks).includes(MODEL));
      // SLA pings at 50% and at the breach (with the breach prompt).
      h.clock.set(t.createdAt + 30 * MIN);
      await sla.sweeper.sweep();
      await h.fake.waitFor((c) => privately(c) && blockText(c.args.blocks).includes('50% of the first response SLA used'));
      h.clock.set(t.createdAt + 61 * MIN);
      await sla.sweeper.sweep();
      await h.fake.waitFor((c) => privately(c) && blockText(c.args.blocks).includes('missed its first response SLA'));
      await settle(h);
      const inChannel = wireInto(h, CHANNEL);
      // Only the card (posted in the thread, then refreshed) and status lines — no prompt, ping, plan, draft or model text.
      expect(inChannel.every((c) => c.method === 'chat.update' || c.args.thread_ts === ts)).toBe(true);
      for (const c of inChannel) {
        const text = `${c.args.text ?? ''}\n${blockText(c.args.blocks)}`;
        expect(text).not.toMatch(/Escalate T-|Customer need|Suggested reply · |SLA used|missed its first response/);
        expect(text).not.toContain(MODEL);
      }
      expect(h.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'failed'").get()).toEqual({ n: 0 });
    } finally {
      await claude.close();
    }
  });
});
