/**
 * The start-up check of the configured trackers: a refused token or a typo'd repository /
 * project / team is logged as a warning naming what to fix (the variable, the setting), never
 * the token; a tracker that answers logs one info line. Real core, the REAL clients
 * (@octokit/rest, jira.js, @linear/sdk) on the fakes; what crossed the wire is asserted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { composeServer } from '../../adapters/compose.js';
import { type Core, createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { installHandoff, trackerCheck } from '../../src/handoff/install.js';
import { fromTrackers } from '../../src/handoff/targets.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';
import { createTrackers } from '../../src/trackers/index.js';
import { FakeGithub } from '../fakes/fake-github.js';
import { FakeJira } from '../fakes/fake-jira.js';
import { FakeLinear } from '../fakes/fake-linear.js';

const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
const closers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c.close();
});

function capture() {
  const lines: { level: number; msg: string; tracker?: string }[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _enc, cb) {
        lines.push(JSON.parse(String(chunk)));
        cb();
      },
    }),
  );
  return { logger, lines, text: () => lines.map((l) => JSON.stringify(l)).join('\n') };
}

async function probe(trackers: Record<string, unknown>, env: Record<string, string>, checkTrackers = true) {
  const log = capture();
  const core: Core = createCore({ config: parseConfig({ agents: ['U1'], trackers }), db: openDatabase(':memory:'), clock: new ManualClock(T0), env, logger: log.logger });
  closers.push(core);
  const svc = installHandoff(core, { trackers: fromTrackers(core.config, createTrackers(core.config, env)), checkTrackers });
  const results = await trackerCheck(svc);
  return { ...log, results };
}

const warnings = (lines: { level: number; msg: string }[]) => lines.filter((l) => l.level === 40).map((l) => l.msg);
const infos = (lines: { level: number; msg: string }[]) => lines.filter((l) => l.level === 30 && /engineering hand-off/.test(l.msg)).map((l) => l.msg);

describe('start-up check of the trackers', () => {
  it('GitHub: a wrong token is a warning naming GITHUB_TOKEN, without the token; a typo in the repository names it and trackers.github.repo; a good one is one info line', async () => {
    const gh = await FakeGithub.start({ repos: ['acme/app'] });
    closers.push(gh);
    const bad = await probe({ github: { repo: 'acme/app' } }, { GITHUB_TOKEN: 'ghp_wrong_secret_123', GITHUB_API_URL: gh.url });
    expect(warnings(bad.lines)).toHaveLength(1);
    expect(warnings(bad.lines)[0]).toMatch(/GitHub acme\/app cannot be used yet: GITHUB_TOKEN was refused/);
    expect(bad.text()).not.toContain('ghp_wrong_secret_123');
    expect(bad.results).toEqual([{ tracker: 'github', project: 'acme/app', problem: expect.stringContaining('GITHUB_TOKEN was refused') }]);

    const typo = await probe({ github: { repo: 'acme/ap' } }, { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url });
    expect(warnings(typo.lines)[0]).toMatch(/repository acme\/ap not found .*check trackers\.github\.repo/);

    const good = await probe({ github: { repo: 'acme/app' } }, { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url });
    expect(warnings(good.lines)).toEqual([]);
    expect(infos(good.lines)).toEqual(['engineering hand-off: GitHub acme/app is reachable with the configured token']);
    expect(good.text()).not.toContain(gh.token);
    // One cheap read per probe crossed the wire, authenticated; nothing was created.
    const reads = gh.requests.filter((r) => r.path === '/repos/acme/app/issues' || r.path === '/repos/acme/ap/issues');
    expect(reads.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    expect(gh.issues).toHaveLength(0);
  });

  it('a route to another repository is checked too', async () => {
    const gh = await FakeGithub.start({ repos: ['acme/app'] });
    closers.push(gh);
    const r = await probe({ github: { repo: 'acme/app' }, routes: [{ category: 'billing', tracker: 'github', project: 'acme/billing' }] }, { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url });
    expect(r.results.map((x) => [x.project, x.problem === null])).toEqual([
      ['acme/app', true],
      ['acme/billing', false],
    ]);
    expect(warnings(r.lines)[0]).toContain('repository acme/billing not found');
  });

  it('Jira: a wrong API token names JIRA_API_TOKEN, without it; an unknown project names trackers.jira.project', async () => {
    const jira = await FakeJira.start({ projects: ['OPS'] });
    closers.push(jira);
    const bad = await probe({ jira: { site: jira.url, project: 'OPS' } }, { JIRA_EMAIL: jira.email, JIRA_API_TOKEN: 'atl_wrong_secret_456' });
    expect(warnings(bad.lines)[0]).toMatch(/Jira OPS cannot be used yet: JIRA_API_TOKEN \(for JIRA_EMAIL\) was refused/);
    expect(bad.text()).not.toContain('atl_wrong_secret_456');

    const typo = await probe({ jira: { site: jira.url, project: 'OPZ' } }, { JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.token });
    expect(warnings(typo.lines)[0]).toMatch(/project "OPZ" not found \(check trackers\.jira\.project/);

    const good = await probe({ jira: { site: jira.url, project: 'OPS' } }, { JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.token });
    expect(warnings(good.lines)).toEqual([]);
    expect(infos(good.lines)).toEqual(['engineering hand-off: Jira OPS is reachable with the configured token']);
    expect(good.text()).not.toContain(jira.token);
  });

  it('Linear: a wrong API key names LINEAR_API_KEY, without it; an unknown team names trackers.linear.team and the teams it can see', async () => {
    const lin = await FakeLinear.start();
    closers.push(lin);
    const bad = await probe({ linear: { team: 'ENG' } }, { LINEAR_API_KEY: 'lin_wrong_secret_789', LINEAR_API_URL: lin.apiUrl });
    expect(warnings(bad.lines)[0]).toMatch(/Linear ENG cannot be used yet: LINEAR_API_KEY was refused/);
    expect(bad.text()).not.toContain('lin_wrong_secret_789');

    const typo = await probe({ linear: { team: 'ENGG' } }, { LINEAR_API_KEY: lin.apiKey, LINEAR_API_URL: lin.apiUrl });
    expect(warnings(typo.lines)[0]).toMatch(/Linear team "ENGG" not found \(check trackers\.linear\.team.*Teams LINEAR_API_KEY can see: ENG/);

    const good = await probe({ linear: { team: 'ENG' } }, { LINEAR_API_KEY: lin.apiKey, LINEAR_API_URL: lin.apiUrl });
    expect(infos(good.lines)).toEqual(['engineering hand-off: Linear ENG is reachable with the configured token']);
  });

  it('is off unless asked for: no request is made by installHandoff alone', async () => {
    const gh = await FakeGithub.start({ repos: ['acme/app'] });
    closers.push(gh);
    const r = await probe({ github: { repo: 'acme/app' } }, { GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url }, false);
    expect(r.results).toEqual([]);
    expect(gh.requests.filter((x) => x.path.startsWith('/repos/'))).toEqual([]);
  });

  it('the server (composeServer) runs it in the background: start-up succeeds and the warning follows', async () => {
    const gh = await FakeGithub.start({ repos: ['acme/app'] });
    closers.push(gh);
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-tracker-check-'));
    const cfg = join(dir, 'frontdesk.config.yaml');
    writeFileSync(cfg, 'trackers:\n  github: { repo: acme/app }\n');
    const log = capture();
    const env = { FRONTDESK_CONFIG: cfg, FRONTDESK_DB: join(dir, 'f.db'), FRONTDESK_SCHEDULER: 'off', GITHUB_TOKEN: 'ghp_wrong_secret_123', GITHUB_API_URL: gh.url };
    const app = await composeServer(env, { logger: log.logger, clock: new ManualClock(T0) });
    closers.push(app.core);
    expect(app.trackers).toEqual(['github']);
    const results = await trackerCheck(installHandoff(app.core));
    expect(results[0]?.problem).toContain('GITHUB_TOKEN was refused');
    expect(warnings(log.lines).some((m) => m.includes('GITHUB_TOKEN was refused'))).toBe(true);
    expect(log.text()).not.toContain('ghp_wrong_secret_123');
  });
});
