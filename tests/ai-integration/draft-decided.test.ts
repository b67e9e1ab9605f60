/**
 * A suggested reply once decided, on the wire. Slack (real Bolt app, fake Slack API): the agent
 * who clicks Send sees their copy of the draft replaced (no buttons; who sent it and when); a
 * second agent clicking Send on their stale copy is told privately who already sent it — a real
 * mention, not escaped text — and that copy loses its buttons too. The playground renders the
 * same answer with the person's name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installAi } from '../../src/ai/install.js';
import { ACTIONS } from '../../src/views/action-ids.js';
import { blockText, type SlackCall } from '../fakes/fake-slack.js';
import { call, type RunningPlayground, startPlayground, textOf, waitFor } from '../local/playground-harness.js';
import { AGENT, AGENT2, blockAction, CHANNEL, CUSTOMER, closeAll, message, nextTs, sendEvent, sendInteraction, startHarness, until } from '../slack/support.js';
import { PROMPTS_DIR } from './helpers.js';

const WAIT = 20_000;
let pg: RunningPlayground | undefined;
afterEach(async () => {
  await closeAll();
  await pg?.close();
  pg = undefined;
});

/** Block Kit action ids in a message's blocks. */
function actionIds(blocks: unknown): string[] {
  return ((blocks as { type: string; elements?: { action_id: string }[] }[]) ?? []).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []).map((e) => e.action_id) : []));
}

describe('a sent suggested reply', () => {
  it('Slack: the clicked copy is replaced without buttons; a stale copy answers "already sent by <@agent>" as a real mention and loses its buttons', async () => {
    const h = await startHarness({
      config: { teams: [{ id: 'support', members: [AGENT, AGENT2], routing: 'none' }], personas: { dir: PROMPTS_DIR }, ai: { timeout: '0.5s', maxRetries: 0 } },
    });
    const f = installAi(h.core);
    const ts = nextTs();
    await sendEvent(h, message({ ts, text: 'The CSV export stops at 10,000 rows and our finance report is incomplete', user: CUSTOMER }));
    const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket', WAIT);
    await f.idle();
    const d = f.repo.latestDraft(t.id)!;
    const copyFor = (user: string) =>
      h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === user && actionIds(c.args.blocks).includes(ACTIONS.draftSend), WAIT);
    await copyFor(AGENT);
    await copyFor(AGENT2);
    const value = `${t.key}|${d.id}`;

    await sendInteraction(h, blockAction(h, { actionId: ACTIONS.draftSend, value, user: AGENT, threadTs: ts }));
    const replaced = await h.fake.waitFor((c) => c.method === 'response_url' && c.args.replace_original === true, WAIT);
    expect(actionIds(replaced.args.blocks)).toEqual([]);
    // 2026-03-10 10:00 UTC is the harness clock.
    expect(blockText(replaced.args.blocks)).toContain(`*Sent* by <@${AGENT}> at Tue 10 Mar 10:00 UTC`);
    expect(blockText(replaced.args.blocks)).toContain(d.text.split('\n')[0]!.slice(0, 40));
    await h.fake.waitFor((c) => c.method === 'response_url' && blockText(c.args.blocks).includes('Reply sent'), WAIT);
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts && c.args.text === d.text, WAIT);

    const before = h.fake.callsOf('response_url').length;
    await sendInteraction(h, blockAction(h, { actionId: ACTIONS.draftSend, value, user: AGENT2, threadTs: ts }));
    await until(() => h.fake.callsOf('response_url').length >= before + 2, 'two answers to the stale click', WAIT);
    const answers: SlackCall[] = h.fake.callsOf('response_url').slice(before);
    const notice = answers.find((c) => c.args.replace_original === false)!;
    expect(notice.args.response_type).toBe('ephemeral');
    const said = blockText(notice.args.blocks);
    expect(said).toContain(`was already sent by <@${AGENT}> at Tue 10 Mar 10:00 UTC`);
    expect(said).not.toContain('&lt;');
    expect(said).not.toContain('\\<');
    const stale = answers.find((c) => c.args.replace_original === true)!;
    expect(actionIds(stale.args.blocks)).toEqual([]);
    expect(blockText(stale.args.blocks)).toContain(`*Sent* by <@${AGENT}>`);
    // Sent once.
    await h.core.outbox.drain();
    expect(h.fake.callsOf('chat.postMessage').filter((c) => c.args.text === d.text)).toHaveLength(1);
  });

  it('playground: the clicked copy is updated in place without buttons, and the stale-click answer names the person', async () => {
    pg = await startPlayground({ ai: true });
    const p = pg;
    const res = await call<{ outcome: { ticket: string } }>(p.base, 'POST', '/messages', 'alex', { channelId: 'support', text: 'Login with SSO fails for me since this morning: "invalid SAMLResponse"' });
    const key = res.outcome.ticket;
    const cardId = await waitFor(() => p.core.tickets.repo.getByKey(key)?.cardMessageId, 'card');
    await call(p.base, 'POST', '/actions', 'dana', { actionId: 'ticket.assign_me', value: key, messageId: cardId });
    const list = async () => (await call<{ messages: { id: string; kind: string; visibleTo: string | null; threadId: string | null; html: string }[] }>(p.base, 'GET', '/channels/support/messages', 'dana')).messages;
    const copy = await waitFor(async () => (await list()).find((m) => m.kind === 'ephemeral' && m.html.includes('data-action-id="draft.send"')), 'the draft for dana');
    const value = /data-action-id="draft.send" data-value="([^"]+)"/.exec(copy.html)![1]!.replace(/&amp;/g, '&');

    await call(p.base, 'POST', '/actions', 'dana', { actionId: 'draft.send', value, messageId: copy.id });
    const after = (await list()).find((m) => m.id === copy.id)!;
    expect(after.html).not.toContain('data-action-id');
    expect(textOf(after.html)).toMatch(/Sent by @Dana Whitfield at Tue 24 Nov 10:00 UTC/);

    // The same copy clicked again (say, from a tab that had not refreshed): a private answer with the name.
    await call(p.base, 'POST', '/actions', 'dana', { actionId: 'draft.send', value, messageId: copy.id });
    const answer = await waitFor(async () => (await list()).find((m) => m.kind === 'ephemeral' && textOf(m.html).includes('already sent')), 'the answer');
    expect(textOf(answer.html)).toContain('was already sent by @Dana Whitfield at Tue 24 Nov 10:00 UTC');
    expect(answer.html).toContain('class="mention"');
    expect(answer.html).not.toContain('&lt;@dana');
  });
});
