/**
 * The engineering hand-off end to end on Slack: the real Bolt app against the fake Slack Web API,
 * the real GitHub client (@octokit/rest) against the fake GitHub. Escalate to engineering →
 * preview modal with the exact body → submit creates the issue (the body that crossed the wire:
 * impact, steps, redacted logs, internal link, no customer e-mail/name/id) → the card shows the
 * link → a second ticket links the same issue through search → a cluster links at once →
 * `/ticket show` lists it → nothing of it reached the customer's channel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import { installHandoff } from '../../src/handoff/install.js';
import { handoffTrackers } from '../../src/handoff/targets.js';
import { GithubTracker } from '../../src/trackers/github.js';
import { FakeGithub } from '../fakes/fake-github.js';
import { blockText, type SlackCall } from '../fakes/fake-slack.js';
import { AGENT, AGENT2, blockAction, CHANNEL, CUSTOMER, closeAll, type Harness, message, nextTs, sendCommand, sendEvent, sendInteraction, settle, startHarness, until } from '../slack/support.js';

const TRIAGE = 'C0TRIAGE';
const CUSTOMER2 = 'U0CUST2';
let github: FakeGithub | null = null;

afterEach(async () => {
  await closeAll();
  await github?.close();
  github = null;
});

const REQUEST = `Checkout fails with a blank page after paying, for all our shop users.
Steps to reproduce:
- open the checkout page
- pay with the saved card
Expected: order confirmation
\`\`\`
TypeError: Cannot read properties of undefined (reading 'total')
    at renderSummary (checkout.js:88:12)
POST /api/pay 502 Bad Gateway
\`\`\`
Reach me at maria.lopez@bigcorp.example or +49 30 1234 5678.
Thanks,
Maria Lopez`;

// biome-ignore lint/suspicious/noExplicitAny: Block Kit arrives as free-form JSON
const buttons = (blocks: any): { action_id: string; value: string }[] =>
  (Array.isArray(blocks) ? blocks : []).filter((b: { type: string }) => b.type === 'actions').flatMap((b: { elements: { action_id: string; value: string }[] }) => b.elements);

const wireInto = (h: Harness, channel: string): SlackCall[] =>
  h.fake.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.outcome === 'ok' && c.args.channel === channel);

/** A triage-mode desk on Slack with GitHub configured against the fake. */
async function desk(): Promise<Harness> {
  github = await FakeGithub.start({ repos: ['acme/app'] });
  const h = await startHarness({
    config: {
      channels: [{ id: CHANNEL }],
      triageChannel: TRIAGE,
      teams: [{ id: 'support', members: [AGENT, AGENT2], routing: 'none' }],
      customerTiers: { [CUSTOMER]: 'enterprise' },
      trackers: { github: { repo: 'acme/app', labels: ['from-support'] } },
    },
  });
  installSlaAndDigest(h.core, { schedule: false });
  const port = new GithubTracker(h.core.config.trackers.github!, { token: github.token, baseUrl: github.url });
  installHandoff(h.core, { trackers: handoffTrackers(h.core.config, { github: port }) });
  return h;
}

async function request(h: Harness, text: string, user = CUSTOMER) {
  const ts = nextTs();
  await sendEvent(h, message({ ts, text, user }));
  const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
  const cardTs = await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted');
  return { t, ts, cardTs };
}

/** Submit a modal opened by the app with the given values (the rest as the app pre-filled them). */
// biome-ignore lint/suspicious/noExplicitAny: the modal arrives as free-form JSON
async function submit(h: Harness, modal: any, values: Record<string, string>, user = AGENT): Promise<void> {
  const state: Record<string, Record<string, unknown>> = {};
  for (const b of modal.blocks) {
    const el = b.element;
    const v = values[b.block_id] ?? el.initial_value ?? el.initial_option?.value ?? '';
    state[b.block_id] = { [el.action_id]: el.type === 'static_select' ? { type: 'static_select', selected_option: { value: v } } : { type: 'plain_text_input', value: v } };
  }
  await sendInteraction(h, {
    type: 'view_submission',
    team: { id: 'T0TEAM', domain: 'fake' },
    user: { id: user, name: 'agent' },
    trigger_id: `trigger.submit.${nextTs()}`,
    view: { id: `V${nextTs().replace('.', '')}`, hash: 'h', type: 'modal', callback_id: modal.callback_id, private_metadata: modal.private_metadata, state: { values: state } },
  });
}

