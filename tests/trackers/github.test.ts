/** GitHub Issues: the TrackerPort contract and the webhook, through the real @octokit/rest client. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/ports/clock.js';
import { TrackerError } from '../../src/ports/tracker-port.js';
import { GithubTracker, GithubWebhook } from '../../src/trackers/github.js';
import { type TrackerHarness, trackerPortContract } from '../contract/tracker-port-contract.js';
import { FakeGithub } from '../fakes/fake-github.js';

const CFG = { repo: 'acme/app', labels: ['support'], priorityLabels: { P0: 'priority: critical', P1: 'priority: high' } };

async function start() {
  const clock = new ManualClock(Date.UTC(2027, 0, 4, 9, 0, 0));
  const fake = await FakeGithub.start({
    clock: {
      now: () => {
        clock.advance(1000);
        return clock.now();
      },
    },
  });
  const port = new GithubTracker(CFG, { token: fake.token, baseUrl: fake.url, clock });
  return { clock, fake, port };
}

trackerPortContract('GitHub Issues', async (): Promise<TrackerHarness> => {
  const { clock, fake, port } = await start();
  return {
    port,
    target: { project: 'acme/app', labels: ['support', 'from-frontdesk'] },
    p1: 'priority: high',
    tokenVar: 'GITHUB_TOKEN',
    badAuthPort: () => new GithubTracker(CFG, { token: 'ghp_wrong', baseUrl: fake.url, clock }),
    missingKey: 'acme/app#999',
    lastCreate() {
      const r = fake.requests.filter((q) => q.method === 'POST' && /\/issues$/.test(q.path)).at(-1)!;
      const labels: string[] = r.body.labels;
      return {
        project: r.path.split('/').slice(2, 4).join('/'),
        title: r.body.title,
        bodyText: r.body.body,
        labels,
        priority: labels.find((l) => l.startsWith('priority:')) ?? null,
      };
    },
    setState(key, to) {
      if (to === 'in_progress') fake.assign(key, 'dev-alice');
      else fake.closeIssue(key, to);
    },
    commentAsEngineer: (key, body) => void fake.comment(key, 'dev-alice', body),
    commentsOnServer: (key) => fake.issue(key).comments.map((c) => c.body),
    linksOnServer: (key) =>
      fake
        .issue(key)
        .comments.flatMap((c) => [...c.body.matchAll(/\[([^\]]+)\]\((https?:[^)]+)\)/g)])
        .map((m) => ({ title: m[1]!, url: m[2]! })),
    advance: (ms) => clock.advance(ms),
    now: () => clock.now(),
    close: () => fake.close(),
  };
});

describe('GitHub tracker specifics', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeEach(async () => {
    env = await start();
  });
  afterEach(async () => {
    await env.fake.close();
  });

  it('sends the token and keeps a search inside the configured repository', async () => {
    await env.port.searchIssues('repo:evil/other "quoted" crash');
    const r = env.fake.requests.at(-1)!;
    expect(r.headers.authorization).toBe(`token ${env.fake.token}`);
    expect(r.query.q).toBe('repo:acme/app is:issue repo evil/other quoted crash');
  });

  it('a label named "in progress" also reads as in progress', async () => {
    const issue = await env.port.createIssue({ target: { project: 'acme/app', labels: ['status: in progress'] }, title: 't', body: 'b', priority: 'P3' });
    expect(issue).toMatchObject({ state: 'in_progress', stateLabel: 'status: in progress' });
    expect(env.fake.requests.at(-1)!.body.labels).toEqual(['status: in progress']);
  });

  it('an unknown repository says so; a rate limit says when to retry', async () => {
    const err = await env.port.createIssue({ target: { project: 'acme/nope', labels: [] }, title: 't', body: 'b', priority: 'P2' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'not_found', message: "repository acme/nope not found or the token cannot see it (check trackers.github.repo or the route's project, and the token's repository access)" });
    expect(await env.port.searchIssues('crash', { project: 'acme/nope' }).catch((e) => e)).toMatchObject({ code: 'not_found', message: "repository acme/nope not found or the token cannot see it (check trackers.github.repo or the route's project, and the token's repository access)" });
    const reset = Math.floor(env.clock.now() / 1000) + 120;
    env.fake.failNext({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, body: { message: 'API rate limit exceeded' } });
    const limited = await env.port.getIssue('acme/app#1').catch((e) => e);
    expect(limited).toBeInstanceOf(TrackerError);
    expect(limited.code).toBe('rate_limited');
    expect(limited.retryAfterMs).toBe(reset * 1000 - env.clock.now());
    expect(limited.message).toMatch(/retry in 120 s/);
    env.fake.failNext({ status: 429, headers: { 'retry-after': '30' }, body: { message: 'secondary rate limit' } });
    expect(await env.port.getIssue('acme/app#1').catch((e) => e)).toMatchObject({ code: 'rate_limited', retryAfterMs: 30_000 });
  });

  it('a 5xx is "unavailable"; a malformed key is "invalid" without a request', async () => {
    env.fake.failNext({ status: 502, body: { message: 'bad gateway' } });
    expect(await env.port.getIssue('acme/app#1').catch((e) => e)).toMatchObject({ code: 'unavailable' });
    const before = env.fake.requests.length;
    expect(await env.port.getIssue('T-1042').catch((e) => e)).toMatchObject({ code: 'invalid' });
    expect(env.fake.requests.length).toBe(before);
  });

  it('gives up on a request that never answers', async () => {
    const slow = new GithubTracker(CFG, { token: env.fake.token, baseUrl: env.fake.url, clock: env.clock, timeoutMs: 200 });
    env.fake.failNext({ status: 0, hang: true });
    expect(await slow.getIssue('acme/app#1').catch((e) => e)).toMatchObject({ code: 'unavailable' });
  });

  it('pages through many comments', async () => {
    const issue = await env.port.createIssue({ target: { project: 'acme/app', labels: [] }, title: 't', body: 'b', priority: 'P2' });
    for (let i = 0; i < 130; i++) env.fake.comment(issue.key, 'dev', `c${i}`);
    const all = await env.port.commentsSince(issue.key, 0);
    expect(all).toHaveLength(130);
    expect(all.at(-1)!.body).toBe('c129');
    expect(env.fake.requests.filter((r) => r.path.endsWith('/comments')).length).toBe(2);
  });
});

describe('GitHub webhook', () => {
  const hook = new GithubWebhook();
  const SECRET = 'whsec-github';
  let env: Awaited<ReturnType<typeof start>>;
  beforeEach(async () => {
    env = await start();
  });
  afterEach(async () => {
    await env.fake.close();
  });

  it('accepts a correctly signed delivery and rejects a bad, missing or malformed signature', async () => {
    const issue = await env.port.createIssue({ target: { project: 'acme/app', labels: [] }, title: 't', body: 'b', priority: 'P2' });
    const d = env.fake.delivery('issues', env.fake.issuesPayload(issue.key, 'closed'), SECRET);
    expect(hook.verify(d.headers, d.rawBody, SECRET)).toBeNull();
    expect(hook.verify(d.headers, d.rawBody, 'other-secret')).toBe('signature mismatch');
    expect(hook.verify(d.headers, Buffer.concat([d.rawBody, Buffer.from(' ')]), SECRET)).toBe('signature mismatch');
    expect(hook.verify({ ...d.headers, 'x-hub-signature-256': undefined }, d.rawBody, SECRET)).toBe('missing X-Hub-Signature-256 header');
    expect(hook.verify({ ...d.headers, 'x-hub-signature-256': 'sha1=abc' }, d.rawBody, SECRET)).toMatch(/does not start with "sha256="/);
    expect(hook.verify({ ...d.headers, 'x-hub-signature-256': 'sha256=zz' }, d.rawBody, SECRET)).toMatch(/not a hex/);
    expect(hook.deliveryId(d.headers)).toBe(d.headers['x-github-delivery']);
  });

  it('parses a close into a state event and a comment into a comment event', async () => {
    const issue = await env.port.createIssue({ target: { project: 'acme/app', labels: [] }, title: 'Crash', body: 'b', priority: 'P2' });
    env.fake.closeIssue(issue.key, 'completed');
    const closed = env.fake.delivery('issues', env.fake.issuesPayload(issue.key, 'closed', 'dev-alice'), SECRET);
    const [ev] = hook.parse(closed.headers, closed.body);
    expect(ev).toMatchObject({ kind: 'state', actor: 'dev-alice', issue: { key: issue.key, state: 'closed', closeReason: 'completed', title: 'Crash' } });
    // The same state read by polling gets the same event id.
    const polled = await env.port.getIssue(issue.key);
    expect(ev!.kind === 'state' && ev!.issue).toEqual(polled);

    const c = env.fake.comment(issue.key, 'dev-alice', 'Shipped in 2.4.1');
    const [ce] = hook.parse(env.fake.delivery('issue_comment', env.fake.commentPayload(issue.key, c), SECRET).headers, env.fake.commentPayload(issue.key, c));
    expect(ce).toMatchObject({ kind: 'comment', issue: { key: issue.key }, comment: { author: 'dev-alice', body: 'Shipped in 2.4.1', byBot: false } });

    const mine = await env.port.addComment(issue.key, 'frontdesk note');
    const own = env.fake.issue(issue.key).comments.find((x) => String(x.id) === mine.id)!;
    const [oe] = hook.parse({ 'x-github-event': 'issue_comment' }, env.fake.commentPayload(issue.key, own));
    expect(oe).toMatchObject({ kind: 'comment', comment: { byBot: true, body: 'frontdesk note' } });

    expect(hook.parse({ 'x-github-event': 'issues' }, env.fake.issuesPayload(issue.key, 'milestoned'))).toEqual([]);
    expect(hook.parse({ 'x-github-event': 'ping' }, { zen: 'hi' })).toEqual([]);
  });
});
