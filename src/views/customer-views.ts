/**
 * Views for the two audiences around a conversation: the acknowledgement a customer gets in
 * their thread (triage mode), an agent's reply as the customer sees it, the "Reply to customer"
 * form, and the internal mirror lines that show the customer conversation in the ticket's
 * internal thread. Customer views carry no buttons and no internal wording.
 */
import { DateTime } from 'luxon';
import type { BusinessHoursSnapshot, Ticket } from '../domain/types.js';
import { slaState } from '../sla/policy.js';
import { ACTIONS, FORMS } from './action-ids.js';
import { sentReplyView } from './draft-view.js';
import { type FormView, type MessageView, mention, plain } from '../ports/message-view.js';
import { truncate } from '../util/text.js';

const DAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "1 hour", "4 hours", "3 days", "1 hour 30 minutes": a target in words a customer understands. */
export function targetInWords(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return plural(Math.max(1, minutes), 'minute');
  if (minutes % (24 * 60) === 0 && minutes >= 48 * 60) return plural(minutes / (24 * 60), 'day');
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${plural(h, 'hour')} ${plural(m, 'minute')}` : plural(h, 'hour');
}

/** "Monday to Friday, 09:00–17:00 (Europe/Berlin)". */
export function hoursInWords(bh: BusinessHoursSnapshot): string {
  const days = [...bh.days].sort((a, b) => a - b);
  const contiguous = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  const dayText =
    days.length === 7 ? 'every day' : contiguous && days.length > 2 ? `${DAY_NAMES[days[0]!]} to ${DAY_NAMES[days.at(-1)!]}` : days.map((d) => DAY_NAMES[d]).join(', ');
  return `${dayText}, ${bh.start}–${bh.end} (${bh.timezone})`;
}

/**
 * The one acknowledgement in the customer's thread: the ticket key, what happens next, and when
 * to expect a first response (from the ticket's SLA; in business hours where the policy uses them).
 * @example acknowledgementView(ticket, now, 'Europe/Berlin').text // 'We have your request: T-1042 …'
 */
export function acknowledgementView(t: Ticket, now: number, timezone: string): MessageView {
  const target = t.sla.firstResponseMs;
  const bh = t.sla.businessHours;
  const due = slaState(t, now).firstResponse.dueAt;
  const zone = bh?.timezone ?? timezone;
  const by = due === null ? '' : ` (by ${DateTime.fromMillis(due, { zone }).toFormat('cccc d LLLL, HH:mm')} ${zone})`;
  const when = bh
    ? `You can expect a first response within ${targetInWords(target)} of our support hours${by}. Our support hours are ${hoursInWords(bh)}.`
    : `You can expect a first response within ${targetInWords(target)}${by}.`;
  const text = `Thanks — we have your request: **${t.key}**. A member of our support team will look at it and reply here in this thread. ${when}`;
  return {
    audience: 'customer',
    text: `We have your request: ${t.key}. ${when}`,
    blocks: [
      { type: 'text', text },
      { type: 'context', elements: [`Reply in this thread to add details to ${t.key}.`] },
    ],
  };
}

/** An agent's reply as the customer sees it (posted in the agent's name). */
export function agentReplyView(text: string): MessageView {
  return { ...sentReplyView(text), audience: 'customer' };
}

/** The "Reply to customer" form on the internal card. */
export function replyToCustomerForm(t: Ticket, initial = ''): FormView {
  return {
    formId: FORMS.replyToCustomer,
    title: `Reply to customer · ${t.key}`,
    submitLabel: 'Send to customer',
    state: t.key,
    fields: [{ type: 'text', id: 'text', label: `Your reply (posted in ${t.requesterName ? plain(t.requesterName) : 'the customer'}’s thread in your name)`, multiline: true, initial, maxLength: 3000 }],
  };
}

/** The button that opens {@link replyToCustomerForm}. */
export function replyToCustomerButton(t: Ticket) {
  return { type: 'button' as const, actionId: ACTIONS.replyToCustomer, label: 'Reply to customer', value: t.key };
}

/** The customer's message, mirrored into the internal thread (quoted, escaped). */
export function customerMessageMirror(t: Ticket, authorId: string, text: string): MessageView {
  return {
    audience: 'internal',
    text: `${t.key}: the customer wrote in their thread`,
    blocks: [
      { type: 'context', elements: [`${mention(authorId)} wrote in the customer thread of ${t.key}:`] },
      { type: 'quote', text: truncate(text, 2800, '…') },
    ],
  };
}

/** An agent's reply to the customer, mirrored into the internal thread. */
export function agentReplyMirror(t: Ticket, agentId: string, text: string, via: 'thread' | 'reply_form' | 'suggested_reply' | 'known_answer'): MessageView {
  const how =
    via === 'thread'
      ? 'replied in the customer thread'
      : via === 'suggested_reply'
        ? 'sent the suggested reply to the customer'
        : via === 'known_answer'
          ? 'sent a known answer to the customer'
          : 'replied to the customer';
  return {
    audience: 'internal',
    text: `${t.key}: ${how}`,
    blocks: [
      { type: 'context', elements: [`${mention(agentId)} ${how} (${t.key}):`] },
      { type: 'quote', text: truncate(text, 2800, '…') },
    ],
  };
}
