/**
 * Resolution and CSAT end to end through the real Bolt app against the fake Slack: the Resolve
 * button opens the resolution-note modal, the note lands on the timeline (never in the
 * customer's thread), the requester's thread gets the resolution message with 1–5 buttons and
 * "Still broken", only the requester's rating counts, it can be changed for 24 hours (the
 * injected clock), and "Still broken" reopens the ticket. Plus the confirm step before
 * resolving someone else's ticket, and a customer's App Home without agent actions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/domain/types.js';
import { CsatRepo } from '../../src/store/csat-repo.js';
import { blockText, type SlackCall } from '../fakes/fake-slack.js';
import { AGENT, AGENT2, blockAction, CHANNEL, CUSTOMER, closeAll, type Harness, message, nextTs, sendEvent, sendInteraction, settle, startHarness, until } from './support.js';

let h: Harness;
afterEach(closeAll);

const H = 3_600_000;

async function openTicket(x: Harness, text = 'Exports to CSV fail with a timeout for large workspaces'): Promise<{ ts: string; t: Ticket }> {
  const ts = nextTs();
  await sendEvent(x, message({ ts, text }));
  const t = await until(() => x.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
  await until(() => x.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
  return { ts, t: x.core.tickets.repo.get(t.id)! };
}

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON is inspected freely
function buttons(blocks: any[]): { action_id: string; value: string; text: string }[] {
  return blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements)
    // biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON
    .map((e: any) => ({ action_id: e.action_id, value: e.value, text: e.text?.text }));
}

/** Click as `user` and return the private answer that came back via response_url. */
async function click(x: Harness, actionId: string, value: string, user: string, messageTs: string, threadTs?: string): Promise<SlackCall> {
  const before = x.fake.callsOf('response_url').length;
  await sendInteraction(x, blockAction(x, { actionId, value, user, messageTs, threadTs }));
  return until(() => x.fake.callsOf('response_url')[before], `answer to ${actionId}`);
}

