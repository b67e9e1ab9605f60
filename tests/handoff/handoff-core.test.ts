/**
 * The engineering hand-off through the core (real SQLite, ManualClock, the real tracker clients
 * against fake GitHub and fake Jira on 127.0.0.1): a cluster prompt's "Link all N similar
 * tickets", a double submit creating one issue, a tracker failure changing nothing, a plan
 * follow-up as an issue with one click, Jira end to end, the digest's "waiting on engineering",
 * and inline mode keeping the issue off the requester's thread.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installAi } from '../../src/ai/install.js';
import type { InteractionContext } from '../../src/commands/interactions.js';
import { runCommand } from '../../src/commands/ticket-commands.js';
import { buildDigest } from '../../src/digest/build-digest.js';
import { digestSources } from '../digest/sources.js';
import { digestPeriod } from '../../src/digest/period.js';
import { digestView } from '../../src/views/digest-view.js';
import { installHandoff } from '../../src/handoff/install.js';
import { handoffTrackers } from '../../src/handoff/targets.js';
import type { TrackerPort } from '../../src/ports/tracker-port.js';
import { GithubTracker } from '../../src/trackers/github.js';
import { JiraTracker } from '../../src/trackers/jira.js';
import { LinearTracker } from '../../src/trackers/linear.js';
import type { FormView, MessageView } from '../../src/ports/message-view.js';
import { FakeGithub } from '../fakes/fake-github.js';
import { adfTexts, FakeJira } from '../fakes/fake-jira.js';
import { FakeLinear } from '../fakes/fake-linear.js';
import { actionsOf, CHANNEL, CUSTOMER, type Desk, H, makeDesk, OWNER, outboxRows, TRIAGE, viewOf, viewText } from '../sla-watcher/helpers.js';

let d: Desk | undefined;
const fakes: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await d?.close();
  d = undefined;
  for (const f of fakes.splice(0)) await f.close();
});

const ctx = (userId = OWNER): InteractionContext => ({ platform: 'slack', userId, channelId: TRIAGE });

async function githubDesk(config: Record<string, unknown> = {}, token?: string): Promise<{ desk: Desk; gh: FakeGithub; port: TrackerPort }> {
  const gh = await FakeGithub.start({ repos: ['acme/app'] });
  fakes.push(gh);
  const desk = makeDesk({ config: { trackers: { github: { repo: 'acme/app' } }, ...config } });
  const port = new GithubTracker(desk.core.config.trackers.github!, { token: token ?? gh.token, baseUrl: gh.url });
  installHandoff(desk.core, { trackers: handoffTrackers(desk.core.config, { github: port }), escalations: desk.sla.escalations });
  return { desk, gh, port };
}

/** Submit a form with its initial values, overridden by `values`. */
async function submitForm(desk: Desk, form: FormView, values: Record<string, string> = {}, userId = OWNER): Promise<MessageView | undefined> {
  const all: Record<string, string> = {};
  for (const f of form.fields) all[f.id] = values[f.id] ?? ('initial' in f ? (f.initial ?? '') : '');
  return (await desk.core.interactions.form(form.formId, form.state, all, ctx(userId))).ephemeral;
}

