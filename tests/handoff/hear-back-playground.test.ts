/**
 * Hearing back from GitHub in the playground, through its HTTP API against a real core and the
 * real @octokit/rest client on the fake GitHub: a signed "closed" delivery puts a line and a
 * prompt with a drafted update in each linked ticket's internal thread in #triage; Send tells
 * that customer exactly the update, Dismiss tells the other nothing; what each customer can see
 * holds nothing internal. In inline mode (no triage channel) the prompt goes to the owner as a
 * DM, never into the requester's thread, and Send from the DM works the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installHearBack } from '../../src/handoff/hear-back.js';
import { installHandoff } from '../../src/handoff/install.js';
import { fromTrackers } from '../../src/handoff/targets.js';
import { createTrackers } from '../../src/trackers/index.js';
import { FakeGithub } from '../fakes/fake-github.js';
import { type RunningPlayground, call, startPlayground, T0, textOf, waitFor } from '../local/playground-harness.js';
import { createAndLink, deliver } from './hear-back-support.js';

interface Rendered {
  id: string;
  threadId: string | null;
  kind: string;
  visibleTo: string | null;
  html: string;
  authorId: string;
}

const SECRET = 'gh-secret-playground';
const INTERNAL = /acme\/app|GitHub|fix_update|agents only|Drafted|octocat|data-action-id/i;

let pg: RunningPlayground | undefined;
let gh: FakeGithub | undefined;
afterEach(async () => {
  await pg?.close();
  await gh?.close();
  pg = undefined;
  gh = undefined;
});

let ghTime = T0 + 5 * 60_000;

async function start(triage: boolean) {
  gh = await FakeGithub.start({ clock: { now: () => (ghTime += 1000) } });
  pg = await startPlayground({ playground: { triage }, env: { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url, GITHUB_WEBHOOK_SECRET: SECRET }, config: { trackers: { github: { repo: 'acme/app' } } } });
  const trackers = createTrackers(pg.core.config, pg.core.env, { clock: pg.core.clock });
  const port = trackers.ports.get('github')!;
  installHearBack(pg.core, trackers, { schedule: false });
  const handoff = installHandoff(pg.core, { trackers: fromTrackers(pg.core.config, trackers) });
  const p = pg;
  const list = async (as: string, channel: string) => (await call<{ messages: Rendered[] }>(p.base, 'GET', `/channels/${encodeURIComponent(channel)}/messages`, as)).messages;
  const say = (as: string, text: string) => call<{ message: { id: string }; outcome: { ticket?: string } }>(p.base, 'POST', '/messages', as, { channelId: 'support', text });
  const value = (html: string, actionId: string) => new RegExp(`data-action-id="${actionId}" data-value="([^"]+)"`).exec(html)![1]!.replace(/&amp;/g, '&');
  return { p, gh, port, handoff, list, say, value };
}

describe('hear back from GitHub in the playground', () => {
  it('triage mode: each linked ticket’s internal thread gets the line and the prompt; Send tells one customer, Dismiss tells the other nothing', async () => {
    const { p, gh, port, list, say, value } = await start(true);
    const a = await say('alex', 'Exports to CSV time out for our workspace since this morning');
    const b = await say('priya', 'The CSV export gives us an error page every time');
    const ta = p.core.tickets.require(a.outcome.ticket!);
    const tb = p.core.tickets.require(b.outcome.ticket!);
    const cardA = await waitFor(() => p.core.tickets.repo.get(ta.id)?.cardMessageId, 'card A');
    const cardB = await waitFor(() => p.core.tickets.repo.get(tb.id)?.cardMessageId, 'card B');
    const issue = await createAndLink(p.core, port, 'acme/app', [ta.id, tb.id], 'dana');
    await p.core.outbox.drain();
    const seenBefore = { alex: (await list('alex', 'support')).length, priya: (await list('priya', 'support')).length };

    gh.closeIssue(issue.key);
    const res = await deliver(p.base, '/webhooks/github', gh.delivery('issues', gh.issuesPayload(issue.key, 'closed', 'octocat'), SECRET));
    expect(res.json).toMatchObject({ ok: true, lines: 2, prompts: 2 });

    const internal = async (cardId: string) => (await list('dana', 'triage')).filter((m) => m.threadId === cardId);
    const promptIn = (cardId: string) => waitFor(async () => (await internal(cardId)).find((m) => m.html.includes('data-action-id="fix_update.send"')), 'the prompt');
    const pa = await promptIn(cardA);
    const pb = await promptIn(cardB);
    for (const cardId of [cardA, cardB]) expect((await internal(cardId)).some((m) => textOf(m.html).includes('acme/app#1 was closed'))).toBe(true);
    expect(textOf(pa.html)).toContain('Good news — the fix for the problem you reported');

    // Dana sends A's update; Sam dismisses B's.
    await call(p.base, 'POST', '/actions', 'dana', { actionId: 'fix_update.send', value: value(pa.html, 'fix_update.send'), messageId: pa.id });
    await call(p.base, 'POST', '/actions', 'sam', { actionId: 'fix_update.dismiss', value: value(pb.html, 'fix_update.dismiss'), messageId: pb.id });
    // A second click on the sent prompt (a stale copy) sends nothing more.
    await call(p.base, 'POST', '/actions', 'sam', { actionId: 'fix_update.send', value: value(pa.html, 'fix_update.send'), messageId: pa.id });
    await p.core.outbox.drain();

    const alexSees = (await list('alex', 'support')).slice(seenBefore.alex);
    expect(alexSees.map((m) => [m.authorId, m.threadId, m.kind, m.visibleTo])).toEqual([['dana', a.message.id, 'message', null]]);
    expect(textOf(alexSees[0]!.html)).toContain('Good news — the fix for the problem you reported ("Exports to CSV time out');
    expect(alexSees[0]!.html).not.toMatch(INTERNAL);
    // Priya's thread got nothing: her update was dismissed.
    expect((await list('priya', 'support')).slice(seenBefore.priya).filter((m) => m.threadId === b.message.id)).toEqual([]);
    // Everything Alex can see anywhere is free of tracker chatter.
    for (const m of await list('alex', 'support')) expect(textOf(m.html)).not.toMatch(INTERNAL);

    // The prompts show how they were decided, without buttons.
    const after = await internal(cardA);
    expect(after.find((m) => m.id === pa.id)!.html).not.toContain('data-action-id');
    expect(textOf(after.find((m) => m.id === pa.id)!.html)).toContain('Sent to the customer');
    expect(textOf((await internal(cardB)).find((m) => m.id === pb.id)!.html)).toContain('Dismissed');
    expect(p.core.tickets.repo.events(ta.id).filter((e) => e.type === 'fix_update_sent')).toHaveLength(1);
    expect(p.core.tickets.repo.events(tb.id).map((e) => e.type)).toContain('fix_update_dismissed');
    expect(p.core.tickets.repo.events(tb.id).filter((e) => e.type === 'replied')).toHaveLength(0);
  });

  it('inline mode: the prompt goes to the owner as a DM (never the requester’s thread); Edit from the DM sends the edited text', async () => {
    const { p, gh, port, list, say, value } = await start(false);
    const a = await say('alex', 'Exports to CSV time out for our workspace since this morning');
    const t = p.core.tickets.require(a.outcome.ticket!);
    p.core.tickets.assign(t.key, 'dana', 'dana');
    const issue = await createAndLink(p.core, port, 'acme/app', [t.id], 'dana');
    await p.core.outbox.drain();
    const before = (await list('alex', 'support')).length;

    gh.closeIssue(issue.key);
    expect((await deliver(p.base, '/webhooks/github', gh.delivery('issues', gh.issuesPayload(issue.key, 'closed'), SECRET))).status).toBe(200);
    await p.core.outbox.drain();
    const dm = await waitFor(async () => (await list('dana', 'dm:dana')).find((m) => m.html.includes('data-action-id="fix_update.edit"')), 'the DM prompt');
    // Alex saw nothing of it (no line, no prompt, no ephemeral).
    expect((await list('alex', 'support')).slice(before)).toEqual([]);

    await call(p.base, 'POST', '/actions', 'dana', { actionId: 'fix_update.edit', value: value(dm.html, 'fix_update.edit'), messageId: dm.id });
    const form = p.pg.store.openFormsFor('dana')[0]!;
    expect(form.form.formId).toBe('form.fix_update');
    await call(p.base, 'POST', `/forms/${form.id}`, 'dana', { values: { text: 'Hi Alex, exports work again — thanks for your patience!' } });
    await p.core.outbox.drain();
    const got = (await list('alex', 'support')).slice(before);
    expect(got.map((m) => [m.authorId, m.threadId, m.kind])).toEqual([['dana', a.message.id, 'message']]);
    expect(textOf(got[0]!.html)).toContain('exports work again');
    // The DM prompt was replaced by its decided form (no stale buttons).
    await waitFor(async () => (await list('dana', 'dm:dana')).find((m) => m.id === dm.id && !m.html.includes('data-action-id') && textOf(m.html).includes('(edited)')), 'the DM prompt decided');
  });

  it('linked through the hand-off flow (Escalate to engineering → preview → Create issue; Link for a second ticket): the close reaches both, and the card shows it', async () => {
    const { p, gh, handoff, list, say, value } = await start(true);
    const a = await say('alex', 'Exports to CSV time out for our workspace since this morning');
    const b = await say('priya', 'The CSV export gives us an error page every time');
    const ta = p.core.tickets.require(a.outcome.ticket!);
    const tb = p.core.tickets.require(b.outcome.ticket!);
    const cardA = await waitFor(() => p.core.tickets.repo.get(ta.id)?.cardMessageId, 'card A');
    const cardB = await waitFor(() => p.core.tickets.repo.get(tb.id)?.cardMessageId, 'card B');
    await p.core.outbox.drain();

    // Dana escalates A from its card: the preview form, then Create issue.
    const card = (await list('dana', 'triage')).find((m) => m.id === cardA)!;
    await call(p.base, 'POST', '/actions', 'dana', { actionId: 'handoff.escalate', value: value(card.html, 'handoff.escalate'), messageId: cardA });
    const preview = p.pg.store.openFormsFor('dana').find((f) => f.form.formId === 'form.handoff_preview')!;
    const initial = Object.fromEntries(preview.form.fields.map((f) => [f.id, f.type === 'text' || f.type === 'select' ? (f.initial ?? '') : '']));
    await call(p.base, 'POST', `/forms/${preview.id}`, 'dana', { values: initial });
    const key = await waitFor(() => p.core.tickets.repo.events(ta.id).find((e) => e.type === 'tracker_linked')?.data.key as string | undefined, 'the issue linked to A');
    expect(gh.issues).toHaveLength(1);
    // B is linked to the same issue (as "Link to issue…" → pick does).
    await handoff.linkExisting([tb.key], { tracker: 'github', key }, 'sam', 'search');
    await p.core.outbox.drain();

    gh.closeIssue(key);
    const res = await deliver(p.base, '/webhooks/github', gh.delivery('issues', gh.issuesPayload(key, 'closed', 'octocat'), SECRET));
    expect(res.json).toMatchObject({ ok: true, states: 1, lines: 2, prompts: 2 });
    await p.core.outbox.drain();
    for (const cardId of [cardA, cardB]) {
      const inThread = (await list('dana', 'triage')).filter((m) => m.threadId === cardId);
      expect(inThread.filter((m) => m.html.includes('data-action-id="fix_update.send"'))).toHaveLength(1);
      // The card's engineering row shows the issue closed.
      const cardNow = (await list('dana', 'triage')).find((m) => m.id === cardId)!;
      expect(textOf(cardNow.html)).toMatch(new RegExp(`${key.replace(/[/#]/g, '.')}[^\\n]*closed`));
    }
    expect(p.core.tickets.repo.events(tb.id).map((e) => e.type)).toEqual(expect.arrayContaining(['tracker_linked', 'tracker_state', 'fix_update_prompted']));
    // `/ticket show` tells the story on the timeline, in words.
    await call(p.base, 'POST', '/messages', 'dana', { channelId: 'triage', text: `/ticket show ${tb.key}` });
    const shown = await waitFor(async () => (await list('dana', 'triage')).find((m) => m.kind === 'ephemeral' && textOf(m.html).includes(`${tb.key} ·`)), 'the ticket view');
    expect(textOf(shown.html)).toContain(`issue ${key}: open → closed by @octocat (webhook)`);
    expect(textOf(shown.html)).toContain(`issue ${key} closed: customer update drafted`);
  });
});
