/**
 * Suggested replies end to end on Slack: the real Bolt adapter and @slack/web-api client against
 * the fake Slack server, signed Events API / interactivity requests, the AI features installed on
 * the core (offline path). A customer message becomes a ticket → the draft reaches the agents as
 * chat.postEphemeral in the thread → Send posts it with chat.postMessage in the thread, Edit opens
 * a pre-filled modal (views.open) whose submission posts the edited text, Discard posts nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type AiFeatures, installAi } from '../../src/ai/install.js';
import type { Ticket } from '../../src/domain/types.js';
import { ACTIONS, FORMS } from '../../src/views/action-ids.js';
import { blockText, type SlackCall } from '../fakes/fake-slack.js';
import { AGENT, AGENT2, blockAction, CHANNEL, CUSTOMER, closeAll, type Harness, message, nextTs, sendEvent, sendInteraction, settle, startHarness, until } from '../slack/support.js';
import { PROMPTS_DIR } from './helpers.js';

afterEach(closeAll);

/** Slack's outbox sends about one message per second per channel: leave room for a few queued ones. */
const WAIT = 20_000;

interface Setup {
  h: Harness;
  f: AiFeatures;
}

async function setup(): Promise<Setup> {
  const h = await startHarness({
    config: { teams: [{ id: 'support', members: [AGENT, AGENT2], routing: 'none' }], personas: { dir: PROMPTS_DIR }, ai: { timeout: '0.5s', maxRetries: 0 } },
  });
  return { h, f: installAi(h.core) };
}

/** A customer posts in the support channel; wait for the ticket, its card and its draft. */
async function customerAsks(s: Setup, text: string): Promise<{ ts: string; t: Ticket }> {
  const ts = nextTs();
  const res = await sendEvent(s.h, message({ ts, text, user: CUSTOMER }));
  expect(res.status).toBe(200);
  const t = await until(() => s.h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket', WAIT);
  await s.f.idle();
  return { ts, t: s.h.core.tickets.require(t.id) };
}

/** Block Kit buttons in a call's blocks: action_id → value. */
function slackButtons(blocks: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of (blocks as { type: string; elements?: { type: string; action_id: string; value: string }[] }[]) ?? [])
    if (b.type === 'actions') for (const e of b.elements ?? []) if (e.type === 'button') out.set(e.action_id, e.value);
  return out;
}

/** The private draft message for `user` in the ticket's thread. */
function draftEphemeral(s: Setup, ts: string, user = AGENT): Promise<SlackCall> {
  return s.h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === user && c.args.thread_ts === ts && slackButtons(c.args.blocks).has(ACTIONS.draftSend), WAIT);
}

const postsWith = (s: Setup, text: string): SlackCall[] => s.h.fake.callsOf('chat.postMessage').filter((c) => String(c.args.text ?? '').includes(text) || blockText(c.args.blocks).includes(text));

