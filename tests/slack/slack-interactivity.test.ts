/**
 * End to end in HTTP mode for what people click and type: /ticket subcommands (answered via
 * response_url), card buttons and selects (block_actions), the "Create ticket" message
 * shortcut (views.open) and its modal submission (view_submission).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/domain/types.js';
import { blockText, type SlackCall } from '../fakes/fake-slack.js';
import {
  AGENT,
  AGENT2,
  blockAction,
  CHANNEL,
  CUSTOMER,
  type Harness,
  message,
  nextTs,
  sendCommand,
  sendEvent,
  sendInteraction,
  settle,
  startHarness,
  LEAD,
  until,
  closeAll,
} from './support.js';

let h: Harness;
afterEach(closeAll);

async function openTicket(x: Harness, text = 'Exports to CSV fail with a timeout for large workspaces'): Promise<{ ts: string; t: Ticket }> {
  const ts = nextTs();
  await sendEvent(x, message({ ts, text }));
  const t = await until(() => x.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
  await until(() => x.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
  return { ts, t: x.core.tickets.repo.get(t.id)! };
}

/** The next response_url post (ack() came first with an empty body). */
function responses(x: Harness): SlackCall[] {
  return x.fake.callsOf('response_url');
}

describe('/ticket', () => {
  it('acks with an empty 200 and answers help ephemerally via response_url', async () => {
    h = await startHarness();
    const res = await sendCommand(h, 'help');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const r = await h.fake.waitFor((c) => c.method === 'response_url');
    expect(r.args.response_type).toBe('ephemeral');
    expect(r.args.replace_original).toBe(false);
    const text = blockText(r.args.blocks);
    for (const sub of ['new TEXT', 'show ID', 'list [mine|open|breaching|unassigned]', 'assign ID @user', 'priority ID P0-P4', 'resolve ID [note]', 'escalate ID']) expect(text).toContain(sub);
  });

  it('changes priority: ephemeral confirmation, the card updated in place, a correction recorded', async () => {
    h = await startHarness();
    const { t } = await openTicket(h);
    await sendCommand(h, `priority ${t.key} P0`);
    const r = await h.fake.waitFor((c) => c.method === 'response_url');
    expect(blockText(r.args.blocks)).toContain(`${t.key} is now P0`);
    const upd = await h.fake.waitFor((c) => c.method === 'chat.update' && c.outcome === 'ok');
    expect(upd.args).toMatchObject({ channel: CHANNEL, ts: t.cardMessageId });
    expect(blockText(upd.args.blocks)).toContain('P0 · critical');
    expect(h.core.tickets.repo.get(t.id)!.priority).toBe('P0');
    expect(h.core.tickets.repo.events(t.id).find((e) => e.type === 'priority_changed')?.data).toMatchObject({ to: 'P0', correction: true });
  });

  it('names the problem and the usage for unknown subcommands and bad arguments', async () => {
    h = await startHarness();
    const { t } = await openTicket(h);
    await sendCommand(h, 'frobnicate T-1', { responseId: 'a' });
    await sendCommand(h, `priority ${t.key} P9`, { responseId: 'b' });
    await sendCommand(h, 'show T-99999', { responseId: 'c' });
    await until(() => responses(h!).length === 3, 'three answers');
    const byId = (id: string) => blockText(responses(h!).find((c) => c.args.url === `/response/${id}`)!.args.blocks);
    expect(byId('a')).toContain('"frobnicate" is not a command I know');
    // No usage line for a command that does not exist (the answer lists the commands).
    expect(byId('a')).not.toContain('Usage:');
    expect(byId('b')).toContain('"P9" is not a priority');
    expect(byId('b')).toContain('Usage: `priority ID P0-P4`');
    expect(byId('c')).toContain('No ticket T-99999');
    expect(byId('c')).toContain('`/ticket list`');
    expect(byId('c')).not.toContain('Usage:');
    for (const r of responses(h)) expect(r.args.response_type).toBe('ephemeral');
    expect(h.core.tickets.repo.get(t.id)!.priority).not.toBe('P9');
  });

  it('refuses agent-only subcommands to non-agents politely and changes nothing', async () => {
    h = await startHarness();
    const { t } = await openTicket(h);
    await sendCommand(h, `resolve ${t.key}`, { user: CUSTOMER });
    const r = await h.fake.waitFor((c) => c.method === 'response_url');
    expect(blockText(r.args.blocks)).toMatch(/Sorry — `resolve` is for support agents/);
    expect(h.core.tickets.repo.get(t.id)!.status).not.toBe('resolved');
  });

  it('new TEXT opens a ticket whose card starts its own thread; list mine shows assignments', async () => {
    h = await startHarness();
    await sendCommand(h, 'new VPN drops every 10 minutes for the Berlin office', { channel: 'C0OTHER', responseId: 'new' });
    const r = await h.fake.waitFor((c) => c.method === 'response_url');
    expect(blockText(r.args.blocks)).toMatch(/Opened \*T-\d+\*/);
    const card = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0OTHER' && c.outcome === 'ok');
    expect(card.args.thread_ts).toBeUndefined();
    const t = h.core.tickets.repo.list({ limit: 5 })[0]!;
    const posted = await until(() => {
      const x = h.core.tickets.repo.get(t.id)!;
      return x.cardMessageId ? x : null;
    }, 'card id');
    // The card started the thread: replies to it attach to the ticket.
    expect(posted.threadId).toBe(posted.cardMessageId);
    await sendCommand(h, `assign ${t.key} <@${AGENT2}|dana>`, { responseId: 'assign' });
    await until(() => h.core.tickets.repo.get(t.id)!.ownerId === AGENT2, 'assigned');
    await sendCommand(h, 'list mine', { user: AGENT2, responseId: 'mine' });
    const mine = await h.fake.waitFor((c) => c.method === 'response_url' && c.args.url === '/response/mine');
    expect(blockText(mine.args.blocks)).toContain(t.key);
  });
});

