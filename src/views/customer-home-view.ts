/**
 * What a customer (anyone who is not an agent) sees of the desk: only their own requests, in
 * words a customer understands, with no agent actions and nothing internal (no priority,
 * category, triage signals, owner, SLA clocks, notes). Used by the App Home, the playground's
 * queue, and `/ticket list` / `/ticket show` for non-agents.
 */
import { DateTime } from 'luxon';
import type { Ticket } from '../domain/types.js';
import { type Block, type MessageView, plain } from '../ports/message-view.js';
import { truncate } from '../util/text.js';

const CUSTOMER_STATUS: Record<Ticket['status'], string> = {
  new: 'received — an agent will pick it up',
  triaged: 'received — an agent will pick it up',
  acknowledged: 'an agent is on it',
  in_progress: 'an agent is on it',
  waiting_on_customer: 'waiting for your reply',
  resolved: 'resolved',
  closed: 'closed',
};

/** A ticket's status as the requester should read it. */
export function customerStatus(t: Ticket): string {
  return CUSTOMER_STATUS[t.status];
}

function line(t: Ticket, zone: string): string {
  const opened = DateTime.fromMillis(t.createdAt, { zone }).toFormat('ccc d LLL HH:mm');
  return `• **${t.key}** ${plain(truncate(t.title, 80, '…'))} — _${customerStatus(t)}_ · opened ${opened}`;
}

/**
 * The customer's Home / queue: their open requests, then those resolved recently.
 * @example customerHomeView(own, recent, 'UTC') // { audience: 'customer', blocks: [...] } with no actions
 */
export function customerHomeView(open: Ticket[], recent: Ticket[], zone: string): MessageView {
  const blocks: Block[] = [{ type: 'header', text: 'Your requests' }];
  blocks.push({ type: 'text', text: `**Open** (${open.length})` });
  if (open.length === 0) blocks.push({ type: 'context', elements: ['You have no open requests. Post in a support channel and a ticket is opened for you.'] });
  for (let i = 0; i < Math.min(open.length, 40); i += 10) blocks.push({ type: 'text', text: open.slice(i, i + 10).map((t) => line(t, zone)).join('\n') });
  if (recent.length > 0) {
    blocks.push({ type: 'divider' });
    blocks.push({ type: 'text', text: `**Resolved in the last 30 days** (${recent.length})` });
    blocks.push({ type: 'text', text: recent.slice(0, 10).map((t) => line(t, zone)).join('\n') });
  }
  blocks.push({ type: 'context', elements: ['Reply in a request’s thread to add details. Type `/ticket help` in a channel to see what I can do.'] });
  return { text: `Your requests: ${open.length} open`, audience: 'customer', blocks };
}

/** One of the customer's own requests (`/ticket show` for a non-agent). */
export function customerTicketView(t: Ticket, zone: string): MessageView {
  return {
    text: `${t.key}: ${customerStatus(t)}`,
    audience: 'customer',
    blocks: [
      { type: 'header', text: `${t.key} · ${truncate(t.title, 120)}` },
      { type: 'quote', text: truncate(t.text, 1500) },
      {
        type: 'fields',
        fields: [
          { label: 'Status', value: customerStatus(t) },
          { label: 'Opened', value: DateTime.fromMillis(t.createdAt, { zone }).toFormat('ccc d LLL HH:mm') },
        ],
      },
    ],
  };
}
