/**
 * Buttons and the form of known answers in the ticket flow: the customer's "✅ That solved it" /
 * "🙋 I still need help" (only the requester may click), the card's "Send answer", "Save as
 * known answer" on a resolved card, and the digest's "Write an answer" for a documentation gap.
 */
import { InputInvalidError } from '../domain/errors.js';
import type { Interactions } from '../commands/interactions.js';
import { splitValue } from '../commands/interactions.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { isOpen } from '../domain/lifecycle.js';
import { ACTIONS, FORMS } from '../views/action-ids.js';
import { saveAnswerForm } from '../views/knowledge-views.js';
import { plain } from '../ports/message-view.js';
import { notice } from '../views/ticket-views.js';
import type { KnowledgeOffers } from './offers.js';

/**
 * Register the handlers on the core's interactions.
 * @example registerKnowledgeHandlers(core.interactions, core.tickets, offers)
 */
export function registerKnowledgeHandlers(ix: Interactions, svc: TicketService, offers: KnowledgeOffers): void {
  // Customers click these: the requester check is inside.
  ix.onAction(
    ACTIONS.answerSolved,
    (offerId, ctx) => {
      const said = offers.solved(offerId, ctx.userId, { channelId: ctx.channelId, messageId: ctx.messageId });
      return said ? { ephemeral: notice(said) } : {};
    },
    { agentOnly: false },
  );
  ix.onAction(
    ACTIONS.answerNeedHelp,
    (offerId, ctx) => {
      const said = offers.needHelp(offerId, ctx.userId, { channelId: ctx.channelId, messageId: ctx.messageId });
      return said ? { ephemeral: notice(said) } : {};
    },
    { agentOnly: false },
  );
  ix.onAction(ACTIONS.answerSend, (value, ctx) => {
    const [key, answerId] = splitValue(value);
    const t = offers.send(key, answerId, ctx.userId);
    return { ephemeral: notice(`Sent the known answer to the customer in ${t.key}'s thread, in your name.`) };
  });
  ix.onAction(ACTIONS.answerSave, (key) => {
    const t = svc.require(key);
    if (isOpen(t.status)) throw new InputInvalidError(`${t.key} is not resolved yet: resolve it with a note on what fixed it, then save that as a known answer.`);
    const note = offers.noteOf(t);
    if (!note) throw new InputInvalidError(`${t.key} has no resolution note. Add one (\`note ${t.key} the steps that fixed it\`), then save it as a known answer.`);
    return { form: saveAnswerForm(t, note, svc.config.categories) };
  });
  ix.onAction(ACTIONS.answerWrite, (key) => {
    const t = svc.require(key);
    return { form: saveAnswerForm(t, offers.noteOf(t), svc.config.categories) };
  });
  ix.onForm(FORMS.saveAnswer, (key, values, ctx) => {
    const a = offers.saveFromForm(key, values, ctx.userId);
    return { ephemeral: notice(`Saved the known answer **${plain(a.title)}** (id \`${a.id}\`). New requests like it get it before an agent is paged.`) };
  });
}
