/**
 * Escalation prompts: at triage (P0/P1, keywords, VIP, clusters of similar tickets), for tickets
 * without an owner after N minutes, and the choices on breach prompts — each recorded on the
 * ticket's timeline, the prompt updated in place, snoozes honoured by later sweeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionContext } from '../../src/commands/interactions.js';
import {
  AGENT2,
  CHANNEL, TRIAGE,
  CUSTOMER,
  type Desk,
  H,
  MIN,
  MON,
  OWNER,
  TIER2,
  TIER3,
  actionsOf,
  events,
  makeDesk,
  nextCheck,
  outboxRows,
  pings,
  viewOf,
  viewText,
} from './helpers.js';

let d: Desk | undefined;
afterEach(async () => {
  await d?.close();
  d = undefined;
});

const ctx = (userId: string, messageId = '1790000999.000001'): InteractionContext => ({ platform: 'slack', userId, channelId: CHANNEL, messageId });

function promptsOf(desk: Desk, ticketId: number) {
  return outboxRows(desk.db, `esc:${ticketId}:`);
}

describe('prompts at triage', () => {
  it('posts a prompt in the thread of a P0 ticket right away: Escalate to <tier> / Not needed', () => {
    d = makeDesk();
    const t = d.open('Production checkout is down', { priority: 'P0' });
    const [p] = promptsOf(d, t.id);
    expect(p!.payload).toMatchObject({ kind: 'post', channelId: TRIAGE, internalThreadOfTicket: t.id });
    const v = viewOf(p!.payload);
    expect(viewText(v)).toContain('P0 ticket');
    expect(viewText(v)).toContain(`<@${TIER2}>`);
    expect(actionsOf(v).map((a) => a.label)).toEqual(['Escalate to Tier 2', 'Not needed']);
    expect(d.sla.escalations.forTicket(t.id)).toMatchObject([{ ruleId: 'p0-p1', target: 'tier2', status: 'open' }]);
  });

  it('raises keyword and VIP prompts, groups rules with the same target into one prompt, and stays quiet otherwise', () => {
    d = makeDesk({ config: { vipCustomers: ['U0VIP'] } });
    const sec = d.open('We think there was a data leak in the export', { priority: 'P3' });
    expect(d.sla.escalations.forTicket(sec.id)).toMatchObject([{ ruleId: 'security', target: 'tier3' }]);
    expect(viewText(viewOf(promptsOf(d, sec.id)[0]!.payload))).toContain('mentions "leak"');

    const vip = d.open('Our invoices show the wrong currency', { priority: 'P1', requester: 'U0VIP' });
    expect(d.sla.escalations.forTicket(vip.id).map((e) => e.ruleId)).toEqual(['p0-p1', 'vip']);
    const prompts = promptsOf(d, vip.id);
    expect(prompts.length).toBe(1);
    expect(viewText(viewOf(prompts[0]!.payload))).toMatch(/P1 ticket; VIP customer/);

    const quiet = d.open('How do I change my avatar?', { priority: 'P3' });
    expect(promptsOf(d, quiet.id)).toEqual([]);
  });

  it('Escalate records the escalation on the timeline, mentions the tier and updates the prompt; a second click is refused', async () => {
    d = makeDesk({ config: { vipCustomers: ['U0VIP'] } });
    const t = d.open('Our whole team is locked out', { priority: 'P1', requester: 'U0VIP' });
    const [accept] = actionsOf(viewOf(promptsOf(d, t.id)[0]!.payload));
    const res = await d.core.interactions.action(accept!.actionId, accept!.value, ctx(AGENT2));
    expect(viewText(res.ephemeral)).toContain('escalated to Tier 2');
    expect(events(d, t.id, ['escalated'])).toMatchObject([{ actor: AGENT2, data: { to: 'tier2' } }]);
    expect(d.sla.escalations.forTicket(t.id).map((e) => e.status)).toEqual(['accepted', 'accepted']);
    const line = outboxRows(d.db, `line:${t.id}:`).map((r) => viewText(viewOf(r.payload))).join('\n');
    expect(line).toContain(`<@${TIER2}>`);
    const update = outboxRows(d.db, 'esc-update:').at(-1)!;
    expect(update.payload).toMatchObject({ kind: 'update', channelId: CHANNEL, messageId: '1790000999.000001' });
    expect(viewText(viewOf(update.payload))).toContain(`<@${AGENT2}> escalated to Tier 2`);
    expect(actionsOf(viewOf(update.payload))).toEqual([]);

    const again = await d.core.interactions.action(accept!.actionId, accept!.value, ctx(OWNER));
    expect(viewText(again.ephemeral)).toContain('already accepted');
    expect(events(d, t.id, ['escalated']).length).toBe(1);
  });

  it('Not needed is recorded on the timeline; people who are not agents cannot decide', async () => {
    d = makeDesk();
    const t = d.open('Status page is down', { priority: 'P0' });
    const decline = actionsOf(viewOf(promptsOf(d, t.id)[0]!.payload)).find((a) => a.label === 'Not needed')!;
    const refused = await d.core.interactions.action(decline.actionId, decline.value, ctx(CUSTOMER));
    expect(viewText(refused.ephemeral)).toContain('only support agents');
    expect(d.sla.escalations.forTicket(t.id)[0]!.status).toBe('open');
    await d.core.interactions.action(decline.actionId, decline.value, ctx(OWNER));
    expect(events(d, t.id, ['escalation_declined'])).toMatchObject([{ actor: OWNER, data: { rule: 'p0-p1', target: 'tier2' } }]);
    expect(d.sla.escalations.forTicket(t.id)[0]).toMatchObject({ status: 'declined', decidedBy: OWNER });
  });
});

describe('clusters of similar tickets', () => {
  it('the Nth similar ticket within M minutes gets a prompt linking the others, with Link as one incident', async () => {
    d = makeDesk();
    const old = d.open('SSO login fails with error 403 for our users', { priority: 'P3', owner: OWNER });
    d.clock.advance(40 * MIN); // outside the 30-minute window from now on
    const a = d.open('SSO login fails with error 403 since this morning', { priority: 'P3' });
    d.clock.advance(5 * MIN);
    const unrelated = d.open('Please add dark mode to the dashboard', { priority: 'P3' });
    d.clock.advance(5 * MIN);
    const b = d.open('Getting error 403 when I try SSO login', { priority: 'P3' });
    expect(promptsOf(d, b.id)).toEqual([]); // two similar in the window, not three
    d.clock.advance(5 * MIN);
    const c = d.open('403 error on SSO login for the whole team', { priority: 'P3' });
    const [p] = promptsOf(d, c.id);
    const v = viewOf(p!.payload);
    expect(viewText(v)).toContain('3 similar tickets in 30 minutes');
    expect(viewText(v)).toContain(`[${a.key}](#ticket/${a.key})`);
    expect(viewText(v)).toContain(`[${b.key}](#ticket/${b.key})`);
    expect(viewText(v)).not.toContain(old.key);
    expect(viewText(v)).not.toContain(unrelated.key);
    expect(viewText(v)).toContain(`<@${TIER3}>`);
    expect(actionsOf(v).map((x) => x.label)).toEqual(['Escalate to Tier 3', 'Not needed', 'Link as one incident']);

    // A fourth one in the same window does not raise another prompt.
    const e = d.open('SSO login broken, error 403', { priority: 'P3' });
    expect(promptsOf(d, e.id)).toEqual([]);

    const link = actionsOf(v).find((x) => x.label === 'Link as one incident')!;
    const res = await d.core.interactions.action(link.actionId, link.value, ctx(OWNER));
    const incident = `INC-${c.key.slice(2)}`;
    expect(viewText(res.ephemeral)).toContain(incident);
    for (const x of [a, b, c]) {
      expect(d.core.tickets.require(x.id).incidentKey).toBe(incident);
      expect(events(d, x.id, ['linked_incident']).length).toBe(1);
    }
    expect(d.core.tickets.require(unrelated.id).incidentKey).toBeNull();
    expect(d.sla.escalations.forTicket(c.id)[0]!.status).toBe('linked');
  });
});

describe('no owner after N minutes', () => {
  it('does not prompt for a P4 or a thank-you (they need no owner within 30 minutes)', async () => {
    d = makeDesk();
    const p4 = d.open('Small typo on the pricing page footer', { priority: 'P4', owner: null });
    const thanks = d.open('thanks, that fixed it!', { priority: 'P3', owner: null });
    const real = d.open('Where can I download last month invoice?', { priority: 'P3', owner: null });
    d.clock.set(MON + 31 * MIN);
    expect((await d.sla.sweeper.sweep()).unassignedPrompts).toBe(1);
    expect(promptsOf(d, p4.id)).toEqual([]);
    expect(promptsOf(d, thanks.id)).toEqual([]);
    expect(promptsOf(d, real.id)).toHaveLength(1);
  });

  it('prompts once for an unassigned ticket after 30 minutes; not for assigned or paused ones', async () => {
    d = makeDesk();
    const t = d.open('Where can I download last month invoice?', { priority: 'P3', owner: null });
    const owned = d.open('Can I get a copy of my contract?', { priority: 'P3', owner: OWNER });
    const paused = d.open('Please confirm my address change', { priority: 'P3', owner: null });
    d.core.tickets.setStatus(paused.key, 'waiting_on_customer', OWNER);
    d.clock.set(MON + 29 * MIN);
    expect((await d.sla.sweeper.sweep()).unassignedPrompts).toBe(0);
    d.clock.set(MON + 30 * MIN);
    expect((await d.sla.sweeper.sweep()).unassignedPrompts).toBe(1);
    d.clock.set(MON + 45 * MIN);
    expect((await d.sla.sweeper.sweep()).unassignedPrompts).toBe(0);
    const [p] = promptsOf(d, t.id);
    expect(viewText(viewOf(p!.payload))).toContain('no owner after 30 minutes');
    expect(actionsOf(viewOf(p!.payload)).map((a) => a.label)).toEqual(['Escalate to Tier 2', 'Not needed']);
    expect(promptsOf(d, owned.id)).toEqual([]);
    expect(promptsOf(d, paused.id)).toEqual([]);
  });
});

describe('choices on the breach prompt', () => {
  async function breached() {
    d = makeDesk();
    const t = d.open('API keys stopped working for all integrations', { priority: 'P0' });
    d.clock.set(MON + 61 * MIN);
    await d.sla.sweeper.sweep();
    const esc = d.sla.escalations.forTicket(t.id).find((e) => e.ruleId === 'breach:first_response')!;
    const v = viewOf(outboxRows(d.db, `esc:${t.id}:${esc.id}`)[0]!.payload);
    return { desk: d, t, esc, actions: actionsOf(v) };
  }

  it('Take it makes the clicker the owner, on the timeline, and updates the prompt', async () => {
    const { desk, t, esc, actions } = await breached();
    const take = actions.find((a) => a.label === 'Take it')!;
    const res = await desk.core.interactions.action(take.actionId, take.value, ctx(AGENT2));
    expect(viewText(res.ephemeral)).toContain(`You own ${t.key} now`);
    expect(desk.core.tickets.require(t.id).ownerId).toBe(AGENT2);
    expect(events(desk, t.id, ['assigned']).at(-1)).toMatchObject({ actor: AGENT2, data: { from: OWNER, to: AGENT2, via: 'escalation' } });
    expect(desk.sla.escalations.get(esc.id)!.status).toBe('accepted');
    const update = outboxRows(desk.db, `esc-update:${esc.id}:`)[0]!;
    expect(viewText(viewOf(update.payload))).toContain(`<@${AGENT2}> took it.`);
    expect(actionsOf(viewOf(update.payload)).length).toBe(6); // the prompt keeps its buttons
  });

  it('Reassign… opens a form; submitting it reassigns, on the timeline (after a confirm step for someone else\'s ticket)', async () => {
    const { desk, t, esc, actions } = await breached();
    const reassign = actions.find((a) => a.label === 'Reassign…')!;
    const res = await desk.core.interactions.action(reassign.actionId, reassign.value, { ...ctx(AGENT2), trigger: 'trig' });
    expect(res.form).toMatchObject({ formId: 'form.reassign', fields: [{ type: 'user', id: 'owner', initial: OWNER }] });
    const empty = await desk.core.interactions.form(res.form!.formId, res.form!.state, {}, ctx(AGENT2));
    expect(viewText(empty.ephemeral)).toContain('Pick the new owner');
    // The ticket is OWNER's: AGENT2 is asked first, as for every reassignment of someone else's ticket.
    const asked = await desk.core.interactions.form(res.form!.formId, res.form!.state, { owner: TIER2 }, ctx(AGENT2));
    expect(viewText(asked.ephemeral)).toContain(`is owned by <@${OWNER}>. Reassign it to <@${TIER2}>?`);
    const confirm = actionsOf(asked.ephemeral!);
    expect(confirm.map((a) => [a.actionId, a.label])).toEqual([['escalation.reassign_confirmed', 'Reassign']]);
    expect(desk.core.tickets.require(t.id).ownerId).toBe(OWNER);
    expect(desk.sla.escalations.get(esc.id)!.status).toBe('open');
    await desk.core.interactions.action(confirm[0]!.actionId, confirm[0]!.value, ctx(AGENT2, 'the-confirm-message'));
    expect(desk.core.tickets.require(t.id).ownerId).toBe(TIER2);
    expect(events(desk, t.id, ['assigned']).at(-1)).toMatchObject({ actor: AGENT2, data: { to: TIER2 } });
    expect(desk.sla.escalations.get(esc.id)!.status).toBe('accepted');
    // The owner reassigning their own ticket is not asked.
    const mine = await desk.core.interactions.form(res.form!.formId, res.form!.state, { owner: OWNER }, ctx(TIER2));
    expect(viewText(mine.ephemeral)).toContain(`is now assigned to <@${OWNER}>`);
    expect(desk.core.tickets.require(t.id).ownerId).toBe(OWNER);
  });

  it('the digest\'s Take it on someone else\'s ticket asks first; on an unowned or own ticket it takes it', async () => {
    const { desk, t } = await breached();
    const take = await desk.core.interactions.action('digest.take', t.key, ctx(AGENT2));
    expect(viewText(take.ephemeral)).toContain(`is owned by <@${OWNER}>. Reassign it to <@${AGENT2}>?`);
    expect(actionsOf(take.ephemeral!).map((a) => [a.actionId, a.value])).toEqual([['ticket.reassign_confirmed', `${t.key}|${AGENT2}`]]);
    expect(desk.core.tickets.require(t.id).ownerId).toBe(OWNER);
    await desk.core.interactions.action('ticket.reassign_confirmed', `${t.key}|${AGENT2}`, ctx(AGENT2));
    expect(desk.core.tickets.require(t.id).ownerId).toBe(AGENT2);
    // Their own ticket now: taken without a question.
    expect(viewText((await desk.core.interactions.action('digest.take', t.key, ctx(AGENT2))).ephemeral)).toContain(`You own ${t.key} now`);
    desk.core.tickets.assign(t.key, null, AGENT2);
    expect(viewText((await desk.core.interactions.action('digest.take', t.key, ctx(OWNER))).ephemeral)).toContain(`You own ${t.key} now`);
    expect(desk.core.tickets.require(t.id).ownerId).toBe(OWNER);
  });

  it('Add note opens a form; the note lands on the timeline', async () => {
    const { desk, t, actions } = await breached();
    const note = actions.find((a) => a.label === 'Add note')!;
    const res = await desk.core.interactions.action(note.actionId, note.value, ctx(OWNER));
    expect(res.form).toMatchObject({ formId: 'form.add_note', fields: [{ type: 'text', id: 'note' }] });
    await desk.core.interactions.form(res.form!.formId, res.form!.state, { note: 'Vendor outage, waiting on their fix' }, ctx(OWNER));
    expect(events(desk, t.id, ['note']).at(-1)).toMatchObject({ actor: OWNER, data: { text: 'Vendor outage, waiting on their fix' } });
  });

  it('Snooze 2h is recorded and honoured by the next sweeps', async () => {
    const { desk, t, actions } = await breached();
    const snooze = actions.find((a) => a.label === 'Snooze 2h')!;
    const res = await desk.core.interactions.action(snooze.actionId, snooze.value, ctx(OWNER));
    expect(viewText(res.ephemeral)).toContain('snoozed for 2h');
    expect(events(desk, t.id, ['snoozed']).at(-1)).toMatchObject({ actor: OWNER, data: { until: MON + 61 * MIN + 2 * H } });
    // Resolution 50% (2 h) comes during the snooze: held.
    desk.clock.set(MON + 2 * H);
    expect((await desk.sla.sweeper.sweep()).held).toBe(1);
    expect(nextCheck(desk.db, t.id)).toBe(MON + 181 * MIN);
    desk.clock.set(MON + 181 * MIN);
    await desk.sla.sweeper.sweep();
    expect(pings(desk.db, t.id).filter((p) => p.startsWith('resolution'))).toEqual(['resolution:0.5=dropped', 'resolution:0.75=sent']);
    // A made-up snooze length is refused.
    const bad = await desk.core.interactions.action(snooze.actionId, snooze.value.replace(/\|120$/, '|999'), ctx(OWNER));
    expect(viewText(bad.ephemeral)).toContain('not a snooze length');
  });
});
