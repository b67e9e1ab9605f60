/**
 * Views for hearing back from issue trackers (src/handoff/hear-back.ts): the internal line when a
 * linked issue changes state or an engineer comments, the prompt with a drafted customer update
 * when the issue is closed (Send to customer / Edit / Dismiss), its Edit form, and the prompt
 * once decided. Every view here is internal except the drafted text itself, which only reaches
 * the customer through TicketService.replyToCustomer after an agent clicks Send.
 */
import type { Ticket } from '../domain/types.js';
import type { CloseReason, IssueRef, TrackerKind } from '../ports/tracker-port.js';
import { shorten } from '../util/text.js';
import { ACTIONS, FORMS } from './action-ids.js';
import { type Block, type FormView, type MessageView, mention, plain, toPlainText } from '../ports/message-view.js';

/** Longest engineer comment shown in a ticket's internal thread (the rest is on the tracker). */
export const COMMENT_MAX_CHARS = 500;
/** Longest customer update the Edit form takes (Slack's text input stops at 3,000). */
export const FIX_UPDATE_MAX_CHARS = 3_000;

export const TRACKER_NAMES: Record<TrackerKind, string> = { github: 'GitHub', jira: 'Jira', linear: 'Linear' };

/** "GitHub [acme/app#12](https://…)": the issue as a link, named by its tracker. */
export function issueLabel(issue: IssueRef): string {
  const name = `${TRACKER_NAMES[issue.tracker]} ${issue.key}`;
  return /^https?:\/\//.test(issue.url) ? `${TRACKER_NAMES[issue.tracker]} [${plain(issue.key)}](${issue.url})` : plain(name);
}

export interface StateLineInput {
  issue: IssueRef & { stateLabel: string; state: 'open' | 'in_progress' | 'closed'; closeReason: CloseReason };
  /** Who moved it (login or display name), when the tracker says. */
  actor: string | null;
}

/**
 * The internal line for a state change of a linked issue.
 * @example stateLineView(t, { issue, actor: 'octocat' }).text // 'GitHub acme/app#12 moved to In Review by @octocat (T-1042)'
 */
export function stateLineView(t: Pick<Ticket, 'key'>, s: StateLineInput): MessageView {
  const by = s.actor ? ` by @${plain(s.actor)}` : '';
  const closed = s.issue.state === 'closed';
  const notPlanned = closed && s.issue.closeReason === 'not_planned';
  // "closed (not planned)" says nothing more than "was closed as not planned"; "Done", "Won't Do" do.
  const own = /^closed\b/i.test(s.issue.stateLabel.trim()) ? null : s.issue.stateLabel;
  const what = (label: string) => (closed ? `was closed${notPlanned ? ' as not planned' : ''}${own ? ` (${label})` : ''}` : `moved to ${label}`);
  // Short codes every renderer (Slack, Teams, playground) knows.
  const icon = closed ? (notPlanned ? ':x:' : ':white_check_mark:') : ':arrow_right:';
  const md = `${icon} ${issueLabel(s.issue)} ${what(`**${plain(s.issue.stateLabel)}**`)}${by} (${t.key}).`;
  const text = `${TRACKER_NAMES[s.issue.tracker]} ${s.issue.key} ${what(s.issue.stateLabel)}${s.actor ? ` by @${s.actor}` : ''} (${t.key})`;
  return { audience: 'internal', text, blocks: [{ type: 'text', text: md }] };
}

/**
 * An engineer's comment on a linked issue, shortened, in the ticket's internal thread. The body
 * is shown literally (a quote), never as markup.
 */
export function commentLineView(t: Pick<Ticket, 'key'>, issue: IssueRef, author: string, body: string): MessageView {
  const md = `:speech_balloon: @${plain(author)} commented on ${issueLabel(issue)} (${t.key}):`;
  return {
    audience: 'internal',
    text: `${author} commented on ${TRACKER_NAMES[issue.tracker]} ${issue.key} (${t.key})`,
    blocks: [
      { type: 'text', text: md },
      { type: 'quote', text: shorten(body.trim() || '(no text)', COMMENT_MAX_CHARS) },
    ],
  };
}

