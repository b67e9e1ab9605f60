/**
 * The two-audiences guard on every path a message can take, decided by the core from config and
 * tickets (never by an adapter): outbox rows not tied to a ticket, a customer thread of any
 * triage-mode ticket, `channels: []` with a top-level triage channel, command answers meant for
 * the whole channel, and clicked messages replaced in place. Real core, real SQLite, the outbox
 * delivering to a recording ChatPort.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.js';
import { AudienceViolationError } from '../../src/audience/placement.js';
import { runCommand } from '../../src/commands/ticket-commands.js';
import type { Ticket } from '../../src/domain/types.js';
import type { MessageView } from '../../src/ports/message-view.js';
import { makeTestCore } from '../helpers/core.js';
import { ScriptedPort } from '../helpers/scripted-port.js';

const SUPPORT = 'support';
const TRIAGE = 'triage';
const internal: MessageView = { text: 'Queue: 3 P1s breaching', blocks: [{ type: 'text', text: 'Queue: 3 P1s breaching' }] };
const forCustomer: MessageView = { ...internal, text: 'Thanks, we are on it', audience: 'customer' };

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

function desk(raw: Record<string, unknown>): { core: Core; port: ScriptedPort } {
  const t = makeTestCore(raw);
  core = t.core;
  const port = new ScriptedPort();
  t.core.outbox.registerPort(port);
  return { core: t.core, port };
}

function openIn(c: Core, channelId: string, sourceMessageId: string): Ticket {
  const r = c.tickets.open({ platform: 'local', channelId, sourceMessageId, requesterId: 'alex', text: 'The export button does nothing since this morning' });
  if (r.outcome !== 'created') throw new Error(r.outcome);
  return r.ticket;
}

/** Queue a post with no ticket attached, drain, and say what became of it. */
async function untied(c: Core, key: string, channelId: string, view: MessageView, threadId: string | null = null): Promise<{ status: string; last_error: string | null }> {
  c.outbox.enqueue({ platform: 'local', idempotencyKey: key, payload: { kind: 'post', channelId, threadId, view } });
  await c.outbox.drain();
  return c.db.prepare<[string], { status: string; last_error: string | null }>('SELECT status, last_error FROM outbox WHERE idempotency_key = ?').get(key)!;
}

describe('the audience guard on posts not tied to a ticket', () => {
  it('with `channels: []` and a triage channel, every channel is customer-facing for new posts except the triage and digest channels; DMs stay private', async () => {
    const { core: c, port } = desk({ triageChannel: TRIAGE, digest: { channels: ['local:leads'] } });
    expect(await untied(c, 'a', 'random-channel', internal)).toMatchObject({ status: 'failed', last_error: expect.stringContaining('which customers read') });
    expect(await untied(c, 'b', SUPPORT, internal)).toMatchObject({ status: 'failed' });
    expect(await untied(c, 'c', SUPPORT, forCustomer)).toMatchObject({ status: 'sent' });
    expect(await untied(c, 'd', TRIAGE, internal)).toMatchObject({ status: 'sent' });
    expect(await untied(c, 'e', 'leads', internal)).toMatchObject({ status: 'sent' });
    c.outbox.enqueue({ platform: 'local', idempotencyKey: 'f', payload: { kind: 'dm', userId: 'U_AGENT1', view: internal } });
    await c.outbox.drain();
    expect(port.calls.map((x) => `${x.op}:${x.channelId ?? x.userId}:${x.view?.text}`)).toEqual([
      `post:${SUPPORT}:Thanks, we are on it`,
      `post:${TRIAGE}:${internal.text}`,
      `post:leads:${internal.text}`,
      `dm:U_AGENT1:${internal.text}`,
    ]);
  });

  it('without a triage channel (inline mode everywhere) posts not tied to a ticket are not refused', async () => {
    const { core: c } = desk({});
    expect(await untied(c, 'a', SUPPORT, internal)).toMatchObject({ status: 'sent' });
  });

  it('a customer thread of a triage-mode ticket stays customer-facing after its channel leaves the config', async () => {
    const { core: c, port } = desk({ channels: [{ id: SUPPORT, triageChannel: TRIAGE }] });
    const t = openIn(c, SUPPORT, 'm-1');
    expect(t.triageChannelId).toBe(TRIAGE);
    await c.outbox.drain();
    c.config.channels.splice(0); // the channel is no longer configured: only the ticket says customers read its thread
    expect(await untied(c, 'in-thread', SUPPORT, internal, 'm-1')).toMatchObject({ status: 'failed', last_error: expect.stringContaining('which customers read') });
    expect(await untied(c, 'top-level', SUPPORT, internal)).toMatchObject({ status: 'sent' });
    expect(port.calls.some((x) => x.threadId === 'm-1' && x.view === internal)).toBe(false);
  });

  it('says which rule refused it with a typed error', () => {
    const { core: c } = desk({ triageChannel: TRIAGE });
    expect(() => c.tickets.audience.check({ op: 'post', channelId: SUPPORT, view: internal })).toThrow(AudienceViolationError);
    expect(() => c.tickets.audience.check({ op: 'update', channelId: SUPPORT, view: internal })).not.toThrow();
  });
});

describe('answers that do not go through the outbox', () => {
  const announce = { name: 'announce', usage: 'announce', summary: 'test: an internal answer for the channel', agentOnly: false, run: () => ({ view: internal, visibility: 'in_channel' as const }) };

  it('a command answer meant for the channel becomes private in a customer-facing place, and stays public in #triage', async () => {
    const { core: c } = desk({ triageChannel: TRIAGE });
    c.commands.register(announce);
    const ctx = { platform: 'local' as const, userId: 'U_AGENT1' };
    expect(await runCommand(c.commands, c.tickets, 'announce', { ...ctx, channelId: SUPPORT })).toMatchObject({ visibility: 'ephemeral', view: internal });
    expect(await runCommand(c.commands, c.tickets, 'announce', { ...ctx, channelId: TRIAGE })).toMatchObject({ visibility: 'in_channel' });
    c.commands.register({ ...announce, run: () => ({ view: forCustomer, visibility: 'in_channel' as const }) });
    expect(await runCommand(c.commands, c.tickets, 'announce', { ...ctx, channelId: SUPPORT })).toMatchObject({ visibility: 'in_channel' });
  });

  it('an internal replacement of a clicked message in a customer thread is not made; in #triage it is', async () => {
    const { core: c } = desk({ channels: [{ id: SUPPORT, triageChannel: TRIAGE }] });
    const t = openIn(c, SUPPORT, 'm-1');
    c.interactions.onAction('test.replace', () => ({ replace: internal, ephemeral: forCustomer }));
    const ctx = { platform: 'local' as const, userId: 'U_AGENT1', messageId: 'm-2' };
    expect(await c.interactions.action('test.replace', t.key, { ...ctx, channelId: SUPPORT, threadId: 'm-1' })).toEqual({ ephemeral: forCustomer });
    expect(await c.interactions.action('test.replace', t.key, { ...ctx, channelId: TRIAGE, threadId: 'x' })).toEqual({ replace: internal, ephemeral: forCustomer });
  });
});