describe('suggested replies on Slack', () => {
  it('reaches the agents as chat.postEphemeral in the thread; Send posts it with chat.postMessage in the thread', async () => {
    const s = await setup();
    const { ts, t } = await customerAsks(s, 'The CSV export stops at 10,000 rows and our finance report is incomplete');
    const d = s.f.repo.latestDraft(t.id)!;
    expect(d.path).toBe('offline');

    const eph = await draftEphemeral(s, ts);
    expect(eph.args.channel).toBe(CHANNEL);
    expect(blockText(eph.args.blocks)).toContain(`Suggested reply · ${t.key}`);
    expect(blockText(eph.args.blocks)).toContain(d.text.split('\n')[0]!.slice(0, 40));
    expect(slackButtons(eph.args.blocks)).toEqual(
      new Map([
        [ACTIONS.draftSend, `${t.key}|${d.id}`],
        [ACTIONS.draftEdit, `${t.key}|${d.id}`],
        [ACTIONS.draftDiscard, `${t.key}|${d.id}`],
        [ACTIONS.draftRegenerate, `${t.key}|${d.id}`],
      ]),
    );
    await draftEphemeral(s, ts, AGENT2);
    // Never to the customer, and nothing public carries the draft before an agent acts.
    expect(s.h.fake.callsOf('chat.postEphemeral').some((c) => c.args.user === CUSTOMER)).toBe(false);
    await settle(s.h);
    expect(postsWith(s, d.text.slice(0, 60))).toEqual([]);

    const click = await sendInteraction(s.h, blockAction(s.h, { actionId: ACTIONS.draftSend, value: `${t.key}|${d.id}`, user: AGENT, threadTs: ts }));
    expect(click.status).toBe(200);
    const sent = await s.h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts && c.args.text === d.text, WAIT);
    expect(sent.args.channel).toBe(CHANNEL);
    const answer = await s.h.fake.waitFor((c) => c.method === 'response_url' && blockText(c.args.blocks).includes('Reply sent'), WAIT);
    expect(answer.args.response_type).toBe('ephemeral');
    expect(s.f.repo.getDraft(d.id)).toMatchObject({ status: 'sent', decidedBy: AGENT });
    expect(s.h.core.tickets.require(t.id).firstResponseAt).not.toBeNull();
  });

  it('Edit opens a modal pre-filled with the draft; submitting it posts the edited text in the thread', async () => {
    const s = await setup();
    const { ts, t } = await customerAsks(s, 'Checkout page is slow for some customers since this morning');
    const d = s.f.repo.latestDraft(t.id)!;
    const eph = await draftEphemeral(s, ts);

    await sendInteraction(s.h, blockAction(s.h, { actionId: ACTIONS.draftEdit, value: slackButtons(eph.args.blocks).get(ACTIONS.draftEdit)!, user: AGENT, threadTs: ts }));
    const open = await s.h.fake.waitFor((c) => c.method === 'views.open', WAIT);
    const view = open.args.view;
    expect(open.args.trigger_id).toMatch(/^trigger\.action\./);
    expect(view.callback_id).toBe(FORMS.editDraft);
    expect(view.blocks[0].block_id).toBe('text');
    expect(view.blocks[0].element.initial_value).toBe(d.text);

    const edited = 'Thanks for reporting this. We see slower checkout since 08:10 UTC and are on it; next update within the hour.';
    const submit = {
      type: 'view_submission',
      team: { id: 'T0TEAM', domain: 'fake' },
      user: { id: AGENT, name: 'agent' },
      trigger_id: 'trigger.submit',
      view: {
        id: 'V0EDIT',
        hash: 'h1',
        type: 'modal',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        state: { values: { text: { text: { type: 'plain_text_input', value: edited } } } },
      },
    };
    expect((await sendInteraction(s.h, submit)).status).toBe(200);
    const sent = await s.h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts && c.args.text === edited, WAIT);
    expect(sent.args.channel).toBe(CHANNEL);
    expect(s.f.repo.getDraft(d.id)).toMatchObject({ status: 'sent', decidedBy: AGENT });
    expect(postsWith(s, d.text.slice(0, 60))).toEqual([]);
  });

  it('Discard answers privately, posts nothing, and the card stops offering the draft', async () => {
    const s = await setup();
    const { ts, t } = await customerAsks(s, 'How do I change the billing address on my invoices?');
    const d = s.f.repo.latestDraft(t.id)!;
    await until(() => s.h.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted', WAIT);
    await s.h.fake.waitFor((c) => c.method === 'chat.update' && blockText(c.args.blocks).includes('Suggested reply ready'), WAIT);
    const eph = await draftEphemeral(s, ts);

    await sendInteraction(s.h, blockAction(s.h, { actionId: ACTIONS.draftDiscard, value: slackButtons(eph.args.blocks).get(ACTIONS.draftDiscard)!, user: AGENT2, threadTs: ts }));
    const answer = await s.h.fake.waitFor((c) => c.method === 'response_url' && blockText(c.args.blocks).includes('discarded'), WAIT);
    expect(answer.args.response_type).toBe('ephemeral');
    expect(s.f.repo.getDraft(d.id)).toMatchObject({ status: 'discarded', decidedBy: AGENT2 });
    const cardMessageId = s.h.core.tickets.require(t.id).cardMessageId;
    await until(() => {
      const updates = s.h.fake.callsOf('chat.update').filter((c) => c.args.ts === cardMessageId && c.outcome === 'ok');
      const last = updates[updates.length - 1];
      return last && !blockText(last.args.blocks).includes('Suggested reply ready');
    }, 'card refreshed without the draft', WAIT);
    await settle(s.h);
    expect(postsWith(s, d.text.slice(0, 60))).toEqual([]);
    expect(s.h.core.tickets.require(t.id).firstResponseAt).toBeNull();
  });
});
