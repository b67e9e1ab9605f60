/**
 * Views of known answers in the ticket flow. For the customer: the offered answer with "✅ That
 * solved it" / "🙋 I still need help", and the same message once they chose. For agents: the
 * card's known-answers section (what was offered and why, suggestions with "Send answer", "Save
 * as known answer" on a resolved card) and the save form. Customer views carry only the team's
 * text: the answer's title and body, never the model's words or another customer's.
 */
import type { Ticket } from '../domain/types.js';
import type { Answer, Offer } from '../ports/store-knowledge.js';
import { formatDuration } from '../util/duration.js';
import { ACTIONS, FORMS } from './action-ids.js';
import { type Block, type FormView, type MessageView, mention, plain, toPlainText } from '../ports/message-view.js';
import { truncate } from '../util/text.js';

/** Max characters of an answer's body shown to a customer. */
export const MAX_OFFER_BODY = 2800;

/**
 * The team's answer text as customer-facing neutral markdown: chat mentions and broadcast
 * tokens (`<@U1>`, `<!channel>`) are removed — an answer never pings anyone.
 */
export function answerText(body: string): string {
  return truncate(body.replace(/<[@!#][^>]*>/g, '').trim(), MAX_OFFER_BODY, '…');
}

function answerBlocks(a: Pick<Answer, 'title' | 'body'>): Block[] {
  return [
    { type: 'text', text: `**${plain(a.title)}**` },
    { type: 'text', text: answerText(a.body) },
  ];
}

/**
 * The known answer offered in the customer's thread, with the two buttons (value: the offer id).
 * @example offerView(ticket, answer, 12).blocks.at(-1) // actions: That solved it / I still need help
 */
export function offerView(t: Pick<Ticket, 'key'>, a: Pick<Answer, 'title' | 'body'>, offerId: number): MessageView {
  return {
    audience: 'customer',
    text: `This may answer your question: ${a.title}`,
    blocks: [
      { type: 'text', text: 'While our team takes a look, this answer from our help notes may already solve it:' },
      ...answerBlocks(a),
      { type: 'context', elements: [`Did this solve it? If not, a member of our support team picks up ${t.key} and replies here.`] },
      {
        type: 'actions',
        blockId: 'knowledge-offer',
        elements: [
          { type: 'button', actionId: ACTIONS.answerSolved, label: '✅ That solved it', value: String(offerId), style: 'primary' },
          { type: 'button', actionId: ACTIONS.answerNeedHelp, label: '🙋 I still need help', value: String(offerId) },
        ],
      },
    ],
  };
}

/** The offer message once the customer chose (the buttons are gone, the answer stays readable). */
export function offerDecidedView(t: Pick<Ticket, 'key'>, a: Pick<Answer, 'title' | 'body'>, outcome: 'solved' | 'need_help'): MessageView {
  const line =
    outcome === 'solved'
      ? `✅ Glad that solved it — ${t.key} is closed. If anything else comes up, just reply in this thread.`
      : `🙋 Thanks for letting us know — a member of our support team will pick up ${t.key} and reply here.`;
  return { audience: 'customer', text: line, blocks: [...answerBlocks(a), { type: 'context', elements: [line] }] };
}

/**
 * A known answer an agent sends: the plain text the customer reads, posted in the agent's name
 * (agents' replies are plain text, so the answer's formatting is flattened: links keep their URL).
 */
export function sentAnswerText(a: Pick<Answer, 'title' | 'body'>): string {
  return `${a.title}\n\n${toPlainText(answerText(a.body))}`;
}

export interface KnowledgeCardInput {
  offers: Offer[];
  /** Suggested answers (best first), not yet sent to this customer. */
  suggestions: { answer: Answer; score: number }[];
  open: boolean;
  /** A resolved ticket that was not deflected: offer "Save as known answer". */
  canSave: boolean;
  timezone: string;
  offerTimeoutMs: number;
}

function hhmm(ms: number, tz: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: tz }).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(11, 16);
  }
}

/** One line on the card about an offer. */
export function offerLine(o: Offer, tz: string, timeoutMs: number): string {
  const title = `**${plain(o.answerTitle)}**`;
  if (o.via === 'agent') return `📨 ${mention(o.offeredBy)} sent the known answer ${title} to the customer.`;
  const why = o.explanation ? ` (${plain(o.explanation)})` : '';
  switch (o.status) {
    case 'pending':
      return `📚 Known answer offered to the customer: ${title}${why}. Waiting for their reply until ${hhmm(o.expiresAt ?? o.offeredAt, tz)} (${tz}); agents are paged if they still need help. The SLA clock runs from the request.`;
    case 'solved':
      return `✅ Deflected: the customer said the known answer ${title} solved it${why}.`;
    case 'need_help':
      return `🙋 The known answer ${title} did not solve it: the customer still needs help${why}.`;
    case 'expired':
      return `⏱ Known answer ${title} offered${why}; no reply from the customer within ${formatDuration(timeoutMs)}, so it is back in the normal flow.`;
    default:
      return `📚 Known answer ${title}${why}.`;
  }
}

/** The known-answers section of the internal card. */
export function knowledgeCardBlocks(t: Pick<Ticket, 'key'>, k: KnowledgeCardInput): Block[] {
  const blocks: Block[] = [];
  if (k.offers.length) blocks.push({ type: 'context', elements: k.offers.slice(-3).map((o) => offerLine(o, k.timezone, k.offerTimeoutMs)) });
  if (k.open && k.suggestions.length) {
    blocks.push({
      type: 'context',
      elements: [`Known answers that may help: ${k.suggestions.map((s, i) => `${i + 1}. **${plain(s.answer.title)}** (${s.score.toFixed(2)})`).join(' · ')}`],
    });
    blocks.push({
      type: 'actions',
      blockId: 'knowledge-suggestions',
      elements: k.suggestions.map((s) => ({ type: 'button' as const, actionId: ACTIONS.answerSend, label: truncate(`Send answer: ${s.answer.title}`, 75, '…'), value: `${t.key}|${s.answer.id}` })),
    });
  }
  if (!k.open && k.canSave)
    blocks.push({ type: 'actions', blockId: 'knowledge-save', elements: [{ type: 'button', actionId: ACTIONS.answerSave, label: 'Save as known answer', value: t.key }] });
  return blocks;
}

/**
 * The "Save as known answer" form, pre-filled from the ticket's resolution note (the team's
 * words). The title is left for the agent: the ticket's title is the customer's words.
 */
export function saveAnswerForm(t: Pick<Ticket, 'key' | 'category'>, note: string, categories: readonly string[]): FormView {
  return {
    formId: FORMS.saveAnswer,
    title: `Save as known answer · ${t.key}`,
    submitLabel: 'Save answer',
    state: t.key,
    fields: [
      { type: 'text', id: 'title', label: 'Title: the question it answers, in your words (customers see it)', maxLength: 200 },
      { type: 'text', id: 'body', label: 'Answer (customers see it: no names, emails or account details)', multiline: true, initial: note, maxLength: 4000 },
      {
        type: 'select',
        id: 'category',
        label: 'Category',
        options: categories.map((c) => ({ label: c, value: c })),
        ...(categories.includes(t.category) ? { initial: t.category } : {}),
        optional: true,
      },
      { type: 'text', id: 'tags', label: 'Other ways people ask (comma-separated)', optional: true, maxLength: 300 },
    ],
  };
}
