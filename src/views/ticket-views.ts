/** Views for commands: ticket detail with timeline, lists, help, SLA detail, notices. */
import { DateTime } from 'luxon';
import type { Ticket, TicketEvent } from '../domain/types.js';
import { describeClock, slaState } from '../sla/policy.js';
import { ACTIONS } from './action-ids.js';
import { CSAT_FACES } from './csat-view.js';
import type { Block, MessageView } from '../ports/message-view.js';
import { mention, plain } from '../ports/message-view.js';
import { truncate } from '../util/text.js';
import { clockLines, PRIORITY_LABEL, statusLabel } from './ticket-card.js';
import { resolvedByDeflection } from '../tickets/resolution-outcome.js';

export { notice } from './notice.js';

/**
 * An error the person can fix. `code spans` in the message stay code (they name what to
 * type); everything else is shown literally, since messages quote what people typed.
 * `usage` is the usage line of the subcommand at fault, when the problem is its arguments.
 * @example errorView('Say what it is about, e.g. `new Checkout fails`.', 'new TEXT')
 */
export function errorView(message: string, usage?: string): MessageView {
  const text = message
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : plain(part)))
    .join('');
  const blocks: Block[] = [{ type: 'text', text: `:warning: ${text}` }];
  if (usage) blocks.push({ type: 'context', elements: [`Usage: \`${usage}\``] });
  return { text: message, blocks };
}

function fmtTime(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toFormat('ccc d LLL HH:mm');
}

export function ticketLine(t: Ticket, now: number): string {
  const sla = slaState(t, now);
  const open = t.status !== 'resolved' && t.status !== 'closed';
  // A resolved ticket's clocks are judged, not running: say how its resolution went.
  const clock = open ? describeClock(t.firstResponseAt === null ? sla.firstResponse : sla.resolution) : `resolution ${clockLines(t, now).resolution}`;
  const owner = t.ownerId ? mention(t.ownerId) : '_unassigned_';
  return `**${t.key}** ${t.priority} · ${t.category} · ${statusLabel(t.status)} · ${owner} · ${clock} — ${plain(truncate(t.title, 80, '…'))}`;
}

