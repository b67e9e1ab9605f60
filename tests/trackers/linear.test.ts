/** Linear: the TrackerPort contract and the webhook, through the real @linear/sdk LinearClient. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/ports/clock.js';
import { SelfIdentity } from '../../src/trackers/common.js';
import { LinearTracker, LinearWebhook } from '../../src/trackers/linear.js';
import { type TrackerHarness, trackerPortContract } from '../contract/tracker-port-contract.js';
import { FakeLinear } from '../fakes/fake-linear.js';

const CFG = { team: 'ENG', labels: [], priorities: { P0: 1, P1: 2, P2: 3, P3: 4, P4: 4 } };

async function start() {
  const clock = new ManualClock(Date.UTC(2027, 0, 4, 9, 0, 0));
  const fake = await FakeLinear.start({
    clock: {
      now: () => {
        clock.advance(1000);
        return clock.now();
      },
    },
  });
  const self = new SelfIdentity();
  const port = new LinearTracker(CFG, { apiKey: fake.apiKey, apiUrl: fake.apiUrl, clock, self });
  return { clock, fake, port, self };
}

trackerPortContract('Linear', async (): Promise<TrackerHarness> => {
  const { clock, fake, port } = await start();
  return {
    port,
    target: { project: 'ENG', labels: ['support', 'from-frontdesk'] },
    p1: 2,
    tokenVar: 'LINEAR_API_KEY',
    badAuthPort: () => new LinearTracker(CFG, { apiKey: 'lin_api_wrong', apiUrl: fake.apiUrl, clock }),
    missingKey: 'ENG-999',
    lastCreate() {
      const r = fake.requests.filter((q) => /mutation FrontdeskIssueCreate/.test(q.body?.query)).at(-1)!;
      const input = r.body.variables.input;
      const names = new Map([...fake.teams.flatMap((t) => t.labels), ...fake.workspaceLabels].map((l) => [l.id, l.name]));
      const team = fake.teams.find((t) => t.id === input.teamId);
      return { project: team?.key ?? input.teamId, title: input.title, bodyText: input.description, labels: (input.labelIds ?? []).map((id: string) => names.get(id) ?? id), priority: input.priority ?? null };
    },
    setState(key, to) {
      if (to === 'in_progress') fake.moveTo(key, 'started', 'dev-alice');
      else fake.moveTo(key, to === 'completed' ? 'completed' : 'canceled');
    },
    commentAsEngineer: (key, body) => void fake.comment(key, 'dev-alice', body),
    commentsOnServer: (key) => fake.issue(key).comments.map((c) => c.body),
    linksOnServer: (key) => fake.issue(key).attachments,
    advance: (ms) => clock.advance(ms),
    now: () => clock.now(),
    close: () => fake.close(),
  };
});

describe('Linear tracker specifics', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeEach(async () => {
    env = await start();
  });
  afterEach(async () => {
    await env.fake.close();
  });

  it('reads an issue in one request, looks the team and labels up once, and sends the key raw', async () => {
    await env.port.createIssue({ target: { project: 'ENG', labels: ['Bug'] }, title: 'a', body: 'b', priority: 'P0' });
    await env.port.createIssue({ target: { project: 'eng', labels: ['bug'] }, title: 'c', body: 'd', priority: 'P4' });
    await env.port.getIssue('ENG-1');
    expect(env.fake.operations).toEqual(['FrontdeskTeams', 'FrontdeskIssueCreate', 'FrontdeskIssueCreate', 'FrontdeskIssue']);
    expect(env.fake.requests[0]!.headers.authorization).toBe(env.fake.apiKey);
    const creates = env.fake.requests.filter((r) => /IssueCreate/.test(r.body.query)).map((r) => r.body.variables.input);
    expect(creates).toEqual([
      { teamId: 'team-eng', title: 'a', description: 'b', labelIds: ['lbl-bug'], priority: 1 },
      { teamId: 'team-eng', title: 'c', description: 'd', labelIds: ['lbl-bug'], priority: 4 },
    ]);
  });

  it('an unknown label or team is a config error listing the known ones; nothing is created', async () => {
    const e1 = await env.port.createIssue({ target: { project: 'ENG', labels: ['Bug', 'urgent'] }, title: 'a', body: 'b', priority: 'P2' }).catch((e) => e);
    expect(e1).toMatchObject({ code: 'invalid' });
    expect(e1.message).toContain('Linear has no label "urgent" for team ENG');
    expect(e1.message).toContain('Known labels: Bug, from-frontdesk, support');
    const e2 = await env.port.createIssue({ target: { project: 'OPS', labels: [] }, title: 'a', body: 'b', priority: 'P2' }).catch((e) => e);
    expect(e2.message).toBe('Linear team "OPS" not found (check trackers.linear.team / the route\'s project). Teams LINEAR_API_KEY can see: ENG');
    expect(env.fake.issues).toEqual([]);
  });

  it('maps workflow state types: triage/backlog open, started in progress, canceled not planned', async () => {
    const i = await env.port.createIssue({ target: { project: 'ENG', labels: [] }, title: 'a', body: 'b', priority: 'P2' });
    env.fake.moveTo(i.key, 'triage');
    expect(await env.port.getIssue(i.key)).toMatchObject({ state: 'open', stateLabel: 'Triage' });
    env.fake.moveTo(i.key, 'backlog');
    expect((await env.port.getIssue(i.key)).state).toBe('open');
    env.fake.moveTo(i.key, 'started', 'dev-bob');
    expect(await env.port.getIssue(i.key)).toMatchObject({ state: 'in_progress', assignee: 'dev-bob' });
    env.fake.moveTo(i.key, 'canceled');
    expect(await env.port.getIssue(i.key)).toMatchObject({ state: 'closed', closeReason: 'not_planned', stateLabel: 'Canceled' });
  });

  it('words that look like a key ("error-500") are searched as words when no such issue exists', async () => {
    const i = await env.port.createIssue({ target: { project: 'ENG', labels: [] }, title: 'Checkout shows error-500 page', body: 'b', priority: 'P2' });
    expect((await env.port.searchIssues('error-500')).map((x) => x.key)).toEqual([i.key]);
    expect(env.fake.operations.slice(-2)).toEqual(['FrontdeskIssue', 'FrontdeskSearchIssues']);
  });

  it('gives up on a request that never answers', async () => {
    const slow = new LinearTracker(CFG, { apiKey: env.fake.apiKey, apiUrl: env.fake.apiUrl, clock: env.clock, timeoutMs: 200 });
    env.fake.failNext({ status: 0, hang: true });
    expect(await slow.getIssue('ENG-1').catch((e) => e)).toMatchObject({ code: 'unavailable', message: 'Linear did not answer within 0.2 s' });
  });

  it('a rate limit says when to retry', async () => {
    env.fake.failNext({ status: 400, headers: { 'retry-after': '12' }, body: { errors: [{ message: 'Rate limit exceeded', extensions: { type: 'ratelimited', code: 'RATELIMITED' } }] } });
    expect(await env.port.getIssue('ENG-1').catch((e) => e)).toMatchObject({ code: 'rate_limited', retryAfterMs: 12_000 });
    env.fake.failNext({ status: 500, body: { errors: [{ message: 'boom', extensions: { type: 'internal error' } }] } });
    expect(await env.port.getIssue('ENG-1').catch((e) => e)).toMatchObject({ code: 'unavailable' });
  });
});

describe('Linear webhook', () => {
  const SECRET = 'lin_wh_secret';
  let env: Awaited<ReturnType<typeof start>>;
  let hook: LinearWebhook;
  beforeEach(async () => {
    env = await start();
    hook = new LinearWebhook(env.clock, env.self);
  });
  afterEach(async () => {
    await env.fake.close();
  });

  it('accepts a fresh signed delivery; rejects a bad signature and a stale (replayed) timestamp', async () => {
    const i = await env.port.createIssue({ target: { project: 'ENG', labels: [] }, title: 'a', body: 'b', priority: 'P2' });
    env.fake.moveTo(i.key, 'completed');
    const fresh = env.fake.delivery(env.fake.issueUpdatePayload(i.key, 'state-unstarted', env.clock.now() - 5_000), SECRET);
    expect(hook.verify(fresh.headers, fresh.rawBody, SECRET)).toBeNull();
    expect(hook.verify(fresh.headers, fresh.rawBody, 'other')).toBe('signature mismatch');
    expect(hook.verify({ ...fresh.headers, 'linear-signature': undefined }, fresh.rawBody, SECRET)).toBe('missing Linear-Signature header');
    expect(hook.deliveryId(fresh.headers, fresh.body)).toBe(fresh.headers['linear-delivery']);

    const stale = env.fake.delivery(env.fake.issueUpdatePayload(i.key, 'state-unstarted', env.clock.now() - 61_000), SECRET, null);
    expect(hook.verify(stale.headers, stale.rawBody, SECRET)).toBe('webhookTimestamp is 61 s away from now (more than 60 s): replay or clock skew');
    expect(hook.deliveryId(stale.headers, stale.body)).toBe(`webhook-1:${stale.body.webhookTimestamp}`);
    const future = env.fake.delivery(env.fake.issueUpdatePayload(i.key, 'state-unstarted', env.clock.now() + 120_000), SECRET);
    expect(hook.verify(future.headers, future.rawBody, SECRET)).toMatch(/replay or clock skew/);
    // The same bytes 61 s later are a replay.
    env.clock.advance(61_000);
    expect(hook.verify(fresh.headers, fresh.rawBody, SECRET)).toMatch(/replay or clock skew/);
  });

  it('parses a state change and a comment; frontdesk\'s own comment is byBot', async () => {
    const i = await env.port.createIssue({ target: { project: 'ENG', labels: [] }, title: 'Crash on save', body: 'b', priority: 'P2' });
    env.fake.moveTo(i.key, 'completed');
    const [ev] = hook.parse({}, env.fake.issueUpdatePayload(i.key, 'state-unstarted', env.clock.now()));
    expect(ev).toMatchObject({ kind: 'state', actor: 'dev-alice', issue: { key: i.key, state: 'closed', closeReason: 'completed', stateLabel: 'Done' } });
    expect(ev!.kind === 'state' && ev!.issue).toEqual(await env.port.getIssue(i.key));

    const c = env.fake.comment(i.key, 'dev-alice', 'Released in v3.2');
    const [ce] = hook.parse({}, env.fake.commentCreatePayload(i.key, c, env.clock.now()));
    expect(ce).toMatchObject({ kind: 'comment', issue: { key: i.key, url: i.url }, comment: { author: 'dev-alice', body: 'Released in v3.2', byBot: false } });

    const mine = await env.port.addComment(i.key, 'frontdesk note');
    const own = env.fake.issue(i.key).comments.find((x) => x.id === mine.id)!;
    const payload = env.fake.commentCreatePayload(i.key, own, env.clock.now());
    expect(hook.parse({}, payload)[0]).toMatchObject({ comment: { byBot: true } });
    // Without `identifier` in data.issue, the key is read from the comment URL.
    const noIdent = { ...payload, data: { ...(payload.data as object), issue: { id: 'x', title: 't' } } };
    expect(hook.parse({}, noIdent)[0]).toMatchObject({ issue: { key: i.key } });

    const titleOnly = { ...env.fake.issueUpdatePayload(i.key, 'x', env.clock.now()), updatedFrom: { title: 'old' } };
    expect(hook.parse({}, titleOnly)).toEqual([]);
  });
});
