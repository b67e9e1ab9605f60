/**
 * The ticket card: id, category and priority with the reasons, SLA due times in the viewer's
 * terms, owner, status, the action buttons, and a slot for the suggested reply.
 */
import { PRIORITIES, type Signal, type Ticket } from '../domain/types.js';
import { describeClock, describeElapsed, describeVerdict, slaState } from '../sla/policy.js';
import { ACTIONS } from './action-ids.js';
import { replyToCustomerButton } from './customer-views.js';
import { type Block, type MessageView, mention, plain } from '../ports/message-view.js';
import { truncate } from '../util/text.js';

export interface DraftSlot {
  id: number;
  text: string;
  path: 'ai' | 'offline';
  sources: string[];
  suggestions: string[];
  reason?: string;
}

export interface CardOptions {
  now: number;
  categories: readonly string[];
  /**
   * State of the suggested reply. The card is public, so it only says a draft exists; the
   * draft itself goes to agents privately (see draftView).
   */
  draft?: { state: 'drafting' } | { state: 'ready'; path: 'ai' | 'offline' } | null;
  /**
   * Where the card sits. `triage`: a new message in the private triage channel (it links to the
   * customer's message and has "Reply to customer"); `inline` (default): in the requester's
   * thread, so the model's free-text reasons are left off.
   */
  placement?: { kind: 'triage'; sourceLink: string | null } | { kind: 'inline' };
  /**
   * The ticket's latest resolution was a deflection (the customer said a known answer solved
   * it; see src/tickets/resolution-outcome.ts): its clocks say so instead of "due in".
   */
  deflected?: boolean;
}

