/**
 * The hand-off across a crash and a slow tracker (real SQLite files, the real tracker clients
 * against fake GitHub, Jira and Linear on 127.0.0.1):
 * - frontdesk stops between "issue created in the tracker" and the database commit that links it
 *   (simulated by a database that refuses the link write after the tracker call): on restart on
 *   the same file, the issue is found by the hand-off ref in its body and linked — one issue,
 *   the ticket linked, never a second create;
 * - the same preview submitted again after such a stop adopts the issue (Jira, Linear);
 * - a tracker slower than the answer budget: the click is answered at once ("Creating the
 *   issue…"), the result follows privately to the agent; a failure comes with a Retry button.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installAi } from '../../src/ai/install.js';
import { runCommand } from '../../src/commands/ticket-commands.js';
import type { InteractionContext } from '../../src/commands/interactions.js';
import { installHandoff, startupCheck } from '../../src/handoff/install.js';
import { handoffTrackers } from '../../src/handoff/targets.js';
import type { TrackerKind, TrackerPort } from '../../src/ports/tracker-port.js';
import type { Db } from '../../src/store/db.js';
import { GithubTracker } from '../../src/trackers/github.js';
import { JiraTracker } from '../../src/trackers/jira.js';
import { LinearTracker } from '../../src/trackers/linear.js';
import type { FormView, MessageView } from '../../src/ports/message-view.js';
import { FakeGithub } from '../fakes/fake-github.js';
import { adfTexts, FakeJira } from '../fakes/fake-jira.js';
import { FakeLinear } from '../fakes/fake-linear.js';
import { actionsOf, type Desk, makeDesk, OWNER, outboxRows, tempDir, TRIAGE, viewOf, viewText } from '../sla-watcher/helpers.js';

const desks: Desk[] = [];
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const d of desks.splice(0)) await d.close();
  for (const c of cleanup.splice(0).reverse()) await c();
});

const ctx = (userId = OWNER): InteractionContext => ({ platform: 'slack', userId, channelId: TRIAGE });

type Ports = (config: Desk['core']['config']) => Partial<Record<TrackerKind, TrackerPort>>;

/** A desk on `dbPath` with the hand-off over the real clients `ports` builds from its config. */
function desk(dbPath: string, trackers: Record<string, unknown>, ports: Ports, answerWithinMs?: number): { desk: Desk; handoff: ReturnType<typeof installHandoff> } {
  const d = makeDesk({ dbPath, config: { trackers } });
  desks.push(d);
  const handoff = installHandoff(d.core, { trackers: handoffTrackers(d.core.config, ports(d.core.config)), escalations: d.sla.escalations, ...(answerWithinMs !== undefined ? { answerWithinMs } : {}) });
  return { desk: d, handoff };
}

/** The database refuses to store tracker issues from now on (the process "dies" at the commit). */
function breakCommit(db: Db): () => void {
  db.exec("CREATE TEMP TRIGGER crash_before_link BEFORE INSERT ON tracker_issues BEGIN SELECT RAISE(ABORT, 'simulated crash before the commit'); END");
  return () => db.exec('DROP TRIGGER crash_before_link');
}

async function submitForm(d: Desk, form: FormView, values: Record<string, string> = {}): Promise<MessageView | undefined> {
  const all: Record<string, string> = {};
  for (const f of form.fields) all[f.id] = values[f.id] ?? ('initial' in f ? (f.initial ?? '') : '');
  return (await d.core.interactions.form(form.formId, form.state, all, ctx())).ephemeral;
}

const linkedKeys = (d: Desk, ticketId: number) => d.core.tickets.repo.events(ticketId).filter((e) => e.type === 'tracker_linked').map((e) => e.data.key);

