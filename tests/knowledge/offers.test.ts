/**
 * Known answers in the ticket flow, on a real core and SQLite: the offer in the customer's
 * thread (queued in the creating transaction), "That solved it" (deflected), "I still need
 * help" and the timeout (the normal flow goes on, SLA due times untouched, paging held only
 * while the offer waits), never for P1/security/VIP, the card's suggestions with "Send answer"
 * (a first response in the agent's name) and "Save as known answer" on a resolved card.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import type { Ticket } from '../../src/domain/types.js';
import { type InstalledKnowledge, installKnowledge } from '../../src/knowledge/install.js';
import { slaState } from '../../src/sla/policy.js';
import type { OutboxPayload } from '../../src/outbox/outbox.js';
import type { Block, MessageView } from '../../src/ports/message-view.js';
import { type TestCore, makeTestCore } from '../helpers/core.js';
import { FIXTURE_DIR } from './helpers.js';

const MIN = 60_000;
const CUSTOMER = 'U_CUST';

let t: TestCore;
afterEach(async () => {
  await t?.core.close();
});

function desk(raw: Record<string, unknown> = {}): { k: InstalledKnowledge; sla: ReturnType<typeof installSlaAndDigest> } {
  t = makeTestCore({
    channels: [{ id: 'support' }],
    triageChannel: 'triage',
    teams: [{ id: 'support', members: ['U_AGENT1', 'U_AGENT2'], routing: 'none' }],
    ...raw,
    knowledge: { paths: [FIXTURE_DIR], ...((raw.knowledge as object) ?? {}) },
  });
  const sla = installSlaAndDigest(t.core, { schedule: false });
  return { k: installKnowledge(t.core, { schedule: false }), sla };
}

function ask(text: string, requesterId = CUSTOMER): Ticket {
  const r = t.core.tickets.open({ platform: 'local', channelId: 'support', sourceMessageId: `m-${Math.random()}`, requesterId, text });
  if (r.outcome !== 'created') throw new Error(`not created: ${r.outcome}`);
  return r.ticket;
}

/** What the outbox holds for a ticket, in order. */
function queued(ticketId: number): { key: string; payload: OutboxPayload }[] {
  return t.core.db
    .prepare<[number], { idempotency_key: string; payload: string }>('SELECT idempotency_key, payload FROM outbox WHERE ticket_id = ? ORDER BY id')
    .all(ticketId)
    .map((r) => ({ key: r.idempotency_key, payload: JSON.parse(r.payload) as OutboxPayload }));
}

const views = (ticketId: number) => queued(ticketId).flatMap((q) => ('view' in q.payload ? [{ key: q.key, payload: q.payload, view: q.payload.view }] : []));
const flat = (v: MessageView | Block[]) => JSON.stringify(Array.isArray(v) ? v : v.blocks);
const buttons = (v: MessageView) => v.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => (e.type === 'button' ? `${e.actionId}=${e.value}` : e.actionId)) : []));
const events = (id: number) => t.core.tickets.repo.events(id);
const click = (actionId: string, value: string, userId: string, where: { channelId?: string; messageId?: string } = {}) =>
  t.core.interactions.action(actionId, value, { platform: 'local', userId, ...where });

