/**
 * What a new user runs into when following the README's GitHub set-up (found by walking it
 * against the fake GitHub): the command run twice, a refused token, and the internal link in the
 * issue body when the playground listens on another PORT. Real core, real SQLite, the real
 * @octokit/rest client on the fake GitHub.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/ticket-commands.js';
import { installHandoff } from '../../src/handoff/install.js';
import { fromTrackers, handoffTrackers } from '../../src/handoff/targets.js';
import type { FormView, MessageView } from '../../src/ports/message-view.js';
import { GithubTracker } from '../../src/trackers/github.js';
import { createTrackers } from '../../src/trackers/index.js';
import { fixUpdateDraft } from '../../src/views/fix-update-view.js';
import { FakeGithub } from '../fakes/fake-github.js';
import { call, type RunningPlayground, startPlayground, waitFor } from '../local/playground-harness.js';
import { type Desk, makeDesk, OWNER, TRIAGE, viewText } from '../sla-watcher/helpers.js';

const closers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c.close();
});

async function githubDesk(token?: string): Promise<{ desk: Desk; gh: FakeGithub }> {
  const gh = await FakeGithub.start({ repos: ['acme/app'] });
  closers.push(gh);
  const desk = makeDesk({ config: { trackers: { github: { repo: 'acme/app' } } } });
  closers.push(desk);
  const port = new GithubTracker(desk.core.config.trackers.github!, { token: token ?? gh.token, baseUrl: gh.url });
  installHandoff(desk.core, { trackers: handoffTrackers(desk.core.config, { github: port }), escalations: desk.sla.escalations });
  return { desk, gh };
}

const ctx = { platform: 'slack' as const, userId: OWNER, channelId: TRIAGE };

async function escalateCommand(desk: Desk, key: string): Promise<FormView> {
  const res = await runCommand(desk.core.commands, desk.core.tickets, `escalate ${key} engineering`, ctx);
  expect(res.form, viewText(res.view)).toBeDefined();
  return res.form!;
}

async function submit(desk: Desk, form: FormView): Promise<MessageView | undefined> {
  const values: Record<string, string> = {};
  for (const f of form.fields) values[f.id] = 'initial' in f ? (f.initial ?? '') : '';
  return (await desk.core.interactions.form(form.formId, form.state, values, ctx)).ephemeral;
}

describe('a new user following the GitHub set-up', () => {
  it('`/ticket escalate T-… engineering` twice, both previews submitted: one issue, and the second answer says why nothing was created', async () => {
    const { desk, gh } = await githubDesk();
    const t = desk.open('Exports to CSV time out with a 504', { priority: 'P2' });
    const first = await escalateCommand(desk, t.key);
    const second = await escalateCommand(desk, t.key);
    expect(viewText(await submit(desk, first))).toContain('Created [GitHub acme/app#1]');
    const again = viewText(await submit(desk, second));
    expect(again).toContain(`Nothing was created: ${t.key} got [GitHub acme/app#1](https://github.com/acme/app/issues/1) from another preview`);
    expect(again).toContain('To add a second issue anyway, click Escalate to engineering again.');
    expect(gh.issues).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'POST' && r.path === '/repos/acme/app/issues')).toHaveLength(1);
    // Submitting that second preview once more says it is done; a NEW preview may add a second issue on purpose.
    expect(viewText(await submit(desk, second))).toContain('already submitted: the issue is acme/app#1');
    expect(viewText(await submit(desk, await escalateCommand(desk, t.key)))).toContain('Created [GitHub acme/app#2]');
    expect(gh.issues).toHaveLength(2);
  });

  it('`/ticket escalate T-… enginering` (misspelt) escalates nothing and says what to type; a real reason still escalates', async () => {
    const { desk, gh } = await githubDesk();
    const t = desk.open('Exports to CSV time out with a 504', { priority: 'P2' });
    for (const typo of ['enginering', 'engineerign', 'Engineering.']) {
      const res = await runCommand(desk.core.commands, desk.core.tickets, `escalate ${t.key} ${typo}`, ctx);
      expect(res.form).toBeUndefined();
      expect(viewText(res.view).replace(/\\(.)/g, '$1')).toContain(`nothing was escalated. For the engineering issue preview: \`escalate ${t.key} engineering\``);
    }
    expect(desk.core.tickets.repo.events(t.id).some((e) => e.type === 'escalated')).toBe(false);
    expect(viewText((await runCommand(desk.core.commands, desk.core.tickets, `escalate ${t.key} customer is blocked`, ctx)).view)).toContain('escalated to');
    expect(desk.core.tickets.repo.events(t.id).some((e) => e.type === 'escalated')).toBe(true);
    expect(gh.issues).toHaveLength(0);
  });

  it('a refused token: the agent reads what to fix and how to retry as plain words (no literal markdown)', async () => {
    const { desk, gh } = await githubDesk('ghp_wrong');
    const t = desk.open('Exports to CSV time out with a 504', { priority: 'P2' });
    const answer = await submit(desk, await escalateCommand(desk, t.key));
    const shown = answer!.blocks!.map((b) => ('text' in b ? b.text : '')).join('\n');
    expect(shown).not.toContain('\\*');
    const read = shown.replace(/\\(.)/g, '$1'); // as rendered: escaped characters shown literally
    expect(read).toContain('GITHUB_TOKEN was refused');
    expect(read).toContain('your edits are kept: click Escalate to engineering again to retry');
    expect(gh.issues).toHaveLength(0);
  });

  it('the issue body links the ticket’s internal thread on the PORT the playground listens on', async () => {
    const gh = await FakeGithub.start({ repos: ['acme/app'] });
    closers.push(gh);
    const pg: RunningPlayground = await startPlayground({
      playground: { triage: true },
      env: { PORT: '3916', GITHUB_TOKEN: gh.token, GITHUB_API_URL: gh.url },
      config: { trackers: { github: { repo: 'acme/app' } } },
    });
    closers.push(pg);
    const handoff = installHandoff(pg.core, { trackers: fromTrackers(pg.core.config, createTrackers(pg.core.config, pg.core.env, { clock: pg.core.clock })) });
    const said = await call<{ outcome: { ticket?: string } }>(pg.base, 'POST', '/messages', 'alex', { channelId: 'support', text: 'Exports to CSV time out with a 504' });
    const t = pg.core.tickets.require(said.outcome.ticket!);
    const card = await waitFor(() => pg.core.tickets.repo.get(t.id)?.cardMessageId, 'the card');
    const form = await handoff.preview(t.key, 'dana');
    const body = form.fields.find((f) => f.id === 'body') as { initial: string };
    expect(body.initial).toContain(`(http://localhost:3916/#msg/triage/${card})`);
  });
});

describe('the drafted customer update after a close', () => {
  it('does not quote a title with redaction placeholders back to the customer; a plain title is quoted', () => {
    const redacted = { requesterName: 'Alex Rivera', title: 'Hi, I am Alex ([email], [phone]). Exports to CSV time out' };
    for (const reason of ['completed', 'not_planned'] as const) {
      const draft = fixUpdateDraft(redacted, reason);
      expect(draft).not.toMatch(/\[(email|phone)\]/);
      expect(draft).toMatch(/^Hi Alex,/);
    }
    expect(fixUpdateDraft(redacted, 'completed')).toContain('Good news — the fix for the problem you reported is now live.');
    expect(fixUpdateDraft(redacted, 'not_planned')).toContain('An update on your request: our engineering team looked into it');
    expect(fixUpdateDraft({ requesterName: 'Priya Nair', title: 'The CSV export gives us an error page' }, 'completed')).toContain('the problem you reported ("The CSV export gives us an error page") is now live.');
  });
});
