/**
 * The engineering hand-off in the playground (its HTTP API, a real core, the playground's private
 * #triage channel) with the real GitHub client against the fake GitHub: the card's "Escalate to
 * engineering" opens the preview form, submitting it creates the issue (the body that crossed
 * the wire links to the internal thread, never the customer's, and carries no customer data),
 * the card shows the link, a second request links the same issue through the search form — and
 * the customers see none of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installHandoff } from '../../src/handoff/install.js';
import { handoffTrackers } from '../../src/handoff/targets.js';
import { GithubTracker } from '../../src/trackers/github.js';
import { FakeGithub } from '../fakes/fake-github.js';
import { type RunningPlayground, call, startPlayground, textOf, waitFor } from './playground-harness.js';

interface Rendered {
  id: string;
  threadId: string | null;
  html: string;
  authorId: string;
}

let pg: RunningPlayground | undefined;
let gh: FakeGithub | undefined;
afterEach(async () => {
  await pg?.close();
  await gh?.close();
  pg = undefined;
  gh = undefined;
});

describe('engineering hand-off in the playground', () => {
  it('preview form → issue created → card shows it → second request linked via search; customers see nothing of it', async () => {
    gh = await FakeGithub.start({ repos: ['acme/app'] });
    pg = await startPlayground({ config: { trackers: { github: { repo: 'acme/app' } } }, playground: { triage: true } });
    const p = pg;
    const fake = gh;
    installHandoff(p.core, {
      trackers: handoffTrackers(p.core.config, { github: new GithubTracker(p.core.config.trackers.github!, { token: fake.token, baseUrl: fake.url }) }),
      publicBase: `${p.base}/`,
    });
    const list = async (as: string, channel: string) => (await call<{ messages: Rendered[] }>(p.base, 'GET', `/channels/${encodeURIComponent(channel)}/messages`, as)).messages;
    const say = (as: string, channelId: string, text: string, threadId?: string) => call<{ message: { id: string } }>(p.base, 'POST', '/messages', as, { channelId, text, ...(threadId ? { threadId } : {}) });
    const button = (html: string, actionId: string) => new RegExp(`data-action-id="${actionId.replace('.', '\\.')}" data-value="([^"]+)"`).exec(html)?.[1]?.replace(/&amp;/g, '&').replace(/&#39;/g, "'") ?? null;

    const source = (await say('alex', 'support', 'Exports fail with error E5031 for our finance team\n1. open Reports\n2. export the yearly CSV\nWrite to alex.rivera@acme.example')).message.id;
    const t = await waitFor(() => p.core.tickets.repo.findBySource('local', 'support', source), 'the ticket');
    const cardId = await waitFor(() => p.core.tickets.repo.get(t.id)?.cardMessageId, 'the card');
    const card = await waitFor(async () => (await list('dana', 'triage')).find((m) => m.id === cardId && button(m.html, 'handoff.escalate')), 'the card with its hand-off buttons');
    expect(button(card.html, 'handoff.escalate')).toBe(t.key);

    // Dana clicks Escalate to engineering: the preview is a form in the playground.
    await call(p.base, 'POST', '/actions', 'dana', { actionId: 'handoff.escalate', value: t.key, messageId: cardId });
    const form = p.pg.store.openFormsFor('dana')[0]!;
    expect(form.form.formId).toBe('form.handoff_preview');
    const shown = (await call<{ forms: { title: string; html: string }[] }>(p.base, 'GET', '/state', 'dana')).forms;
    expect(shown.map((f) => f.title)).toEqual([`Engineering: ${t.key}`]);
    const body = (form.form.fields.find((f) => f.id === 'body') as { initial: string }).initial;
    expect(body).toContain('1. open Reports\n2. export the yearly CSV');
    expect(body).toContain(`[${t.key} in frontdesk](${p.base}/#msg/triage/${cardId})`);
    expect(fake.issues).toHaveLength(0);
    const values = Object.fromEntries(form.form.fields.map((f) => [f.id, 'initial' in f ? (f.initial ?? '') : '']));
    const submitted = await call<{ notice: string | null }>(p.base, 'POST', `/forms/${form.id}`, 'dana', { values });
    expect(textOf(submitted.notice ?? '')).toContain('Created GitHub acme/app#1');
    expect(fake.issues).toHaveLength(1);
    const wire = fake.requests.find((r) => r.method === 'POST' && r.path === '/repos/acme/app/issues')!.body.body as string;
    expect(wire.replace(/\n\n<!-- frontdesk ref: fdh[0-9a-f]{12} -->$/, '')).toBe(body);
    expect(wire).toMatch(/<!-- frontdesk ref: fdh[0-9a-f]{12} -->$/);
    for (const secret of ['alex', 'Alex', 'Rivera', 'acme.example', `#msg/support`]) expect(wire).not.toContain(secret);

    // The card in #triage shows the issue; the internal thread has the line.
    await waitFor(async () => (await list('dana', 'triage')).find((m) => m.id === cardId && textOf(m.html).includes('acme/app#1')), 'the card shows the issue');
    await waitFor(async () => (await list('dana', 'triage')).find((m) => m.threadId === cardId && textOf(m.html).includes('handed to engineering')), 'the internal line');

    // Priya reports the same; Sam links it through the search form.
    const second = (await say('priya', 'support', 'CSV export fails with E5031')).message.id;
    const u = await waitFor(() => p.core.tickets.repo.findBySource('local', 'support', second), 'the second ticket');
    const uCard = await waitFor(() => p.core.tickets.repo.get(u.id)?.cardMessageId, 'its card');
    await call(p.base, 'POST', '/actions', 'sam', { actionId: 'handoff.link', value: u.key, messageId: uCard });
    const search = p.pg.store.openFormsFor('sam')[0]!;
    expect(search.form.formId).toBe('form.handoff_search');
    const results = await call<{ notice: string | null }>(p.base, 'POST', `/forms/${search.id}`, 'sam', { values: { query: 'E5031' } });
    const pick = button(results.notice ?? '', 'handoff.pick');
    expect(pick).toBe(`${u.key}|github|acme/app#1`);
    await call(p.base, 'POST', '/actions', 'sam', { actionId: 'handoff.pick', value: pick!, messageId: uCard });
    await waitFor(() => p.core.tickets.repo.events(u.id).find((e) => e.type === 'tracker_linked'), 'the second link');
    expect(fake.issue('acme/app#1').comments.map((c) => c.body)).toEqual([expect.stringContaining(`Another report from support: [${u.key}](${p.base}/#msg/triage/${uCard})`)]);

    // What the customers can see: nothing of the hand-off.
    await p.core.outbox.drain();
    for (const who of ['alex', 'priya']) {
      const seen = await list(who, 'support');
      expect(seen.length).toBeGreaterThan(0);
      for (const m of seen) expect(textOf(m.html)).not.toMatch(/acme\/app|github|engineering|issue/i);
      const state = await call<{ channels: { id: string }[] }>(p.base, 'GET', '/state', who);
      expect(state.channels.map((c) => c.id)).not.toContain('triage');
    }
  });
});
