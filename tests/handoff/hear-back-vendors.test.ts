/**
 * Hearing back from Jira Cloud and Linear on Slack, through the real vendor clients
 * against their fake servers: a signed close delivery to POST /webhooks/<vendor> → a line and a
 * prompt with the right draft in the ticket's internal thread (on the Slack wire), a bad
 * signature is refused, a replay is ignored, and polling picks up a close no webhook reported.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installHearBack } from '../../src/handoff/hear-back.js';
import { createTrackers } from '../../src/trackers/index.js';
import { FakeJira } from '../fakes/fake-jira.js';
import { FakeLinear } from '../fakes/fake-linear.js';
import { blockText } from '../fakes/fake-slack.js';
import { AGENT, blockAction, CHANNEL, CUSTOMER, closeAll, type Harness, message, nextTs, sendEvent, sendInteraction, settle, startHarness, T0, until } from '../slack/support.js';
import { createAndLink, deliver } from './hear-back-support.js';

const TRIAGE = 'C0TRIAGE';
let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await closeAll();
  for (const c of closers) await c();
  closers = [];
});

// biome-ignore lint/suspicious/noExplicitAny: Block Kit arrives as free-form JSON
const actionIds = (blocks: any): string[] =>
  (Array.isArray(blocks) ? blocks : []).filter((b: { type: string }) => b.type === 'actions').flatMap((b: { elements: { action_id: string }[] }) => b.elements.map((e) => e.action_id));

async function ticketIn(h: Harness) {
  const ts = nextTs();
  await sendEvent(h, message({ ts, text: 'Exports to CSV time out for our workspace since this morning', user: CUSTOMER }));
  const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
  const cardTs = await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
  return { t, ts, cardTs };
}

const internalTexts = (h: Harness, cardTs: string) =>
  h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && c.args.channel === TRIAGE && c.args.thread_ts === cardTs).map((c) => ({ text: blockText(c.args.blocks), actions: actionIds(c.args.blocks) }));

describe('hear back from Jira Cloud on Slack', () => {
  const SECRET = 'jira-secret';
  async function desk() {
    let jiraTime = T0 + 5 * 60_000;
    const fake = await FakeJira.start({ clock: { now: () => (jiraTime += 1000) } });
    closers.push(() => fake.close());
    const h = await startHarness({
      config: { channels: [{ id: CHANNEL }], triageChannel: TRIAGE, trackers: { jira: { site: fake.url, project: 'OPS' } } },
      env: { JIRA_EMAIL: fake.email, JIRA_API_TOKEN: fake.token, JIRA_WEBHOOK_SECRET: SECRET },
    });
    const trackers = createTrackers(h.core.config, h.core.env, { clock: h.clock });
    const port = trackers.ports.get('jira')!;
    const hb = installHearBack(h.core, trackers, { schedule: false });
    return { h, fake, port, hb, base: h.url.replace(/\/slack\/events$/, '') };
  }

  it('a signed "Won’t Do" close → line and the not-planned draft in the internal thread; bad signature 401; replay ignored', async () => {
    const { h, fake, port, base } = await desk();
    const a = await ticketIn(h);
    const issue = await createAndLink(h.core, port, 'OPS', [a.t.id], AGENT);
    expect(issue.key).toMatch(/^OPS-\d+$/);
    await settle(h);

    fake.transition(issue.key, 'done', { name: 'Rejected', resolution: "Won't Do" });
    const d = fake.delivery(fake.statusChangedPayload(issue.key, 'To Do', 'Dev Alice'), SECRET);
    const forged = fake.delivery(fake.statusChangedPayload(issue.key, 'To Do', 'Dev Alice'), 'wrong');
    expect((await deliver(base, '/webhooks/jira', forged)).status).toBe(401);
    expect(h.core.tickets.repo.events(a.t.id).some((e) => e.type === 'tracker_state')).toBe(false);

    expect((await deliver(base, '/webhooks/jira', d)).json).toMatchObject({ ok: true, states: 1, lines: 1, prompts: 1 });
    expect((await deliver(base, '/webhooks/jira', d)).json).toEqual({ ok: true, duplicate: true });
    await until(() => internalTexts(h, a.cardTs).some((m) => m.actions.includes('fix_update.send')), 'the prompt');
    await settle(h);
    const msgs = internalTexts(h, a.cardTs);
    expect(msgs.filter((m) => m.text.includes(`Jira ${issue.key}`) || m.text.includes(issue.key)).length).toBeGreaterThanOrEqual(2);
    const line = msgs.find((m) => m.text.includes('was closed as not planned'))!;
    expect(line.text).toContain('(*Rejected*)');
    expect(line.text).toContain('@Dev Alice');
    const prompt = msgs.find((m) => m.actions.includes('fix_update.send'))!;
    expect(prompt.text).toContain('decided not to change this');
    expect(msgs.filter((m) => m.actions.includes('fix_update.send'))).toHaveLength(1);
  });

  it('polling: an engineer’s comment and a close to Done with no webhook; the comment webhook arriving late changes nothing', async () => {
    const { h, fake, port, hb, base } = await desk();
    const a = await ticketIn(h);
    const issue = await createAndLink(h.core, port, 'OPS', [a.t.id], AGENT);
    await port.addComment(issue.key, 'Linked from frontdesk');
    const c = fake.comment(issue.key, 'Dev Alice', 'Root cause: the export worker runs out of memory. Fix deployed.');
    fake.transition(issue.key, 'done', { resolution: 'Done' });
    const r = await hb.poller.run();
    expect(r).toMatchObject({ issues: 1, errors: 0, report: { states: 1, comments: 1, lines: 2, prompts: 1 } });
    expect((await deliver(base, '/webhooks/jira', fake.delivery(fake.commentPayload(issue.key, c), SECRET))).json).toMatchObject({ ok: true, lines: 0 });
    await until(() => internalTexts(h, a.cardTs).some((m) => m.actions.includes('fix_update.send')), 'the prompt');
    await settle(h);
    const msgs = internalTexts(h, a.cardTs);
    expect(msgs.filter((m) => m.text.includes('Root cause: the export worker'))).toHaveLength(1);
    expect(msgs.some((m) => m.text.includes('Linked from frontdesk'))).toBe(false);
    expect(msgs.find((m) => m.actions.includes('fix_update.send'))!.text).toContain('Good news');
  });
});

describe('hear back from Linear on Slack', () => {
  const SECRET = 'linear-secret';
  async function desk() {
    let linTime = T0 + 5 * 60_000;
    const fake = await FakeLinear.start({ clock: { now: () => (linTime += 1000) } });
    closers.push(() => fake.close());
    const h = await startHarness({
      config: { channels: [{ id: CHANNEL }], triageChannel: TRIAGE, trackers: { linear: { team: 'ENG' } } },
      env: { LINEAR_API_KEY: fake.apiKey, LINEAR_API_URL: fake.apiUrl, LINEAR_WEBHOOK_SECRET: SECRET },
    });
    const trackers = createTrackers(h.core.config, h.core.env, { clock: h.clock });
    const port = trackers.ports.get('linear')!;
    const hb = installHearBack(h.core, trackers, { schedule: false });
    return { h, fake, port, hb, base: h.url.replace(/\/slack\/events$/, '') };
  }

  it('a signed "Done" update → line and the fix-is-live prompt; Send tells the customer; bad signature, stale timestamp and replay change nothing', async () => {
    const { h, fake, port, base } = await desk();
    const a = await ticketIn(h);
    const issue = await createAndLink(h.core, port, 'ENG', [a.t.id], AGENT);
    expect(issue.key).toMatch(/^ENG-\d+$/);
    await settle(h);
    const from = fake.issue(issue.key).state.id;
    fake.moveTo(issue.key, 'completed', 'dev-alice');
    const payload = fake.issueUpdatePayload(issue.key, from, h.clock.now(), 'Dev Alice');
    expect((await deliver(base, '/webhooks/linear', fake.delivery(payload, 'wrong'))).status).toBe(401);
    // Correctly signed but from long ago (a captured delivery replayed later): refused by its timestamp.
    const stale = await deliver(base, '/webhooks/linear', fake.delivery(fake.issueUpdatePayload(issue.key, from, h.clock.now() - 10 * 60_000), SECRET));
    expect(stale.status).toBe(401);
    expect(String(stale.json.message)).toContain('webhookTimestamp');
    expect(h.core.tickets.repo.events(a.t.id).some((e) => e.type === 'tracker_state')).toBe(false);

    const d = fake.delivery(payload, SECRET);
    expect((await deliver(base, '/webhooks/linear', d)).json).toMatchObject({ ok: true, states: 1, lines: 1, prompts: 1 });
    expect((await deliver(base, '/webhooks/linear', d)).json).toEqual({ ok: true, duplicate: true });
    const prompt = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === a.cardTs && actionIds(c.args.blocks).includes('fix_update.send'));
    expect(blockText(prompt.args.blocks)).toContain(issue.key);
    const line = internalTexts(h, a.cardTs).find((m) => m.text.includes('was closed'))!;
    expect(line.text).toContain('(*Done*) by @Dev Alice');

    const stored = h.fake.messages.find((m) => m.channel === TRIAGE && m.thread_ts === a.cardTs && actionIds(m.blocks).includes('fix_update.send'))!;
    // biome-ignore lint/suspicious/noExplicitAny: Block Kit arrives as free-form JSON
    const value = (stored.blocks as any[]).flatMap((b) => b.elements ?? []).find((e: { action_id: string }) => e.action_id === 'fix_update.send').value;
    await sendInteraction(h, blockAction(h, { actionId: 'fix_update.send', value, messageTs: stored.ts, threadTs: a.cardTs, channel: TRIAGE, user: AGENT }));
    const sent = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL && c.args.thread_ts === a.ts && String(c.args.text).includes('Good news'));
    expect(blockText(sent.args.blocks)).not.toMatch(/ENG-|Linear|Dev Alice/);
  });

  it('polling: a move to In Progress and an engineer’s comment; frontdesk’s own attachment comment is not news', async () => {
    const { h, fake, port, hb } = await desk();
    const a = await ticketIn(h);
    const issue = await createAndLink(h.core, port, 'ENG', [a.t.id], AGENT);
    await port.addComment(issue.key, 'Another customer reports this (from frontdesk).');
    fake.moveTo(issue.key, 'started', 'dev-alice');
    fake.comment(issue.key, 'dev-alice', 'Reproduced with a 12k-row workspace.');
    const r = await hb.poller.run();
    expect(r).toMatchObject({ issues: 1, errors: 0, report: { states: 1, comments: 1, lines: 2, prompts: 0 } });
    expect((await hb.poller.run()).report.lines).toBe(0);
    await until(() => internalTexts(h, a.cardTs).some((m) => m.text.includes('moved to *In Progress*')), 'the state line');
    await settle(h);
    const msgs = internalTexts(h, a.cardTs);
    expect(msgs.filter((m) => m.text.includes('Reproduced with a 12k-row'))).toHaveLength(1);
    expect(msgs.some((m) => m.text.includes('Another customer reports this'))).toBe(false);
  });
});
