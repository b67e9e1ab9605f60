/**
 * Views for suggested replies around the draft itself (draftView lives in ticket-card.ts): the
 * reply as the bot posts it in the thread, the Edit form, and the short notices agents see after
 * Send, Discard, Regenerate or the card's "Suggested reply" button.
 */
import { DateTime } from 'luxon';
import type { Ticket } from '../domain/types.js';
import type { StoredDraft } from '../store/ai-repo.js';
import { FORMS } from './action-ids.js';
import type { Block, FormView, MessageView } from '../ports/message-view.js';
import { mention, plain, toPlainText } from '../ports/message-view.js';
import { truncate } from '../util/text.js';
import { notice } from './notice.js';

/** Longest text block the renderers take comfortably (Slack sections stop at 3,000). */
const BLOCK_CHARS = 2_800;
/** Longest reply the Edit form offers (Slack's text input stops at 3,000). */
export const EDIT_MAX_CHARS = 3_000;

/** Split text into pieces of at most `max` characters, preferring paragraph and line breaks. */
function pieces(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = Math.max(rest.lastIndexOf('\n\n', max), rest.lastIndexOf('\n', max), rest.lastIndexOf(' ', max));
    const at = cut > max / 2 ? cut : max;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * The reply as the bot posts it in the ticket thread once an agent approved it. The text is
 * shown literally: no mentions, links or formatting from the draft survive.
 * @example sentReplyView('Hi Ana, ...').blocks[0] // { type: 'text', text: 'Hi Ana, ...' }
 */
export function sentReplyView(text: string): MessageView {
  const blocks: Block[] = pieces(text, BLOCK_CHARS).map((p) => ({ type: 'text', text: plain(p) }));
  return { text, blocks };
}

/** The Edit modal, pre-filled with the draft; submitting sends the edited text. */
export function editDraftForm(t: Ticket, d: StoredDraft): FormView {
  return {
    formId: FORMS.editDraft,
    title: `Edit reply · ${t.key}`,
    submitLabel: 'Send',
    state: `${t.key}|${d.id}`,
    fields: [{ type: 'text', id: 'text', label: 'Reply (posted in the thread as frontdesk)', multiline: true, initial: d.text.slice(0, EDIT_MAX_CHARS), maxLength: EDIT_MAX_CHARS }],
  };
}

/** After Send / the Edit form: where the reply went. */
export function replySentNotice(t: Ticket, edited: boolean): MessageView {
  return notice(`${edited ? 'Edited reply' : 'Reply'} sent in the thread of **${t.key}**. You are recorded as the agent who approved it.`);
}

export function replyDiscardedNotice(t: Ticket): MessageView {
  return notice(`Suggested reply for **${t.key}** discarded. Click **Regenerate** on it if you want a new one.`);
}

/** "Tue 10 Mar 10:05 UTC": when a draft was decided, in the desk's time zone. */
function decidedAt(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toFormat('ccc d LLL HH:mm ZZZZ');
}

/** How a decided draft was decided (neutral markdown): verb "sent", rest " by <@U1> at Tue 10 Mar 10:05 UTC". */
function decision(d: StoredDraft, tz: string): { verb: string; rest: string } {
  const by = d.decidedBy ? ` by ${mention(d.decidedBy)}` : '';
  const at = d.decidedAt !== null ? ` at ${decidedAt(d.decidedAt, tz)}` : '';
  if (d.status === 'sent' || d.status === 'discarded') return { verb: d.status, rest: `${by}${at}` };
  if (d.status === 'pending') return { verb: 'pending', rest: '' };
  return { verb: 'replaced', rest: ' by a newer suggested reply' };
}

/**
 * A copy of the suggested reply after it was decided: no buttons any more, and who decided it and
 * when. It replaces the copy an agent clicked (and any stale copy clicked later).
 * @example decidedDraftView(t, sentDraft, 'UTC').blocks[1] // { type: 'context', elements: ['**Sent** by <@U1> at Tue 10 Mar 10:05 UTC · agents only'] }
 */
export function decidedDraftView(t: Ticket, d: StoredDraft, tz: string, nameOf: (id: string) => string = (id) => id): MessageView {
  const { verb, rest } = decision(d, tz);
  const line = `**${verb.charAt(0).toUpperCase()}${verb.slice(1)}**${rest}`;
  return {
    text: `Suggested reply for ${t.key}: ${toPlainText(line, nameOf)}`,
    blocks: [
      { type: 'header', text: `Suggested reply · ${t.key}` },
      { type: 'context', elements: [`${line} · agents only`] },
      { type: 'quote', text: truncate(d.text, BLOCK_CHARS) },
    ],
  };
}

/**
 * A draft that was already decided cannot be sent or discarded again: say so privately, naming
 * the person with a real mention (every renderer turns it into their name).
 * @example draftAlreadyDecided(t, d, 'UTC').blocks[0] // { type: 'text', text: 'That suggested reply for **T-1** was already sent by <@U1> at …' }
 */
export function draftAlreadyDecided(t: Ticket, d: StoredDraft, tz: string, nameOf: (id: string) => string = (id) => id): MessageView {
  const { rest } = decision(d, tz);
  const md =
    d.status === 'sent' || d.status === 'discarded'
      ? `That suggested reply for **${t.key}** was ${d.status === 'sent' ? 'already sent' : 'discarded'}${rest}.${d.status === 'discarded' ? ' Click **Regenerate** for a new one.' : ''}`
      : `That suggested reply for **${t.key}** was replaced by a newer one. Use **Suggested reply** on the card to see it.`;
  return { text: toPlainText(md, nameOf), blocks: [{ type: 'text', text: md }] };
}

export function draftNotFound(ref: string): string {
  return `There is no suggested reply ${ref.slice(0, 40)} any more. Use **Suggested reply** on the ticket card.`;
}

export function emptyReplyError(): string {
  return 'The reply is empty: write something or discard the draft.';
}

export function ticketClosedForDrafts(t: Ticket): MessageView {
  return notice(`**${t.key}** is ${t.status}: there is no reply to draft. Reopen it first.`);
}

/** Regenerate / "Suggested reply" when the model is taking a while: it will arrive privately. */
export function draftingNotice(t: Ticket): MessageView {
  return notice(`Drafting a new suggested reply for **${t.key}**… it will be sent to you privately in the thread.`);
}