describe('engineering hand-off on Slack with GitHub', () => {
  it('preview → create → card → link a second ticket by search → link a cluster → /ticket show; nothing reaches the customer', async () => {
    const h = await desk();
    const { t, ts, cardTs } = await request(h, REQUEST);
    await sendEvent(h, message({ text: 'Browser: Chrome 120 on macOS 14.2', thread_ts: ts, user: CUSTOMER }));
    await until(() => h.core.tickets.repo.messages(t.id).some((m) => m.text.includes('Chrome 120')), 'thread reply stored');

    // The card (in the triage channel) carries the hand-off buttons.
    const card = await until(() => wireInto(h, TRIAGE).find((c) => !c.args.thread_ts && buttons(c.args.blocks).some((b) => b.action_id === 'handoff.escalate')), 'card with hand-off buttons');
    expect(buttons(card.args.blocks).filter((b) => b.action_id.startsWith('handoff.')).map((b) => b.action_id)).toEqual(['handoff.escalate', 'handoff.link']);

    // Escalate to engineering: a preview modal with exactly what the engineer gets.
    await sendInteraction(h, blockAction(h, { actionId: 'handoff.escalate', value: t.key, channel: TRIAGE, messageTs: cardTs }));
    const open = await h.fake.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'form.handoff_preview');
    const modal = open.args.view;
    expect(modal.blocks.map((b: { block_id: string }) => b.block_id)).toEqual(['target', 'title', 'body']);
    expect(modal.blocks[0].element.initial_option.value).toBe('github|acme/app');
    const previewBody: string = modal.blocks[2].element.initial_value;
    expect(previewBody).toContain('- **Reports:** 1 ticket from 1 customer');
    expect(previewBody).toContain('- **Requester tier:** enterprise');
    expect(previewBody).toContain('1. open the checkout page\n2. pay with the saved card');
    expect(previewBody).toContain('- Browser: Chrome 120 on macOS 14.2');
    expect(previewBody).toContain('TypeError: Cannot read properties of undefined');
    expect(previewBody).toContain(`[${t.key} in frontdesk](https://fake.slack.test/archives/${TRIAGE}/p${cardTs.replace('.', '')})`);
    expect(github!.issues).toHaveLength(0); // nothing is created before Submit

    // The agent edits the title and submits: the issue is created through the real client.
    await submit(h, modal, { title: 'Checkout: blank page after payment (TypeError in renderSummary)' });
    await until(() => github!.issues.length === 1, 'issue created');
    const create = github!.requests.find((r) => r.method === 'POST' && r.path === '/repos/acme/app/issues')!;
    expect(create.body.title).toBe('Checkout: blank page after payment (TypeError in renderSummary)');
    expect(create.body.labels).toContain('from-support');
    const wire: string = create.body.body;
    // What the agent approved, and the invisible hand-off ref that finds the issue after a crash.
    expect(wire).toMatch(/\n\n<!-- frontdesk ref: fdh[0-9a-f]{12} -->$/);
    expect(wire.replace(/\n\n<!-- frontdesk ref: fdh[0-9a-f]{12} -->$/, '')).toBe(previewBody);
    for (const s of ['**Reports:**', 'Steps to reproduce', '## Logs and errors (redacted)', '502 Bad Gateway', `archives/${TRIAGE}/p`]) expect(wire).toContain(s);
    for (const secret of ['maria.lopez', 'bigcorp', 'Maria', 'Lopez', '1234 5678', CUSTOMER, `archives/${CHANNEL}`]) expect(wire).not.toContain(secret);

    // Linked in one transaction with the timeline event; the card shows it; the internal thread says so.
    const ev = await until(() => h.core.tickets.repo.events(t.id).find((e) => e.type === 'tracker_linked'), 'tracker_linked event');
    expect(ev).toMatchObject({ actor: AGENT, data: { tracker: 'github', key: 'acme/app#1', url: 'https://github.com/acme/app/issues/1', created: true } });
    await until(() => wireInto(h, TRIAGE).some((c) => c.method === 'chat.update' && blockText(c.args.blocks).includes('acme/app#1') && blockText(c.args.blocks).includes('linked by')), 'card shows the issue');
    const line = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && c.args.thread_ts === cardTs && blockText(c.args.blocks).includes('handed to engineering'));
    expect(blockText(line.args.blocks)).toContain('acme/app#1');
    const confirm = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && blockText(c.args.blocks).includes('Created'));
    expect(confirm.args).toMatchObject({ channel: TRIAGE, user: AGENT });

    // A second customer reports the same: link it to the existing issue through search.
    const second = await request(h, 'Checkout page is blank after paying, TypeError in the console', CUSTOMER2);
    await sendInteraction(h, blockAction(h, { actionId: 'handoff.link', value: second.t.key, channel: TRIAGE, messageTs: second.cardTs }));
    const search = await h.fake.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'form.handoff_search');
    await submit(h, search.args.view, { query: 'checkout blank' });
    const results = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && buttons(c.args.blocks).some((b) => b.action_id === 'handoff.pick'));
    expect(github!.requests.some((r) => r.path === '/search/issues' && String(r.query.q).includes('repo:acme/app'))).toBe(true);
    const pick = buttons(results.args.blocks).find((b) => b.action_id === 'handoff.pick')!;
    expect(pick.value).toBe(`${second.t.key}|github|acme/app#1`);
    await sendInteraction(h, blockAction(h, { actionId: 'handoff.pick', value: pick.value, channel: TRIAGE }));
    await until(() => github!.issue('acme/app#1').comments.length === 1, 'another-report comment');
    expect(github!.issue('acme/app#1').comments[0]!.body).toContain(`Another report from support: [${second.t.key}](https://fake.slack.test/archives/${TRIAGE}/p${second.cardTs.replace('.', '')})`);
    // Idempotent: picking it again links nothing new and comments nothing.
    await sendInteraction(h, blockAction(h, { actionId: 'handoff.pick', value: pick.value, channel: TRIAGE }));
    await h.fake.waitFor((c) => c.method === 'response_url' && blockText(c.args.blocks).includes('already linked'));
    expect(github!.issue('acme/app#1').comments).toHaveLength(1);
    expect(h.core.tickets.repo.events(second.t.id).filter((e) => e.type === 'tracker_linked')).toHaveLength(1);

    // Two more similar reports: the first ticket's card offers to link them all at once.
    const third = await request(h, 'Blank checkout page after paying, TypeError again', CUSTOMER2);
    const fourth = await request(h, 'checkout shows a blank page after paying — TypeError', 'U0CUST3');
    h.core.tickets.announce(h.core.tickets.require(t.key));
    const clusterCard = await until(
      () => wireInto(h, TRIAGE).find((c) => c.method === 'chat.update' && c.args.ts === cardTs && buttons(c.args.blocks).some((b) => b.action_id === 'handoff.link_similar')),
      'card offers Link all similar',
    );
    const linkAll = buttons(clusterCard.args.blocks).find((b) => b.action_id === 'handoff.link_similar')!;
    await sendInteraction(h, blockAction(h, { actionId: 'handoff.link_similar', value: linkAll.value, channel: TRIAGE, messageTs: cardTs }));
    await until(() => github!.issue('acme/app#1').comments.length === 2, 'cluster comment');
    for (const x of [third, fourth]) expect(h.core.tickets.repo.events(x.t.id).find((e) => e.type === 'tracker_linked')?.data).toMatchObject({ key: 'acme/app#1', via: 'cluster' });
    expect(github!.issue('acme/app#1').comments[1]!.body).toContain(third.t.key);
    expect(github!.issue('acme/app#1').comments[1]!.body).toContain(fourth.t.key);

    // /ticket show lists the linked issue with its state.
    await sendCommand(h, `show ${t.key}`, { user: AGENT, channel: TRIAGE, responseId: 'show' });
    const show = await h.fake.waitFor((c) => c.method === 'response_url' && String(c.args.url).includes('/show'));
    expect(blockText(show.args.blocks)).toContain('GitHub acme/app#1');
    expect(blockText(show.args.blocks)).toMatch(/issue created and linked: acme\/app#1/);

    // No leak: nothing of the hand-off reached the customers' channel.
    await settle(h);
    const customerSide = wireInto(h, CHANNEL).map((c) => `${c.args.text ?? ''}\n${blockText(c.args.blocks)}\n${JSON.stringify(c.args.blocks ?? [])}`);
    expect(customerSide.length).toBeGreaterThan(0);
    for (const m of customerSide) expect(m).not.toMatch(/acme\/app|github|engineering|handoff|issue/i);
    for (const c of h.fake.calls.filter((x) => x.method === 'chat.postEphemeral')) expect(c.args.channel).toBe(TRIAGE);
  });

  it('/ticket escalate T-… engineering opens the same preview; without a tracker it says how to set one up', async () => {
    const h = await desk();
    const { t } = await request(h, 'Exports time out for large accounts with error E5031');
    await sendCommand(h, `escalate ${t.key} engineering`, { user: AGENT, channel: TRIAGE, responseId: 'esc' });
    const open = await h.fake.waitFor((c) => c.method === 'views.open' && c.args.view.callback_id === 'form.handoff_preview');
    expect(open.args.view.blocks[2].element.initial_value).toContain('E5031');
    expect(h.core.tickets.repo.events(t.id).some((e) => e.type === 'escalated')).toBe(false);

    const bare = await startHarness({ config: { channels: [{ id: CHANNEL }], triageChannel: TRIAGE } });
    installHandoff(bare.core);
    const ts = nextTs();
    await sendEvent(bare, message({ ts, text: 'Exports time out for large accounts', user: CUSTOMER }));
    const t2 = await until(() => bare.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
    await sendCommand(bare, `escalate ${t2.key} engineering`, { user: AGENT, channel: TRIAGE, responseId: 'bare' });
    const answer = await bare.fake.waitFor((c) => c.method === 'response_url' && String(c.args.url).includes('/bare'));
    expect(blockText(answer.args.blocks)).toContain('No issue tracker is configured');
    expect(blockText(answer.args.blocks)).toContain('README "Engineering hand-off: GitHub Issues, Jira, Linear" → "Trackers: set-up"');
    // Without a tracker the card has no hand-off buttons.
    const cardTs = await until(() => bare.core.tickets.repo.get(t2.id)?.cardMessageId, 'card');
    await settle(bare);
    const cards = bare.fake.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && (c.args.ts === cardTs || (!c.args.thread_ts && c.args.channel === TRIAGE)));
    expect(cards.length).toBeGreaterThan(0);
    for (const c of cards) expect(buttons(c.args.blocks).some((b) => b.action_id.startsWith('handoff.'))).toBe(false);
  });
});
