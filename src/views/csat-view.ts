/**
 * Views around resolution: the customer's resolution message with the satisfaction question
 * (CSAT 1–5 and "Still broken"), the private answers to the customer's clicks, the agent's
 * resolution-note form and prompt, and the confirm step before acting on someone else's
 * ticket. Customer views say `audience: 'customer'` and carry nothing internal: no priority,
 * category, signals, owner notes or model text.
 */
import { DateTime } from 'luxon';
import type { Ticket } from '../domain/types.js';
import { ACTIONS, FORMS } from './action-ids.js';
import { type FormView, type MessageView, mention } from '../ports/message-view.js';

/** The five answers, worst to best: emoji and the number they stand for. */
export const CSAT_FACES = ['😞', '🙁', '😐', '🙂', '😀'] as const;

/** A rating as shown to people: "🙂 4/5". */
export function ratingLabel(rating: number): string {
  return `${CSAT_FACES[rating - 1] ?? '?'} ${rating}/5`;
}

function hours(h: number): string {
  return h === 1 ? '1 hour' : `${Number.isInteger(h) ? h : h.toFixed(1)} hours`;
}

/**
 * The resolution message in the requester's thread: the ticket is resolved, how did we do
 * (1–5), and a "Still broken" button that reopens it. Only the requester may answer.
 * @example csatQuestionView(ticket, 24).blocks.at(-2) // actions: 😞 1 … 😀 5
 */
export function csatQuestionView(t: Ticket, changeWindowHours: number): MessageView {
  const text = `${t.key} is resolved. How did we do?`;
  return {
    text,
    audience: 'customer',
    blocks: [
      { type: 'text', text: `:white_check_mark: **${t.key} is resolved.** We hope that sorted it out — how did we do?` },
      {
        type: 'actions',
        blockId: `csat-${t.key}`,
        elements: CSAT_FACES.map((face, i) => ({ type: 'button' as const, actionId: ACTIONS.csatRate, label: `${face} ${i + 1}`, value: `${t.key}|${i + 1}` })),
      },
      {
        type: 'actions',
        blockId: `csat-broken-${t.key}`,
        elements: [{ type: 'button', actionId: ACTIONS.csatStillBroken, label: 'Still broken', value: t.key, style: 'danger' }],
      },
      {
        type: 'context',
        elements: [`1 = not at all happy, 5 = very happy. Only ${mention(t.requesterId)} can answer; you can change your answer for ${hours(changeWindowHours)}. Still broken reopens the ticket.`],
      },
    ],
  };
}

/** A short private answer for the customer. */
function customerNotice(text: string): MessageView {
  return { text: text.replace(/\*\*/g, ''), audience: 'customer', blocks: [{ type: 'text', text }] };
}

/** Thanks for the rating, and until when it can be changed. */
export function csatThanksView(t: Ticket, rating: number, changed: boolean, changeableUntil: number, zone: string): MessageView {
  const until = DateTime.fromMillis(changeableUntil, { zone }).toFormat("ccc d LLL HH:mm '('ZZZZ')'");
  const what = changed ? `Your rating for **${t.key}** is now ${ratingLabel(rating)}.` : `You rated **${t.key}** ${ratingLabel(rating)}.`;
  return customerNotice(`Thank you! ${what} You can change it until ${until}.`);
}

/** Someone other than the requester clicked a rating or "Still broken". */
export function csatNotRequesterView(t: Ticket): MessageView {
  return customerNotice(`Only the person who asked for help (${mention(t.requesterId)}) can answer for **${t.key}**. Nothing was recorded. If you need help yourself, post a new message in the channel.`);
}

/** The change window is over. */
export function csatClosedView(t: Ticket, rating: number | null): MessageView {
  return customerNotice(
    `Your rating for **${t.key}**${rating ? ` (${ratingLabel(rating)})` : ''} can no longer be changed. If the problem is back, press **Still broken** or post a new message.`,
  );
}

/** The ticket is open again, so there is nothing to rate right now. */
export function csatNotResolvedView(t: Ticket): MessageView {
  return customerNotice(`**${t.key}** is open again, so there is nothing to rate yet — we will ask again when it is resolved.`);
}

/** No rating question is open for this ticket (asked before CSAT was on, or not asked at all). */
export function csatNotAskedView(t: Ticket): MessageView {
  return customerNotice(`There is no rating question open for **${t.key}**, so nothing was recorded. Thanks all the same!`);
}

/** "Still broken" reopened the ticket. */
export function stillBrokenView(t: Ticket): MessageView {
  return customerNotice(`Sorry it is not fixed yet. **${t.key}** is open again and the team has been told; we will reply here.`);
}

/** "Still broken" on a ticket that is already open. */
export function alreadyOpenView(t: Ticket): MessageView {
  return customerNotice(`**${t.key}** is already open again; the team is on it and will reply here.`);
}

/** The form that asks the resolving agent what the team learned (optional; closing it skips). */
export function resolutionNoteForm(t: Ticket): FormView {
  return {
    formId: FORMS.resolutionNote,
    title: `Resolved ${t.key}`,
    submitLabel: 'Save note',
    state: t.key,
    fields: [
      {
        type: 'text',
        id: 'note',
        label: 'Resolution note (optional): what fixed it, for the next person. Internal — the customer never sees it. Close this to skip.',
        multiline: true,
        optional: true,
        maxLength: 1000,
      },
    ],
  };
}

/** For resolutions without a form handle (✅ reaction): a private prompt with one button. */
export function resolutionNotePromptView(t: Ticket): MessageView {
  return {
    text: `${t.key} is resolved. Add a resolution note?`,
    blocks: [
      { type: 'text', text: `**${t.key}** is resolved. Add a short resolution note — what fixed it — so the next person finds it? Optional: ignore this to skip.` },
      { type: 'actions', blockId: `note-${t.key}`, elements: [{ type: 'button', actionId: ACTIONS.resolutionNote, label: 'Add resolution note', value: t.key, style: 'primary' }] },
    ],
  };
}

/**
 * The confirm step before resolving or reassigning a ticket someone else owns. `value` is what
 * the confirming button sends (`actionId` runs the action without asking again).
 */
export function confirmOthersTicketView(t: Ticket, what: 'resolve' | 'reassign', actionId: string, value: string, newOwner?: string): MessageView {
  const owner = t.ownerId ? mention(t.ownerId) : 'someone else';
  const question = what === 'resolve' ? `Resolve it anyway?` : `Reassign it to ${newOwner ? mention(newOwner) : 'someone else'}?`;
  return {
    text: `${t.key} belongs to someone else. ${question}`,
    blocks: [
      { type: 'text', text: `**${t.key}** is owned by ${owner}. ${question}` },
      {
        type: 'actions',
        blockId: `confirm-${what}-${t.key}`,
        elements: [{ type: 'button', actionId, label: what === 'resolve' ? 'Resolve anyway' : 'Reassign', value, style: 'danger' }],
      },
      { type: 'context', elements: ['Nothing has changed yet. Ignore this to cancel.'] },
    ],
  };
}