/** "Ana Ruiz" → "Ana"; nothing usable → null. */
function firstName(name: string | null | undefined): string | null {
  const n = (name ?? '').trim().split(/\s+/)[0] ?? '';
  return /^[\p{L}][\p{L}'’-]{0,40}$/u.test(n) ? n : null;
}

/**
 * The drafted customer update when a linked issue is closed: "the fix is live" when it was
 * completed, an honest "not planned" otherwise. Built only from the ticket's own request (its
 * title, its requester's name), never from the tracker (issue titles and comments are internal).
 * @example fixUpdateDraft({ requesterName: 'Ana Ruiz', title: 'Export fails' }, 'completed').startsWith('Hi Ana') // true
 */
export function fixUpdateDraft(t: Pick<Ticket, 'requesterName' | 'title'>, reason: CloseReason): string {
  const hi = firstName(t.requesterName) ? `Hi ${firstName(t.requesterName)},` : 'Hi there,';
  const about = shorten(t.title.trim(), 120);
  if (reason === 'not_planned')
    return [
      hi,
      '',
      `An update on your request ("${about}"): our engineering team looked into it and has decided not to change this for now.`,
      'We know that is not the answer you were hoping for. If it is still getting in your way, reply here and we will look at what else we can do for you.',
    ].join('\n');
  return [
    hi,
    '',
    `Good news — the fix for the problem you reported ("${about}") is now live.`,
    'Could you try again and let us know whether everything works as expected? If anything still looks wrong, just reply here and we will pick it up right away.',
  ].join('\n');
}

export interface FixUpdatePrompt {
  /** Stable id of this prompt (issue row id and the tracker's update time of the close). */
  prompt: string;
  issue: IssueRef & { stateLabel: string };
  reason: CloseReason;
  draft: string;
  /** The ticket's owner, mentioned; null = whoever works the ticket. */
  ownerId: string | null;
}

/** The value a prompt's buttons carry: `T-1042|<prompt id>`. */
export function fixUpdateValue(t: Pick<Ticket, 'key'>, prompt: string): string {
  return `${t.key}|${prompt}`;
}

/**
 * The prompt with the drafted customer update: in the ticket's internal thread (a DM to the owner
 * or team in inline mode). Internal: the draft is shown as a quote until an agent sends it.
 */
export function fixUpdatePromptView(t: Pick<Ticket, 'key' | 'status'>, p: FixUpdatePrompt): MessageView {
  const who = p.ownerId ? `${mention(p.ownerId)} ` : '';
  const head =
    p.reason === 'not_planned'
      ? `:information_source: ${who}${issueLabel(p.issue)} was closed as not planned. Tell the customer of **${t.key}**?`
      : `:sparkles: ${who}${issueLabel(p.issue)} is fixed. Tell the customer of **${t.key}** the fix is live?`;
  const blocks: Block[] = [
    { type: 'text', text: head },
    { type: 'quote', text: p.draft },
    {
      type: 'context',
      elements: [`Drafted customer update · agents only until you send it${t.status === 'resolved' || t.status === 'closed' ? ` · ${t.key} is ${t.status}` : ''}`],
    },
    {
      type: 'actions',
      blockId: 'fix-update-actions',
      elements: [
        { type: 'button', actionId: ACTIONS.fixUpdateSend, label: 'Send to customer', value: fixUpdateValue(t, p.prompt), style: 'primary' },
        { type: 'button', actionId: ACTIONS.fixUpdateEdit, label: 'Edit…', value: fixUpdateValue(t, p.prompt) },
        { type: 'button', actionId: ACTIONS.fixUpdateDismiss, label: 'Dismiss', value: fixUpdateValue(t, p.prompt) },
      ],
    },
  ];
  return { audience: 'internal', text: `${t.key}: ${TRACKER_NAMES[p.issue.tracker]} ${p.issue.key} ${p.reason === 'not_planned' ? 'closed as not planned' : 'is fixed'} — drafted customer update`, blocks };
}

/** The Edit form, pre-filled with the draft; submitting sends the edited text to the customer. */
export function fixUpdateForm(t: Pick<Ticket, 'key'>, prompt: string, draft: string): FormView {
  return {
    formId: FORMS.fixUpdate,
    title: `Customer update · ${t.key}`,
    submitLabel: 'Send to customer',
    state: fixUpdateValue(t, prompt),
    fields: [{ type: 'text', id: 'text', label: 'Update (posted in the customer’s thread in your name)', multiline: true, initial: draft.slice(0, FIX_UPDATE_MAX_CHARS), maxLength: FIX_UPDATE_MAX_CHARS }],
  };
}

export interface FixUpdateDecision {
  status: 'sent' | 'dismissed';
  by: string;
  /** The text the customer got (sent only). */
  text?: string;
  edited?: boolean;
}

/** The prompt after it was decided: no buttons, who decided and how. */
export function fixUpdateDecidedView(t: Pick<Ticket, 'key'>, issue: IssueRef, d: FixUpdateDecision): MessageView {
  const line =
    d.status === 'sent'
      ? `**Sent to the customer** by ${mention(d.by)}${d.edited ? ' (edited)' : ''}`
      : `**Dismissed** by ${mention(d.by)}: the customer was not told`;
  const blocks: Block[] = [
    { type: 'text', text: `Customer update for **${t.key}** (${issueLabel(issue)})` },
    { type: 'context', elements: [`${line} · agents only`] },
  ];
  if (d.status === 'sent' && d.text) blocks.push({ type: 'quote', text: d.text });
  return { audience: 'internal', text: `Customer update for ${t.key}: ${d.status}`, blocks };
}

/** Said privately to whoever clicks a prompt that was already decided. */
export function fixUpdateAlreadyDecided(t: Pick<Ticket, 'key'>, d: FixUpdateDecision): MessageView {
  const md =
    d.status === 'sent'
      ? `The customer update for **${t.key}** was already sent by ${mention(d.by)}; it is not sent twice.`
      : `The customer update for **${t.key}** was dismissed by ${mention(d.by)}. Use **Reply to customer** on the card to write to them.`;
  return { text: toPlainText(md.replace(/\*\*/g, '')), blocks: [{ type: 'text', text: md }] };
}
