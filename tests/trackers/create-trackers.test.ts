/** createTrackers: config + environment → ports, webhooks, secrets and routing; config mistakes said clearly. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { ConfigInvalidError } from '../../src/domain/errors.js';
import { ManualClock } from '../../src/ports/clock.js';
import { createTrackers } from '../../src/trackers/index.js';
import { FakeGithub } from '../fakes/fake-github.js';
import { FakeJira } from '../fakes/fake-jira.js';
import { FakeLinear } from '../fakes/fake-linear.js';

const ALL = {
  github: { repo: 'acme/app', labels: ['support'], priorityLabels: { P1: 'priority: high' } },
  jira: { site: 'https://acme.atlassian.net', project: 'OPS', labels: ['support'] },
  linear: { team: 'ENG', labels: ['support'] },
};
const ENV = { GITHUB_TOKEN: 'ghp_x', JIRA_EMAIL: 'bot@acme.test', JIRA_API_TOKEN: 'jt', LINEAR_API_KEY: 'lin_api_x', GITHUB_WEBHOOK_SECRET: 'gh-secret' };

const configError = (fn: () => unknown): ConfigInvalidError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigInvalidError) return e;
    throw e;
  }
  throw new Error('expected a ConfigInvalidError');
};

describe('createTrackers', () => {
  const fakes: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  it('no trackers configured: nothing to route to', () => {
    const t = createTrackers(parseConfig({}), {});
    expect(t.ports.size).toBe(0);
    expect(t.route({ category: 'bug', teamId: null })).toBeNull();
  });

  it('builds a port, a webhook and the secret for each configured tracker', () => {
    const t = createTrackers(parseConfig({ trackers: ALL }), ENV);
    expect([...t.ports.keys()].sort()).toEqual(['github', 'jira', 'linear']);
    expect([...t.webhooks.keys()].sort()).toEqual(['github', 'jira', 'linear']);
    expect(Object.fromEntries(t.secrets)).toEqual({ github: 'gh-secret', jira: undefined, linear: undefined });
    for (const [kind, port] of t.ports) expect(port.kind).toBe(kind);
  });

  it('a configured tracker without its token names every missing variable at once', () => {
    const e = configError(() => createTrackers(parseConfig({ trackers: ALL }), { JIRA_EMAIL: 'bot@acme.test' }, { source: 'frontdesk.config.yaml' }));
    expect(e.problems).toHaveLength(3);
    expect(e.problems[0]).toMatch(/^trackers\.github is configured but GITHUB_TOKEN is not set: set a fine-grained personal access token with Issues: read and write/);
    expect(e.problems[1]).toMatch(/^trackers\.jira is configured but JIRA_API_TOKEN is not set/);
    expect(e.problems[2]).toMatch(/^trackers\.linear is configured but LINEAR_API_KEY is not set/);
    expect(e.message).toContain('Invalid configuration in frontdesk.config.yaml');
  });

  it('a route or default naming an unconfigured tracker, or a malformed route project, is a config error', () => {
    const e = configError(() =>
      createTrackers(
        parseConfig({ trackers: { github: ALL.github, default: 'linear', routes: [{ category: 'billing', tracker: 'jira' }, { tracker: 'github', project: 'not-a-repo' }] } }),
        ENV,
      ),
    );
    expect(e.problems).toEqual([
      'trackers.routes.0: tracker "jira" is not configured; add a trackers.jira section or route to github',
      'trackers.routes.1.project: "not-a-repo" is not a GitHub repository; expected "owner/repo"',
      'trackers.default: "linear" is not configured; add a trackers.linear section or choose one of github',
    ]);
  });

  it('routes by category and/or team (first match), then the default, then the only tracker', () => {
    const t = createTrackers(
      parseConfig({
        trackers: {
          ...ALL,
          default: 'jira',
          routes: [
            { category: 'billing', team: 'T-payments', tracker: 'linear', project: 'PAY', labels: ['billing'] },
            { category: 'billing', tracker: 'github', project: 'acme/billing' },
            { team: 'T-mobile', tracker: 'github', labels: ['mobile'] },
          ],
        },
      }),
      ENV,
    );
    const r = (category: string | null, teamId: string | null) => {
      const x = t.route({ category, teamId });
      return x && { kind: x.port.kind, ...x.target };
    };
    expect(r('billing', 'T-payments')).toEqual({ kind: 'linear', project: 'PAY', labels: ['support', 'billing'] });
    expect(r('billing', 'T-web')).toEqual({ kind: 'github', project: 'acme/billing', labels: ['support'] });
    expect(r('bug', 'T-mobile')).toEqual({ kind: 'github', project: 'acme/app', labels: ['support', 'mobile'] });
    expect(r('bug', null)).toEqual({ kind: 'jira', project: 'OPS', labels: ['support'], issueType: 'Bug' });
    expect(r(null, null)).toMatchObject({ kind: 'jira' });

    const single = createTrackers(parseConfig({ trackers: { linear: ALL.linear } }), ENV);
    expect(single.route({ category: 'bug', teamId: null })).toMatchObject({ target: { project: 'ENG', labels: ['support'] } });
    const several = createTrackers(parseConfig({ trackers: { github: ALL.github, linear: ALL.linear } }), ENV);
    expect(several.route({ category: 'bug', teamId: null })).toBeNull();
  });

  it('the built ports talk to the URLs from the environment and config; identify() teaches the webhooks who frontdesk is', async () => {
    const clock = new ManualClock(Date.UTC(2027, 0, 4, 9, 0, 0));
    const gh = await FakeGithub.start();
    const jira = await FakeJira.start();
    const lin = await FakeLinear.start();
    fakes.push(gh, jira, lin);
    const t = createTrackers(
      parseConfig({ trackers: { ...ALL, jira: { ...ALL.jira, site: jira.url }, default: 'github' } }),
      { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.token, LINEAR_API_KEY: lin.apiKey, LINEAR_API_URL: lin.apiUrl },
      { clock },
    );
    const { port, target } = t.route({ category: 'bug', teamId: null })!;
    const issue = await port.createIssue({ target, title: 'Crash', body: 'b', priority: 'P1' });
    expect(issue.key).toBe('acme/app#1');
    expect(gh.requests.at(-1)!.body.labels).toEqual(['support', 'priority: high']);

    expect(await t.identify()).toEqual([]);
    const jiraIssue = await t.ports.get('jira')!.createIssue({ target: { project: 'OPS', labels: [] }, title: 't', body: 'b', priority: 'P2' });
    const c = await t.ports.get('jira')!.addComment(jiraIssue.key, 'from frontdesk');
    const stored = jira.issue(jiraIssue.key).comments.find((x) => x.id === c.id)!;
    expect(t.webhooks.get('jira')!.parse({}, jira.commentPayload(jiraIssue.key, stored))[0]).toMatchObject({ comment: { byBot: true } });
    expect(lin.operations).toContain('FrontdeskViewer');
  });

  it('a refused token at identify() is reported, not thrown', async () => {
    const lin = await FakeLinear.start();
    fakes.push(lin);
    const t = createTrackers(parseConfig({ trackers: { linear: ALL.linear } }), { LINEAR_API_KEY: 'wrong', LINEAR_API_URL: lin.apiUrl });
    const failed = await t.identify();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain('LINEAR_API_KEY was refused');
  });

  it('LINEAR_API_URL must be https unless it is this machine', () => {
    const e = configError(() => createTrackers(parseConfig({ trackers: { linear: ALL.linear } }), { LINEAR_API_KEY: 'k', LINEAR_API_URL: 'http://linear.example/graphql' }));
    expect(e.problems[0]).toContain('LINEAR_API_URL must be https://');
  });
});
