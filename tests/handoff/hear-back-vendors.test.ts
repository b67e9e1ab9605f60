/**
 * Hearing back from Jira Cloud (and Linear, below) on Slack, through the real vendor clients
 * against their fake servers: a signed close delivery to POST /webhooks/<vendor> → a line and a
 * prompt with the right draft in the ticket's internal thread (on the Slack wire), a bad
 * signature is refused, a replay is ignored, and polling picks up a close no webhook reported.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installHearBack } from '../../src/handoff/hear-back.js';
import { SelfIdentity } from '../../src/trackers/common.js';
import { JiraTracker, JiraWebhook } from '../../src/trackers/jira.js';
import { FakeJira } from '../fakes/fake-jira.js';
import { blockText } from '../fakes/fake-slack.js';
import { AGENT, CHANNEL, CUSTOMER, closeAll, type Harness, message, nextTs, sendEvent, settle, startHarness, T0, until } from '../slack/support.js';
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
      env: { JIRA_WEBHOOK_SECRET: SECRET },
    });
    const self = new SelfIdentity();
    const cfg = { site: fake.url, project: 'OPS', issueType: 'Bug', labels: [], priorities: {} };
    const port = new JiraTracker(cfg, { email: fake.email, apiToken: fake.token, clock: h.clock, self });
    const hb = installHearBack(h.core, { ports: { jira: port }, webhooks: { jira: new JiraWebhook(fake.url, self) } }, { schedule: false });
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
