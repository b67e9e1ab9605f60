/**
 * The fix-update prompt's buttons and form: Send to customer, Edit… (a form pre-filled with the
 * draft) and Dismiss. Sending goes through TicketService.replyToCustomer — the one path to the
 * customer — in one transaction with the `fix_update_sent` record, so a second click (or a
 * click on a stale copy) sends nothing: it is told who already decided.
 */
import type { Interactions, InteractionResult } from '../commands/interactions.js';
import { splitValue } from '../commands/interactions.js';
import { InputInvalidError } from '../domain/errors.js';
import type { Ticket, TicketEvent } from '../domain/types.js';
import type { TrackerKind } from '../ports/tracker-port.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { ACTIONS, FORMS } from '../views/action-ids.js';
import { type FixUpdateDecision, fixUpdateAlreadyDecided, fixUpdateDecidedView, fixUpdateForm } from '../views/fix-update-view.js';
import { notice } from '../views/ticket-views.js';
import { syncTx } from '../store/sync-tx.js';

interface PromptState {
  t: Ticket;
  prompted: TicketEvent;
  issue: { tracker: TrackerKind; key: string; url: string };
  decided: FixUpdateDecision | null;
}

/** The prompt `prompt` of ticket `key`, and whether it was decided. */
function promptOf(svc: TicketService, key: string, prompt: string): PromptState {
  const t = svc.require(key);
  const events = svc.repo.events(t.id);
  const prompted = events.find((e) => e.type === 'fix_update_prompted' && e.data.prompt === prompt);
  if (!prompted) throw new InputInvalidError(`There is no customer update ${prompt.slice(0, 40)} for ${t.key} any more. Use **Reply to customer** on the card.`);
  const d = events.find((e) => (e.type === 'fix_update_sent' || e.type === 'fix_update_dismissed') && e.data.prompt === prompt);
  const decided: FixUpdateDecision | null = d
    ? d.type === 'fix_update_sent'
      ? { status: 'sent', by: d.actor, text: String(d.data.text ?? ''), edited: Boolean(d.data.edited) }
      : { status: 'dismissed', by: d.actor }
    : null;
  const issue = { tracker: prompted.data.tracker as TrackerKind, key: String(prompted.data.issue), url: String(prompted.data.url ?? '') };
  return { t, prompted, issue, decided };
}

/**
 * Every copy of a decided prompt that reached chat (the internal-thread post, or the DMs in
 * inline mode) is replaced through the outbox by its decided form, so no stale buttons remain —
 * also after the Edit form, which has no clicked message to replace. Inside the transaction.
 */
function replaceCopies(svc: TicketService, t: Ticket, prompt: string, decided: FixUpdateDecision, issue: PromptState['issue']): void {
  if (t.platform === 'cli') return;
  const key = `fix-update:${t.id}:${prompt}`;
  const view = fixUpdateDecidedView(t, issue, decided);
  for (const posted of svc.outbox.sentPosts(key)) {
    svc.outbox.enqueue({
      platform: t.platform,
      ticketId: t.id,
      idempotencyKey: `fix-update-decided:${t.id}:${prompt}:${posted.id}`,
      payload: { kind: 'update', channelId: posted.channelId, messageId: posted.messageId, view, purpose: 'work' },
    });
  }
}

/**
 * Send the update (the draft, or the agent's edit) to the customer, once. The check and the send
 * are one transaction.
 */
function send(svc: TicketService, value: string, userId: string, edited: string | null): InteractionResult {
  const [key, prompt] = splitValue(value);
  return syncTx(svc.repo.db, (): InteractionResult => {
    const s = promptOf(svc, key, prompt);
    if (s.decided) return { ephemeral: fixUpdateAlreadyDecided(s.t, s.decided), replace: fixUpdateDecidedView(s.t, s.issue, s.decided) };
    const text = (edited ?? String(s.prompted.data.draft ?? '')).trim();
    if (!text) throw new InputInvalidError('The update is empty: write something, or Dismiss the prompt.');
    const isEdit = edited !== null && edited.trim() !== String(s.prompted.data.draft ?? '').trim();
    svc.replyToCustomer(s.t.key, userId, text, 'reply_form', `fix-update:${s.t.id}:${prompt}`, [
      { type: 'fix_update_sent', data: { prompt, tracker: s.issue.tracker, issue: s.issue.key, edited: isEdit, text } },
    ]);
    const decided: FixUpdateDecision = { status: 'sent', by: userId, text, edited: isEdit };
    replaceCopies(svc, s.t, prompt, decided, s.issue);
    return {
      ephemeral: notice(`Sent the update to the customer in ${s.t.key}'s thread, in your name.`),
      replace: fixUpdateDecidedView(s.t, s.issue, decided),
    };
  });
}

/** Register the prompt's buttons and its Edit form (agents only). */
export function registerFixUpdateHandlers(ix: Interactions, svc: TicketService): void {
  ix.onAction(ACTIONS.fixUpdateSend, (value, ctx) => send(svc, value, ctx.userId, null));
  ix.onAction(ACTIONS.fixUpdateEdit, (value) => {
    const [key, prompt] = splitValue(value);
    const s = promptOf(svc, key, prompt);
    if (s.decided) return { ephemeral: fixUpdateAlreadyDecided(s.t, s.decided), replace: fixUpdateDecidedView(s.t, s.issue, s.decided) };
    return { form: fixUpdateForm(s.t, prompt, String(s.prompted.data.draft ?? '')) };
  });
  ix.onForm(FORMS.fixUpdate, (state, values, ctx) => {
    const r = send(svc, state, ctx.userId, values.text ?? '');
    // A form has no clicked message to replace; the prompt's copies are replaced through the outbox.
    const { replace: _none, ...rest } = r;
    return rest;
  });
  ix.onAction(ACTIONS.fixUpdateDismiss, (value, ctx) => {
    const [key, prompt] = splitValue(value);
    return syncTx(svc.repo.db, (): InteractionResult => {
      const s = promptOf(svc, key, prompt);
      if (s.decided) return { ephemeral: fixUpdateAlreadyDecided(s.t, s.decided), replace: fixUpdateDecidedView(s.t, s.issue, s.decided) };
      svc.repo.appendEvent(s.t.id, 'fix_update_dismissed', ctx.userId, svc.clock.now(), { prompt, tracker: s.issue.tracker, issue: s.issue.key });
      const decided: FixUpdateDecision = { status: 'dismissed', by: ctx.userId };
      replaceCopies(svc, s.t, prompt, decided, s.issue);
      return { ephemeral: notice(`Dismissed: the customer of ${s.t.key} is not told. Use **Reply to customer** on the card if that changes.`), replace: fixUpdateDecidedView(s.t, s.issue, decided) };
    });
  });
}
