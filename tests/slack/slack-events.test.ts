/**
 * End to end in HTTP mode: signed Events API requests (messages, thread replies, edits,
 * deletions, reactions, App Home) to the real Bolt app on 127.0.0.1; assertions on the Web API
 * calls that reached the fake Slack server and on the tickets in SQLite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { blockText, type SlackCall } from '../fakes/fake-slack.js';
import { AGENT, AGENT2, CHANNEL, CUSTOMER, type Harness, LEAD, message, nextTs, sendEvent, settle, startHarness, until, closeAll } from './support.js';

let h: Harness;
afterEach(closeAll);

const cardPosts = (h: Harness): SlackCall[] => h.fake.callsOf('chat.postMessage').filter((c) => c.outcome === 'ok' && blockText(c.args.blocks).includes('T-'));

function mrkdwnTexts(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(mrkdwnTexts);
  if (!v || typeof v !== 'object') return [];
  const o = v as Record<string, unknown>;
  return [...(o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : []), ...Object.values(o).flatMap(mrkdwnTexts)];
}

function actionIds(blocks: unknown[]): string[] {
  return (blocks as { type: string; elements?: { action_id?: string }[] }[]).filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ''));
}

describe('Slack HTTP mode: messages become tickets', () => {
  it('acks a request, opens a ticket and answers in its thread with the card', async () => {
    h = await startHarness();
    const ts = nextTs();
    const res = await sendEvent(h, message({ ts, text: 'Checkout is down for all users, we get error 502 on every payment' }));
    expect(res.status).toBe(200);
    const card = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok');
    expect(card.args.channel).toBe(CHANNEL);
    expect(card.args.thread_ts).toBe(ts);
    expect(card.token).toBe('xoxb-test-token');
    const text = blockText(card.args.blocks);
    expect(text).toMatch(/T-\d+ · Checkout is down/);
    expect(text).toContain('Priority');
    expect(text).toContain('First response');
    expect(text).toMatch(/due in|left|remaining/i);
    expect(actionIds(card.args.blocks)).toEqual(expect.arrayContaining(['ticket.assign_me', 'ticket.acknowledge', 'ticket.resolve', 'ticket.escalate', 'ticket.priority', 'ticket.category']));
    const t = h.core.tickets.repo.findBySource('slack', CHANNEL, ts)!;
    expect(t.requesterId).toBe(CUSTOMER);
    await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card id stored');
    expect(h.core.tickets.repo.get(t.id)!.cardMessageId).toMatch(/^1800000000\.\d{6}$/);
  });

  it('never makes a second ticket or card for retried deliveries and repeated event ids', async () => {
    h = await startHarness();
    const ts = nextTs();
    const ev = message({ ts, text: 'I cannot log in to the admin console since this morning' });
    expect((await sendEvent(h, ev, { eventId: 'EvDUP1' })).status).toBe(200);
    expect((await sendEvent(h, ev, { eventId: 'EvDUP1', retryNum: 1 })).status).toBe(200);
    expect((await sendEvent(h, ev, { eventId: 'EvDUP1', retryNum: 2 })).status).toBe(200);
    // A different event id for the same message (Slack can redeliver under a new id) is still one ticket.
    expect((await sendEvent(h, ev, { eventId: 'EvDUP2' })).status).toBe(200);
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok');
    await settle(h);
    expect(h.core.tickets.repo.list({ limit: 100 })).toHaveLength(1);
    expect(cardPosts(h)).toHaveLength(1);
  });

  it('ignores chit-chat, bots (including itself), joins and agents posting', async () => {
    h = await startHarness();
    await sendEvent(h, message({ text: 'hi' }));
    await sendEvent(h, message({ text: 'thanks!' }));
    await sendEvent(h, message({ text: 'Deploy finished: the API is down for maintenance', bot_id: 'B0OTHER', user: 'U0OTHERBOT' }));
    await sendEvent(h, message({ text: 'Our card T-1 is broken please help', bot_id: 'BBOT', user: 'UBOT' }));
    await sendEvent(h, message({ text: '<@U0CUST> has joined the channel', subtype: 'channel_join' }));
    await sendEvent(h, message({ text: 'The export page is broken for me too', user: AGENT }));
    // A real request afterwards proves the earlier events were processed.
    await sendEvent(h, message({ text: 'Billing page shows the wrong invoice amount for March' }));
    await h.fake.waitFor((c) => c.method === 'chat.postMessage');
    await settle(h);
    const tickets = h.core.tickets.repo.list({ limit: 100 });
    expect(tickets.map((t) => t.title)).toEqual(['Billing page shows the wrong invoice amount for March']);
  });

  it('keeps files and links from the message on the ticket, and renders customer markup inert', async () => {
    h = await startHarness();
    const ts = nextTs();
    await sendEvent(
      h,
      message({
        ts,
        subtype: 'file_share',
        text: 'Report export fails, see <https://status.example.com/incidents/42|the status page> and the log &lt;!channel&gt; <!channel> <@U0LEAD>',
        files: [{ id: 'F1', name: 'export.log', permalink: 'https://fake.slack.com/files/U0CUST/F1/export.log' }],
      }),
    );
    const card = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok');
    const t = h.core.tickets.repo.findBySource('slack', CHANNEL, ts)!;
    expect(t.attachments).toEqual(
      expect.arrayContaining([
        { kind: 'file', name: 'export.log', url: 'https://fake.slack.com/files/U0CUST/F1/export.log' },
        expect.objectContaining({ kind: 'link', url: 'https://status.example.com/incidents/42' }),
      ]),
    );
    expect(t.text).toContain('the status page (https://status.example.com/incidents/42)');
    // The customer's channel ping and mention arrive as text and leave escaped in every mrkdwn
    // text (plain_text, e.g. the header, is never parsed by Slack): no ping, no mention.
    const mrkdwn = mrkdwnTexts(card.args.blocks).join('\n');
    expect(mrkdwn).not.toMatch(/<!|<@U0LEAD>/);
    expect(mrkdwn).toContain('&lt;!channel&gt; @channel @U0LEAD');
    expect(card.args.text).not.toMatch(/<!|<@/);
  });

  it('cuts a huge message to Block Kit limits instead of failing', async () => {
    h = await startHarness();
    const long = `Data import breaks on large files. ${'row 12345 failed with a constraint violation; '.repeat(400)}`;
    await sendEvent(h, message({ text: long }));
    const card = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok');
    const blocks = card.args.blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) {
      if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(150);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
    }
    expect(blockText(blocks)).toContain('… (truncated)');
  });
});

describe('Slack HTTP mode: threads', () => {
  async function openTicket(text = 'The mobile app crashes when I open settings on Android 14') {
    const ts = nextTs();
    await sendEvent(h, message({ ts, text }));
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && c.args.thread_ts === ts);
    const t = h.core.tickets.repo.findBySource('slack', CHANNEL, ts)!;
    await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
    return { ts, t: h.core.tickets.repo.get(t.id)! };
  }

  it('records the first agent reply as the first response and updates the card in place', async () => {
    h = await startHarness();
    const { ts, t } = await openTicket();
    await sendEvent(h, message({ ts: nextTs(), thread_ts: ts, user: CUSTOMER, text: 'It also happens on my tablet' }));
    await sendEvent(h, message({ ts: nextTs(), thread_ts: ts, user: AGENT, text: 'Looking into it now' }));
    const upd = await h.fake.waitFor((c) => c.method === 'chat.update' && c.outcome === 'ok');
    expect(upd.args.channel).toBe(CHANNEL);
    expect(upd.args.ts).toBe(t.cardMessageId);
    const after = h.core.tickets.repo.get(t.id)!;
    expect(after.firstResponseAt).not.toBeNull();
    const roles = h.core.tickets.repo.messages(t.id).map((m) => m.authorRole);
    expect(roles).toEqual(['customer', 'customer', 'agent']);
  });

  it('a customer reply while waiting on the customer moves the ticket back to in progress', async () => {
    h = await startHarness();
    const { ts, t } = await openTicket();
    h.core.tickets.setStatus(t.key, 'in_progress', AGENT);
    h.core.tickets.setStatus(t.key, 'waiting_on_customer', AGENT);
    h.clock.advance(30 * 60_000);
    await sendEvent(h, message({ ts: nextTs(), thread_ts: ts, user: CUSTOMER, text: 'Here are the logs you asked for' }));
    const after = await until(() => {
      const x = h.core.tickets.repo.get(t.id)!;
      return x.status === 'in_progress' ? x : null;
    }, 'status back to in_progress');
    expect(after.pausedSince).toBeNull();
    expect(after.pausedMs).toBeGreaterThan(0);
  });

  it('reflects edits and deletions of the original message on the ticket', async () => {
    h = await startHarness();
    const { ts, t } = await openTicket('Password reset emails never arrive for our domain');
    await sendEvent(h, {
      type: 'message',
      subtype: 'message_changed',
      channel: CHANNEL,
      ts: nextTs(),
      message: { type: 'message', user: CUSTOMER, ts, text: 'Password reset emails never arrive for example.org addresses' },
      previous_message: { type: 'message', user: CUSTOMER, ts, text: 'Password reset emails never arrive for our domain' },
    });
    const edited = await until(() => {
      const x = h.core.tickets.repo.get(t.id)!;
      return x.text.includes('example.org') ? x : null;
    }, 'edit applied');
    expect(edited.title).toBe('Password reset emails never arrive for example.org addresses');
    await sendEvent(h, { type: 'message', subtype: 'message_deleted', channel: CHANNEL, ts: nextTs(), deleted_ts: ts, previous_message: { type: 'message', user: CUSTOMER, ts, text: 'x' } });
    const deleted = await until(() => {
      const x = h.core.tickets.repo.get(t.id)!;
      return x.signals.some((s) => s.label.includes('deleted')) ? x : null;
    }, 'deletion noted');
    expect(deleted.deleted).toBe(false);
    expect(h.core.tickets.repo.events(t.id).map((e) => e.type)).toEqual(expect.arrayContaining(['message_edited', 'message_deleted']));
  });
});

describe('Slack HTTP mode: reactions', () => {
  it('👀 acknowledges and assigns to the agent, with one thread line; ✅ resolves', async () => {
    h = await startHarness();
    const ts = nextTs();
    await sendEvent(h, message({ ts, text: 'Our invoices for March show the wrong VAT number' }));
    const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
    await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
    const reaction = (name: string, user = AGENT) => ({ type: 'reaction_added', user, reaction: name, item: { type: 'message', channel: CHANNEL, ts }, item_user: CUSTOMER, event_ts: nextTs() });
    await sendEvent(h, reaction('eyes'), { eventId: 'EvEYES' });
    await sendEvent(h, reaction('eyes'), { eventId: 'EvEYES', retryNum: 1 });
    const line = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && /is looking at|took/.test(String(c.args.text)));
    expect(line.args.thread_ts).toBe(ts);
    const acked = h.core.tickets.repo.get(t.id)!;
    expect(acked.status).toBe('acknowledged');
    expect(acked.ownerId).toBe(AGENT);
    // A customer's ✅ does nothing; the agent's resolves.
    await sendEvent(h, reaction('white_check_mark', CUSTOMER));
    await sendEvent(h, reaction('white_check_mark'));
    await until(() => h.core.tickets.repo.get(t.id)!.status === 'resolved', 'resolved');
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && /resolved by/.test(String(c.args.text)), 8000);
    await settle(h);
    expect(h.fake.callsOf('chat.postMessage').filter((c) => /is looking at|took/.test(String(c.args.text)))).toHaveLength(1);
    expect(h.core.tickets.repo.events(t.id).filter((e) => e.type === 'status_changed' && e.data.to === 'resolved')).toHaveLength(1);
  });

  it('🎫 turns any message into a ticket, loading it with conversations.history / replies', async () => {
    h = await startHarness();
    const parent = nextTs();
    const reply = nextTs();
    h.fake.messages.push(
      { channel: 'C0RANDOM', ts: parent, user: AGENT, text: 'status update thread' },
      { channel: 'C0RANDOM', ts: reply, thread_ts: parent, user: CUSTOMER, text: 'hi, the <https://app.example.com/reports|reports page> times out' },
    );
    await sendEvent(h, { type: 'reaction_added', user: AGENT, reaction: 'ticket', item: { type: 'message', channel: 'C0RANDOM', ts: reply }, event_ts: nextTs() });
    const t = await until(() => h.core.tickets.repo.findBySource('slack', 'C0RANDOM', reply), 'ticket from 🎫');
    expect(t.requesterId).toBe(CUSTOMER);
    expect(t.text).toBe('hi, the reports page (https://app.example.com/reports) times out');
    expect(t.threadId).toBe(parent);
    expect(h.fake.callsOf('conversations.history')[0]!.args).toMatchObject({ channel: 'C0RANDOM', latest: reply, inclusive: 'true' });
    expect(h.fake.callsOf('conversations.replies')[0]!.args).toMatchObject({ channel: 'C0RANDOM', ts: reply });
    const card = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0RANDOM');
    expect(card.args.thread_ts).toBe(parent);
    // A second 🎫 on the same message changes nothing.
    await sendEvent(h, { type: 'reaction_added', user: AGENT2, reaction: 'ticket', item: { type: 'message', channel: 'C0RANDOM', ts: reply }, event_ts: nextTs() });
    await settle(h);
    expect(h.core.tickets.repo.list({ limit: 10 })).toHaveLength(1);
  });
});

describe('Slack HTTP mode: App Home', () => {
  it('publishes the queue for agents and own requests for others', async () => {
    h = await startHarness();
    await sendEvent(h, message({ text: 'The search index is stale for our workspace since Monday' }));
    await until(() => h.core.tickets.repo.list({ limit: 5 }).length === 1, 'ticket');
    await sendEvent(h, { type: 'app_home_opened', user: AGENT, channel: 'D0HOME', tab: 'home' });
    const pub = await h.fake.waitFor((c) => c.method === 'views.publish' && c.args.user_id === AGENT);
    expect(pub.args.view.type).toBe('home');
    expect(pub.args.view.blocks.length).toBeLessThanOrEqual(100);
    const text = blockText(pub.args.view.blocks);
    expect(text).toContain('My open tickets');
    expect(text).toContain('Team queue by priority');
    expect(text).toContain('At risk: breaching in the next 4 hours');
    expect(actionIds(pub.args.view.blocks)).toContain('ticket.assign_me');
    await sendEvent(h, { type: 'app_home_opened', user: CUSTOMER, channel: 'D0HOME2', tab: 'home' });
    const mine = await h.fake.waitFor((c) => c.method === 'views.publish' && c.args.user_id === CUSTOMER);
    expect(blockText(mine.args.view.blocks)).toContain('Your requests');
    expect(blockText(mine.args.view.blocks)).toContain('*Open* (1)');
    expect(actionIds(mine.args.view.blocks)).toEqual([]);
    expect(blockText(mine.args.view.blocks)).not.toContain('Team queue');
    // The messages tab does not publish anything.
    await sendEvent(h, { type: 'app_home_opened', user: LEAD, channel: 'D0HOME3', tab: 'messages' });
    await settle(h);
    expect(h.fake.callsOf('views.publish').filter((c) => c.args.user_id === LEAD)).toHaveLength(0);
  });
});

describe('Slack HTTP mode: agents from user groups', () => {
  it('resolves config.agentGroups with usergroups.users.list at start', async () => {
    h = await startHarness({ config: { agentGroups: ['S0SUPPORT'] }, beforeStart: (f) => f.userGroups.set('S0SUPPORT', ['U0GROUPIE']) });
    expect(h.fake.callsOf('usergroups.users.list')[0]!.args.usergroup).toBe('S0SUPPORT');
    expect(h.core.directory.isAgent('U0GROUPIE')).toBe(true);
    await sendEvent(h, message({ text: 'The billing export is broken again today', user: 'U0GROUPIE' }));
    await sendEvent(h, { type: 'subteam_members_changed', subteam_id: 'S0SUPPORT', added_users: ['U0NEWBIE'], added_users_count: 1, event_ts: nextTs() });
    await until(() => h.core.directory.isAgent('U0NEWBIE'), 'new group member is an agent');
    expect(h.core.tickets.repo.list({ limit: 5 })).toHaveLength(0);
    // Removals take effect too, and the store holds the group for every replica and the next start.
    await sendEvent(h, { type: 'subteam_members_changed', subteam_id: 'S0SUPPORT', removed_users: ['U0GROUPIE'], removed_users_count: 1, event_ts: nextTs() });
    await until(() => !h.core.directory.isAgent('U0GROUPIE'), 'a removed group member is no longer an agent');
    expect((await h.core.store.directory.groups()).get('S0SUPPORT')).toEqual(['U0NEWBIE']);
    expect(h.core.scheduler.jobs().map((j) => j.name)).toContain('agent-groups-refresh');
  });

  it('stops start-up with a clear message when a group cannot be read', async () => {
    await expect(startHarness({ config: { agentGroups: ['S0MISSING'] } })).rejects.toThrow(/S0MISSING.*no_such_subteam.*usergroups:read/);
  });
});