describe('clusters, double submits and failures', () => {
  it('the cluster prompt offers "Escalate to engineering" and "Link all 3 similar tickets"; the latter creates one issue for all three', async () => {
    const { desk, gh } = await githubDesk();
    d = desk;
    const a = desk.open('SSO login fails with error SAML_502 for our team', { priority: 'P2' });
    const b = desk.open('SAML_502 error: SSO login fails since this morning', { priority: 'P2', requester: 'U0CUST2' });
    const c = desk.open('SSO login fails, SAML_502 shown', { priority: 'P2', requester: 'U0CUST3' });
    const prompt = outboxRows(desk.db, `esc:${c.id}:`).map((r) => viewOf(r.payload)).find((v) => viewText(v).includes('similar tickets'))!;
    const acts = actionsOf(prompt);
    expect(acts.map((x) => x.label)).toEqual(['Escalate to Tier 3', 'Not needed', 'Link as one incident', 'Escalate to engineering', 'Link all 3 similar tickets']);
    const linkAll = acts.find((x) => x.actionId === 'handoff.link_similar')!;

    const res = await desk.core.interactions.action(linkAll.actionId, linkAll.value, { ...ctx(), messageId: '1790000999.000042' });
    const form = res.form!;
    expect(form.formId).toBe('form.handoff_preview');
    const similar = form.fields.find((f) => f.id === 'similar')!;
    expect(similar).toMatchObject({ type: 'select', initial: 'all' });
    const body = form.fields.find((f) => f.id === 'body') as { initial: string };
    expect(body.initial).toContain(`- **Reports:** 3 tickets from 3 customers (${c.key}, `);
    expect(body.initial).toContain('SAML_502');
    expect(gh.issues).toHaveLength(0);

    const answer = await submitForm(desk, form);
    expect(viewText(answer)).toContain('Created [GitHub acme/app#1]');
    expect(gh.issues).toHaveLength(1);
    for (const t of [a, b, c]) expect(desk.core.tickets.repo.events(t.id).filter((e) => e.type === 'tracker_linked')).toHaveLength(1);
    expect(desk.core.tickets.repo.events(c.id).find((e) => e.type === 'tracker_linked')!.data).toMatchObject({ created: true, via: 'escalation_prompt' });
    expect(desk.core.tickets.repo.events(a.id).find((e) => e.type === 'tracker_linked')!.data).toMatchObject({ created: false });
    // The prompt counts as acted on.
    expect(desk.sla.escalations.forTicket(c.id).find((r) => r.ruleId === 'cluster')).toMatchObject({ status: 'accepted' });
    // ...and shows the decision in place, without buttons.
    const update = outboxRows(desk.db, 'esc-update:').find((r) => r.payload.kind === 'update' && r.payload.messageId === '1790000999.000042')!;
    expect(update.payload).toMatchObject({ channelId: TRIAGE });
    expect(viewText(viewOf(update.payload))).toContain(`<@${OWNER}> escalated to engineering: [GitHub acme/app#1](https://github.com/acme/app/issues/1) · open.`);
    expect(actionsOf(viewOf(update.payload))).toEqual([]);
    // Each linked ticket's internal thread says so (never the customer's thread).
    for (const t of [a, b, c]) {
      const lines = outboxRows(desk.db, `line:${t.id}:`).filter((r) => viewText(viewOf(r.payload)).includes('handed to engineering'));
      expect(lines).toHaveLength(1);
      expect(lines[0]!.payload).toMatchObject({ kind: 'post', channelId: TRIAGE, internalThreadOfTicket: t.id });
    }
  });

  it('submitting the same preview twice creates one issue', async () => {
    const { desk, gh } = await githubDesk();
    d = desk;
    const t = desk.open('Invoices PDF export returns HTTP 500', { priority: 'P2' });
    const { form } = await desk.core.interactions.action('handoff.escalate', t.key, ctx());
    const [first, second] = await Promise.all([submitForm(desk, form!), submitForm(desk, form!)]);
    expect(gh.issues).toHaveLength(1);
    expect([viewText(first), viewText(second)].some((x) => x.includes('already submitted') || x.includes('being submitted'))).toBe(true);
    expect(viewText(await submitForm(desk, form!))).toContain('already submitted: the issue is acme/app#1');
    expect(desk.core.tickets.repo.events(t.id).filter((e) => e.type === 'tracker_linked')).toHaveLength(1);
  });

  it('a tracker that refuses (bad token) changes nothing and says what happened; the preview can be submitted again', async () => {
    const { desk, gh } = await githubDesk({}, 'ghp_wrong');
    d = desk;
    const t = desk.open('Invoices PDF export returns HTTP 500', { priority: 'P2' });
    const { form } = await desk.core.interactions.action('handoff.escalate', t.key, ctx());
    const answer = await submitForm(desk, form!, { title: 'PDF export: HTTP 500 (edited)' });
    expect(viewText(answer)).toMatch(/Could not create the issue in GitHub acme\/app: .*GITHUB_TOKEN.*your edits are kept/);
    expect(viewText(answer)).not.toContain('ghp_wrong');
    expect(gh.issues).toHaveLength(0);
    expect(desk.core.tickets.repo.events(t.id).some((e) => e.type === 'tracker_linked')).toBe(false);
    expect(new (await import('../../src/store/tracker-repo.js')).TrackerRepo(desk.db).preview<object>(form!.state)).toMatchObject({ status: 'open' });
    // The retry starts from the agent's edits (the same preview).
    const again = (await desk.core.interactions.action('handoff.escalate', t.key, ctx())).form!;
    expect(again.state).toBe(form!.state);
    expect(again.fields.find((f) => f.id === 'title')).toMatchObject({ initial: 'PDF export: HTTP 500 (edited)' });
  });

  it('the agent’s edits are what is sent, redacted once more; an empty title is refused', async () => {
    const { desk, gh } = await githubDesk();
    d = desk;
    const t = desk.open('Reports page is slow', { priority: 'P3' });
    const { form } = await desk.core.interactions.action('handoff.escalate', t.key, ctx());
    expect(viewText(await submitForm(desk, form!, { title: '  ' }))).toContain('Give the issue a title.');
    await submitForm(desk, form!, { title: 'Reports page slow', body: 'Slow for [name]. Debug with token=abc123secret please, mail ops@acme.example' });
    expect(gh.issues[0]).toMatchObject({ title: 'Reports page slow' });
    expect(gh.issues[0]!.body).toMatch(/^Slow for \[name\]\. Debug with token=\[secret\] please, mail \[email\]\n\n<!-- frontdesk ref: fdh[0-9a-f]{12} -->$/);
  });
});