describe('a crash between the tracker and the database', () => {
  it('GitHub: restarted on the same file, the start-up check finds the issue by its ref and links it; no second issue', async () => {
    const gh = await FakeGithub.start({ repos: ['acme/app'] });
    cleanup.push(() => gh.close());
    const tmp = tempDir();
    cleanup.push(() => tmp.remove());
    const file = join(tmp.dir, 'desk.sqlite');
    const cfg = { github: { repo: 'acme/app' } };
    const github: Ports = (c) => ({ github: new GithubTracker(c.trackers.github!, { token: gh.token, baseUrl: gh.url }) });
    const first = desk(file, cfg, github);
    const t = first.desk.open('Exports fail with error E5031 since the update', { priority: 'P2' });
    const { form } = await first.desk.core.interactions.action('handoff.escalate', t.key, ctx());
    breakCommit(first.desk.db);
    await expect(submitForm(first.desk, form!)).rejects.toThrow(/simulated crash/);
    // The tracker has the issue (with its invisible ref); frontdesk has no link yet.
    expect(gh.issues).toHaveLength(1);
    const ref = /<!-- frontdesk ref: (fdh[0-9a-f]{12}) -->$/.exec(gh.issues[0]!.body)?.[1];
    expect(ref).toBeDefined();
    expect(linkedKeys(first.desk, t.id)).toEqual([]);
    await first.desk.close();
    desks.splice(desks.indexOf(first.desk), 1);

    // Restart on the same database file.
    const second = desk(file, cfg, github);
    await startupCheck(second.handoff);
    // Found among the repository's newest issues (no wait for GitHub's search index), by its ref.
    expect(gh.requests.filter((r) => r.method === 'GET' && r.path === '/repos/acme/app/issues')).toEqual([expect.objectContaining({ query: expect.objectContaining({ state: 'all', sort: 'created', direction: 'desc' }) })]);
    expect(gh.requests.some((r) => r.path === '/search/issues')).toBe(false);
    expect(gh.issues).toHaveLength(1);
    expect(linkedKeys(second.desk, t.id)).toEqual(['acme/app#1']);
    expect(second.desk.core.tickets.repo.events(t.id).find((e) => e.type === 'tracker_linked')!.data).toMatchObject({ created: true, via: 'preview' });
    // The internal thread hears of it once; the old form now says it was submitted.
    expect(outboxRows(second.desk.db).filter((r) => viewText(viewOf(r.payload)).includes('handed to engineering'))).toHaveLength(1);
    expect(viewText(await submitForm(second.desk, form!))).toContain('already submitted: the issue is acme/app#1');
    const again = await second.desk.core.interactions.action('handoff.escalate', t.key, ctx());
    expect(again.form).toBeDefined();
    expect(gh.issues).toHaveLength(1);
  });

  it('Jira: the same preview submitted again after the crash adopts the issue (the "frontdesk ref" line survives ADF and search)', async () => {
    const jira = await FakeJira.start();
    cleanup.push(() => jira.close());
    const tmp = tempDir();
    cleanup.push(() => tmp.remove());
    const cfg = { jira: { site: jira.url, project: 'OPS' } };
    const port: Ports = (c) => ({ jira: new JiraTracker(c.trackers.jira!, { email: jira.email, apiToken: jira.token }) });
    const { desk: d } = desk(join(tmp.dir, 'desk.sqlite'), cfg, port);
    const t = d.open('Invoices PDF download returns 500 for EU accounts', { priority: 'P1' });
    const { form } = await d.core.interactions.action('handoff.escalate', t.key, ctx());
    const repair = breakCommit(d.db);
    await expect(submitForm(d, form!)).rejects.toThrow(/simulated crash/);
    expect(jira.issues).toHaveLength(1);
    expect(adfTexts(jira.issues[0]!.description)).toMatch(/frontdesk ref: fdh[0-9a-f]{12}/);
    repair();
    const answer = await submitForm(d, form!);
    expect(viewText(answer)).toContain(`Created [Jira ${jira.issues[0]!.key}]`);
    expect(jira.issues).toHaveLength(1);
    expect(jira.requests.filter((r) => r.method === 'POST' && r.path === '/rest/api/3/issue')).toHaveLength(1);
    expect(linkedKeys(d, t.id)).toEqual([jira.issues[0]!.key]);
  });

  it('Linear: "Escalate to engineering" again after the crash links the issue instead of opening a new preview', async () => {
    const linear = await FakeLinear.start();
    cleanup.push(() => linear.close());
    const tmp = tempDir();
    cleanup.push(() => tmp.remove());
    const cfg = { linear: { team: 'ENG' } };
    const port: Ports = (c) => ({ linear: new LinearTracker(c.trackers.linear!, { apiKey: linear.apiKey, apiUrl: linear.apiUrl }) });
    const { desk: d } = desk(join(tmp.dir, 'desk.sqlite'), cfg, port);
    const t = d.open('Mobile login crashes with NullPointerException', { priority: 'P1' });
    const { form } = await d.core.interactions.action('handoff.escalate', t.key, ctx());
    const repair = breakCommit(d.db);
    await expect(submitForm(d, form!)).rejects.toThrow(/simulated crash/);
    expect(linear.issues).toHaveLength(1);
    expect(linear.issues[0]!.description).toMatch(/\n\nfrontdesk ref: fdh[0-9a-f]{12}$/);
    repair();
    const res = await d.core.interactions.action('handoff.escalate', t.key, ctx());
    expect(res.form).toBeUndefined();
    expect(viewText(res.ephemeral)).toContain(`${t.key} was already handed to engineering: [Linear ${linear.issues[0]!.identifier}]`);
    // Found with an exact description filter (not the search index).
    const look = linear.requests.find((r) => /query FrontdeskFindByMarker/.test(r.body?.query))!;
    expect(look.body.variables).toMatchObject({ teamId: 'team-eng', marker: expect.stringMatching(/^frontdesk ref: fdh[0-9a-f]{12}$/) });
    expect(linear.issues).toHaveLength(1);
    expect(linkedKeys(d, t.id)).toEqual([linear.issues[0]!.identifier]);
  });

  it('a create whose issue never reached the tracker goes back to "open" after the give-up time, edits kept; the agent is told', async () => {
    const gh = await FakeGithub.start({ repos: ['acme/app'] });
    cleanup.push(() => gh.close());
    const tmp = tempDir();
    cleanup.push(() => tmp.remove());
    const cfg = { github: { repo: 'acme/app' } };
    const port: Ports = (c) => ({ github: new GithubTracker(c.trackers.github!, { token: gh.token, baseUrl: gh.url }) });
    const { desk: d, handoff } = desk(join(tmp.dir, 'desk.sqlite'), cfg, port);
    const t = d.open('Webhooks arrive twice for some events', { priority: 'P2' });
    const { form } = await d.core.interactions.action('handoff.escalate', t.key, ctx());
    const key = form!.state;
    // The process stopped after marking "creating" but before GitHub got the request.
    const st = handoff.repo.preview<{ ref: string }>(key)!;
    handoff.repo.beginCreate(key, { ref: st.ref, at: d.clock.now(), tracker: 'github', target: { project: 'acme/app', labels: [] }, title: 'Webhooks twice', body: 'B', priority: 'P2', keys: [t.key], via: 'preview', by: OWNER, edits: { title: 'Webhooks twice', body: 'B', target: 'github|acme/app' } }, d.clock.now());
    expect(await handoff.recoverInterrupted()).toEqual({ adopted: [], reopened: [] });
    expect(handoff.repo.preview(key)!.status).toBe('creating');
    d.clock.advance(11 * 60_000);
    expect(await handoff.recoverInterrupted()).toEqual({ adopted: [], reopened: [key] });
    expect(handoff.repo.preview(key)!.status).toBe('open');
    expect(outboxRows(d.db, 'handoff-reopened:').map((r) => viewText(viewOf(r.payload)))).toEqual([expect.stringContaining(`The engineering issue for ${t.key} was not created`)]);
    // The retry starts from the edits, looks for the ref first, then creates exactly one issue.
    const retry = await d.core.interactions.action('handoff.escalate', t.key, ctx());
    expect((retry.form!.fields.find((f) => f.id === 'title') as { initial: string }).initial).toBe('Webhooks twice');
    await submitForm(d, retry.form!);
    // Each look (two checks, the retry) read the newest issues, then searched for the ref.
    expect(gh.requests.filter((r) => r.method === 'GET' && r.path === '/repos/acme/app/issues')).toHaveLength(3);
    expect(gh.requests.filter((r) => r.path === '/search/issues' && String(r.query.q).includes(st.ref))).toHaveLength(3);
    expect(gh.issues).toHaveLength(1);
    expect(linkedKeys(d, t.id)).toEqual(['acme/app#1']);
  });
});

