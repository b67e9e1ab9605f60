/**
 * Two audiences in the playground with its default private #triage channel, through the
 * playground's HTTP API against a real core. A whole ticket life — the request, the escalation
 * prompt, a handling plan, the suggested reply, an internal note, an SLA ping, the customer's
 * follow-up, an agent's reply through "Reply to customer" and a sent suggested reply — and then:
 * everything the customer can see (the API and the store, as that person) is a customer message:
 * the acknowledgement and the agents' replies in their names, with no buttons and no internal
 * wording. The work happened in the ticket's internal thread in #triage.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningPlayground, call, startPlayground, textOf, waitFor } from './playground-harness.js';

interface Rendered {
  id: string;
  threadId: string | null;
  kind: string;
  html: string;
  authorId: string;
}

const INTERNAL_WORDS = /Escalat|SLA|Suggested reply|handling plan|Customer need|Priority|Category|learner|matched|agents only|Note on|Tier 2|enterprise plan|AI /i;

let pg: RunningPlayground | undefined;
afterEach(async () => {
  await pg?.close();
  pg = undefined;
});

describe('two audiences in the playground (default: a private #triage channel)', () => {
  it('a customer only ever sees the acknowledgement and agents’ replies in their names; all work happens in #triage', async () => {
    pg = await startPlayground({ ai: true, playground: { triage: true } });
    const p = pg;
    const list = async (as: string, channel = 'support') => (await call<{ messages: Rendered[] }>(p.base, 'GET', `/channels/${encodeURIComponent(channel)}/messages`, as)).messages;
    const say = (as: string, channelId: string, text: string, threadId?: string) => call<{ message: { id: string } }>(p.base, 'POST', '/messages', as, { channelId, text, ...(threadId ? { threadId } : {}) });
    const button = (html: string, actionId: string) => new RegExp(`data-action-id="${actionId}" data-value="([^"]+)"`).exec(html)![1]!.replace(/&amp;/g, '&');

    // The request (a P1: the escalation prompt comes at once).
    const source = (await say('alex', 'support', 'Our whole team cannot log in with SSO since 9am, nobody can reach the dashboard')).message.id;
    const t = await waitFor(() => p.core.tickets.repo.findBySource('local', 'support', source), 'the ticket');
    expect(t.triageChannelId).toBe('triage');
    const cardId = await waitFor(() => p.core.tickets.repo.get(t.id)?.cardMessageId, 'the card');
    const internal = async () => (await list('dana', 'triage')).filter((m) => m.threadId === cardId);
    const inInternal = (what: string, pattern: string) => waitFor(async () => (await internal()).find((m) => textOf(m.html).includes(pattern)), what);
    await inInternal('the escalation prompt', `Escalate ${t.key}?`);
    const draft = await inInternal('the suggested reply', 'Suggested reply');

    // A plan and a note from #triage; an SLA ping after a jump of the clock.
    await say('dana', 'triage', `/ticket plan ${t.key}`);
    await inInternal('the plan', 'Customer need');
    await say('dana', 'triage', `/ticket note ${t.key} customer is on the enterprise plan`);
    await inInternal('the note', 'enterprise plan');
    await call(p.base, 'POST', '/clock', 'dana', { advanceMs: Math.ceil(t.sla.firstResponseMs * 0.5) + 60_000 });
    await inInternal('the SLA ping', 'SLA used');

    // The customer adds details in their thread: mirrored into the internal thread.
    await say('alex', 'support', 'Still failing for everyone in finance', source);
    await inInternal('the mirrored follow-up', 'Still failing for everyone in finance');

    // Dana answers through Reply to customer; Sam sends the suggested reply.
    await call(p.base, 'POST', '/actions', 'dana', { actionId: 'ticket.reply_to_customer', value: t.key, messageId: cardId });
    const form = p.pg.store.openFormsFor('dana')[0]!;
    await call(p.base, 'POST', `/forms/${form.id}`, 'dana', { values: { text: 'We found it: the identity provider certificate expired. Renewed now.' } });
    await call(p.base, 'POST', '/actions', 'sam', { actionId: 'draft.send', value: button(draft.html, 'draft.send'), messageId: draft.id });
    const seen = await waitFor(async () => {
      const m = (await list('alex')).filter((x) => x.authorId !== 'alex');
      return m.length >= 3 ? m : null;
    }, 'the acknowledgement and two replies');
    await p.core.outbox.drain();

    // What the customer sees in #support (the API as Alex): the acknowledgement and two replies, in the agents' names. Nothing else, ever.
    const again = (await list('alex')).filter((x) => x.authorId !== 'alex');
    expect(again.map((m) => m.id)).toEqual(seen.map((m) => m.id));
    expect(again.map((m) => [m.authorId, m.threadId, m.kind])).toEqual([
      ['frontdesk', source, 'message'],
      ['dana', source, 'message'],
      ['sam', source, 'message'],
    ]);
    expect(textOf(again[0]!.html)).toContain(`we have your request: ${t.key}`);
    expect(textOf(again[1]!.html)).toContain('certificate expired');
    for (const m of again) {
      expect(m.html).not.toContain('data-action-id');
      expect(textOf(m.html)).not.toMatch(INTERNAL_WORDS);
    }
    // The store as Alex sees it, in every channel Alex may open: bot messages are customer views only.
    const { channels } = await call<{ channels: { id: string }[] }>(p.base, 'GET', '/state', 'alex');
    expect(channels.map((c) => c.id)).not.toContain('triage');
    for (const c of channels)
      for (const m of p.pg.store.messagesFor(c.id, 'alex'))
        if (m.isBot && m.kind !== 'dm') expect({ channel: c.id, audience: m.view?.audience, text: m.view?.text }).toMatchObject({ audience: 'customer' });
    expect(p.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'failed'").get()).toEqual({ n: 0 });
    expect((await internal()).length).toBeGreaterThanOrEqual(7);
  });

  it('a command answer meant for the channel shows only to the person who asked in #support, and to everyone in #triage', async () => {
    pg = await startPlayground({ playground: { triage: true } });
    const p = pg;
    const view = { text: 'Queue: 3 P1s breaching', blocks: [{ type: 'text' as const, text: 'Queue: 3 P1s breaching' }] };
    p.core.commands.register({ name: 'announce', usage: 'announce', summary: 'test only', agentOnly: false, run: () => ({ view, visibility: 'in_channel' }) });
    await call(p.base, 'POST', '/messages', 'dana', { channelId: 'support', text: '/ticket announce' });
    await call(p.base, 'POST', '/messages', 'dana', { channelId: 'triage', text: '/ticket announce' });
    const shown = (ch: string, as: string) => p.pg.store.messagesFor(ch, as).filter((m) => m.view?.text === view.text);
    expect(shown('support', 'alex')).toEqual([]);
    expect(shown('support', 'dana').map((m) => m.visibleTo)).toEqual(['dana']);
    expect(shown('triage', 'sam').map((m) => m.visibleTo)).toEqual([null]);
  });
});