describe('unlink', () => {
  it('`/ticket unlink ID ISSUE` removes the link (timeline: tracker_unlinked) and says which issues are linked when it is wrong', async () => {
    const { desk, gh } = await githubDesk();
    d = desk;
    const t = desk.open('Reports page is slow', { priority: 'P3' });
    const { form } = await desk.core.interactions.action('handoff.escalate', t.key, ctx());
    await submitForm(desk, form!);
    const cmd = (text: string) => runCommand(desk.core.commands, desk.core.tickets, text, { platform: 'slack', userId: OWNER, channelId: TRIAGE });
    expect(viewText((await cmd(`unlink ${t.key} acme/app#9`)).view)).toContain(`${t.key} is not linked to "acme/app#9"; it is linked to acme/app#1.`);
    expect(viewText((await cmd(`unlink ${t.key} acme/app#1`)).view)).toContain(`${t.key} is no longer linked to GitHub acme/app#1`);
    expect(desk.core.tickets.repo.events(t.id).at(-1)).toMatchObject({ type: 'tracker_unlinked', actor: OWNER, data: { key: 'acme/app#1' } });
    expect(viewText((await cmd(`show ${t.key}`)).view)).toContain('issue unlinked: acme/app#1');
    expect(gh.issues[0]!.state).toBe('open');
  });
});

describe('plan follow-ups', () => {
  it('"Create issue" turns a follow-up into an issue with scope and acceptance criteria, once', async () => {
    const { desk, gh } = await githubDesk();
    d = desk;
    const ai = installAi(desk.core, { answerWithinMs: 2000 });
    const t = desk.open('How do I set up SSO with Okta? The docs do not say which redirect URL to use', { priority: 'P3' });
    await ai.plan(t.key, OWNER);
    await ai.idle();
    const plan = outboxRows(desk.db, 'plan-post:').map((r) => viewOf(r.payload)).at(-1)!;
    const create = actionsOf(plan).filter((x) => x.actionId === 'plan.follow_up_issue');
    expect(create.length).toBeGreaterThan(0);
    expect(actionsOf(plan).filter((x) => x.actionId === 'plan.follow_up_create')).toHaveLength(create.length);
    const res = await desk.core.interactions.action(create[0]!.actionId, create[0]!.value, ctx());
    expect(viewText(res.ephemeral)).toContain(`for the follow-up of ${t.key}`);
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]!.body).toMatch(/^## Scope\n/);
    expect(gh.issues[0]!.body).toMatch(/## Acceptance criteria\n- \[ \] \S/);
    expect(gh.issues[0]!.body).toContain(`Follow-up from frontdesk ticket ${t.key}`);
    expect(desk.core.tickets.repo.events(t.id).find((e) => e.type === 'tracker_linked')!.data).toMatchObject({ via: 'plan_follow_up', followUp: { index: 0 } });
    const again = await desk.core.interactions.action(create[0]!.actionId, create[0]!.value, ctx());
    expect(viewText(again.ephemeral)).toContain('is already acme/app#1');
    expect(gh.issues).toHaveLength(1);
  });
});

