/** Jira Cloud: the TrackerPort contract, ADF bodies and the webhook, through the real jira.js client. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/ports/clock.js';
import { SelfIdentity } from '../../src/trackers/common.js';
import { JiraTracker, JiraWebhook, jiraSearchWords, jqlString } from '../../src/trackers/jira.js';
import { type TrackerHarness, trackerPortContract } from '../contract/tracker-port-contract.js';
import { adfTexts, FakeJira } from '../fakes/fake-jira.js';

const PRIORITIES = { P0: 'Highest', P1: 'High', P2: 'Medium', P3: 'Low', P4: 'Lowest' } as const;

async function start() {
  const clock = new ManualClock(Date.UTC(2027, 0, 4, 9, 0, 0));
  const fake = await FakeJira.start({
    clock: {
      now: () => {
        clock.advance(1000);
        return clock.now();
      },
    },
  });
  const cfg = { site: fake.url, project: 'OPS', issueType: 'Bug', labels: [], priorities: { ...PRIORITIES } };
  const self = new SelfIdentity();
  const port = new JiraTracker(cfg, { email: fake.email, apiToken: fake.token, clock, self });
  return { clock, fake, port, cfg, self };
}

trackerPortContract('Jira Cloud', async (): Promise<TrackerHarness> => {
  const { clock, fake, port, cfg } = await start();
  return {
    port,
    target: { project: 'OPS', labels: ['support', 'from-frontdesk'] },
    p1: 'High',
    tokenVar: 'JIRA_API_TOKEN',
    badAuthPort: () => new JiraTracker(cfg, { email: fake.email, apiToken: 'wrong', clock }),
    missingKey: 'OPS-999',
    lastCreate() {
      const r = fake.requests.filter((q) => q.method === 'POST' && q.path === '/rest/api/3/issue').at(-1)!;
      const f = r.body.fields;
      return { project: f.project.key, title: f.summary, bodyText: adfTexts(f.description), labels: f.labels, priority: f.priority?.name ?? null };
    },
    setState(key, to) {
      if (to === 'in_progress') fake.transition(key, 'indeterminate', { assignee: 'dev-alice' });
      else fake.transition(key, 'done', { resolution: to === 'completed' ? 'Done' : "Won't Do" });
    },
    commentAsEngineer: (key, body) => void fake.comment(key, 'dev-alice', body),
    commentsOnServer: (key) => fake.issue(key).comments.map((c) => adfTexts(c.body)),
    linksOnServer: (key) => fake.issue(key).remoteLinks.map((l) => l.object),
    advance: (ms) => clock.advance(ms),
    now: () => clock.now(),
    close: () => fake.close(),
  };
});

describe('Jira tracker specifics', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeEach(async () => {
    env = await start();
  });
  afterEach(async () => {
    await env.fake.close();
  });

  it('sends the body as ADF: headings, lists, code blocks and links', async () => {
    await env.port.createIssue({
      target: { project: 'OPS', labels: ['needs triage'] },
      title: 'Checkout 500',
      body: '## Steps\n1. open cart\n2. pay\n\n```js\nthrow new Error("x")\n```\nSee [thread](https://chat.example/T-1)',
      priority: 'P0',
    });
    const f = env.fake.requests.find((r) => r.method === 'POST' && r.path === '/rest/api/3/issue')!.body.fields;
    expect(f.description.content.map((n: { type: string }) => n.type)).toEqual(['heading', 'orderedList', 'codeBlock', 'paragraph']);
    expect(f.description.content[2]).toEqual({ type: 'codeBlock', attrs: { language: 'js' }, content: [{ type: 'text', text: 'throw new Error("x")' }] });
    expect(f.description.content[3].content[1]).toEqual({ type: 'text', text: 'thread', marks: [{ type: 'link', attrs: { href: 'https://chat.example/T-1' } }] });
    expect(f.labels).toEqual(['needs-triage']);
    expect(f.priority).toEqual({ name: 'Highest' });
    expect(f.issuetype).toEqual({ name: 'Bug' });
  });

  it('searches with well-formed JQL whatever the user types', async () => {
    const hit = await env.port.createIssue({ target: { project: 'OPS', labels: [] }, title: 'Invoice "PDF" export fails', body: 'b', priority: 'P2' });
    const found = await env.port.searchIssues('invoice "PDF\\" OR');
    expect(found.map((i) => i.key)).toEqual([hit.key]);
    expect(env.fake.requests.at(-1)!.query.jql).toBe('project = "OPS" AND text ~ "invoice PDF" ORDER BY updated DESC');
    // A route's project is quoted and escaped too: the fake parses the JQL and would answer 400 otherwise.
    const err = await env.port.searchIssues('x', { project: 'O"PS' }).catch((e) => e);
    expect(env.fake.requests.at(-1)!.query.jql).toBe('project = "O\\"PS" AND text ~ "x" ORDER BY updated DESC');
    expect(err.message).toContain(`project "O"PS" not found`);
    expect(jqlString('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(jiraSearchWords('crash* -beta (ios)')).toBe('crash beta ios');
  });

  it('gives up on a request that never answers', async () => {
    const slow = new JiraTracker(env.cfg, { email: env.fake.email, apiToken: env.fake.token, clock: env.clock, timeoutMs: 200 });
    env.fake.failNext({ status: 0, hang: true });
    const err = await slow.getIssue('OPS-1').catch((e) => e);
    expect(err).toMatchObject({ code: 'unavailable' });
    expect(err.message).toMatch(/timeout/i);
  });

  it('links idempotently: the same ticket link twice is one remote link', async () => {
    const i = await env.port.createIssue({ target: { project: 'OPS', labels: [] }, title: 't', body: 'b', priority: 'P2' });
    await env.port.addLink(i.key, { url: 'https://fd.example/t/T-1', title: 'T-1' });
    await env.port.addLink(i.key, { url: 'https://fd.example/t/T-1', title: 'T-1 (renamed)' });
    expect(env.fake.issue(i.key).remoteLinks.map((l) => l.object.title)).toEqual(['T-1 (renamed)']);
    const wire = env.fake.requests.filter((r) => r.path.endsWith('/remotelink')).at(-1)!;
    expect(wire.path).toBe(`/rest/api/3/issue/${i.key}/remotelink`);
    expect(wire.body).toEqual({ globalId: 'frontdesk:https://fd.example/t/T-1', object: { url: 'https://fd.example/t/T-1', title: 'T-1 (renamed)' } });
  });

  it('config mistakes name the setting to fix; a rate limit says when to retry', async () => {
    const noProject = await env.port.createIssue({ target: { project: 'NOPE', labels: [] }, title: 't', body: 'b', priority: 'P2' }).catch((e) => e);
    expect(noProject).toMatchObject({ code: 'invalid' });
    expect(noProject.message).toContain('project "NOPE" not found or not visible (check trackers.jira.project');
    const badPriority = new JiraTracker({ ...env.cfg, priorities: { P2: 'Blocker' } }, { email: env.fake.email, apiToken: env.fake.token, clock: env.clock });
    const e2 = await badPriority.createIssue({ target: { project: 'OPS', labels: [] }, title: 't', body: 'b', priority: 'P2' }).catch((e) => e);
    expect(e2.message).toContain('priority "Blocker" is not a priority of this Jira site (check trackers.jira.priorities)');
    env.fake.failNext({ status: 429, headers: { 'retry-after': '17' }, body: { errorMessages: ['Rate limit exceeded'] } });
    expect(await env.port.getIssue('OPS-1').catch((e) => e)).toMatchObject({ code: 'rate_limited', retryAfterMs: 17_000 });
    env.fake.failNext({ status: 503, body: {} });
    expect(await env.port.getIssue('OPS-1').catch((e) => e)).toMatchObject({ code: 'unavailable' });
  });
});

describe('Jira webhook', () => {
  const SECRET = 'jira-secret';
  let env: Awaited<ReturnType<typeof start>>;
  let hook: JiraWebhook;
  beforeEach(async () => {
    env = await start();
    hook = new JiraWebhook(env.fake.url, env.self);
  });
  afterEach(async () => {
    await env.fake.close();
  });

  it('accepts X-Hub-Signature sha256=<hmac> of the raw body; rejects missing or wrong ones', async () => {
    const i = await env.port.createIssue({ target: { project: 'OPS', labels: [] }, title: 't', body: 'b', priority: 'P2' });
    env.fake.transition(i.key, 'done');
    const d = env.fake.delivery(env.fake.statusChangedPayload(i.key, 'To Do'), SECRET);
    expect(hook.verify(d.headers, d.rawBody, SECRET)).toBeNull();
    expect(hook.verify(d.headers, d.rawBody, 'nope')).toBe('signature mismatch');
    expect(hook.verify({ ...d.headers, 'x-hub-signature': undefined }, d.rawBody, SECRET)).toBe('missing X-Hub-Signature header');
    expect(hook.deliveryId(d.headers, d.body)).toBe(d.headers['x-atlassian-webhook-identifier']);
    const anon = env.fake.delivery(env.fake.statusChangedPayload(i.key, 'To Do'), SECRET, null);
    expect(hook.deliveryId(anon.headers, anon.body)).toBe(`jira:issue_updated:${i.key}:${anon.body.timestamp}`);
  });

  it('parses a status change and a comment; frontdesk\'s own comment is byBot', async () => {
    const i = await env.port.createIssue({ target: { project: 'OPS', labels: [] }, title: 'Crash', body: 'b', priority: 'P2' });
    env.fake.transition(i.key, 'done', { resolution: 'Duplicate' });
    const [ev] = hook.parse({}, env.fake.statusChangedPayload(i.key, 'In Progress'));
    expect(ev).toMatchObject({ kind: 'state', actor: 'dev-alice', issue: { key: i.key, state: 'closed', closeReason: 'not_planned', stateLabel: 'Done', url: `${env.fake.url}/browse/${i.key}` } });
    expect(ev!.kind === 'state' && ev!.issue).toEqual(await env.port.getIssue(i.key));

    const c = env.fake.comment(i.key, 'dev-alice', 'Deployed the fix');
    const [ce] = hook.parse({}, env.fake.commentPayload(i.key, c));
    expect(ce).toMatchObject({ kind: 'comment', issue: { key: i.key }, comment: { body: 'Deployed the fix', author: 'dev-alice', byBot: false } });

    const mine = await env.port.addComment(i.key, 'noted by **frontdesk**');
    expect(mine).toMatchObject({ byBot: true, body: 'noted by frontdesk' });
    const own = env.fake.issue(i.key).comments.find((x) => x.id === mine.id)!;
    expect(hook.parse({}, env.fake.commentPayload(i.key, own))[0]).toMatchObject({ comment: { byBot: true } });

    const summaryOnly = { ...env.fake.statusChangedPayload(i.key, 'x'), changelog: { items: [{ field: 'summary' }] } };
    expect(hook.parse({}, summaryOnly)).toEqual([]);
  });
});
