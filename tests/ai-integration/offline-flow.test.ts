/**
 * Suggested replies and handling plans without an API key: a real core on SQLite :memory:, the
 * shipped personas, the offline path end to end — draft after creation, private delivery, card
 * state, Send / Edit / Discard / Regenerate / "Suggested reply", /ticket plan and follow-up tickets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AiFeatures } from '../../src/ai/install.js';
import type { Core } from '../../src/app.js';
import { runCommand } from '../../src/commands/ticket-commands.js';
import type { InteractionContext } from '../../src/commands/interactions.js';
import { ACTIONS, FORMS } from '../../src/views/action-ids.js';
import {
  AGENT1,
  AGENT2,
  AGENT3,
  buttons,
  CHANNEL,
  CUSTOMER,
  ephemerals,
  eventTypes,
  makeAiCore,
  openTicket,
  outboxRows,
  posts,
  resolvedTicket,
  viewText,
} from './helpers.js';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

const ctx = (userId: string): InteractionContext => ({ platform: 'local', userId, channelId: CHANNEL });

function setup(opts: Parameters<typeof makeAiCore>[0] = {}): { core: Core; features: AiFeatures } {
  const made = makeAiCore(opts);
  core = made.core;
  return made;
}

const EXPORT_TEXT = 'The CSV export stops at 10,000 rows and our finance report is incomplete';

/** Open a ticket and wait for its suggested reply. */
async function ticketWithDraft(c: Core, f: AiFeatures, text = EXPORT_TEXT) {
  const t = openTicket(c, text);
  await f.idle();
  const d = f.repo.latestDraft(t.id);
  if (!d) throw new Error('no draft');
  return { t: c.tickets.require(t.id), d };
}