export function ticketListView(title: string, tickets: Ticket[], now: number, emptyText = 'Nothing here.'): MessageView {
  const blocks: Block[] = [{ type: 'header', text: `${title} (${tickets.length})` }];
  if (tickets.length === 0) blocks.push({ type: 'text', text: emptyText });
  for (const chunk of chunks(tickets.slice(0, 40), 10)) blocks.push({ type: 'text', text: chunk.map((t) => `• ${ticketLine(t, now)}`).join('\n') });
  if (tickets.length > 40) blocks.push({ type: 'context', elements: [`…and ${tickets.length - 40} more. Narrow it down with \`list mine\`, \`list breaching\` or \`list unassigned\`.`] });
  return { text: `${title}: ${tickets.length}`, blocks };
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

const EVENT_TEXT: Partial<Record<TicketEvent['type'], (e: TicketEvent) => string>> = {
  created: () => 'opened',
  triaged: (e) => `triaged as ${String(e.data.category)} / ${String(e.data.priority)}`,
  assigned: (e) => `assigned to ${mention(String(e.data.to))}`,
  unassigned: () => 'unassigned',
  priority_changed: (e) => `priority ${String(e.data.from)} → ${String(e.data.to)}`,
  category_changed: (e) => `category ${String(e.data.from)} → ${String(e.data.to)}`,
  status_changed: (e) => `status ${String(e.data.from).replace(/_/g, ' ')} → ${String(e.data.to).replace(/_/g, ' ')}`,
  first_response: () => 'first response',
  replied: (e) => `${String(e.data.role)} replied`,
  escalated: (e) => `escalated to ${String(e.data.to)}${e.data.reason ? ` (${plain(String(e.data.reason))})` : ''}`,
  note: (e) => `note: ${plain(truncate(String(e.data.text), 200, '…'))}`,
  sla_warned: (e) => `SLA ${String(e.data.clock).replace('_', ' ')} at ${Math.round(Number(e.data.threshold) * 100)}%`,
  sla_breached: (e) => `SLA ${String(e.data.clock).replace('_', ' ')} breached`,
  snoozed: (e) => `snoozed until ${new Date(Number(e.data.until)).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  reopened: () => 'reopened',
  resolution_note: (e) => `resolution note: ${plain(truncate(String(e.data.text), 200, '…'))}`,
  csat_asked: () => 'customer asked to rate the resolution',
  tracker_linked: (e) => `${e.data.created ? 'issue created and linked' : 'linked to issue'}: ${plain(String(e.data.key))}${e.data.followUp ? ' (plan follow-up)' : ''}`,
  tracker_unlinked: (e) => `issue unlinked: ${plain(String(e.data.key))}`,
  tracker_state: (e) => `issue ${plain(String(e.data.issue))}: ${plain(String(e.data.from))} → ${plain(String(e.data.to))}${e.data.by ? ` by @${plain(String(e.data.by))}` : ''} (${String(e.data.via)})`,
  tracker_comment: (e) => `comment on ${plain(String(e.data.issue))} by @${plain(String(e.data.author))}`,
  fix_update_prompted: (e) => `issue ${plain(String(e.data.issue))} closed: customer update drafted`,
  fix_update_sent: (e) => `customer update sent${e.data.edited ? ' (edited)' : ''}`,
  fix_update_dismissed: () => 'customer update dismissed',
  csat_rated: (e) => `customer rated ${CSAT_FACES[Number(e.data.rating) - 1] ?? ''} ${String(e.data.rating)}/5${e.data.previous ? ` (was ${String(e.data.previous)}/5)` : ''}`,
};

/** Full ticket with timeline (`/ticket show`). */
export function ticketDetailView(t: Ticket, events: TicketEvent[], now: number, tz: string, extra: Block[] = []): MessageView {
  const clocks = clockLines(t, now, resolvedByDeflection(events));
  const blocks: Block[] = [
    { type: 'header', text: `${t.key} · ${truncate(t.title, 120)}` },
    { type: 'quote', text: truncate(t.text, 1500) },
    {
      type: 'fields',
      fields: [
        { label: 'Priority', value: PRIORITY_LABEL[t.priority] },
        { label: 'Category', value: t.category },
        { label: 'Status', value: statusLabel(t.status) },
        { label: 'Owner', value: t.ownerId ? mention(t.ownerId) : '_unassigned_' },
        { label: 'First response', value: clocks.firstResponse },
        { label: 'Resolution', value: clocks.resolution },
      ],
    },
    { type: 'context', elements: [`Why: ${t.signals.slice(0, 6).map((s) => plain(s.label)).join('; ') || 'no signals'}`] },
    ...extra,
    { type: 'divider' },
    {
      type: 'text',
      text: events
        .slice(-25)
        .map((e) => `\`${fmtTime(e.at, tz)}\` ${EVENT_TEXT[e.type]?.(e) ?? e.type.replace(/_/g, ' ')} — ${e.actor === 'frontdesk' || e.actor === 'system' || e.actor === 'cli' ? e.actor : mention(e.actor)}`)
        .join('\n'),
    },
  ];
  return { text: `${t.key}: ${t.title}`, blocks };
}

/** SLA detail (`/ticket sla ID`). */
export function slaView(t: Ticket, now: number, tz: string): MessageView {
  const s = slaState(t, now);
  const line = (c: typeof s.firstResponse) =>
    `${describeClock(c)}${c.dueAt ? ` (due ${fmtTime(c.dueAt, tz)})` : ''} · ${Math.round(c.percentElapsed * 100)}% of ${Math.round(c.targetMs / 60_000)}m`;
  return {
    text: `${t.key} SLA`,
    blocks: [
      { type: 'header', text: `${t.key} · SLA (${t.sla.policy}, ${t.sla.businessHours ? `business hours ${t.sla.businessHours.timezone}` : 'calendar time'})` },
      { type: 'fields', fields: [
        { label: 'First response', value: line(s.firstResponse) },
        { label: 'Resolution', value: line(s.resolution) },
      ] },
    ],
  };
}

/** Actions a person can take on a ticket in a list (App Home, queue views). */
export function ticketRowActions(t: Ticket): Block {
  return {
    type: 'actions',
    blockId: `row-${t.key}`,
    elements: [
      ...(t.ownerId ? [] : [{ type: 'button' as const, actionId: ACTIONS.assignMe, label: 'Assign to me', value: t.key }]),
      ...(t.status === 'new' || t.status === 'triaged' ? [{ type: 'button' as const, actionId: ACTIONS.acknowledge, label: 'Acknowledge', value: t.key }] : []),
      { type: 'button', actionId: ACTIONS.resolve, label: 'Resolve', value: t.key },
      { type: 'button', actionId: ACTIONS.escalate, label: 'Escalate', value: t.key, style: 'danger' },
    ],
  };
}