describe('Jira', () => {
  it('escalates through the real Jira client: the preview body becomes the issue description (ADF), project and priority from config', async () => {
    const jira = await FakeJira.start();
    fakes.push(jira);
    d = makeDesk({ config: { trackers: { jira: { site: jira.url, project: 'OPS' } } } });
    const port = new JiraTracker(d.core.config.trackers.jira!, { email: jira.email, apiToken: jira.token });
    installHandoff(d.core, { trackers: handoffTrackers(d.core.config, { jira: port }), escalations: d.sla.escalations });
    const t = d.open('Webhook deliveries fail with HTTP 503 since 09:00\n1. create an order\n2. watch the webhook log', { priority: 'P1' });
    const { form } = await d.core.interactions.action('handoff.escalate', t.key, ctx());
    expect((form!.fields[0] as { initial: string }).initial).toBe('jira|OPS');
    await submitForm(d, form!);
    expect(jira.issues).toHaveLength(1);
    const create = jira.requests.find((r) => r.method === 'POST' && r.path === '/rest/api/3/issue')!;
    expect(create.body.fields.project).toEqual({ key: 'OPS' });
    expect(create.body.fields.priority).toEqual({ name: 'High' });
    const text = adfTexts(create.body.fields.description);
    expect(text).toContain('Customer impact');
    expect(text).toContain('create an order');
    expect(text).not.toContain(CUSTOMER);
    expect(d.core.tickets.repo.events(t.id).find((e) => e.type === 'tracker_linked')!.data).toMatchObject({ tracker: 'jira', key: 'OPS-1' });
    // Linking another ticket by key (search box) adds a comment on the Jira issue.
    const u = d.open('Webhooks failing with 503', { priority: 'P2', requester: 'U0CUST2' });
    const results = await d.core.interactions.form('form.handoff_search', u.key, { query: 'OPS-1' }, ctx());
    const pick = actionsOf(results.ephemeral).find((x) => x.actionId === 'handoff.pick')!;
    expect(pick.value).toBe(`${u.key}|jira|OPS-1`);
    await d.core.interactions.action(pick.actionId, pick.value, ctx());
    const comment = jira.requests.find((r) => r.method === 'POST' && r.path === '/rest/api/3/issue/OPS-1/comment')!;
    expect(adfTexts(comment.body.body)).toContain(`Another report from support: ${u.key}`);
  });
});

describe('Linear', () => {
  it('escalates through the real Linear client (@linear/sdk): description, team, labels and priority from config; a cluster link comments once', async () => {
    const linear = await FakeLinear.start();
    fakes.push(linear);
    d = makeDesk({ config: { trackers: { linear: { team: 'ENG', labels: ['support'] } } } });
    const port = new LinearTracker(d.core.config.trackers.linear!, { apiKey: linear.apiKey, apiUrl: linear.apiUrl });
    installHandoff(d.core, { trackers: handoffTrackers(d.core.config, { linear: port }), escalations: d.sla.escalations });
    const t = d.open('Mobile app crashes on login: NullPointerException in AuthActivity\nOS: Android 14', { priority: 'P0' });
    const { form } = await d.core.interactions.action('handoff.escalate', t.key, ctx());
    expect((form!.fields[0] as { initial: string }).initial).toBe('linear|ENG');
    await submitForm(d, form!);
    expect(linear.issues).toHaveLength(1);
    const create = linear.requests.find((r) => /mutation FrontdeskIssueCreate/.test(r.body?.query))!;
    const input = create.body.variables.input;
    expect(input.teamId).toBe('team-eng');
    expect(input.priority).toBe(1);
    expect(input.labelIds).toEqual(['lbl-support']);
    expect(input.description).toContain('- OS: Android 14');
    expect(input.description).toContain('NullPointerException in AuthActivity');
    const key = d.core.tickets.repo.events(t.id).find((e) => e.type === 'tracker_linked')!.data.key as string;
    expect(key).toMatch(/^ENG-\d+$/);
    // Two more reports of the same crash: "Link all 2 similar tickets" from the card links both, one comment.
    const u = d.open('App crashes on login with NullPointerException (AuthActivity)', { priority: 'P1', requester: 'U0CUST2' });
    const v = d.open('Login crash: NullPointerException AuthActivity on Android', { priority: 'P1', requester: 'U0CUST3' });
    const card = d.core.tickets.card(d.core.tickets.require(t.key));
    const linkAll = actionsOf(card).find((x) => x.actionId === 'handoff.link_similar')!;
    expect(linkAll.label).toBe('Link all 2 similar tickets');
    const res = await d.core.interactions.action(linkAll.actionId, linkAll.value, ctx());
    expect(viewText(res.ephemeral)).toMatch(new RegExp(`^Linked (${u.key}, ${v.key}|${v.key}, ${u.key}) to \\[Linear ${key}\\]`, 'm'));
    for (const x of [u, v]) expect(d.core.tickets.repo.events(x.id).find((e) => e.type === 'tracker_linked')?.data).toMatchObject({ tracker: 'linear', key });
    const comments = linear.requests.filter((r) => /mutation FrontdeskCommentCreate/.test(r.body?.query));
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.variables.input.body).toMatch(/^Another report from support: /);
    for (const x of [u, v]) expect(comments[0]!.body.variables.input.body).toContain(`${x.key} (frontdesk)`);
  });
});

