import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputInvalidError, TransitionInvalidError } from '../../src/domain/errors.js';
import { type TestCore, makeTestCore } from '../helpers/core.js';
import { ScriptedPort } from '../helpers/scripted-port.js';

const REQ = 'Production is down for all our customers since 10:02, checkout returns 503';

describe('TicketService', () => {
  let t: TestCore;
  let port: ScriptedPort;
  beforeEach(() => {
    t = makeTestCore();
    port = new ScriptedPort();
  });
  afterEach(async () => {
    await t.core.close();
  });

  const open = (over: Record<string, unknown> = {}) =>
    t.core.tickets.open({ platform: 'local', channelId: 'support', sourceMessageId: 'm-1', requesterId: 'U_CUST', text: REQ, eventId: 'ev-1', ...over });

  it('opens a triaged, routed ticket with its events and a queued card, in one go', () => {
    const res = open();
    expect(res.outcome).toBe('created');
    const tk = res.ticket!;
    expect(tk.key).toMatch(/^T-\d+$/);
    expect(tk.status).toBe('triaged');
    expect(tk.category).toBe('outage');
    expect(['P0', 'P1']).toContain(tk.priority);
    expect(tk.ownerId).toBe('U_AGENT1');
    expect(tk.signals.length).toBeGreaterThan(0);
    expect(t.core.tickets.repo.events(tk.id).map((e) => e.type)).toEqual(['created', 'triaged', 'assigned']);
    const rows = t.core.db.prepare('SELECT kind, idempotency_key FROM outbox WHERE ticket_id = ?').all(tk.id);
    expect(rows).toEqual([{ kind: 'card', idempotency_key: `card-post:${tk.id}` }]);
    expect(t.core.tickets.repo.messages(tk.id)).toHaveLength(1);
  });

  it('the same inbound message processed twice yields one ticket', () => {
    const a = open();
    const b = open();
    const c = open({ eventId: 'ev-2' });
    expect(a.outcome).toBe('created');
    expect(b.outcome).toBe('duplicate_event');
    expect(c.outcome).toBe('exists');
    expect(c.ticket?.id).toBe(a.ticket?.id);
    expect(t.core.db.prepare('SELECT count(*) AS n FROM tickets').get()).toEqual({ n: 1 });
    expect(t.core.db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 1 });
  });

  it('does not open tickets for greetings unless forced', () => {
    expect(open({ text: 'thanks, that fixed it!' }).outcome).toBe('not_a_request');
    expect(open({ text: 'thanks, that fixed it!', sourceMessageId: 'm-2', eventId: 'ev-9', force: true }).outcome).toBe('created');
  });

  it('rejects empty text and keeps oversized text with a marker', () => {
    expect(() => open({ text: '   \n ' })).toThrow(InputInvalidError);
    const big = `Export fails for all users. ${'x'.repeat(50_000)}`;
    const tk = open({ text: big, sourceMessageId: 'm-big', eventId: 'ev-big' }).ticket!;
    expect(tk.text.length).toBeLessThan(41_000);
    expect(tk.text).toContain('more characters not stored');
    expect(tk.signals.some((s) => s.source === 'limits')).toBe(true);
  });

  it('strips control characters', () => {
    const tk = open({ text: 'Login\u0000 fails\u0007 for me \u202Eplease' }).ticket!;
    expect(tk.text).toBe('Login fails for me please');
  });

  it('walks the lifecycle and rejects invalid transitions with a clear error', () => {
    const tk = open().ticket!;
    t.core.tickets.acknowledge(tk.key, 'U_AGENT2');
    expect(t.core.tickets.require(tk.key).status).toBe('acknowledged');
    t.core.tickets.setStatus(tk.key, 'in_progress', 'U_AGENT2');
    t.core.tickets.resolve(tk.key, 'U_AGENT2', 'restarted the gateway');
    const resolved = t.core.tickets.require(tk.key);
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolvedAt).toBe(t.clock.now());
    expect(() => t.core.tickets.setStatus(tk.key, 'waiting_on_customer', 'U_AGENT2')).toThrow(TransitionInvalidError);
    try {
      t.core.tickets.setStatus(tk.key, 'acknowledged', 'U_AGENT2');
    } catch (e) {
      expect((e as TransitionInvalidError).code).toBe('frontdesk_ticket_transition_invalid');
      expect((e as Error).message).toContain('cannot move from resolved to acknowledged');
    }
    t.core.tickets.reopen(tk.key, 'U_AGENT2');
    const re = t.core.tickets.require(tk.key);
    expect(re.status).toBe('in_progress');
    expect(re.resolvedAt).toBeNull();
    expect(t.core.tickets.repo.events(tk.id).map((e) => e.type)).toContain('reopened');
    // Reopening by status change counts too, in the same write as the status.
    t.core.tickets.resolve(tk.key, 'U_AGENT2');
    t.core.tickets.setStatus(tk.key, 'in_progress', 'U_AGENT2');
    expect(t.core.db.prepare('SELECT reopened_count AS n FROM tickets WHERE id = ?').get(tk.id)).toEqual({ n: 2 });
  });

  it('pauses the resolution clock while waiting on the customer and resumes on their reply', () => {
    const tk = open().ticket!;
    t.core.tickets.setStatus(tk.key, 'waiting_on_customer', 'U_AGENT1');
    expect(t.core.tickets.require(tk.key).pausedSince).toBe(t.clock.now());
    t.clock.advance(30 * 60_000);
    t.core.tickets.recordReply({ platform: 'local', channelId: 'support', threadId: 'm-1', messageId: 'r-1', authorId: 'U_CUST', text: 'here are the logs' });
    const after = t.core.tickets.require(tk.key);
    expect(after.status).toBe('in_progress');
    expect(after.pausedSince).toBeNull();
    expect(after.pausedMs).toBe(30 * 60_000);
  });

  it('records the first agent reply as first response, once', () => {
    const tk = open().ticket!;
    t.clock.advance(5 * 60_000);
    t.core.tickets.recordReply({ platform: 'local', channelId: 'support', threadId: 'm-1', messageId: 'r-1', authorId: 'U_CUST', text: 'any news?' });
    expect(t.core.tickets.require(tk.key).firstResponseAt).toBeNull();
    t.core.tickets.recordReply({ platform: 'local', channelId: 'support', threadId: 'm-1', messageId: 'r-2', authorId: 'U_AGENT1', text: 'looking now' });
    const first = t.core.tickets.require(tk.key).firstResponseAt;
    expect(first).toBe(t.clock.now());
    t.clock.advance(60_000);
    t.core.tickets.recordReply({ platform: 'local', channelId: 'support', threadId: 'm-1', messageId: 'r-3', authorId: 'U_AGENT2', text: 'me too' });
    expect(t.core.tickets.require(tk.key).firstResponseAt).toBe(first);
    // A redelivered reply is stored once.
    t.core.tickets.recordReply({ platform: 'local', channelId: 'support', threadId: 'm-1', messageId: 'r-3', authorId: 'U_AGENT2', text: 'me too' });
    expect(t.core.tickets.repo.messages(tk.id)).toHaveLength(4);
    expect(t.core.tickets.repo.events(tk.id).filter((e) => e.type === 'first_response')).toHaveLength(1);
  });

  it('stores priority and category corrections as training examples and re-targets the SLA', () => {
    const tk = open({ text: 'The export button label has a typo', sourceMessageId: 'm-9', eventId: 'ev-9' }).ticket!;
    const before = tk.sla.firstResponseMs;
    t.core.tickets.setPriority(tk.key, 'P1', 'U_AGENT1');
    t.core.tickets.setCategory(tk.key, 'billing', 'U_AGENT1');
    const after = t.core.tickets.require(tk.key);
    expect(after.priority).toBe('P1');
    expect(after.category).toBe('billing');
    expect(after.sla.firstResponseMs).toBe(4 * 3_600_000);
    expect(after.sla.firstResponseMs).not.toBe(before);
    const ex = t.core.db.prepare("SELECT priority, category, source FROM training_examples WHERE source = 'correction' ORDER BY id").all();
    expect(ex).toEqual([
      { priority: 'P1', category: null, source: 'correction' },
      { priority: null, category: 'billing', source: 'correction' },
    ]);
    expect(() => t.core.tickets.setCategory(tk.key, 'nonsense', 'U_AGENT1')).toThrow(/not a category/);
  });

  it("learns a category correction with the ticket's channel", () => {
    const text = 'The export dialog greys out the format list after one use';
    const tk = open({ text, sourceMessageId: 'm-ch', eventId: 'ev-ch' }).ticket!;
    const learner = t.core.triage.learner!;
    const target = tk.category === 'billing' ? 'access' : 'billing';
    t.core.tickets.setCategory(tk.key, target, 'U_AGENT1');
    const prob = (channel: string) => {
      const p = learner.predict(text, channel).category!;
      return p.probs[p.labels.indexOf(target)]!;
    };
    expect(prob(tk.channelId)).toBeGreaterThan(prob('another-channel'));
  });

  it('announces changes: card refresh coalesced, thread lines only when people should notice', () => {
    const tk = open().ticket!;
    t.core.tickets.assign(tk.key, 'U_AGENT2', 'U_LEAD');
    t.core.tickets.addNote(tk.key, 'customer is on the phone', 'U_AGENT2');
    const rows = t.core.db.prepare("SELECT kind, payload FROM outbox WHERE ticket_id = ? AND status = 'pending' ORDER BY id").all(tk.id) as { kind: string; payload: string }[];
    const cardUpdates = rows.filter((r) => r.kind === 'card' && r.payload.includes('"update"'));
    const lines = rows.filter((r) => r.kind === 'post');
    expect(cardUpdates).toHaveLength(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.payload).toContain('<@U_AGENT2>');
  });

  it('delivers the card through the port and remembers where it is', async () => {
    t.core.registerPort(port);
    const tk = open().ticket!;
    await t.core.outbox.drain();
    expect(port.calls[0]).toMatchObject({ op: 'post', channelId: 'support', threadId: 'm-1' });
    const posted = t.core.tickets.require(tk.key);
    expect(posted.cardMessageId).toBe('m1');
    t.core.tickets.resolve(tk.key, 'U_AGENT1');
    await t.core.outbox.drain();
    const update = port.calls.find((c) => c.op === 'update');
    expect(update?.messageId).toBe('m1');
    expect(JSON.stringify(update?.view)).toContain('Resolved');
  });

  it('puts thread lines for a ticket without a source message in the thread its card started', async () => {
    t.core.registerPort(port);
    const tk = t.core.tickets.open({ platform: 'local', channelId: 'support', requesterId: 'U_AGENT1', text: 'Renew the TLS certificate for api.example.com', force: true }).ticket!;
    expect(tk.threadId).toBeNull();
    t.core.tickets.assign(tk.key, 'U_AGENT2', 'U_LEAD');
    await t.core.outbox.drain();
    const [card, line] = port.calls.filter((c) => c.op === 'post');
    expect(card?.threadId).toBeNull();
    expect(line?.threadId).toBe('m1');
    expect(t.core.tickets.require(tk.key).threadId).toBe('m1');
  });

  it('reflects an edit and a deletion of the original message', () => {
    const tk = open().ticket!;
    t.core.tickets.sourceEdited('local', 'support', 'm-1', 'Production is down — all regions');
    expect(t.core.tickets.require(tk.key).text).toBe('Production is down — all regions');
    t.core.tickets.sourceDeleted('local', 'support', 'm-1');
    const del = t.core.tickets.require(tk.key);
    expect(del.signals.some((s) => s.label.includes('deleted'))).toBe(true);
    expect(t.core.tickets.repo.events(tk.id).map((e) => e.type)).toEqual(expect.arrayContaining(['message_edited', 'message_deleted']));
  });

  it('runs creation hooks inside the creating transaction; a failing hook loses only its own writes', () => {
    const seen: string[] = [];
    t.core.tickets.onCreatedInTransaction((tk) => {
      seen.push(`${tk.key}:${t.core.db.inTransaction}`);
      t.core.tickets.repo.appendEvent(tk.id, 'note', 'hook', t.clock.now(), { text: 'from the hook' });
    });
    t.core.tickets.onCreatedInTransaction((tk) => {
      t.core.tickets.repo.appendEvent(tk.id, 'note', 'broken-hook', t.clock.now(), { text: 'must be rolled back' });
      throw new Error('hook failed');
    });
    const tk = open().ticket!;
    expect(seen).toEqual([`${tk.key}:true`]);
    const notes = t.core.tickets.repo.events(tk.id).filter((e) => e.type === 'note').map((e) => e.actor);
    expect(notes).toEqual(['hook']);
    expect(t.core.tickets.require(tk.key).status).toBe('triaged');
  });

  it('keeps the timeline append-only', () => {
    const tk = open().ticket!;
    expect(() => t.core.db.prepare('DELETE FROM ticket_events WHERE ticket_id = ?').run(tk.id)).toThrow(/append-only/);
    expect(() => t.core.db.prepare("UPDATE ticket_events SET type = 'x' WHERE ticket_id = ?").run(tk.id)).toThrow(/append-only/);
  });

  it('finds similar past tickets with full-text search', () => {
    open({ text: 'SSO login fails with error 403 for our team', sourceMessageId: 'a', eventId: 'a' });
    open({ text: 'Invoice shows the wrong VAT amount', sourceMessageId: 'b', eventId: 'b' });
    const sim = t.core.tickets.repo.similar('cannot login via SSO, 403');
    expect(sim[0]?.title).toContain('SSO login fails');
  });
});
