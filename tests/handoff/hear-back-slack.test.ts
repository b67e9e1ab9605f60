/**
 * Hearing back from GitHub on Slack, end to end: two tickets from two customers linked to one
 * issue created through the real @octokit/rest client on the fake GitHub; a signed `issues`
 * "closed" delivery to POST /webhooks/github → a line and a prompt with a drafted update in EACH
 * ticket's internal thread (asserted on what crossed the wire to the fake Slack) → Send / Edit →
 * each customer gets exactly their update and nothing internal. A bad signature is refused and
 * changes nothing; a replayed delivery is acknowledged and ignored; the polling fallback picks
 * up changes no webhook reported, and a change seen by both acts once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installHearBack } from '../../src/handoff/hear-back.js';
import { createTrackers } from '../../src/trackers/index.js';
import { TrackerRepo } from '../../src/store/tracker-repo.js';
import { FakeGithub } from '../fakes/fake-github.js';
import { blockText, type SlackCall } from '../fakes/fake-slack.js';
import { AGENT, AGENT2, blockAction, CHANNEL, CUSTOMER, closeAll, type Harness, message, nextTs, sendEvent, sendInteraction, settle, startHarness, until } from '../slack/support.js';
import { createAndLink, deliver } from './hear-back-support.js';

const TRIAGE = 'C0TRIAGE';
const CUSTOMER2 = 'U0CUST2';
const SECRET = 'gh-webhook-secret';
const INTERNAL = /acme\/app|GitHub|closed|fix_update|agents only|Drafted|octocat|dev-alice|issue/i;

let gh: FakeGithub | undefined;
afterEach(async () => {
  await closeAll();
  await gh?.close();
  gh = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: Block Kit arrives as free-form JSON
const actionIds = (blocks: any): string[] =>
  (Array.isArray(blocks) ? blocks : []).filter((b: { type: string }) => b.type === 'actions').flatMap((b: { elements: { action_id: string }[] }) => b.elements.map((e) => e.action_id));
// biome-ignore lint/suspicious/noExplicitAny: Block Kit arrives as free-form JSON
const buttonValue = (blocks: any, actionId: string): string =>
  (blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId)!.value;

/** Posts (and updates) that reached a channel. */
const wireInto = (h: Harness, channel: string): SlackCall[] =>
  h.fake.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.outcome === 'ok' && c.args.channel === channel);
/** Posts in a ticket's internal thread (the card's thread in the triage channel). */
const internalPosts = (h: Harness, cardTs: string): SlackCall[] =>
  h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && c.args.channel === TRIAGE && c.args.thread_ts === cardTs);

/** GitHub's clock: one second further on every change the fake makes. */
let ghTime = Date.UTC(2026, 2, 10, 10, 5, 0);
const ghClock = { now: () => (ghTime += 1000) };

async function desk(secret: Record<string, string> = { GITHUB_WEBHOOK_SECRET: SECRET }) {
  gh = await FakeGithub.start({ clock: ghClock });
  const h = await startHarness({
    config: { channels: [{ id: CHANNEL }], triageChannel: TRIAGE, teams: [{ id: 'support', members: [AGENT, AGENT2], routing: 'none' }], trackers: { github: { repo: 'acme/app' } } },
    env: { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url, ...secret },
  });
  // The trackers as the composition root builds them: config + environment.
  const trackers = createTrackers(h.core.config, h.core.env, { clock: h.clock });
  const port = trackers.ports.get('github')!;
  const hb = installHearBack(h.core, trackers, { schedule: false });
  const base = h.url.replace(/\/slack\/events$/, '');
  return { h, gh, port, hb, base };
}

async function ticketFrom(h: Harness, user: string, text: string) {
  const ts = nextTs();
  await sendEvent(h, message({ ts, text, user }));
  const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
  const cardTs = await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
  return { t, ts, cardTs };
}

