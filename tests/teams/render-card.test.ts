/**
 * The MessageView → Adaptive Card renderer: markdown, escaping of customer text, mentions as
 * entities, buttons and selects as Action.Execute, forms, size limits — and every kind of view
 * the bot sends (ticket cards in each state, lists, help, SLA, prompts, digest, drafts, forms)
 * parsed by the `adaptivecards` package without a warning.
 */
import { describe, expect, it } from 'vitest';
import {
  escapeMarkdown,
  formInputId,
  type MentionResolver,
  parseActionData,
  renderCard,
  renderFormCard,
  renderMessage,
} from '../../adapters/teams/render-card.js';
import { createTicketForm } from '../../src/commands/interactions.js';
import { queueView } from '../../src/commands/queue.js';
import { helpView } from '../../src/commands/ticket-commands.js';
import { createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { buildDigest } from '../../src/digest/build-digest.js';
import { digestSources } from '../digest/sources.js';
import { digestPeriod } from '../../src/digest/period.js';
import { installSlaAndDigest } from '../../src/escalation/install.js';
import { createLogger } from '../../src/logger.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';
import { digestView } from '../../src/views/digest-view.js';
import { editDraftForm, sentReplyView } from '../../src/views/draft-view.js';
import { addNoteForm, breachPromptView, reassignForm, slaDmView, slaPingView, triagePromptView } from '../../src/views/escalation-prompt.js';
import { type FormView, type MessageView, plain } from '../../src/ports/message-view.js';
import { draftView } from '../../src/views/ticket-card.js';
import { errorView, notice, slaView, ticketDetailView, ticketListView } from '../../src/views/ticket-views.js';
import { cardProblems, executeActions, flatText, T0 } from './support.js';

const names: MentionResolver = (id) => ({ id: `29:${id}`, name: id === 'U1' ? 'Dana Agent' : id });

describe('renderCard / renderMessage', () => {
  it('renders neutral markdown as Teams markdown and mentions as <at> with entities', () => {
    const card = renderCard({ text: 't', blocks: [{ type: 'text', text: '**bold** and _it_ [a link](https://example.com) for <@U1>, see `code`' }] }, names);
    expect(card.body[0]!.text).toBe('**bold** and _it_ [a link](https://example.com) for <at>Dana Agent</at>, see code');
    expect(card.msteams?.entities).toEqual([{ type: 'mention', text: '<at>Dana Agent</at>', mentioned: { id: '29:U1', name: 'Dana Agent' } }]);
    expect(cardProblems(card)).toEqual([]);
  });

  it('escapes customer text so it cannot format, link, list or mention', () => {
    const evil = '**free** money _now_ [click](https://evil.example) <at>Dana Agent</at>\n- item\n1. one\n# title\n> quote `x`';
    const card = renderCard({ text: 't', blocks: [{ type: 'header', text: evil }, { type: 'quote', text: evil }, { type: 'text', text: `said: ${plain(evil)}` }] }, names);
    const expected = '\\*\\*free\\*\\* money \\_now\\_ \\[click\\](https://evil.example) \\<at\\>Dana Agent\\</at\\>\n\\- item\n1\\. one\n\\# title\n\\> quote \\`x\\`';
    expect(card.body[0]!.text).toBe(expected);
    expect(card.body[1]!.items[0].text).toBe(expected);
    expect(card.body[2]!.text).toBe(`said: ${expected}`);
    expect(card.msteams?.entities).toBeUndefined();
    expect(escapeMarkdown('a\\b')).toBe('a\\\\b');
    expect(cardProblems(card)).toEqual([]);
  });

  it('sends a one-line view as a markdown text message with activity-level mention entities', () => {
    const msg = renderMessage({ text: 'x', blocks: [{ type: 'text', text: ':rotating_light: <@U1> took **T-1** — `/ticket show T-1`' }] }, names);
    expect(msg).toMatchObject({ type: 'message', textFormat: 'markdown', text: '🚨 <at>Dana Agent</at> took **T-1** — `/ticket show T-1`' });
    expect(msg.entities).toEqual([{ type: 'mention', text: '<at>Dana Agent</at>', mentioned: { id: '29:U1', name: 'Dana Agent' } }]);
    expect(msg.attachments).toBeUndefined();
  });

  it('buttons become Action.Execute with an Action.Submit fallback; url buttons open the url; more than five are split', () => {
    const buttons = Array.from({ length: 7 }, (_, i) => ({ type: 'button' as const, actionId: `a.${i}`, label: `B${i}`, value: `v${i}`, ...(i === 0 ? { style: 'primary' as const } : i === 1 ? { style: 'danger' as const } : {}) }));
    const card = renderCard({ text: 't', blocks: [{ type: 'actions', elements: [...buttons, { type: 'button', actionId: 'x.url', label: 'Open', value: '', url: 'https://example.com/t/1' }] }] }, names);
    const sets = card.body.filter((b) => b.type === 'ActionSet');
    expect(sets.map((s) => s.actions.length)).toEqual([5, 3]);
    expect(sets[0]!.actions[0]).toMatchObject({ type: 'Action.Execute', verb: 'a.0', style: 'positive', associatedInputs: 'none', data: { fd: 'action', actionId: 'a.0', value: 'v0' }, fallback: { type: 'Action.Submit', data: { fd: 'action', actionId: 'a.0', value: 'v0' } } });
    expect(sets[0]!.actions[1].style).toBe('destructive');
    expect(sets[1]!.actions.at(-1)).toEqual({ type: 'Action.OpenUrl', title: 'Open', url: 'https://example.com/t/1' });
    expect(cardProblems(card)).toEqual([]);
  });

  it('selects become Input.ChoiceSet plus an Action.Execute that names the input', () => {
    const card = renderCard(
      { text: 't', blocks: [{ type: 'actions', elements: [{ type: 'select', actionId: 'ticket.priority', placeholder: 'Priority', initial: 'T-1|P2', options: [{ label: 'P1', value: 'T-1|P1' }, { label: 'P2', value: 'T-1|P2' }] }] }] },
      names,
    );
    const json = JSON.stringify(card);
    expect(json).toContain('"type":"Input.ChoiceSet","id":"s_1","label":"Priority","style":"compact","value":"T-1|P2"');
    const [exec] = executeActions(card);
    expect(exec).toMatchObject({ title: 'Set priority', verb: 'ticket.priority', associatedInputs: 'auto', data: { fd: 'select', actionId: 'ticket.priority', input: 's_1' } });
    expect(parseActionData({ ...exec.data, s_1: 'T-1|P1' })).toEqual({ data: { fd: 'select', actionId: 'ticket.priority', input: 's_1' }, inputs: { s_1: 'T-1|P1' } });
    expect(cardProblems(card)).toEqual([]);
  });

  it('a divider separates the next element; a notice is appended in its own container', () => {
    const card = renderCard({ text: 't', blocks: [{ type: 'text', text: 'a' }, { type: 'divider' }, { type: 'text', text: 'b' }] }, names, { notice: errorView('nope') });
    expect(card.body[1]).toMatchObject({ text: 'b', separator: true });
    expect(card.body[2]).toMatchObject({ type: 'Container', style: 'attention' });
    expect(flatText(card.body[2])).toContain('⚠️ nope');
    expect(cardProblems(card)).toEqual([]);
  });

  it('keeps a huge view under the Teams message size and says more is not shown', () => {
    const blocks: MessageView['blocks'] = [{ type: 'header', text: 'Big' }];
    for (let i = 0; i < 200; i++) blocks.push({ type: 'text', text: `**T-${i}** ${'x'.repeat(200)}` });
    const msg = renderMessage({ text: 'big', blocks }, names);
    expect(Buffer.byteLength(JSON.stringify(msg))).toBeLessThanOrEqual(24_000);
    expect(flatText(msg.attachments?.[0]?.content)).toContain('more not shown');
    expect(cardProblems(msg.attachments![0]!.content)).toEqual([]);
  });

  it('parseActionData accepts only frontdesk controls', () => {
    expect(parseActionData({ fd: 'action', actionId: 'ticket.resolve', value: 'T-1' })?.data).toEqual({ fd: 'action', actionId: 'ticket.resolve', value: 'T-1' });
    expect(parseActionData({ fd: 'form', formId: 'form.add_note', state: 'T-1|3', fields: ['note'], f_note: 'hi' })).toEqual({
      data: { fd: 'form', formId: 'form.add_note', state: 'T-1|3', fields: ['note'] },
      inputs: { f_note: 'hi' },
    });
    expect(parseActionData({ fd: 'action', actionId: 'x' })).toBeNull();
    expect(parseActionData({ msteams: { type: 'messageBack' } })).toBeNull();
    expect(parseActionData('text')).toBeNull();
    expect(parseActionData(null)).toBeNull();
  });

  it('forms: inputs with prefixed ids, required flags, the people picker, and submit/cancel as Action.Execute', () => {
    const form: FormView = {
      formId: 'form.reassign',
      title: 'Reassign T-1',
      submitLabel: 'Reassign',
      state: 'T-1|4',
      fields: [
        { type: 'user', id: 'owner', label: 'New owner' },
        { type: 'text', id: 'note', label: 'Note', multiline: true, optional: true, maxLength: 500, initial: 'hi' },
        { type: 'select', id: 'priority', label: 'Priority', options: [{ label: 'P1', value: 'P1' }], initial: 'P1' },
      ],
    };
    const card = renderFormCard(form);
    const json = JSON.stringify(card);
    expect(json).toContain(`"id":"${formInputId('owner')}"`);
    expect(json).toContain('"choices.data":{"type":"Data.Query","dataset":"graph.microsoft.com/users"}');
    expect(card.body.find((b) => b.id === 'f_note')).toMatchObject({ type: 'Input.Text', isMultiline: true, isRequired: false, maxLength: 500, value: 'hi' });
    const [submit, cancel] = executeActions(card);
    expect(submit).toMatchObject({ title: 'Reassign', verb: 'form.submit', associatedInputs: 'auto', data: { fd: 'form', formId: 'form.reassign', state: 'T-1|4', fields: ['owner', 'note', 'priority'] } });
    expect(cancel).toMatchObject({ title: 'Cancel', verb: 'form.cancel', associatedInputs: 'none' });
    expect(cardProblems(card)).toEqual([]);
  });
});

describe('every card the bot can send parses cleanly with the adaptivecards package', async () => {
  const core = createCore({
    config: parseConfig({ agents: ['U1', 'U2'], teams: [{ id: 'support', members: ['U1', 'U2'], routing: 'round_robin' }] }),
    db: openDatabase(':memory:'),
    clock: new ManualClock(T0),
    env: {},
    logger: createLogger({ LOG_LEVEL: 'silent' }),
  });
  installSlaAndDigest(core, { schedule: false });
  const svc = core.tickets;
  const open = (text: string) => {
    const r = svc.open({ platform: 'teams', channelId: '19:c@thread.tacv2', sourceMessageId: `m-${text.length}-${Math.random()}`, requesterId: 'C1', requesterName: 'Carol', text, force: true });
    if (!r.ticket) throw new Error('no ticket');
    return r.ticket;
  };
  const fresh = open('Checkout fails with error 502 for **all** users <@U1> [x](https://evil.example) see https://status.example.com/incident/1');
  const owned = svc.acknowledge(open('Cannot log in to the admin console since this morning').key, 'U1');
  const resolved = svc.resolve(open('Please add CSV export to reports').key, 'U2', 'shipped in 2.4');
  const waiting = svc.setStatus(svc.acknowledge(open('Invoice shows the wrong VAT number').key, 'U2').key, 'waiting_on_customer', 'U2');
  core.clock.now();
  const draft = { id: 7, ticketId: fresh.id, persona: 'support-specialist', text: 'Hi Carol, **thanks** — we are on it.\n- step 1', sources: ['T-1000'], suggestions: ['ask for the order id'], path: 'offline' as const, status: 'pending' as const, createdAt: T0, decidedBy: null, decidedAt: null };

  const views: [string, MessageView][] = [
    ['ticket card (new, unassigned)', svc.card(fresh)],
    ['ticket card (acknowledged, owned)', svc.card(owned)],
    ['ticket card (waiting on customer)', svc.card(waiting)],
    ['ticket card (resolved)', svc.card(resolved)],
    ['suggested reply (agents only)', draftView(fresh, { ...draft, reason: 'offline' })],
    ['sent reply', sentReplyView(draft.text)],
    ['queue / my tickets', queueView(svc, 'U1')],
    ['list', ticketListView('Open tickets', svc.repo.list({ open: true }), T0)],
    ['empty list', ticketListView('Open tickets', [], T0)],
    ['show', ticketDetailView(fresh, svc.repo.events(fresh.id), T0, 'UTC')],
    ['sla', slaView(fresh, T0, 'UTC')],
    ['help', helpView(core.commands)],
    ['error', errorView('"frob" is not a command I know.', 'help')],
    ['notice', notice('Opened **T-1001** (P1, bug).')],
    ['SLA ping', slaPingView({ key: fresh.key, title: fresh.title, priority: 'P1', clock: 'first_response', threshold: 0.75, recipients: ['U1'], remainingMs: 900_000, team: 'support' })],
    ['SLA DM', slaDmView({ key: fresh.key, title: fresh.title, priority: 'P1', clock: 'resolution', threshold: 1, recipients: ['U1'], remainingMs: -60_000, team: 'support' })],
    ['breach prompt', breachPromptView({ key: fresh.key, clock: 'first_response', escalationId: 3, targetName: 'Tier 2', mentionIds: ['U1', 'U2'], timeframeMs: 900_000 })],
    ['breach prompt (decided)', breachPromptView({ key: fresh.key, clock: 'resolution', escalationId: 3, targetName: 'Tier 2', mentionIds: [], lastDecision: '<@U1> took it.' })],
    ['triage prompt (cluster)', triagePromptView({ key: fresh.key, escalationId: 4, reasons: ['3 similar tickets in 30 min'], targetName: 'Tier 3', mentionIds: ['U2'], related: [{ key: owned.key, title: owned.title }] })],
    ['triage prompt (decided)', triagePromptView({ key: fresh.key, escalationId: 4, reasons: ['P0'], targetName: 'Tier 2', mentionIds: [], decided: '<@U1> escalated to Tier 2.' })],
    ['digest', digestView(await buildDigest(digestSources(core.db), digestPeriod('daily', '2026-03-10', 'UTC', [1, 2, 3, 4, 5]), T0))],
    ['weekly digest', digestView(await buildDigest(digestSources(core.db), digestPeriod('weekly', '2026-03-10', 'UTC', [1, 2, 3, 4, 5]), T0))],
  ];
  for (const [name, view] of views)
    it(name, () => {
      const msg = renderMessage(view, names);
      const card = msg.attachments?.[0]?.content ?? renderCard(view, names);
      expect(cardProblems(card)).toEqual([]);
      if (msg.text) expect(msg.text.length).toBeGreaterThan(0);
    });

  const forms: [string, () => FormView | Promise<FormView>][] = [
    ['create ticket form', () => createTicketForm(svc, core.store.conversationRefs, { channelId: '19:c@thread.tacv2', messageId: 'm1', text: 'Checkout fails', requesterId: 'C1' })],
    ['reassign form', () => reassignForm(fresh.key, 3, 'U1')],
    ['add note form', () => addNoteForm(fresh.key, 3)],
    ['edit draft form', () => editDraftForm(fresh, draft)],
  ];
  for (const [name, form] of forms)
    it(name, async () => {
      expect(cardProblems(renderFormCard(await form()))).toEqual([]);
    });
});