const STATUS_LABEL: Record<Ticket['status'], string> = {
  new: 'New',
  triaged: 'Triaged',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  waiting_on_customer: 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const PRIORITY_LABEL: Record<Ticket['priority'], string> = {
  P0: 'P0 · critical',
  P1: 'P1 · high',
  P2: 'P2 · normal',
  P3: 'P3 · low',
  P4: 'P4 · trivial',
};

/**
 * The priority as shown on a card: "P2 · low confidence" when triage chose it unsure (its
 * `confidence` signal names the current priority) and no person has set it since; otherwise
 * the usual label ("P2 · normal").
 * @example priorityLabel('P2', [{ kind: 'priority', source: 'confidence', value: 'P2', label: '…' }]) // 'P2 · low confidence'
 */
export function priorityLabel(priority: Ticket['priority'], signals: Signal[]): string {
  const unsure = signals.some((s) => s.kind === 'priority' && s.source === 'confidence' && s.value === priority);
  const setByPerson = signals.some((s) => s.kind === 'priority' && s.source === 'agent' && s.value === priority);
  return unsure && !setByPerson ? `${priority} · low confidence` : PRIORITY_LABEL[priority];
}

/** "outage: matched "down", "all users"" style reason lines: triage's reasons, never a person's change. */
export function reasonsFor(signals: Signal[], kind: Signal['kind']): string {
  const labels = [...new Set(signals.filter((s) => s.kind === kind && s.source !== 'agent').map((s) => s.label))];
  return labels.length ? labels.slice(0, 4).map(plain).join('; ') : 'no strong signal';
}

/** Who did something, as neutral markdown: a mention for people, the name for frontdesk itself and the terminal. */
function actorText(id: string): string {
  return id === 'frontdesk' || id === 'system' || id === 'cli' ? plain(id) : mention(id);
}

/**
 * Why the ticket has its current priority or category. A person's change is the reason when it
 * set the current value ("set by <@U1> (was P0)"); triage's signals are then the superseded
 * original triage, returned separately. Without a person's change, triage's reasons.
 * @example whyValue(t.signals, 'priority', 'P1', (v) => v) // { reason: 'set by <@U1> (was P0)', original: 'P0 — outage affecting many users' }
 */
export function whyValue(signals: Signal[], kind: 'priority' | 'category', current: string, label: (v: string) => string): { reason: string; original: string | null } {
  const change = signals.find((s) => s.kind === kind && s.source === 'agent' && s.value === current);
  if (!change) return { reason: reasonsFor(signals, kind), original: null };
  const by = change.by ? ` by ${actorText(change.by)}` : ' by an agent';
  const was = change.from && change.from !== current ? ` (was ${plain(change.from)})` : '';
  const triaged = change.triaged ?? change.from;
  return { reason: `set${by}${was}`, original: triaged ? `${label(triaged)} — ${reasonsFor(signals, kind)}` : null };
}

export function statusLabel(s: Ticket['status']): string {
  return STATUS_LABEL[s];
}

/** Text for one of the two SLA clocks. */
export interface ClockLines {
  firstResponse: string;
  resolution: string;
}

/**
 * The two SLA clocks in words, true to the ticket's state. Open: live ("first response due in
 * 3h 12m"). Resolved or closed: what happened, judged when it happened — "met (41m)" or
 * "missed (5h, 1h over)"; a deflected ticket needed no agent response; a ticket resolved
 * without any agent reply says so (and whether that was past the first-response target).
 * @example clockLines(deflectedTicket, now, true).firstResponse // 'deflected by a known answer — no agent response needed'
 */
export function clockLines(t: Ticket, now: number, deflected = false): ClockLines {
  if (t.status !== 'resolved' && t.status !== 'closed') {
    const live = slaState(t, now);
    return { firstResponse: describeClock(live.firstResponse), resolution: describeClock(live.resolution) };
  }
  const end = Math.min(t.resolvedAt ?? t.closedAt ?? now, now);
  const at = slaState(t, end);
  const how = t.resolvedAt !== null ? 'resolved' : 'closed';
  let firstResponse: string;
  if (t.firstResponseAt !== null && t.firstResponseAt <= end) firstResponse = describeVerdict(at.firstResponse);
  else if (deflected) firstResponse = 'deflected by a known answer — no agent response needed';
  else
    firstResponse =
      at.firstResponse.elapsedMs >= at.firstResponse.targetMs
        ? `missed — no agent reply before it was ${how} after ${describeElapsed(at.firstResponse.elapsedMs)} (${describeElapsed(-at.firstResponse.remainingMs)} over)`
        : `none — ${how} after ${describeElapsed(at.firstResponse.elapsedMs)} without an agent reply`;
  const resolution =
    t.resolvedAt !== null
      ? `${describeVerdict(at.resolution)}${deflected ? ' — the customer said the known answer solved it' : ''}`
      : `closed without a resolution after ${describeElapsed(at.resolution.elapsedMs)}`;
  return { firstResponse, resolution };
}

/** Render a ticket card. Customer text is quoted and truncated, never interpreted. */
export function ticketCard(t: Ticket, opts: CardOptions): MessageView {
  const clocks = clockLines(t, opts.now, opts.deflected);
  const open = t.status !== 'resolved' && t.status !== 'closed';
  const priority = whyValue(t.signals, 'priority', t.priority, (p) => plain(p));
  const category = whyValue(t.signals, 'category', t.category, (c) => plain(c));
  const blocks: Block[] = [
    { type: 'header', text: `${t.key} · ${truncate(t.title, 118, '…')}` },
    { type: 'quote', text: truncate(t.text, 1200) },
    {
      type: 'fields',
      fields: [
        { label: 'Priority', value: `**${priorityLabel(t.priority, t.signals)}** — ${priority.reason}` },
        { label: 'Category', value: `**${t.category}** — ${category.reason}` },
        { label: 'Owner', value: t.ownerId ? mention(t.ownerId) : `_unassigned_ (team ${plain(t.team)})` },
        { label: 'Status', value: STATUS_LABEL[t.status] + (!open && opts.deflected ? ' · deflected' : '') + (t.incidentKey ? ` · incident ${plain(t.incidentKey)}` : '') },
        { label: 'First response', value: clocks.firstResponse },
        { label: 'Resolution', value: clocks.resolution },
      ],
    },
  ];
  const triage = opts.placement?.kind === 'triage' ? opts.placement : null;
  const superseded = [priority.original && `priority ${priority.original}`, category.original && `category ${category.original}`].filter((x): x is string => Boolean(x));
  if (superseded.length) blocks.push({ type: 'context', elements: [`_Original triage, superseded by an agent:_ ${superseded.join(' · ')}`] });
  // The model's own words (its escalation reason) are for agents only: not on a card the requester can read.
  const extra = t.signals
    .filter((s) => s.kind === 'escalation' || s.kind === 'ai')
    .map((s) => plain(!triage && s.source === 'ai' && s.value === 'escalate' ? 'AI suggests escalating' : s.label));
  if (triage) {
    const from = `From ${mention(t.requesterId)}`;
    blocks.splice(1, 0, { type: 'context', elements: [triage.sourceLink ? `${from} · [view their message](${triage.sourceLink})` : `${from} · in their support channel`] });
  }
  if (t.attachments.length) extra.push(`${t.attachments.length} attachment(s): ${t.attachments.slice(0, 3).map((a) => `[${plain(a.name)}](${a.url})`).join(', ')}`);
  if (extra.length) blocks.push({ type: 'context', elements: extra.slice(0, 6) });

  const buttons: Block = {
    type: 'actions',
    blockId: 'ticket-actions',
    elements: open
      ? [
          ...(t.ownerId ? [] : [{ type: 'button' as const, actionId: ACTIONS.assignMe, label: 'Assign to me', value: t.key, style: 'primary' as const }]),
          ...(t.status === 'new' || t.status === 'triaged'
            ? [{ type: 'button' as const, actionId: ACTIONS.acknowledge, label: 'Acknowledge', value: t.key }]
            : []),
          ...(triage ? [replyToCustomerButton(t)] : []),
          { type: 'button', actionId: ACTIONS.resolve, label: 'Resolve', value: t.key, style: 'primary' },
          { type: 'button', actionId: ACTIONS.escalate, label: 'Escalate', value: t.key, style: 'danger' },
          { type: 'button', actionId: ACTIONS.plan, label: 'Plan', value: t.key },
          // Agents only (the core re-checks): the draft itself is shown privately to whoever clicks.
          ...(opts.draft?.state === 'ready' ? [{ type: 'button' as const, actionId: ACTIONS.draftShow, label: 'Suggested reply', value: t.key }] : []),
        ]
      : [{ type: 'button', actionId: ACTIONS.reopen, label: 'Reopen', value: t.key }],
  };
  blocks.push(buttons);
  if (open)
    blocks.push({
      type: 'actions',
      blockId: 'ticket-fields',
      elements: [
        {
          type: 'select',
          actionId: ACTIONS.priority,
          placeholder: 'Priority',
          initial: `${t.key}|${t.priority}`,
          options: PRIORITIES.map((p) => ({ label: PRIORITY_LABEL[p], value: `${t.key}|${p}` })),
        },
        {
          type: 'select',
          actionId: ACTIONS.category,
          placeholder: 'Category',
          initial: `${t.key}|${t.category}`,
          options: opts.categories.map((c) => ({ label: c, value: `${t.key}|${c}` })),
        },
      ],
    });
  if (open && opts.draft?.state === 'drafting') blocks.push({ type: 'context', elements: ['_Drafting a suggested reply for agents…_'] });
  else if (open && opts.draft?.state === 'ready')
    blocks.push({ type: 'context', elements: [`Suggested reply ready for agents (${opts.draft.path === 'ai' ? 'Claude' : 'offline template'}) — sent privately`] });

  return {
    audience: 'internal',
    text: `${t.key} ${t.priority} ${t.category}: ${truncate(t.title, 140, '…')}`,
    blocks,
  };
}

/** The suggested reply as a private (ephemeral / agent-only) message. */
export function draftView(t: Ticket, d: DraftSlot): MessageView {
  return { text: `Suggested reply for ${t.key}`, blocks: [{ type: 'header', text: `Suggested reply · ${t.key}` }, ...draftBlocks(t, d)] };
}

/** The suggested-reply blocks: agents only. */
export function draftBlocks(t: Ticket, d: DraftSlot): Block[] {
  const path = d.path === 'ai' ? 'drafted by Claude' : `offline template${d.reason ? ` (${plain(d.reason)})` : ''}`;
  const ctx = [`Suggested reply · agents only · ${path}`];
  if (d.sources.length) ctx.push(`sources: ${d.sources.map(plain).join(', ')}`);
  const blocks: Block[] = [
    { type: 'context', elements: ctx },
    { type: 'quote', text: truncate(d.text, 2800) },
  ];
  if (d.suggestions.length) blocks.push({ type: 'context', elements: d.suggestions.slice(0, 2).map((s) => `Tip: ${plain(s)}`) });
  blocks.push({
    type: 'actions',
    blockId: 'draft-actions',
    elements: [
      { type: 'button', actionId: ACTIONS.draftSend, label: 'Send', value: `${t.key}|${d.id}`, style: 'primary' },
      { type: 'button', actionId: ACTIONS.draftEdit, label: 'Edit', value: `${t.key}|${d.id}` },
      { type: 'button', actionId: ACTIONS.draftDiscard, label: 'Discard', value: `${t.key}|${d.id}` },
      { type: 'button', actionId: ACTIONS.draftRegenerate, label: 'Regenerate', value: `${t.key}|${d.id}` },
    ],
  });
  return blocks;
}