describe('card buttons and selects', () => {
  it('Assign to me updates the card and posts one thread line; nothing ephemeral', async () => {
    h = await startHarness();
    const { ts, t } = await openTicket(h);
    const res = await sendInteraction(h, blockAction(h, { actionId: 'ticket.assign_me', value: t.key, messageTs: t.cardMessageId!, threadTs: ts }));
    expect(res.status).toBe(200);
    const upd = await h.fake.waitFor((c) => c.method === 'chat.update' && c.outcome === 'ok');
    expect(upd.args.ts).toBe(t.cardMessageId);
    expect(blockText(upd.args.blocks)).toContain(`<@${AGENT}>`);
    const line = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && String(c.args.text).includes('took'));
    expect(line.args.thread_ts).toBe(ts);
    await settle(h);
    expect(responses(h)).toHaveLength(0);
  });

  it('the category select records a correction (training data) and refreshes the card', async () => {
    h = await startHarness();
    const { t } = await openTicket(h);
    await sendInteraction(h, blockAction(h, { actionId: 'ticket.category', selected: `${t.key}|data`, messageTs: t.cardMessageId! }));
    await until(() => h.core.tickets.repo.get(t.id)!.category === 'data', 'category changed');
    const training = h.core.db.prepare<[number], { category: string; source: string }>('SELECT category, source FROM training_examples WHERE ticket_id = ?').all(t.id);
    expect(training).toEqual([expect.objectContaining({ category: 'data', source: 'correction' })]);
    const upd = await h.fake.waitFor((c) => c.method === 'chat.update' && c.outcome === 'ok');
    expect(blockText(upd.args.blocks)).toMatch(/\*data\*/);
  });

  it('Escalate answers the clicker ephemerally and tells agents privately (inline mode: never in the requester\'s thread)', async () => {
    h = await startHarness({ config: { escalation: { tiers: [{ id: 'tier2', name: 'Tier 2', members: ['U0TIER2'] }] } } });
    const { ts, t } = await openTicket(h);
    await sendInteraction(h, blockAction(h, { actionId: 'ticket.escalate', value: t.key, messageTs: t.cardMessageId!, threadTs: ts }));
    const r = await h.fake.waitFor((c) => c.method === 'response_url');
    expect(r.args.response_type).toBe('ephemeral');
    expect(blockText(r.args.blocks)).toContain(`${t.key} escalated to Tier 2`);
    const line = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && String(c.args.text).includes('escalated'));
    expect(line.args).toMatchObject({ channel: CHANNEL, thread_ts: ts, user: LEAD });
    expect(blockText(line.args.blocks)).toContain('<@U0TIER2>');
    expect(h.fake.calls.filter((c) => c.method === 'chat.postMessage' && String(c.args.text).includes('escalated'))).toEqual([]);
  });

  it('refuses card buttons to non-agents with an ephemeral note', async () => {
    h = await startHarness();
    const { t } = await openTicket(h);
    await sendInteraction(h, blockAction(h, { actionId: 'ticket.resolve', value: t.key, user: CUSTOMER, messageTs: t.cardMessageId! }));
    const r = await h.fake.waitFor((c) => c.method === 'response_url');
    expect(blockText(r.args.blocks)).toContain('only support agents can do that');
    expect(h.core.tickets.repo.get(t.id)!.status).toBe('triaged');
  });

  it('a button on the App Home tab acts and republishes Home with the answer on top', async () => {
    h = await startHarness({ config: { escalation: { tiers: [{ id: 'tier2', name: 'Tier 2', members: [] }] } } });
    const { t } = await openTicket(h);
    await sendInteraction(h, blockAction(h, { actionId: 'ticket.escalate', value: t.key, home: true }));
    const pub = await h.fake.waitFor((c) => c.method === 'views.publish' && c.args.user_id === AGENT);
    const text = blockText(pub.args.view.blocks);
    expect(text.indexOf(`${t.key} escalated to Tier 2`)).toBeGreaterThanOrEqual(0);
    expect(text.indexOf(`${t.key} escalated`)).toBeLessThan(text.indexOf('My open tickets'));
    expect(responses(h)).toHaveLength(0);
  });
});