describe('Slack: resolve → note → CSAT', () => {
  it('resolving opens the note modal; the requester gets the CSAT question in their thread and rates it; others are refused; 24 h to change', async () => {
    h = await startHarness();
    const { ts, t } = await openTicket(h);

    // The agent resolves from the card: the note modal opens.
    await sendInteraction(h, blockAction(h, { actionId: 'ticket.resolve', value: t.key, messageTs: t.cardMessageId!, threadTs: ts }));
    const modal = await h.fake.waitFor((c) => c.method === 'views.open');
    expect(modal.args.view.callback_id).toBe('form.resolution_note');
    expect(h.core.tickets.repo.get(t.id)!.status).toBe('resolved');
    await sendInteraction(h, {
      type: 'view_submission',
      user: { id: AGENT },
      trigger_id: 'trigger.submit',
      view: { id: 'V0NOTE', hash: 'h', type: 'modal', callback_id: 'form.resolution_note', private_metadata: modal.args.view.private_metadata, state: { values: { note: { note: { type: 'plain_text_input', value: 'Raised the export timeout to 120 s' } } } } },
    });
    await until(() => h.core.tickets.repo.events(t.id).find((e) => e.type === 'resolution_note'), 'resolution note');
    expect(h.core.tickets.repo.events(t.id).find((e) => e.type === 'resolution_note')!.data).toEqual({ text: 'Raised the export timeout to 120 s' });

    // The customer's thread: the resolution message with 1–5 and Still broken.
    const ask = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && buttons(c.args.blocks ?? []).some((b) => b.action_id === 'csat.rate'));
    expect(ask.args).toMatchObject({ channel: CHANNEL, thread_ts: ts });
    expect(buttons(ask.args.blocks)).toEqual([
      ...['😞', '🙁', '😐', '🙂', '😀'].map((face, i) => ({ action_id: 'csat.rate', value: `${t.key}|${i + 1}`, text: `${face} ${i + 1}` })),
      { action_id: 'csat.still_broken', value: t.key, text: 'Still broken' },
    ]);
    expect(blockText(ask.args.blocks)).toContain(`*${t.key} is resolved.*`);
    await settle(h);
    // The note is internal: it reached no message at all.
    for (const c of h.fake.calls) expect(JSON.stringify(c.args)).not.toContain('Raised the export timeout');
    const askTs = ask.args.ts ?? '1773136999.000001';

    // Someone else clicks: a clear private answer, nothing recorded.
    const other = await click(h, 'csat.rate', `${t.key}|1`, 'U0OTHERCUST', askTs, ts);
    expect(other.args.response_type).toBe('ephemeral');
    expect(blockText(other.args.blocks)).toContain('Only the person who asked for help');
    const agentTry = await click(h, 'csat.rate', `${t.key}|1`, AGENT2, askTs, ts);
    expect(blockText(agentTry.args.blocks)).toContain('Only the person who asked for help');
    const repo = new CsatRepo(h.core.db);
    expect(repo.get(t.id)!.rating).toBeNull();

    // The requester rates 4; changes to 5 within 24 h; a change after 24 h is refused.
    const first = await click(h, 'csat.rate', `${t.key}|4`, CUSTOMER, askTs, ts);
    expect(blockText(first.args.blocks)).toContain(`You rated *${t.key}* 🙂 4/5`);
    h.clock.advance(23 * H);
    const second = await click(h, 'csat.rate', `${t.key}|5`, CUSTOMER, askTs, ts);
    expect(blockText(second.args.blocks)).toContain(`Your rating for *${t.key}* is now 😀 5/5`);
    h.clock.advance(2 * H);
    const late = await click(h, 'csat.rate', `${t.key}|2`, CUSTOMER, askTs, ts);
    expect(blockText(late.args.blocks)).toContain('can no longer be changed');
    expect(repo.get(t.id)!.rating).toBe(5);

    // The timeline has the ratings, by the requester.
    const rated = h.core.tickets.repo.events(t.id).filter((e) => e.type === 'csat_rated');
    expect(rated.map((e) => [e.actor, e.data.rating, e.data.previous])).toEqual([
      [CUSTOMER, 4, null],
      [CUSTOMER, 5, 4],
    ]);
  });

  it('"Still broken" reopens the ticket for the requester only; resolving again asks again', async () => {
    h = await startHarness();
    const { ts, t } = await openTicket(h);
    await sendInteraction(h, blockAction(h, { actionId: 'ticket.resolve', value: t.key, messageTs: t.cardMessageId!, threadTs: ts }));
    const ask = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && buttons(c.args.blocks ?? []).some((b) => b.action_id === 'csat.still_broken'));
    const askTs = ask.args.ts;

    const refused = await click(h, 'csat.still_broken', t.key, AGENT2, askTs, ts);
    expect(blockText(refused.args.blocks)).toContain('Only the person who asked for help');
    expect(h.core.tickets.repo.get(t.id)!.status).toBe('resolved');

    const reopened = await click(h, 'csat.still_broken', t.key, CUSTOMER, askTs, ts);
    expect(blockText(reopened.args.blocks)).toContain(`*${t.key}* is open again`);
    const now = h.core.tickets.repo.get(t.id)!;
    expect(now.status).toBe('in_progress');
    expect(h.core.tickets.repo.events(t.id).find((e) => e.type === 'reopened')).toMatchObject({ actor: CUSTOMER });
    // The card shows it open again.
    await until(() => h.fake.callsOf('chat.update').some((c) => c.args.ts === t.cardMessageId && blockText(c.args.blocks).includes('In progress')), 'card updated');

    // A rating while it is open again records nothing.
    const early = await click(h, 'csat.rate', `${t.key}|5`, CUSTOMER, askTs, ts);
    expect(blockText(early.args.blocks)).toContain('nothing to rate yet');

    // Resolved again (by reaction): the question is asked again.
    await sendEvent(h, { type: 'reaction_added', user: AGENT, reaction: 'white_check_mark', item: { type: 'message', channel: CHANNEL, ts: t.cardMessageId }, event_ts: '1.1' });
    await until(() => h.fake.callsOf('chat.postMessage').filter((c) => buttons(c.args.blocks ?? []).some((b) => b.action_id === 'csat.rate')).length === 2, 'asked again');
    // Without a form handle, the resolving agent gets a private prompt for the note.
    const prompt = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === AGENT && buttons(c.args.blocks ?? []).some((b) => b.action_id === 'ticket.resolution_note'));
    expect(prompt.args.channel).toBe(CHANNEL);
  });

  it('in triage mode: the note stays internal, the CSAT question goes to the customer thread, the resolved line to the internal thread', async () => {
    const TRIAGE = 'C0TRIAGE';
    h = await startHarness({ config: { channels: [{ id: CHANNEL }], triageChannel: TRIAGE } });
    const ts = nextTs();
    await sendEvent(h, message({ ts, text: 'Exports to CSV fail with a timeout for large workspaces' }));
    const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
    const cardTs = await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
    await sendInteraction(h, blockAction(h, { actionId: 'ticket.resolve', value: t.key, channel: TRIAGE, messageTs: cardTs }));
    await h.fake.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'form.resolution_note');
    const ask = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && buttons(c.args.blocks ?? []).some((b) => b.action_id === 'csat.rate'));
    expect(ask.args).toMatchObject({ channel: CHANNEL, thread_ts: ts });
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && c.args.thread_ts === cardTs && String(c.args.text).includes('was resolved by'));
    await settle(h);
    // The customer's channel got the acknowledgement and the CSAT question, nothing else.
    const intoCustomer = h.fake.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.args.channel === CHANNEL);
    expect(intoCustomer).toHaveLength(2);
    expect(intoCustomer.every((c) => buttons(c.args.blocks ?? []).every((b) => b.action_id.startsWith('csat.')))).toBe(true);
  });

  it('in triage mode, ✅ on the card: the confirm step and the note prompt come privately in the ticket\'s internal thread, not loose in the triage channel', async () => {
    const TRIAGE = 'C0TRIAGE';
    h = await startHarness({ config: { channels: [{ id: CHANNEL }], triageChannel: TRIAGE } });
    const ts = nextTs();
    await sendEvent(h, message({ ts, text: 'Exports to CSV fail with a timeout for large workspaces' }));
    const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
    const cardTs = await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
    h.core.tickets.assign(t.key, AGENT2, AGENT2);
    const check = { type: 'reaction_added', reaction: 'white_check_mark', item: { type: 'message', channel: TRIAGE, ts: cardTs } };

    // Someone else's ticket: the reacting agent is asked first, in the internal thread.
    await sendEvent(h, { ...check, user: AGENT, event_ts: '1.2' });
    const confirm = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === AGENT && buttons(c.args.blocks ?? []).some((b) => b.action_id === 'ticket.resolve_confirmed'));
    expect(confirm.args).toMatchObject({ channel: TRIAGE, thread_ts: cardTs });
    expect(h.core.tickets.repo.get(t.id)!.status).not.toBe('resolved');

    // The owner's ✅ resolves; the resolution-note prompt comes to them in the internal thread too.
    await sendEvent(h, { ...check, user: AGENT2, event_ts: '1.3' });
    const prompt = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === AGENT2 && buttons(c.args.blocks ?? []).some((b) => b.action_id === 'ticket.resolution_note'));
    expect(prompt.args).toMatchObject({ channel: TRIAGE, thread_ts: cardTs });
    expect(h.core.tickets.repo.get(t.id)!.status).toBe('resolved');
    await settle(h);
    // Nothing about either reached the customer's channel.
    for (const c of h.fake.calls.filter((x) => x.args.channel === CHANNEL)) expect(JSON.stringify(c.args)).not.toMatch(/resolution_note|resolve_confirmed/);
  });

  it('resolving someone else\'s ticket asks for confirmation first', async () => {
    h = await startHarness();
    const { ts, t } = await openTicket(h);
    h.core.tickets.assign(t.key, AGENT2, AGENT2);
    const confirm = await click(h, 'ticket.resolve', t.key, AGENT, t.cardMessageId!, ts);
    expect(blockText(confirm.args.blocks)).toContain(`*${t.key}* is owned by <@${AGENT2}>. Resolve it anyway?`);
    expect(buttons(confirm.args.blocks)).toEqual([{ action_id: 'ticket.resolve_confirmed', value: `${t.key}|`, text: 'Resolve anyway' }]);
    expect(h.core.tickets.repo.get(t.id)!.status).not.toBe('resolved');
    expect(h.fake.callsOf('views.open')).toHaveLength(0);
    await sendInteraction(h, blockAction(h, { actionId: 'ticket.resolve_confirmed', value: `${t.key}|`, user: AGENT, messageTs: t.cardMessageId!, threadTs: ts }));
    await h.fake.waitFor((c) => c.method === 'views.open');
    expect(h.core.tickets.repo.get(t.id)!.status).toBe('resolved');
  });
});