describe('digest and card', () => {
  it('"Waiting on engineering" lists open tickets with an open linked issue and their age; closing the issue removes them', async () => {
    const { desk, gh } = await githubDesk();
    d = desk;
    const t = desk.open('Exports fail with E5031', { priority: 'P2' });
    const { form } = await desk.core.interactions.action('handoff.escalate', t.key, ctx());
    await submitForm(desk, form!);
    desk.clock.advance(50 * H);
    const now = desk.clock.now();
    const period = digestPeriod('daily', '2026-11-25', 'UTC', [1, 2, 3, 4, 5]);
    const data = await buildDigest(digestSources(desk.db), period, now);
    expect(data.engineering).toMatchObject({ count: 1, items: [{ key: t.key, issueKey: 'acme/app#1', stateLabel: 'open' }] });
    const text = viewText(digestView(data));
    expect(text).toContain('**Waiting on engineering** (1)');
    expect(text).toMatch(new RegExp(`${t.key}.*GitHub acme/app#1.*waiting 2d 2h`));
    // The hear-back side closes the issue: it no longer waits on engineering.
    gh.closeIssue('acme/app#1');
    const { TrackerRepo } = await import('../../src/store/tracker-repo.js');
    new TrackerRepo(desk.db).upsert(await new GithubTracker(desk.core.config.trackers.github!, { token: gh.token, baseUrl: gh.url }).getIssue('acme/app#1'), now);
    expect((await buildDigest(digestSources(desk.db), period, now)).engineering).toBeNull();
  });

  it('inline mode: the card (in the requester’s thread) has the buttons but not the issue; the announcement goes privately', async () => {
    const { desk } = await githubDesk({ triageChannel: undefined });
    d = desk;
    const t = desk.open('Exports fail with E5031', { priority: 'P2' });
    expect(t.triageChannelId ?? null).toBeNull();
    const { form } = await desk.core.interactions.action('handoff.escalate', t.key, ctx());
    expect((form!.fields.find((f) => f.id === 'body') as { initial: string }).initial).toContain(`frontdesk ticket ${t.key} (\`/ticket show ${t.key}\`)`);
    await submitForm(desk, form!);
    const card = desk.core.tickets.card(desk.core.tickets.require(t.key));
    expect(viewText(card)).not.toContain('acme/app');
    expect(actionsOf(card).map((x) => x.actionId)).toContain('handoff.escalate');
    const lines = outboxRows(desk.db, `line:${t.id}:`).filter((r) => viewText(viewOf(r.payload)).includes('handed to engineering'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.payload.kind).toBe('ephemeral');
    for (const r of outboxRows(desk.db)) if (r.payload.kind === 'post' && 'channelId' in r.payload && r.payload.channelId === CHANNEL) expect(viewText(viewOf(r.payload))).not.toContain('acme/app');
  });
});