describe('a slow tracker', () => {
  it('the preview submit is answered at once; the result follows privately to the agent', async () => {
    const gh = await FakeGithub.start({ repos: ['acme/app'] });
    cleanup.push(() => gh.close());
    const port: Ports = (c) => ({ github: new GithubTracker(c.trackers.github!, { token: gh.token, baseUrl: gh.url }) });
    const { desk: d } = desk(':memory:', { github: { repo: 'acme/app' } }, port, 50);
    const t = d.open('Exports fail with error E5031', { priority: 'P2' });
    const { form } = await d.core.interactions.action('handoff.escalate', t.key, ctx());
    const release = gh.holdNext(/^\/repos\/acme\/app\/issues$/);
    const answer = await submitForm(d, form!);
    expect(viewText(answer)).toContain(`Creating the issue for ${t.key} in GitHub acme/app… I will tell you here when it is there.`);
    expect(linkedKeys(d, t.id)).toEqual([]);
    // A second submit meanwhile creates nothing.
    expect(viewText(await submitForm(d, form!))).toContain('being submitted already');
    release();
    await expect.poll(() => outboxRows(d.db, 'handoff-result:').length).toBe(1);
    const result = outboxRows(d.db, 'handoff-result:')[0]!.payload;
    expect(result).toMatchObject({ kind: 'ephemeral', userId: OWNER, internalThreadOfTicket: t.id });
    expect(viewText(viewOf(result))).toContain('Created [GitHub acme/app#1]');
    expect(gh.issues).toHaveLength(1);
    expect(linkedKeys(d, t.id)).toEqual(['acme/app#1']);
  });

  it('a plan follow-up\'s "Create issue" is answered at once; a late failure comes with a Retry button that works', async () => {
    const gh = await FakeGithub.start({ repos: ['acme/app'] });
    cleanup.push(() => gh.close());
    const port: Ports = (c) => ({ github: new GithubTracker(c.trackers.github!, { token: gh.token, baseUrl: gh.url }) });
    const { desk: d } = desk(':memory:', { github: { repo: 'acme/app' } }, port, 50);
    const ai = installAi(d.core, { answerWithinMs: 2000 });
    const t = d.open('How do I set up SSO with Okta? The docs do not say which redirect URL to use', { priority: 'P3' });
    await ai.plan(t.key, OWNER);
    await ai.idle();
    const plan = outboxRows(d.db, 'plan-post:').map((r) => viewOf(r.payload)).at(-1)!;
    const create = actionsOf(plan).find((x) => x.actionId === 'plan.follow_up_issue')!;
    const release = gh.holdNext(/^\/repos\/acme\/app\/issues$/);
    gh.failNext({ status: 503, body: { message: 'Service Unavailable' }, path: /^\/repos\/acme\/app\/issues$/ });
    const res = await d.core.interactions.action(create.actionId, create.value, ctx());
    expect(viewText(res.ephemeral)).toContain(`Creating the issue for ${t.key} in GitHub acme/app… I will tell you here when it is there.`);
    release();
    await expect.poll(() => outboxRows(d.db, 'handoff-result:').length).toBe(1);
    const failed = viewOf(outboxRows(d.db, 'handoff-result:')[0]!.payload);
    expect(viewText(failed)).toMatch(/Could not create the follow-up issue in GitHub acme\/app: .*click \*\*Create issue\*\* on the plan again to retry/);
    const retry = actionsOf(failed).find((x) => x.label === 'Retry: create issue')!;
    expect(retry).toMatchObject({ actionId: create.actionId, value: create.value });
    expect(gh.issues).toHaveLength(0);
    const again = await d.core.interactions.action(retry.actionId, retry.value, ctx());
    expect(viewText(again.ephemeral)).toContain(`for the follow-up of ${t.key}`);
    expect(gh.issues).toHaveLength(1);
  });

  it('"Link to issue…" search and pick are answered at once when the tracker is slow; results and the link follow privately', async () => {
    const gh = await FakeGithub.start({ repos: ['acme/app'] });
    cleanup.push(() => gh.close());
    const github: Ports = (c) => ({ github: new GithubTracker(c.trackers.github!, { token: gh.token, baseUrl: gh.url }) });
    const { desk: d } = desk(':memory:', { github: { repo: 'acme/app' } }, github, 50);
    const a = d.open('Exports fail with error E5031', { priority: 'P2' });
    const { form } = await d.core.interactions.action('handoff.escalate', a.key, ctx());
    await submitForm(d, form!);
    // (With a 50 ms budget even this create may answer late.)
    await expect.poll(() => linkedKeys(d, a.id)).toEqual(['acme/app#1']);
    const b = d.open('E5031 when exporting', { priority: 'P2', requester: 'U0CUST2' });
    const search = (await d.core.interactions.action('handoff.link', b.key, ctx())).form!;
    let release = gh.holdNext(/^\/search\/issues$/);
    expect(viewText(await submitForm(d, search, { query: 'E5031' }))).toContain(`Searching the tracker for “E5031” for ${b.key}…`);
    release();
    await expect.poll(() => outboxRows(d.db, 'handoff-search:').length).toBe(1);
    const results = viewOf(outboxRows(d.db, 'handoff-search:')[0]!.payload);
    const pick = actionsOf(results).find((x) => x.actionId === 'handoff.pick')!;
    expect(pick.value).toBe(`${b.key}|github|acme/app#1`);
    release = gh.holdNext(/^\/repos\/acme\/app\/issues\/1$/);
    const res = await d.core.interactions.action(pick.actionId, pick.value, ctx());
    expect(viewText(res.ephemeral)).toContain(`Linking ${b.key} to acme/app#1… I will confirm here.`);
    release();
    await expect.poll(() => outboxRows(d.db, 'handoff-link:').length).toBe(1);
    expect(viewText(viewOf(outboxRows(d.db, 'handoff-link:')[0]!.payload))).toContain(`Linked ${b.key} to [GitHub acme/app#1]`);
    expect(linkedKeys(d, b.id)).toEqual(['acme/app#1']);
  });
});