describe('answer before paging', () => {
  it('offers a confident answer in the customer’s thread, in the creating transaction, and says why on the card', () => {
    const { k } = desk();
    const tk = ask('How do I reset my password?');
    const offer = k.offers.repo.autoOffer(tk.id)!;
    expect(offer).toMatchObject({ answerId: 'reset-password', status: 'pending', via: 'auto', expiresAt: tk.createdAt + 30 * MIN });
    // Customer thread: the acknowledgement, then the answer with the two buttons (the customer's audience only).
    const toCustomer = views(tk.id).filter((v) => v.payload.kind === 'post' && v.payload.channelId === 'support');
    expect(toCustomer.map((v) => v.key)).toEqual([`ack:${tk.id}`, `knowledge-offer:${offer.id}`]);
    const view = toCustomer[1]!.view;
    expect(view.audience).toBe('customer');
    expect(buttons(view)).toEqual([`knowledge.solved=${offer.id}`, `knowledge.need_help=${offer.id}`]);
    expect(flat(view)).toContain('How to reset your password');
    expect(flat(view)).not.toMatch(/matched|score|category/i);
    // The timeline and the decision record say which answer and why.
    const ev = events(tk.id).find((e) => e.type === 'answer_offered')!;
    expect(ev.data).toMatchObject({ answer: 'reset-password', offer: offer.id });
    expect(String(ev.data.explanation)).toContain('matched');
    expect(k.offers.repo.decision(tk.id)).toMatchObject({ offered: true, declined: null, answerId: 'reset-password' });
    // Paging is held for the window; the SLA due times are not moved.
    const now = t.core.tickets.repo.get(tk.id)!;
    expect(now.snoozedUntil).toBe(tk.createdAt + 30 * MIN);
    expect(slaState(now, tk.createdAt).firstResponse.dueAt).toBe(slaState(tk, tk.createdAt).firstResponse.dueAt);
    // The internal card: which answer, why, and that agents are paged only if needed.
    const card = flat(t.core.tickets.card(now));
    expect(card).toContain('Known answer offered to the customer: **How to reset your password**');
    expect(card).toContain('matched');
    expect(card).not.toContain('knowledge.send');
  });

  it('“That solved it” resolves the ticket as deflected: no agent resolution, no first response; only the requester may click', async () => {
    const { k } = desk();
    const tk = ask('Where can I download my invoices?');
    const offer = k.offers.repo.autoOffer(tk.id)!;
    const stranger = await click('knowledge.solved', String(offer.id), 'U_SOMEONE_ELSE', { channelId: 'support', messageId: 'msg-offer' });
    expect(flat(stranger.ephemeral!)).toContain('Only the person who asked');
    const agent = await click('knowledge.solved', String(offer.id), 'U_AGENT1', { channelId: 'support', messageId: 'msg-offer' });
    expect(flat(agent.ephemeral!)).toContain('Only the person who asked');
    expect(t.core.tickets.repo.get(tk.id)!.status).toBe('triaged');

    const res = await click('knowledge.solved', String(offer.id), CUSTOMER, { channelId: 'support', messageId: 'msg-offer' });
    expect(res.ephemeral).toBeUndefined();
    const after = t.core.tickets.repo.get(tk.id)!;
    expect(after).toMatchObject({ status: 'resolved', firstResponseAt: null, ownerId: null, snoozedUntil: null });
    expect(after.resolvedAt).toBe(t.clock.now());
    expect(events(tk.id).find((e) => e.type === 'status_changed')!.data).toMatchObject({ to: 'resolved', outcome: 'deflected', answer: 'invoices' });
    expect(k.offers.repo.get(offer.id)).toMatchObject({ status: 'solved', decidedBy: CUSTOMER });
    // The clicked message loses its buttons; the internal side hears it was deflected.
    const update = views(tk.id).find((v) => v.payload.kind === 'update')!;
    expect(update.payload).toMatchObject({ channelId: 'support', messageId: 'msg-offer' });
    expect(update.view.audience).toBe('customer');
    expect(buttons(update.view)).toEqual([]);
    expect(flat(update.view)).toContain('Glad that solved it');
    expect(views(tk.id).some((v) => v.payload.kind === 'post' && v.payload.channelId === 'triage' && flat(v.view).includes('resolved as deflected'))).toBe(true);
    expect(flat(t.core.tickets.card(after))).toContain('Deflected: the customer said the known answer **Invoices and receipts** solved it'.replace('Invoices and receipts', offer.answerTitle));
    // A second click changes nothing.
    expect(flat((await click('knowledge.solved', String(offer.id), CUSTOMER)).ephemeral!)).toContain('told us already');
  });

  it('“I still need help” hands over at once: the hold on paging ends and the SLA still runs from the request', async () => {
    const { k } = desk({ teams: [{ id: 'support', members: ['U_AGENT1'], routing: 'round_robin' }] });
    const tk = ask('How do I export my data to CSV?');
    expect(tk.ownerId).toBe('U_AGENT1');
    const offer = k.offers.repo.autoOffer(tk.id)!;
    t.clock.advance(5 * MIN);
    await click('knowledge.need_help', String(offer.id), CUSTOMER, { channelId: 'support', messageId: 'msg-offer' });
    const after = t.core.tickets.repo.get(tk.id)!;
    expect(after).toMatchObject({ status: 'triaged', snoozedUntil: null, createdAt: tk.createdAt, firstResponseAt: null });
    expect(k.offers.repo.get(offer.id)!.status).toBe('need_help');
    const line = views(tk.id).find((v) => v.payload.kind === 'post' && v.payload.channelId === 'triage' && flat(v.view).includes('still needs help'))!;
    expect(flat(line.view)).toContain('over to <@U_AGENT1>');
    expect(flat(views(tk.id).find((v) => v.payload.kind === 'update')!.view)).toContain('a member of our support team will pick up');
    expect(flat(t.core.tickets.card(after))).toContain('did not solve it');
  });

  it('no reply within knowledge.offerTimeout: the normal flow goes on, and the “no owner” prompt held until then is raised', async () => {
    const { k, sla } = desk({ knowledge: { offerTimeout: '45m' } });
    const tk = ask('How do I change the timezone of my reports?');
    const offer = k.offers.repo.autoOffer(tk.id)!;
    // 35 minutes: the "no owner after 30 minutes" rule is due, but the offer is still waiting.
    t.clock.advance(35 * MIN);
    expect(k.offers.expire()).toBe(0);
    await sla.sweeper.sweep();
    expect(sla.escalations.forTicket(tk.id)).toEqual([]);
    t.clock.advance(10 * MIN);
    expect(k.offers.expire()).toBe(1);
    expect(k.offers.repo.get(offer.id)!.status).toBe('expired');
    expect(t.core.tickets.repo.get(tk.id)!.snoozedUntil).toBeNull();
    expect(views(tk.id).some((v) => v.payload.kind === 'post' && v.payload.channelId === 'triage' && flat(v.view).includes('no reply from the customer within 45m'))).toBe(true);
    await sla.sweeper.sweep();
    expect(sla.escalations.forTicket(tk.id).map((e) => e.ruleId)).toEqual(['unassigned']);
    // A late "solved" still counts, as long as no agent has answered.
    await click('knowledge.solved', String(offer.id), CUSTOMER);
    expect(t.core.tickets.repo.get(tk.id)!.status).toBe('resolved');
  });

  it('never offers for P1, security words or a VIP; records why, and nothing when offers are off', () => {
    const { k } = desk({ vipCustomers: ['U_VIP'] });
    const p1 = ask('Our webhook deliveries stopped arriving since yesterday');
    const sec = ask('How do I reset my password? Did our passwords leak?');
    const vip = ask('How do I reset my password?', 'U_VIP');
    expect(k.offers.repo.decision(p1.id)).toMatchObject({ offered: false, declined: 'priority' });
    expect(k.offers.repo.decision(sec.id)).toMatchObject({ offered: false, declined: 'security' });
    expect(k.offers.repo.decision(vip.id)).toMatchObject({ offered: false, declined: 'escalated' });
    for (const x of [p1, sec, vip]) expect(k.offers.repo.forTicket(x.id)).toEqual([]);
  });

  it('with knowledge.offer false nothing is offered, but the decision is kept for the gaps report', () => {
    const { k } = desk({ knowledge: { offer: false } });
    const tk = ask('How do I reset my password?');
    expect(k.offers.repo.decision(tk.id)).toMatchObject({ offered: false, declined: 'off', answerId: 'reset-password' });
    expect(views(tk.id).some((v) => v.key.startsWith('knowledge-offer'))).toBe(false);
    expect(t.core.tickets.repo.get(tk.id)!.snoozedUntil).toBeNull();
  });
});

