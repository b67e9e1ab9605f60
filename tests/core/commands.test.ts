import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenizeCommand } from '../../src/commands/command-registry.js';
import { runCommand } from '../../src/commands/ticket-commands.js';
import { handleMessage, handleReaction } from '../../src/inbound/inbound.js';
import { ACTIONS } from '../../src/views/action-ids.js';
import type { MessageView } from '../../src/ports/message-view.js';
import { type TestCore, makeTestCore } from '../helpers/core.js';

const flat = (v: MessageView) => JSON.stringify(v.blocks);

describe('commands and interactions', () => {
  let t: TestCore;
  const ctx = (userId: string) => ({ platform: 'local' as const, userId, channelId: 'support' });
  const run = (text: string, user = 'U_AGENT1') => runCommand(t.core.commands, t.core.tickets, text, ctx(user));
  beforeEach(() => {
    t = makeTestCore();
  });
  afterEach(async () => {
    await t.core.close();
  });

  it('tokenises quoted arguments', () => {
    expect(tokenizeCommand('note T-1 "call back at 3" now')).toEqual(['note', 'T-1', 'call back at 3', 'now']);
  });

  it('answers help, and names the problem and usage for unknown commands and bad arguments', async () => {
    expect(flat((await run('help')).view)).toContain('assign ID @user');
    const unknown = await run('frobnicate T-1');
    expect(unknown.visibility).toBe('ephemeral');
    expect(flat(unknown.view)).toContain('\\"frobnicate\\" is not a command I know');
    const missing = await run('priority T-9999 P1');
    expect(flat(missing.view)).toContain('No ticket T-9999');
    const bad = await run('priority');
    expect(flat(bad.view)).toContain('Usage: `priority ID P0-P4`');
  });

  it('runs the whole agent day from commands', async () => {
    const created = await run('new Checkout is broken for every customer in production', 'U_CUST');
    expect(flat(created.view)).toMatch(/Opened \*\*T-\d+/);
    const key = t.core.tickets.repo.list()[0]!.key;
    await run(`assign ${key} <@U_AGENT2|bo>`);
    expect(t.core.tickets.require(key).ownerId).toBe('U_AGENT2');
    expect(flat((await run(`priority ${key} p3`)).view)).toContain('is now P3');
    expect(flat((await run(`priority ${key} P9`)).view)).toContain('is not a priority');
    await run(`category ${key} billing`);
    await run(`status ${key} waiting_on_customer`);
    expect(t.core.tickets.require(key).status).toBe('waiting_on_customer');
    await run(`note ${key} "customer will send a HAR file"`);
    await run(`escalate ${key} needs engineering`);
    // U_AGENT2 owns it: resolving someone else's ticket asks first, and changes nothing yet.
    const confirm = await run(`resolve ${key} fixed by config change`);
    expect(flat(confirm.view)).toContain('Resolve anyway');
    expect(t.core.tickets.require(key).status).toBe('waiting_on_customer');
    await t.core.interactions.action(ACTIONS.resolveConfirmed, `${key}|fixed by config change`, ctx('U_AGENT1'));
    expect(t.core.tickets.require(key).status).toBe('resolved');
    expect(t.core.tickets.repo.events(t.core.tickets.require(key).id).find((e) => e.type === 'resolution_note')?.data).toEqual({ text: 'fixed by config change' });
    expect(flat((await run(`status ${key} acknowledged`)).view)).toContain('cannot move from resolved to acknowledged');
    await run(`reopen ${key}`);
    const show = await run(`show ${key}`);
    for (const s of ['assigned to', 'priority P', 'category', 'escalated to tier2', 'note: customer will send', 'reopened']) expect(flat(show.view)).toContain(s);
    expect(flat((await run(`sla ${key}`)).view)).toContain('First response');
    expect(flat((await run('list mine', 'U_AGENT2')).view)).toContain(key);
    expect(flat((await run('list breaching')).view)).toContain('Breached or breaching');
    expect(flat((await run('list sideways')).view)).toContain('is not a list');
  });

  it('refuses agent-only commands and buttons to customers, politely', async () => {
    const r = await run('resolve T-1001', 'U_CUST');
    expect(flat(r.view)).toContain('is for support agents');
    const a = await t.core.interactions.action(ACTIONS.resolve, 'T-1001', { platform: 'local', userId: 'U_CUST' });
    expect(flat(a.ephemeral!)).toContain('only support agents');
  });

  it('handles card buttons and selects through the same use cases', async () => {
    const res = handleMessage(t.core.tickets, { platform: 'local', channelId: 'support', messageId: 'm1', threadId: null, userId: 'U_CUST', text: 'I cannot log in to the dashboard since this morning', isBot: false });
    expect(res.kind).toBe('ticket');
    const key = t.core.tickets.repo.list()[0]!.key;
    await t.core.interactions.action(ACTIONS.priority, `${key}|P1`, { platform: 'local', userId: 'U_AGENT2' });
    await t.core.interactions.action(ACTIONS.category, `${key}|access`, { platform: 'local', userId: 'U_AGENT2' });
    await t.core.interactions.action(ACTIONS.acknowledge, key, { platform: 'local', userId: 'U_AGENT2' });
    const asked = await t.core.interactions.action(ACTIONS.resolve, key, { platform: 'local', userId: 'U_AGENT2' });
    if (t.core.tickets.require(key).ownerId !== 'U_AGENT2') {
      // Routed to someone else: the confirm step first.
      expect(flat(asked.ephemeral!)).toContain('Resolve anyway');
      await t.core.interactions.action(ACTIONS.resolveConfirmed, `${key}|`, { platform: 'local', userId: 'U_AGENT2' });
    }
    const tk = t.core.tickets.require(key);
    expect([tk.priority, tk.category, tk.status]).toEqual(['P1', 'access', 'resolved']);
    const bad = await t.core.interactions.action(ACTIONS.priority, 'garbage', { platform: 'local', userId: 'U_AGENT2' });
    expect(flat(bad.ephemeral!)).toContain('malformed action value');
    const unknown = await t.core.interactions.action('nope.nope', 'x', { platform: 'local', userId: 'U_AGENT2' });
    expect(flat(unknown.ephemeral!)).toContain('not something I know');
  });

  it('ignores bots, subtypes, agents and greetings, and attaches thread replies', () => {
    const svc = t.core.tickets;
    const base = { platform: 'local' as const, channelId: 'support', threadId: null, isBot: false };
    expect(handleMessage(svc, { ...base, messageId: 'b', userId: 'B1', text: 'Service down', isBot: true }).kind).toBe('ignored');
    expect(handleMessage(svc, { ...base, messageId: 'j', userId: 'U9', text: 'joined', subtype: 'channel_join' }).kind).toBe('ignored');
    expect(handleMessage(svc, { ...base, messageId: 'a', userId: 'U_AGENT1', text: 'Deploy broke prod' }).kind).toBe('ignored');
    const hi = handleMessage(svc, { ...base, messageId: 'h', userId: 'U_CUST', text: 'hi' });
    expect(hi).toEqual({ kind: 'ticket', result: { outcome: 'not_a_request', ticket: null } });
    handleMessage(svc, { ...base, messageId: 'root', userId: 'U_CUST', text: 'Billing page shows a 500 error' });
    const reply = handleMessage(svc, { ...base, messageId: 'r1', threadId: 'root', userId: 'U_AGENT1', text: 'On it' });
    expect(reply.kind).toBe('reply');
    expect(svc.repo.list()).toHaveLength(1);
  });

  it('acts on reactions from agents: eyes, check mark and ticket', async () => {
    const svc = t.core.tickets;
    handleMessage(svc, { platform: 'local', channelId: 'support', messageId: 'root', threadId: null, userId: 'U_CUST', text: 'Invoices fail to download (error 500)', isBot: false });
    const key = svc.repo.list()[0]!.key;
    expect((await handleReaction(svc, { platform: 'local', channelId: 'support', messageId: 'root', userId: 'U_CUST', emoji: 'eyes' })).kind).toBe('ignored');
    const ack = await handleReaction(svc, { platform: 'local', channelId: 'support', messageId: 'root', userId: 'U_AGENT2', emoji: 'eyes', eventId: 'e1' });
    expect(ack.kind).toBe('acknowledged');
    expect(svc.require(key)).toMatchObject({ status: 'acknowledged', ownerId: 'U_AGENT2' });
    expect((await handleReaction(svc, { platform: 'local', channelId: 'support', messageId: 'root', userId: 'U_AGENT2', emoji: 'white_check_mark' })).kind).toBe('resolved');
    const made = await handleReaction(svc, {
      platform: 'local',
      channelId: 'random',
      messageId: 'x1',
      userId: 'U_AGENT1',
      emoji: 'ticket',
      loadMessage: async () => ({ text: 'thanks!', userId: 'U_OTHER', threadId: null }),
    });
    expect(made.kind).toBe('ticket');
    expect(svc.repo.list({ channelId: 'random' })).toHaveLength(1);
  });
});