describe('what the agent is told when the tracker fails', () => {
  async function failing(repo: string, token: (gh: FakeGithub) => string, down = false): Promise<string> {
    const gh = await FakeGithub.start({ repos: ['acme/app'] });
    cleanup.push(() => gh.close());
    const url = gh.url;
    if (down) await gh.close();
    const github: Ports = (c) => ({ github: new GithubTracker(c.trackers.github!, { token: token(gh), baseUrl: url }) });
    const { desk: d } = desk(':memory:', { github: { repo } }, github);
    const t = d.open('Exports fail with error E5031', { priority: 'P2' });
    const { form } = await d.core.interactions.action('handoff.escalate', t.key, ctx());
    const text = viewText(await submitForm(d, form!));
    expect(linkedKeys(d, t.id)).toEqual([]);
    return text;
  }

  it('a wrong token says which variable and what the token needs', async () => {
    const text = await failing('acme/app', () => 'ghp_wrong');
    expect(text).toContain('Could not create the issue in GitHub acme/app: GITHUB_TOKEN was refused');
    expect(text).toContain('Issues read/write on acme/app');
    expect(text).toContain('your edits are kept');
    expect(text).not.toContain('ghp_wrong');
  });

  it('an unknown repository names the setting to check', async () => {
    const text = await failing('acme/nope', (gh) => gh.token);
    expect(text).toContain("repository acme/nope not found or the token cannot see it (check trackers.github.repo or the route's project");
  });

  it('a tracker that cannot be reached says so, and that the retry will not create a second issue', async () => {
    const text = await failing('acme/app', (gh) => gh.token, true);
    expect(text).toMatch(/GitHub could not be reached \(.*\); check the network, and GITHUB_API_URL for GitHub Enterprise/);
    expect(text).toContain('if it was created after all, the retry links it instead of creating another');
  });

  it('`/ticket escalate T-1 engineering` without a tracker points to the README set-up section', async () => {
    const d = makeDesk();
    desks.push(d);
    installHandoff(d.core, { trackers: null });
    const t = d.open('Exports fail', { priority: 'P2' });
    const res = await runCommand(d.core.commands, d.core.tickets, `escalate ${t.key} engineering`, { platform: 'slack', userId: OWNER, channelId: TRIAGE });
    expect(viewText(res.view)).toContain('No issue tracker is configured');
    expect(viewText(res.view)).toContain('see README "Engineering hand-off: GitHub Issues, Jira, Linear" → "Trackers: set-up"');
    expect(d.core.tickets.repo.events(t.id).some((e) => e.type === 'escalated')).toBe(false);
  });
});