describe('agents see suggestions too', () => {
  it('lists the top known answers on the card; “Send answer” posts it in the agent’s name as the first response', async () => {
    const { k } = desk({ knowledge: { offer: false } });
    const tk = ask('How do I reset my password?');
    const card = t.core.tickets.card(tk);
    const send = buttons(card).filter((b) => b.startsWith('knowledge.send='));
    expect(send[0]).toBe(`knowledge.send=${tk.key}|reset-password`);
    expect(send.length).toBeLessThanOrEqual(3);
    // Customers cannot press it.
    expect(flat((await click('knowledge.send', `${tk.key}|reset-password`, CUSTOMER)).ephemeral!)).toContain('only support agents');
    t.clock.advance(3 * MIN);
    const res = await click('knowledge.send', `${tk.key}|reset-password`, 'U_AGENT2');
    expect(flat(res.ephemeral!)).toContain('Sent the known answer');
    const after = t.core.tickets.repo.get(tk.id)!;
    expect(after).toMatchObject({ firstResponseAt: tk.createdAt + 3 * MIN, ownerId: 'U_AGENT2', status: 'in_progress' });
    const reply = views(tk.id).find((v) => v.key.startsWith('customer-reply:knowledge-send:'))!;
    expect(reply.payload).toMatchObject({ kind: 'post', channelId: 'support', as: { userId: 'U_AGENT2' } });
    expect(reply.view.audience).toBe('customer');
    expect(flat(reply.view)).toContain('How to reset your password');
    expect(flat(reply.view)).not.toContain('\\*');
    expect(k.offers.repo.forTicket(tk.id)).toMatchObject([{ via: 'agent', status: 'sent', answerId: 'reset-password', offeredBy: 'U_AGENT2' }]);
    expect(events(tk.id).some((e) => e.type === 'answer_sent' && e.data.answer === 'reset-password')).toBe(true);
    // It is no longer suggested, and sending it twice is refused.
    expect(buttons(t.core.tickets.card(after))).not.toContain(`knowledge.send=${tk.key}|reset-password`);
    expect(flat((await click('knowledge.send', `${tk.key}|reset-password`, 'U_AGENT2')).ephemeral!)).toContain('already sent');
  });

  it('“Save as known answer” on a resolved card opens the form pre-filled from the resolution note and saves it', async () => {
    const { k } = desk({ knowledge: { offer: false } });
    const tk = ask('Priya here: the Gantt view shows every bar one day late for our team');
    expect(buttons(t.core.tickets.card(tk))).not.toContain(`knowledge.save=${tk.key}`);
    t.core.tickets.resolve(tk.key, 'U_AGENT1', 'Set the workspace time zone under Settings → Workspace → Time zone; bars then line up.');
    const card = t.core.tickets.card(t.core.tickets.require(tk.key));
    expect(buttons(card)).toContain(`knowledge.save=${tk.key}`);
    const opened = await click('knowledge.save', tk.key, 'U_AGENT1');
    const body = opened.form!.fields.find((f) => f.id === 'body')!;
    expect(body).toMatchObject({ initial: 'Set the workspace time zone under Settings → Workspace → Time zone; bars then line up.' });
    expect(opened.form!.fields.find((f) => f.id === 'title')).not.toHaveProperty('initial');
    // Personal data never goes into an answer.
    const bad = await t.core.interactions.form('form.save_answer', tk.key, { title: 'Gantt bars a day late', body: 'Mail priya@globex.example the fix', category: '', tags: '' }, { platform: 'local', userId: 'U_AGENT1' });
    expect(flat(bad.ephemeral!)).toContain('must not reach other customers');
    const ok = await t.core.interactions.form('form.save_answer', tk.key, { title: 'Gantt bars a day late', body: String(body.type === 'text' ? body.initial : ''), category: 'question', tags: 'gantt, one day off' }, { platform: 'local', userId: 'U_AGENT1' });
    expect(flat(ok.ephemeral!)).toContain('Saved the known answer');
    expect(k.kb.get('gantt-bars-a-day-late')).toMatchObject({ ticketId: tk.id, category: 'question', tags: ['gantt', 'one day off'], createdBy: 'U_AGENT1' });
    expect(buttons(t.core.tickets.card(t.core.tickets.require(tk.key)))).not.toContain(`knowledge.save=${tk.key}`);
    // The next customer asking the same gets it before an agent is paged.
    const next = ask('The gantt bars are one day off');
    expect(k.offers.repo.decision(next.id)?.answerId).toBe('gantt-bars-a-day-late');
  });
});
