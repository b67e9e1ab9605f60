/**
 * After an agent changes a ticket's priority or category (the card's selects), the refreshed
 * card says why it has its current value — who set it and what it was — and shows triage's
 * signals only as the superseded original triage. Real core, real Bolt app, fake Slack API:
 * the assertions read the chat.update that crossed the wire.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/views/action-ids.js';
import { blockText, type SlackCall } from '../fakes/fake-slack.js';
import { AGENT, blockAction, CHANNEL, closeAll, type Harness, message, nextTs, sendEvent, sendInteraction, startHarness, until } from './support.js';

afterEach(closeAll);

/** The value of the `Priority` / `Category` field of a rendered card (Slack mrkdwn: label line, value line). */
function field(call: SlackCall, label: string): string {
  const lines = blockText(call.args.blocks).split('\n');
  const i = lines.indexOf(`*${label}*`);
  if (i < 0 || i + 1 >= lines.length) throw new Error(`no ${label} field in ${lines.join('\n')}`);
  return lines[i + 1]!;
}

async function p0Ticket(h: Harness) {
  const ts = nextTs();
  await sendEvent(h, message({ ts, text: 'Production is down for all users: nobody can log in since 09:50' }));
  const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
  return until(() => {
    const x = h.core.tickets.repo.get(t.id)!;
    return x.cardMessageId ? x : null;
  }, 'card posted');
}

describe('the card after a manual change', () => {
  it('P0 → P1 with the select: "set by <@agent> (was P0)"; the P0 reasons are shown as the superseded original triage', async () => {
    const h = await startHarness();
    const t = await p0Ticket(h);
    expect(t.priority).toBe('P0');
    const posted = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && blockText(c.args.blocks).includes(t.key));
    const triageReason = field(posted, 'Priority').split(' — ')[1]!;
    expect(triageReason).not.toBe('no strong signal');

    await sendInteraction(h, blockAction(h, { actionId: ACTIONS.priority, selected: `${t.key}|P1`, messageTs: t.cardMessageId! }));
    const upd = await h.fake.waitFor((c) => c.method === 'chat.update' && c.outcome === 'ok' && blockText(c.args.blocks).includes('P1 · high'));
    expect(upd.args.ts).toBe(t.cardMessageId);
    const pri = field(upd, 'Priority');
    expect(pri).toContain(`*P1 · high* — set by <@${AGENT}> (was P0)`);
    expect(pri).not.toContain(triageReason);
    const text = blockText(upd.args.blocks);
    expect(text).toMatch(/_Original triage, superseded by an agent:_ priority P0 — /);
    expect(text).toContain(`priority P0 — ${triageReason}`);
  });

  it('a category change names who set it and keeps the triage reasons only as the original triage', async () => {
    const h = await startHarness();
    const t = await p0Ticket(h);
    expect(t.category).not.toBe('billing');
    await sendInteraction(h, blockAction(h, { actionId: ACTIONS.category, selected: `${t.key}|billing`, messageTs: t.cardMessageId! }));
    const upd = await h.fake.waitFor((c) => c.method === 'chat.update' && c.outcome === 'ok' && blockText(c.args.blocks).includes('*billing*'));
    expect(field(upd, 'Category')).toBe(`*billing* — set by <@${AGENT}> (was ${t.category})`);
    expect(blockText(upd.args.blocks)).toMatch(new RegExp(`_Original triage, superseded by an agent:_ category ${t.category} — matched`));
  });
});
