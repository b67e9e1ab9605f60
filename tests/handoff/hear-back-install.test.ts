/**
 * installHearBack on a core: the `tracker-poll` job follows `trackers.poll` and FRONTDESK_SCHEDULER,
 * and a polling pass whose tracker refuses the token logs what to fix (the token's name) without
 * the token, and still reads the other issues.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { installHearBack } from '../../src/handoff/hear-back.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';
import { TrackerRepo } from '../../src/store/tracker-repo.js';
import { GithubTracker } from '../../src/trackers/github.js';
import { createTrackers } from '../../src/trackers/index.js';
import { FakeGithub } from '../fakes/fake-github.js';

const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
let core: Core | undefined;
let gh: FakeGithub | undefined;
afterEach(async () => {
  await core?.close();
  await gh?.close();
  core = undefined;
  gh = undefined;
});

function makeCore(env: Record<string, string> = {}, trackers: Record<string, unknown> = { github: { repo: 'acme/app' }, poll: '*/2 * * * *' }) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _enc, cb) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        cb();
      },
    }),
  );
  core = createCore({ config: parseConfig({ agents: ['U1'], trackers }), db: openDatabase(':memory:'), clock: new ManualClock(T0), env, logger });
  return { core, lines };
}

describe('installHearBack', () => {
  it('schedules tracker-poll on trackers.poll; not with FRONTDESK_SCHEDULER=off, nor without a configured tracker', async () => {
    const env = { GITHUB_TOKEN: 't', GITHUB_API_URL: 'http://127.0.0.1:9' };
    const a = makeCore(env);
    installHearBack(a.core, createTrackers(a.core.config, env));
    expect(a.core.scheduler.jobs().map((j) => [j.name, j.expression])).toEqual([['tracker-poll', '*/2 * * * *']]);
    await a.core.close();
    const b = makeCore({ ...env, FRONTDESK_SCHEDULER: 'off' });
    installHearBack(b.core, createTrackers(b.core.config, env));
    expect(b.core.scheduler.jobs()).toEqual([]);
    await b.core.close();
    const c = makeCore({}, {});
    installHearBack(c.core, createTrackers(c.core.config, {}));
    expect(c.core.scheduler.jobs()).toEqual([]);
  });

  it('a refused token is logged with what to fix (and never the token); the job keeps running', async () => {
    gh = await FakeGithub.start();
    const { core: c, lines } = makeCore();
    const good = new GithubTracker({ repo: 'acme/app', labels: [], priorityLabels: {} }, { token: gh.token, baseUrl: gh.url });
    const issue = await good.createIssue({ target: { project: 'acme/app', labels: [] }, title: 'Export fails', body: 'x', priority: 'P2' });
    const t = c.tickets.open({ platform: 'local', channelId: 'support', requesterId: 'C1', text: 'Export to CSV fails with a 502', force: true }).ticket!;
    const repo = new TrackerRepo(c.db);
    repo.link(t.id, repo.upsert(issue, T0, 'U1').id, 'U1', T0);
    installHearBack(c, createTrackers(c.config, { GITHUB_TOKEN: 'ghp_SECRET_VALUE', GITHUB_API_URL: gh.url }));
    expect(await c.scheduler.runNow('tracker-poll')).toBe(true);
    const err = lines.find((l) => l.job === 'tracker-poll' && l.level === 50)!;
    expect(err).toMatchObject({ tracker: 'github', issue: 'acme/app#1', code: 'auth' });
    expect(String(err.msg)).toContain('GITHUB_TOKEN');
    expect(JSON.stringify(lines)).not.toContain('ghp_SECRET_VALUE');
    expect(c.scheduler.jobs()[0]).toMatchObject({ name: 'tracker-poll', runs: 1, lastError: null });
    // Not marked as polled: the next pass reads it again.
    expect(repo.find(issue)!.polledAt).toBeNull();
  });

  it('a rate-limited tracker is not asked again in the same pass; its issues are read on the next one', async () => {
    gh = await FakeGithub.start();
    const { core: c, lines } = makeCore({ GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url });
    const trackers = createTrackers(c.config, c.env);
    const port = trackers.ports.get('github')!;
    const repo = new TrackerRepo(c.db);
    const t = c.tickets.open({ platform: 'local', channelId: 'support', requesterId: 'C1', text: 'Export to CSV fails with a 502', force: true }).ticket!;
    for (const title of ['Export fails', 'Import fails', 'Search slow']) {
      const issue = await port.createIssue({ target: { project: 'acme/app', labels: [] }, title, body: 'x', priority: 'P2' });
      repo.link(t.id, repo.upsert(issue, T0, 'U1').id, 'U1', T0);
    }
    const hb = installHearBack(c, trackers, { schedule: false });
    gh.failNext({ status: 429, headers: { 'retry-after': '30' }, body: { message: 'API rate limit exceeded' } });
    const before = gh.requests.length;
    const r1 = await hb.poller.run();
    expect(r1).toMatchObject({ issues: 0, errors: 1 });
    expect(gh.requests.length - before).toBe(1);
    expect(lines.find((l) => l.code === 'rate_limited')!.msg).toContain('rate limit');
    const r2 = await hb.poller.run();
    expect(r2).toMatchObject({ issues: 3, errors: 0 });
  });

  it('a missing webhook secret is logged once (not on every delivery) and each delivery gets 503', async () => {
    const { core: c, lines } = makeCore();
    installHearBack(c, createTrackers(c.config, { GITHUB_TOKEN: 't', GITHUB_API_URL: 'http://127.0.0.1:9' }), { schedule: false });
    const { port } = await c.listen(0, '127.0.0.1');
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(503);
    }
    expect(lines.filter((l) => l.code === 'frontdesk_webhook_secret_missing')).toHaveLength(1);
    expect(String(lines.find((l) => l.code === 'frontdesk_webhook_secret_missing')!.msg)).toContain('set it to the secret configured on the GitHub webhook');
  });
});