describe('forms opened by features', () => {
  it('an action that returns a form opens it as a modal; its answer without a channel goes by DM', async () => {
    h = await startHarness();
    h.core.interactions.onAction('test.note', (value) => ({
      form: { formId: 'form.test_note', title: 'Note', submitLabel: 'Save', state: value, fields: [{ type: 'text', id: 'note', label: 'Note', multiline: true }] },
    }));
    h.core.interactions.onForm('form.test_note', (state, values) => ({ ephemeral: { text: 'saved', blocks: [{ type: 'text', text: `Saved ${state}: ${values.note}` }] } }));
    await sendInteraction(h, blockAction(h, { actionId: 'test.note', value: 'T-7', home: true }));
    const open = await h.fake.waitFor((c) => c.method === 'views.open');
    expect(open.args.trigger_id).toMatch(/^trigger\.action\./);
    expect(open.args.view.callback_id).toBe('form.test_note');
    await sendInteraction(h, {
      type: 'view_submission',
      user: { id: AGENT },
      trigger_id: 'trigger.submit',
      view: { id: 'V0NOTE', hash: 'h', type: 'modal', callback_id: 'form.test_note', private_metadata: open.args.view.private_metadata, state: { values: { note: { note: { type: 'plain_text_input', value: 'call back at 3' } } } } },
    });
    const dm = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('D'));
    expect(h.fake.callsOf('conversations.open')[0]!.args.users).toBe(AGENT);
    expect(blockText(dm.args.blocks)).toBe('Saved T-7: call back at 3');
  });
});

describe('Create ticket shortcut and modal', () => {
  function shortcut(x: Harness, msg: { ts: string; text: string; user: string }, user = AGENT) {
    return {
      type: 'message_action',
      callback_id: 'shortcut.create_ticket',
      trigger_id: `trigger.shortcut.${msg.ts}.${user}`,
      action_ts: '1.1',
      team: { id: 'T0TEAM', domain: 'fake' },
      user: { id: user, name: 'agent' },
      channel: { id: CHANNEL, name: 'support' },
      message: { type: 'message', ...msg },
      message_ts: msg.ts,
      response_url: x.fake.responseUrl('shortcut'),
      token: 'legacy',
    };
  }

  it('opens a modal with category, priority and owner; submitting creates the ticket with those values', async () => {
    h = await startHarness();
    const ts = nextTs();
    const res = await sendInteraction(h, shortcut(h, { ts, text: 'thanks! btw the dashboard graphs are empty since the upgrade', user: CUSTOMER }));
    expect(res.status).toBe(200);
    const open = await h.fake.waitFor((c) => c.method === 'views.open');
    expect(open.args.trigger_id).toBe(`trigger.shortcut.${ts}.${AGENT}`);
    const view = open.args.view;
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe('form.create_ticket');
    expect(view.blocks.map((b: { block_id: string }) => b.block_id)).toEqual(['category', 'priority', 'owner']);
    expect(view.blocks[2].element.type).toBe('users_select');
    const submit = {
      type: 'view_submission',
      team: { id: 'T0TEAM', domain: 'fake' },
      user: { id: AGENT, name: 'agent' },
      trigger_id: 'trigger.submit',
      view: {
        id: 'V0MODAL',
        hash: 'h1',
        type: 'modal',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        state: {
          values: {
            category: { category: { type: 'static_select', selected_option: { value: 'performance' } } },
            priority: { priority: { type: 'static_select', selected_option: { value: 'P1' } } },
            owner: { owner: { type: 'users_select', selected_user: AGENT2 } },
          },
        },
      },
    };
    const sub = await sendInteraction(h, submit);
    expect(sub.status).toBe(200);
    const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket from the modal');
    expect(t).toMatchObject({ category: 'performance', priority: 'P1', ownerId: AGENT2, requesterId: CUSTOMER, threadId: ts });
    const eph = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral');
    expect(eph.args).toMatchObject({ channel: CHANNEL, user: AGENT });
    expect(blockText(eph.args.blocks)).toContain(`Opened ${t.key}`);
    const card = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts);
    expect(blockText(card.args.blocks)).toContain('P1 · high');
    // Submitting the same modal again (a double click) neither opens a second ticket nor answers twice.
    await sendInteraction(h, submit);
    await settle(h);
    expect(h.core.tickets.repo.list({ limit: 10 })).toHaveLength(1);
    expect(h.fake.callsOf('chat.postEphemeral')).toHaveLength(1);
  });

  it('tells non-agents and already-ticketed messages instead of opening the modal', async () => {
    h = await startHarness();
    const { ts, t } = await openTicket(h);
    await sendInteraction(h, shortcut(h, { ts: nextTs(), text: 'something', user: CUSTOMER }, CUSTOMER));
    await sendInteraction(h, shortcut(h, { ts, text: 'x', user: CUSTOMER }));
    await until(() => responses(h!).length === 2, 'two answers');
    const texts = responses(h).map((r) => blockText(r.args.blocks));
    expect(texts).toEqual(expect.arrayContaining([expect.stringContaining('only support agents can turn messages into tickets'), expect.stringContaining(`already *${t.key}*`)]));
    expect(h.fake.callsOf('views.open')).toHaveLength(0);
  });
});