describe('suggested reply after creation (offline)', () => {
  it('never holds up creation, then stores an offline draft, tells the card and sends it privately to the team', async () => {
    const { core: c, features: f } = setup();
    const t = openTicket(c, EXPORT_TEXT);
    // open() has returned: the ticket and its card exist, the draft does not yet.
    expect(c.tickets.repo.get(t.id)).not.toBeNull();
    expect(f.repo.latestDraft(t.id)).toBeNull();
    await f.idle();

    const d = f.repo.latestDraft(t.id)!;
    expect(d).toMatchObject({ path: 'offline', status: 'pending', persona: 'support-specialist' });
    expect(d.text).toContain('Hi Ana');
    expect(d.text).toContain(t.key);
    expect(d.suggestions.length).toBeGreaterThanOrEqual(1);
    const drafted = c.tickets.repo.events(t.id).find((e) => e.type === 'reply_drafted');
    expect(drafted).toMatchObject({ actor: 'frontdesk', data: { draftId: d.id, path: 'offline', reason: 'disabled' } });

    // Unassigned: each member of the ticket's team gets it privately, in the ticket's thread.
    const eph = ephemerals(c);
    expect(eph.map((e) => e.userId).sort()).toEqual([AGENT1, AGENT2]);
    for (const e of eph) {
      expect(e).toMatchObject({ channelId: CHANNEL, threadOfTicket: t.id });
      expect(viewText(e.view)).toContain('offline template (disabled)');
      expect(buttons(e.view).map((b) => [b.actionId, b.value])).toEqual([
        [ACTIONS.draftSend, `${t.key}|${d.id}`],
        [ACTIONS.draftEdit, `${t.key}|${d.id}`],
        [ACTIONS.draftDiscard, `${t.key}|${d.id}`],
        [ACTIONS.draftRegenerate, `${t.key}|${d.id}`],
      ]);
    }
    // Nothing public was posted: the customer cannot see the draft before an agent acts.
    expect(posts(c)).toEqual([]);
    expect(eph.some((e) => e.userId === CUSTOMER)).toBe(false);

    // The public card only says that a draft is ready, and offers agents the button.
    const card = c.tickets.card(c.tickets.require(t.id));
    expect(viewText(card)).toContain('Suggested reply ready for agents (offline template)');
    expect(viewText(card)).not.toContain(d.text.slice(0, 40));
    expect(buttons(card).find((b) => b.actionId === ACTIONS.draftShow)).toMatchObject({ label: 'Suggested reply', value: t.key });
    // …and a card refresh was queued after the draft.
    expect(outboxRows(c).filter((r) => r.ticketId === t.id && r.payload.kind === 'card').map((r) => (r.payload as { mode: string }).mode)).toEqual(['post', 'update']);
  });

  it('sends the draft only to the owner when the ticket has one', async () => {
    const { core: c, features: f } = setup({ routing: 'round_robin' });
    const { t } = await ticketWithDraft(c, f);
    expect(t.ownerId).toBe(AGENT1);
    expect(ephemerals(c).map((e) => e.userId)).toEqual([AGENT1]);
  });

  it('grounds the draft in similar resolved tickets and their resolve notes, and names them as sources', async () => {
    const { core: c, features: f } = setup();
    const old = resolvedTicket(c, 'CSV export stops at 10,000 rows for the finance team', 'Raised the export row limit under Settings → Exports and re-ran the export.');
    const unrelated = resolvedTicket(c, 'Cannot log in with SSO after the password reset', 'Re-linked the SSO identity.');
    await f.idle();
    const { t, d } = await ticketWithDraft(c, f, 'Our CSV export stops at 10,000 rows again, the finance report is incomplete');
    expect(d.sources).toEqual([old.key]);
    expect(d.sources).not.toContain(unrelated.key);
    expect(d.text).toContain('Raised the export row limit under Settings → Exports');
    // Customer-facing text never names another customer's ticket.
    expect(d.text).not.toContain(old.key);
    const eph = ephemerals(c).filter((e) => viewText(e.view).includes(t.key));
    expect(viewText(eph[0]?.view)).toContain(`sources: ${old.key}`);
  });

  it('uses the persona configured for the channel', async () => {
    const { core: c, features: f } = setup({ config: { channels: [{ id: CHANNEL, persona: 'support-engineer' }] } });
    const { d } = await ticketWithDraft(c, f);
    expect(d.persona).toBe('support-engineer');
    // support-engineer's fallback template asks for diagnostics; support-specialist's does not.
    expect(d.text).toContain('To pin this down quickly, could you send us:');
  });

  it('sends the pending draft privately to an agent who takes the ticket', async () => {
    const { core: c, features: f } = setup();
    const { t, d } = await ticketWithDraft(c, f);
    expect(ephemerals(c).map((e) => e.userId)).not.toContain(AGENT3);
    await c.interactions.action(ACTIONS.assignMe, t.key, ctx(AGENT3));
    const mine = ephemerals(c).filter((e) => e.userId === AGENT3);
    expect(mine).toHaveLength(1);
    expect(buttons(mine[0]!.view)[0]!.value).toBe(`${t.key}|${d.id}`);
  });
});

/** What the customer sees: customer-audience posts in their thread. */
const customerPosts = (c: Core) => posts(c).filter((p) => p.view.audience === 'customer');
/** Handling plans delivered privately (inline mode). */
const planMessages = (c: Core) => ephemerals(c).filter((e) => viewText(e.view).includes('Customer need and response'));

