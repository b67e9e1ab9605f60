/**
 * Roles and the resolve path in the core, below any adapter: confirm steps before acting on
 * someone else's ticket (command, button, ✅), what a customer's list/show/home contain, and
 * that a resolution note never reaches an outbound message.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { homeFor } from '../../src/commands/home.js';
import { runCommand } from '../../src/commands/ticket-commands.js';
import { handleMessage, handleReaction } from '../../src/inbound/inbound.js';
import { ACTIONS } from '../../src/views/action-ids.js';
import type { MessageView } from '../../src/ports/message-view.js';
import { type TestCore, makeTestCore } from '../helpers/core.js';

const flat = (v: MessageView | undefined) => JSON.stringify(v?.blocks ?? []);

describe('roles and the resolve path', () => {
  let t: TestCore;
  const ctx = (userId: string) => ({ platform: 'local' as const, userId, channelId: 'support' });
  const run = (text: string, user: string) => runCommand(t.core.commands, t.core.tickets, text, ctx(user));
  const open = (user: string, text: string, id: string) => {
    const res = handleMessage(t.core.tickets, { platform: 'local', channelId: 'support', messageId: id, threadId: null, userId: user, text, isBot: false });
    if (res.kind !== 'ticket' || !res.result.ticket) throw new Error('no ticket');
    return res.result.ticket;
  };
  const outboxText = () => (t.core.db.prepare('SELECT payload FROM outbox').all() as { payload: string }[]).map((r) => r.payload).join('\n');
  beforeEach(() => {
    t = makeTestCore();
  });
  afterEach(async () => {
    await t.core.close();
  });

  it('reassigning someone else\'s ticket asks first; the confirm button does it', async () => {
    const tk = open('U_CUST', 'I cannot log in to the dashboard since this morning', 'm1');
    t.core.tickets.assign(tk.key, 'U_AGENT1', 'U_AGENT1');
    const asked = await run(`assign ${tk.key} <@U_AGENT2>`, 'U_LEAD');
    expect(flat(asked.view)).toContain('Reassign it to <@U_AGENT2>?');
    expect(t.core.tickets.require(tk.key).ownerId).toBe('U_AGENT1');
    const take = await t.core.interactions.action(ACTIONS.assignMe, tk.key, ctx('U_AGENT2'));
    expect(flat(take.ephemeral)).toContain('is owned by <@U_AGENT1>');
    expect(t.core.tickets.require(tk.key).ownerId).toBe('U_AGENT1');
    await t.core.interactions.action(ACTIONS.reassignConfirmed, `${tk.key}|U_AGENT2`, ctx('U_LEAD'));
    expect(t.core.tickets.require(tk.key).ownerId).toBe('U_AGENT2');
    // The owner themselves, or an unowned ticket: no question.
    expect(flat((await run(`assign ${tk.key} <@U_AGENT1>`, 'U_AGENT2')).view)).toContain('is assigned to');
  });

  it('✅ on someone else\'s ticket asks the reacting agent privately instead of resolving', async () => {
    const tk = open('U_CUST', 'Exports to CSV time out for our workspace', 'm2');
    t.core.tickets.assign(tk.key, 'U_AGENT1', 'U_AGENT1');
    const out = await handleReaction(t.core.tickets, { platform: 'local', channelId: 'support', messageId: 'm2', userId: 'U_AGENT2', emoji: 'white_check_mark' });
    expect(out.kind).toBe('confirm_asked');
    expect(t.core.tickets.require(tk.key).status).not.toBe('resolved');
    const row = t.core.db.prepare("SELECT payload FROM outbox WHERE kind = 'ephemeral'").get() as { payload: string };
    expect(JSON.parse(row.payload)).toMatchObject({ userId: 'U_AGENT2', view: { blocks: [{}, { elements: [{ actionId: 'ticket.resolve_confirmed', value: `${tk.key}|` }] }, {}] } });
    // The owner's ✅ resolves and prompts for the note.
    expect((await handleReaction(t.core.tickets, { platform: 'local', channelId: 'support', messageId: 'm2', userId: 'U_AGENT1', emoji: 'white_check_mark' })).kind).toBe('resolved');
    expect(outboxText()).toContain('ticket.resolution_note');
  });

  it('a resolution note is on the timeline and in no outbound message; the customer is asked to rate', async () => {
    const tk = open('U_CUST', 'The billing page shows the wrong currency for our account', 'm3');
    t.core.tickets.assign(tk.key, 'U_AGENT1', 'U_AGENT1');
    const res = await run(`resolve ${tk.key} cache of the currency table was stale ZZNOTE`, 'U_AGENT1');
    expect(flat(res.view)).toContain('resolution note is on its timeline');
    expect(t.core.tickets.repo.events(tk.id).filter((e) => e.type === 'resolution_note').map((e) => e.data.text)).toEqual(['cache of the currency table was stale ZZNOTE']);
    expect(outboxText()).not.toContain('ZZNOTE');
    expect(outboxText()).toContain('csat.rate');
    // Without a note the command opens the form.
    const tk2 = open('U_CUST', 'Another problem with invoices not arriving by email', 'm4');
    t.core.tickets.assign(tk2.key, 'U_AGENT1', 'U_AGENT1');
    expect((await run(`resolve ${tk2.key}`, 'U_AGENT1')).form?.formId).toBe('form.resolution_note');
    // An empty form stores nothing (skipping is one click: close, or submit empty).
    await t.core.interactions.form('form.resolution_note', tk2.key, { note: '  ' }, ctx('U_AGENT1'));
    expect(t.core.tickets.repo.events(tk2.id).some((e) => e.type === 'resolution_note')).toBe(false);
  });

  it('no CSAT question when the requester is an agent', async () => {
    const created = await run('new Staging database needs more disk space', 'U_AGENT1');
    expect(flat(created.view)).toContain('Opened');
    const key = t.core.tickets.repo.list()[0]!.key;
    t.core.tickets.assign(key, 'U_AGENT1', 'U_AGENT1');
    t.core.tickets.resolve(key, 'U_AGENT1');
    expect(outboxText()).not.toContain('csat.rate');
  });

  it("a customer's list, show and home contain only their own requests and nothing internal", async () => {
    const mine = open('U_CUST', 'I cannot log in to the dashboard since this morning', 'm5');
    const theirs = open('U_OTHER', 'We were charged twice for the November invoice', 'm6');
    t.core.tickets.addNote(mine.key, 'VIP, handle with care ZZINTERNAL', 'U_AGENT1');
    for (const view of [(await run('list', 'U_CUST')).view, homeFor(t.core.tickets, 'U_CUST'), (await run(`show ${mine.key}`, 'U_CUST')).view]) {
      const s = flat(view);
      expect(s).toContain(mine.key);
      expect(s).not.toContain(theirs.key);
      expect(s).not.toContain('ZZINTERNAL');
      expect(s).not.toContain('"type":"actions"');
      expect(s).not.toMatch(/P[0-4]/);
      expect(view.audience).toBe('customer');
    }
    expect(flat((await run(`show ${theirs.key}`, 'U_CUST')).view)).toContain("someone else's ticket");
    // Agents still get the queue with buttons.
    expect(flat(homeFor(t.core.tickets, 'U_AGENT1'))).toContain('"type":"actions"');
  });
});