describe('hear back from GitHub on Slack', () => {
  it('a signed "closed" webhook reaches every linked ticket’s internal thread with a drafted update; Send and Edit tell each customer exactly that, once', async () => {
    const { h, gh, port, base } = await desk();
    const a = await ticketFrom(h, CUSTOMER, 'Export to CSV fails with a 502 every time since yesterday');
    const b = await ticketFrom(h, CUSTOMER2, 'CSV export is broken for our workspace, we get an error page');
    h.core.tickets.assign(a.t.key, AGENT, AGENT);
    const issue = await createAndLink(h.core, port, 'acme/app', [a.t.id, b.t.id], AGENT);
    expect(issue.key).toBe('acme/app#1');
    await settle(h);
    const customerBefore = wireInto(h, CHANNEL).length;

    // The engineer closes the issue; GitHub delivers a signed `issues` event.
    gh.closeIssue(issue.key, 'completed');
    const closed = gh.delivery('issues', gh.issuesPayload(issue.key, 'closed', 'octocat'), SECRET);
    const res = await deliver(base, '/webhooks/github', closed);
    expect(res).toMatchObject({ status: 200, json: { ok: true, states: 1, lines: 2, prompts: 2 } });

    // Each ticket's internal thread: the state line and the prompt with the draft and three buttons.
    for (const x of [a, b]) {
      const line = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && c.args.thread_ts === x.cardTs && blockText(c.args.blocks).includes('was closed'));
      expect(blockText(line.args.blocks)).toContain('acme/app#1');
      expect(blockText(line.args.blocks)).toContain('@octocat');
      const prompt = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && c.args.thread_ts === x.cardTs && actionIds(c.args.blocks).includes('fix_update.send'));
      expect(actionIds(prompt.args.blocks)).toEqual(['fix_update.send', 'fix_update.edit', 'fix_update.dismiss']);
      expect(blockText(prompt.args.blocks)).toContain('the fix for the problem you reported');
    }
    const promptA = h.fake.messages.find((m) => m.channel === TRIAGE && m.thread_ts === a.cardTs && actionIds(m.blocks).includes('fix_update.send'))!;
    const promptB = h.fake.messages.find((m) => m.channel === TRIAGE && m.thread_ts === b.cardTs && actionIds(m.blocks).includes('fix_update.send'))!;
    // The owner of A is mentioned; B has none, so its prompt sits in the thread for whoever works it.
    expect(blockText(promptA.blocks)).toContain(`<@${AGENT}>`);
    expect(blockText(promptB.blocks)).not.toContain('<@');
    // The timeline of both tickets records the state change and the prompt.
    for (const x of [a, b]) {
      const types = h.core.tickets.repo.events(x.t.id).map((e) => e.type);
      expect(types.filter((t) => t === 'tracker_state')).toHaveLength(1);
      expect(types.filter((t) => t === 'fix_update_prompted')).toHaveLength(1);
    }
    expect(new TrackerRepo(h.core.db).find(issue)).toMatchObject({ state: 'closed', closeReason: 'completed' });

    // Send on A's prompt — twice (a double click): the customer gets the update once.
    const send = blockAction(h, { actionId: 'fix_update.send', value: buttonValue(promptA.blocks, 'fix_update.send'), messageTs: promptA.ts, threadTs: a.cardTs, channel: TRIAGE, user: AGENT });
    await sendInteraction(h, send);
    const toA = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL && c.args.thread_ts === a.ts && String(c.args.text).includes('Good news'));
    expect(toA.args.username).toBe(AGENT);
    await sendInteraction(h, { ...send, trigger_id: 'trigger.again' });
    await h.fake.waitFor((c) => c.method === 'response_url' && blockText(c.args.blocks).includes('already sent'));
    // The prompt loses its buttons.
    await until(() => wireInto(h, TRIAGE).some((c) => c.method === 'chat.update' && c.args.ts === promptA.ts && blockText(c.args.blocks).includes('Sent to the customer')), 'prompt A replaced');

    // Edit on B's prompt: the form opens with the draft; the edited text is what B's customer gets.
    await sendInteraction(h, blockAction(h, { actionId: 'fix_update.edit', value: buttonValue(promptB.blocks, 'fix_update.edit'), messageTs: promptB.ts, threadTs: b.cardTs, channel: TRIAGE, user: AGENT2 }));
    const open = await h.fake.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'form.fix_update');
    expect(JSON.stringify(open.args.view.blocks)).toContain('Good news');
    await sendInteraction(h, {
      type: 'view_submission',
      user: { id: AGENT2 },
      trigger_id: 'trigger.submit.fix',
      view: { id: 'V0FIX', hash: 'h', type: 'modal', callback_id: 'form.fix_update', private_metadata: open.args.view.private_metadata, state: { values: { text: { text: { type: 'plain_text_input', value: 'Hi! The CSV export works again since 14:00 — sorry for the trouble.' } } } } },
    });
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL && c.args.thread_ts === b.ts && String(c.args.text).includes('CSV export works again'));
    await until(() => wireInto(h, TRIAGE).some((c) => c.method === 'chat.update' && c.args.ts === promptB.ts && blockText(c.args.blocks).includes('(edited)')), 'prompt B replaced');
    await settle(h);

    // The customers' channel got exactly the two updates (one per thread) and nothing internal.
    const customerSide = wireInto(h, CHANNEL).slice(customerBefore);
    expect(customerSide.map((c) => [c.args.thread_ts, c.args.username])).toEqual([
      [a.ts, AGENT],
      [b.ts, AGENT2],
    ]);
    expect(String(customerSide[0]!.args.text)).toContain('Good news — the fix for the problem you reported');
    for (const c of customerSide) {
      expect(actionIds(c.args.blocks)).toEqual([]);
      expect(blockText(c.args.blocks)).not.toMatch(INTERNAL);
    }
    // Recorded: the reply and who sent it, edited or not.
    const sentA = h.core.tickets.repo.events(a.t.id).filter((e) => e.type === 'fix_update_sent');
    expect(sentA).toHaveLength(1);
    expect(sentA[0]).toMatchObject({ actor: AGENT, data: { edited: false } });
    expect(h.core.tickets.repo.events(b.t.id).find((e) => e.type === 'fix_update_sent')).toMatchObject({ actor: AGENT2, data: { edited: true } });
    expect(h.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'failed'").get()).toEqual({ n: 0 });
  });

  it('a bad signature is refused with 401 and changes nothing; a replayed delivery is acknowledged as a duplicate and applied once', async () => {
    const { h, gh, port, base } = await desk();
    const a = await ticketFrom(h, CUSTOMER, 'Export to CSV fails with a 502 every time since yesterday');
    const issue = await createAndLink(h.core, port, 'acme/app', [a.t.id], AGENT);
    await settle(h);
    const eventsBefore = h.core.tickets.repo.events(a.t.id).length;
    const wireBefore = wireInto(h, TRIAGE).length;

    gh.closeIssue(issue.key);
    const forged = gh.delivery('issues', gh.issuesPayload(issue.key, 'closed'), 'not-the-secret');
    const bad = await deliver(base, '/webhooks/github', forged);
    expect(bad).toMatchObject({ status: 401, json: { error: 'frontdesk_webhook_signature_invalid' } });
    expect(String(bad.json.message)).toContain('signature mismatch');
    const unsigned = await deliver(base, '/webhooks/github', { ...forged, headers: { ...forged.headers, 'x-hub-signature-256': '' } });
    expect(unsigned.status).toBe(401);
    // Correctly signed, but the body was changed on the way.
    const good = gh.delivery('issues', gh.issuesPayload(issue.key, 'closed'), SECRET);
    const tampered = await deliver(base, '/webhooks/github', { headers: good.headers, rawBody: Buffer.from(good.rawBody.toString().replace('"closed"', '"open"')) });
    expect(tampered.status).toBe(401);
    const notJson = gh.delivery('issues', {}, SECRET);
    const garbage = Buffer.from('{"action": "closed", oops');
    const { createHmac } = await import('node:crypto');
    const malformed = await deliver(base, '/webhooks/github', {
      headers: { ...notJson.headers, 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(garbage).digest('hex')}` },
      rawBody: garbage,
    });
    expect(malformed).toMatchObject({ status: 400, json: { error: 'frontdesk_webhook_payload_invalid' } });
    await settle(h);
    expect(h.core.tickets.repo.events(a.t.id)).toHaveLength(eventsBefore);
    expect(new TrackerRepo(h.core.db).find(issue)).toMatchObject({ state: 'open' });
    expect(wireInto(h, TRIAGE)).toHaveLength(wireBefore);

    // The real delivery, then the same bytes again (a replay, or GitHub's "Redeliver").
    expect((await deliver(base, '/webhooks/github', good)).json).toMatchObject({ ok: true, lines: 1, prompts: 1 });
    const again = await deliver(base, '/webhooks/github', good);
    expect(again).toEqual({ status: 200, json: { ok: true, duplicate: true } });
    expect(h.core.db.prepare("SELECT count(*) AS n FROM seen_requests WHERE platform = 'github'").get()).toEqual({ n: 1 });
    // A different delivery id with the same news (GitHub sent it twice) changes nothing either.
    const sameNews = gh.delivery('issues', gh.issuesPayload(issue.key, 'closed'), SECRET);
    expect((await deliver(base, '/webhooks/github', sameNews)).json).toMatchObject({ ok: true, lines: 0, prompts: 0, ignored: 1 });
    await until(() => internalPosts(h, a.cardTs).some((c) => actionIds(c.args.blocks).includes('fix_update.send')), 'the prompt');
    await settle(h);
    expect(internalPosts(h, a.cardTs).filter((c) => blockText(c.args.blocks).includes('was closed'))).toHaveLength(1);
    expect(internalPosts(h, a.cardTs).filter((c) => actionIds(c.args.blocks).includes('fix_update.send'))).toHaveLength(1);
    expect(h.core.tickets.repo.events(a.t.id).filter((e) => e.type === 'tracker_state')).toHaveLength(1);

    // A ping (sent when the webhook is created) and events about unknown issues are acknowledged and ignored.
    const ping = await deliver(base, '/webhooks/github', gh.delivery('issues', { zen: 'Keep it logically awesome.', hook_id: 1 }, SECRET));
    expect(ping).toMatchObject({ status: 202, json: { ignored: true } });
  });

  it('without GITHUB_WEBHOOK_SECRET every delivery gets 503 saying what to set; nothing is applied', async () => {
    const { h, gh, port, base } = await desk({});
    const a = await ticketFrom(h, CUSTOMER, 'Export to CSV fails with a 502 every time since yesterday');
    const issue = await createAndLink(h.core, port, 'acme/app', [a.t.id], AGENT);
    gh.closeIssue(issue.key);
    const res = await deliver(base, '/webhooks/github', gh.delivery('issues', gh.issuesPayload(issue.key, 'closed'), SECRET));
    expect(res).toMatchObject({ status: 503, json: { error: 'frontdesk_webhook_secret_missing' } });
    expect(String(res.json.message)).toContain('GITHUB_WEBHOOK_SECRET');
    expect(new TrackerRepo(h.core.db).find(issue)).toMatchObject({ state: 'open' });
    // A vendor that is not configured at all says how to set it up.
    const jira = await deliver(base, '/webhooks/jira', { headers: { 'content-type': 'application/json' }, rawBody: Buffer.from('{}') });
    expect(jira).toMatchObject({ status: 404, json: { error: 'frontdesk_tracker_not_configured' } });
  });

  it('polling picks up an assignment, an engineer’s comment and a close no webhook reported; a change seen by webhook and poll acts once', async () => {
    const { h, gh, port, hb, base } = await desk();
    const a = await ticketFrom(h, CUSTOMER, 'Export to CSV fails with a 502 every time since yesterday');
    const issue = await createAndLink(h.core, port, 'acme/app', [a.t.id], AGENT);
    // A second linked issue that is gone from GitHub: its error is logged and the others are still polled.
    const repo = new TrackerRepo(h.core.db);
    const gone = repo.upsert({ ...issue, key: 'acme/app#404', url: 'https://github.com/acme/app/issues/404', updatedAt: 0 }, h.clock.now(), AGENT);
    repo.link(a.t.id, gone.id, AGENT, h.clock.now());
    await settle(h);

    // Server-side changes, no webhook: an engineer takes it and comments; frontdesk's own comment is not news.
    gh.assign(issue.key, 'dev-alice');
    gh.comment(issue.key, 'dev-alice', 'Found it: the export worker times out on workspaces with more than 10k rows. Fix in review.');
    await port.addComment(issue.key, 'Another customer reports this.');
    const r1 = await hb.poller.run();
    expect(r1).toMatchObject({ issues: 1, errors: 1, report: { states: 1, comments: 1, lines: 2, prompts: 0 } });
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === a.cardTs && blockText(c.args.blocks).includes('moved to'));
    const comment = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === a.cardTs && blockText(c.args.blocks).includes('Found it: the export worker'));
    expect(blockText(comment.args.blocks)).toContain('@dev-alice commented on');

    // The same comment then arrives by webhook (late): not posted again. A second poll finds nothing new.
    const c = gh.issue(issue.key).comments.find((x) => x.body.startsWith('Found it'))!;
    expect((await deliver(base, '/webhooks/github', gh.delivery('issue_comment', gh.commentPayload(issue.key, c), SECRET))).json).toMatchObject({ ok: true, lines: 0 });
    expect((await hb.poller.run()).report.lines).toBe(0);

    // Webhook first, then a poll of the same change: one line.
    gh.issue(issue.key).labels = ['in progress'];
    gh.issue(issue.key).updated_at = new Date(ghClock.now()).toISOString();
    expect((await deliver(base, '/webhooks/github', gh.delivery('issues', gh.issuesPayload(issue.key, 'labeled', 'dev-alice'), SECRET))).json).toMatchObject({ lines: 1 });
    expect((await hb.poller.run()).report.lines).toBe(0);

    // Closed on GitHub, and the webhook never came: the next poll says so and prompts with the draft.
    gh.closeIssue(issue.key, 'not_planned');
    const r3 = await hb.poller.run();
    expect(r3.report).toMatchObject({ states: 1, lines: 1, prompts: 1 });
    const prompt = await h.fake.waitFor((x) => x.method === 'chat.postMessage' && x.args.thread_ts === a.cardTs && actionIds(x.args.blocks).includes('fix_update.send'));
    expect(blockText(prompt.args.blocks)).toContain('closed as not planned');
    expect(blockText(prompt.args.blocks)).toContain('decided not to change this');
    // Closed issues are not polled any more.
    expect(repo.openForPolling(10).map((i) => i.key)).toEqual(['acme/app#404']);
    await settle(h);
    const lines = internalPosts(h, a.cardTs).map((x) => blockText(x.args.blocks));
    expect(lines.filter((l) => l.includes('Found it'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('moved to'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('Another customer reports this'))).toHaveLength(0);
    // Nothing of it reached the customer.
    expect(wireInto(h, CHANNEL).every((x) => !blockText(x.args.blocks).match(INTERNAL))).toBe(true);
  });
});