describe('Send, Edit, Discard, Regenerate', () => {
  it('Send posts the draft in the customer thread in the agent\'s name, marks the first response and records who approved it', async () => {
    const { core: c, features: f } = setup();
    const { t, d } = await ticketWithDraft(c, f);
    expect(t.firstResponseAt).toBeNull();
    const res = await c.interactions.action(ACTIONS.draftSend, `${t.key}|${d.id}`, ctx(AGENT2));
    expect(viewText(res.ephemeral)).toContain(`Reply sent in the thread of ${t.key}`);

    const sent = customerPosts(c);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channelId: CHANNEL, threadOfTicket: t.id, as: { userId: AGENT2 } });
    expect(sent[0]!.view.text).toBe(d.text);
    const after = c.tickets.require(t.id);
    expect(after.firstResponseAt).toBe(c.clock.now());
    expect(f.repo.getDraft(d.id)).toMatchObject({ status: 'sent', decidedBy: AGENT2 });
    const events = c.tickets.repo.events(t.id);
    expect(events.find((e) => e.type === 'reply_sent')).toMatchObject({ actor: AGENT2, data: { draftId: d.id, edited: false, approvedBy: AGENT2 } });
    expect(events.find((e) => e.type === 'first_response')).toMatchObject({ actor: AGENT2, data: { via: 'suggested_reply' } });
    // The card no longer offers a pending draft.
    expect(buttons(c.tickets.card(after)).some((b) => b.actionId === ACTIONS.draftShow)).toBe(false);

    // A second click (another agent, same draft) sends nothing more.
    const again = await c.interactions.action(ACTIONS.draftSend, `${t.key}|${d.id}`, ctx(AGENT1));
    expect(viewText(again.ephemeral)).toContain(`already sent by <@${AGENT2}>`);
    expect(customerPosts(c)).toHaveLength(1);
  });

  it('refuses a customer clicking Send', async () => {
    const { core: c, features: f } = setup();
    const { t, d } = await ticketWithDraft(c, f);
    const res = await c.interactions.action(ACTIONS.draftSend, `${t.key}|${d.id}`, ctx(CUSTOMER));
    expect(viewText(res.ephemeral)).toContain('only support agents');
    expect(f.repo.getDraft(d.id)!.status).toBe('pending');
    expect(posts(c)).toEqual([]);
  });

  it('Edit opens a form pre-filled with the draft; submitting posts the edited text', async () => {
    const { core: c, features: f } = setup();
    const { t, d } = await ticketWithDraft(c, f);
    const res = await c.interactions.action(ACTIONS.draftEdit, `${t.key}|${d.id}`, ctx(AGENT1));
    expect(res.form).toMatchObject({ formId: FORMS.editDraft, state: `${t.key}|${d.id}`, submitLabel: 'Send' });
    expect(res.form!.fields[0]).toMatchObject({ type: 'text', id: 'text', multiline: true, initial: d.text });
    expect(posts(c)).toEqual([]);

    const edited = `${d.text}\n\nP.S. I have also asked the data team to check the March export.`;
    const sub = await c.interactions.form(FORMS.editDraft, res.form!.state, { text: edited }, ctx(AGENT1));
    expect(viewText(sub.ephemeral)).toContain('Edited reply sent');
    expect(customerPosts(c).map((p) => p.view.text)).toEqual([edited]);
    expect(f.repo.getDraft(d.id)).toMatchObject({ status: 'sent', decidedBy: AGENT1 });
    expect(c.tickets.repo.events(t.id).find((e) => e.type === 'reply_sent')?.data).toMatchObject({ edited: true, text: edited });
    expect(c.tickets.require(t.id).firstResponseAt).not.toBeNull();
  });

  it('an empty edited reply is refused and the draft stays pending', async () => {
    const { core: c, features: f } = setup();
    const { t, d } = await ticketWithDraft(c, f);
    const sub = await c.interactions.form(FORMS.editDraft, `${t.key}|${d.id}`, { text: '   ' }, ctx(AGENT1));
    expect(viewText(sub.ephemeral)).toContain('The reply is empty');
    expect(f.repo.getDraft(d.id)!.status).toBe('pending');
    expect(posts(c)).toEqual([]);
  });

  it('Discard records who discarded it, posts nothing and clears the card', async () => {
    const { core: c, features: f } = setup();
    const { t, d } = await ticketWithDraft(c, f);
    const res = await c.interactions.action(ACTIONS.draftDiscard, `${t.key}|${d.id}`, ctx(AGENT1));
    expect(viewText(res.ephemeral)).toContain('discarded');
    expect(f.repo.getDraft(d.id)).toMatchObject({ status: 'discarded', decidedBy: AGENT1 });
    expect(c.tickets.repo.events(t.id).find((e) => e.type === 'reply_discarded')).toMatchObject({ actor: AGENT1, data: { draftId: d.id } });
    expect(posts(c)).toEqual([]);
    const card = c.tickets.card(c.tickets.require(t.id));
    expect(viewText(card)).not.toContain('Suggested reply ready');
    expect(c.tickets.require(t.id).firstResponseAt).toBeNull();
    // Sending a discarded draft is refused.
    const send = await c.interactions.action(ACTIONS.draftSend, `${t.key}|${d.id}`, ctx(AGENT2));
    expect(viewText(send.ephemeral)).toContain('was discarded');
    expect(posts(c)).toEqual([]);
  });

  it('Regenerate stores a new draft, supersedes the previous one and shows the new one to the clicker', async () => {
    const { core: c, features: f } = setup();
    const { t, d } = await ticketWithDraft(c, f);
    const res = await c.interactions.action(ACTIONS.draftRegenerate, `${t.key}|${d.id}`, ctx(AGENT1));
    const nd = f.repo.latestDraft(t.id)!;
    expect(nd.id).not.toBe(d.id);
    expect(nd.status).toBe('pending');
    expect(f.repo.getDraft(d.id)!.status).toBe('superseded');
    expect(buttons(res.ephemeral)[0]!.value).toBe(`${t.key}|${nd.id}`);
    expect(eventTypes(c, t.id).filter((e) => e === 'reply_drafted')).toHaveLength(2);
    // The superseded draft can no longer be sent.
    const old = await c.interactions.action(ACTIONS.draftSend, `${t.key}|${d.id}`, ctx(AGENT1));
    expect(viewText(old.ephemeral)).toContain('replaced by a newer one');
    expect(posts(c)).toEqual([]);
  });

  it('the card\'s "Suggested reply" button shows the pending draft privately to the agent who clicks', async () => {
    const { core: c, features: f } = setup();
    const { t, d } = await ticketWithDraft(c, f);
    const res = await c.interactions.action(ACTIONS.draftShow, t.key, ctx(AGENT3));
    expect(viewText(res.ephemeral)).toContain(`Suggested reply · ${t.key}`);
    expect(buttons(res.ephemeral)[0]).toMatchObject({ actionId: ACTIONS.draftSend, value: `${t.key}|${d.id}` });
    const denied = await c.interactions.action(ACTIONS.draftShow, t.key, ctx(CUSTOMER));
    expect(viewText(denied.ephemeral)).not.toContain(d.text.slice(0, 30));
    expect(viewText(denied.ephemeral)).toContain('only support agents');
  });
});

describe('handling plan (offline)', () => {
  it('/ticket plan posts four stages with follow-ups in the thread, stores the plan, and answers privately', async () => {
    const { core: c, features: f } = setup();
    const { t } = await ticketWithDraft(c, f);
    const reply = await runCommand(c.commands, c.tickets, `plan ${t.key}`, { platform: 'local', userId: AGENT1, channelId: CHANNEL });
    expect(reply.visibility).toBe('ephemeral');
    expect(viewText(reply.view)).toContain(`Plan for ${t.key} sent to you privately`);

    const stored = f.repo.latestPlan<{ stages: { persona: string }[]; followUps: { title: string }[] }>(t.id)!;
    expect(stored.plan.stages.map((s) => s.persona)).toEqual(['support-specialist', 'operations-lead', 'analyst', 'product-manager']);
    expect(stored.createdBy).toBe(AGENT1);
    expect(c.tickets.repo.events(t.id).find((e) => e.type === 'plan_created')).toMatchObject({ actor: AGENT1, data: { planId: stored.id, path: 'offline' } });

    // Inline mode: the plan goes privately to the agent who asked, never into the requester's thread.
    expect(posts(c).filter((p) => viewText(p.view).includes('Customer need and response'))).toEqual([]);
    const [post] = planMessages(c);
    expect(post).toMatchObject({ channelId: CHANNEL, threadOfTicket: t.id, userId: AGENT1 });
    const text = viewText(post!.view);
    for (const heading of ['1. Customer need and response', '2. Handling path and ownership', '3. Resolution checks', '4. Follow-through', 'Response draft', 'Owner', 'Escalation'])
      expect(text).toContain(heading);
    const followUps = buttons(post!.view).filter((b) => b.actionId === ACTIONS.followUpCreate);
    expect(followUps.length).toBe(stored.plan.followUps.length);
    expect(followUps.length).toBeGreaterThanOrEqual(1);
    expect(followUps[0]).toMatchObject({ label: 'Create ticket', value: `${stored.id}|0` });
    for (const b of buttons(post!.view)) expect(b.value.length).toBeLessThan(2000);
  });

  it('a follow-up\'s "Create ticket" opens one new ticket (a second click opens none) and links it on the source', async () => {
    const { core: c, features: f } = setup();
    const { t } = await ticketWithDraft(c, f);
    const { planId, plan } = await f.plan(t.key, AGENT1);
    const before = c.tickets.repo.list({ limit: 100 }).length;
    const res = await c.interactions.action(ACTIONS.followUpCreate, `${planId}|0`, ctx(AGENT2));
    await f.idle();
    const all = c.tickets.repo.list({ limit: 100 });
    expect(all).toHaveLength(before + 1);
    const created = all.find((x) => x.id !== t.id && x.text.startsWith(plan.followUps[0]!.title))!;
    expect(created).toMatchObject({ requesterId: AGENT2, channelId: CHANNEL });
    expect(created.text).toContain(`Follow-up from ${t.key}`);
    expect(viewText(res.ephemeral)).toContain(`Opened ${created.key} as a follow-up of ${t.key}`);
    expect(c.tickets.repo.events(t.id).find((e) => e.type === 'note' && String(e.data.text).includes(created.key))).toBeDefined();
    // An internal follow-up gets no customer reply draft.
    expect(f.repo.latestDraft(created.id)).toBeNull();

    const again = await c.interactions.action(ACTIONS.followUpCreate, `${planId}|0`, ctx(AGENT1));
    expect(viewText(again.ephemeral)).toContain(`already ${created.key}`);
    expect(c.tickets.repo.list({ limit: 100 })).toHaveLength(before + 1);

    const bogus = await c.interactions.action(ACTIONS.followUpCreate, `${planId}|99`, ctx(AGENT1));
    expect(viewText(bogus.ephemeral)).toContain('no longer available');
  });

  it('the card\'s Plan button does the same; customers cannot ask for a plan', async () => {
    const { core: c, features: f } = setup();
    const { t } = await ticketWithDraft(c, f);
    const res = await c.interactions.action(ACTIONS.plan, t.key, ctx(AGENT2));
    expect(viewText(res.ephemeral)).toContain('sent to you privately');
    expect(planMessages(c)).toHaveLength(1);
    const denied = await runCommand(c.commands, c.tickets, `plan ${t.key}`, { platform: 'local', userId: CUSTOMER, channelId: CHANNEL });
    expect(viewText(denied.view)).toContain('is for support agents');
    const deniedButton = await c.interactions.action(ACTIONS.plan, t.key, ctx(CUSTOMER));
    expect(viewText(deniedButton.ephemeral)).toContain('only support agents');
    expect(planMessages(c)).toHaveLength(1);
    const usage = await runCommand(c.commands, c.tickets, 'plan', { platform: 'local', userId: AGENT1, channelId: CHANNEL });
    expect(viewText(usage.view)).toContain('Which ticket?');
  });
});
