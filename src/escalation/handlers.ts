/**
 * Buttons and forms of the escalation prompts and the digest: Take it, Reassign…, Snooze,
 * Add note (breach prompts), Escalate / Not needed / Link as one incident (triage prompts), and
 * Take it / Snooze on the digest's at-risk tickets. Reassigning (or taking from the digest) a
 * ticket someone else owns asks for confirmation first. Every choice goes through a TicketService
 * use case, so it lands on the ticket's timeline; the prompt is then updated in place (through
 * the outbox) to show who decided what.
 */
import { InputInvalidError } from '../domain/errors.js';
import type { Interactions, InteractionContext, InteractionResult } from '../commands/interactions.js';
import type { Ticket } from '../domain/types.js';
import { trackersConfigured } from '../handoff/configured.js';
import { resolveTarget } from '../routing/escalation.js';
import { isOthersTicket } from '../tickets/csat.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { ACTIONS, FORMS } from '../views/action-ids.js';
import { confirmOthersTicketView } from '../views/csat-view.js';
import { DIGEST_REPLY } from '../views/digest-view.js';
import {
  DECISION_TEXT,
  PROMPT_REPLY,
  SNOOZE_MINUTES,
  addNoteForm,
  breachPromptView,
  reassignForm,
  triagePromptView,
} from '../views/escalation-prompt.js';
import { type MessageView, mention } from '../ports/message-view.js';
import { notice } from '../views/ticket-views.js';
import type { EscalationRow, Escalations } from './escalations.js';

/** "T-1042|17|30" → { key, escalationId, extra }. */
export function parsePromptValue(value: string): { key: string; escalationId: number; extra: string | undefined } {
  const [key, id, extra] = value.split('|');
  const escalationId = Number(id);
  if (!key || !Number.isInteger(escalationId) || escalationId <= 0) throw new InputInvalidError(`malformed escalation value "${value.slice(0, 40)}"`);
  return { key, escalationId, extra };
}

/** Take: the person who clicked becomes the owner; recorded even when they already own it. */
export function takeTicket(svc: TicketService, key: string, userId: string, via: string): Ticket {
  return svc.change(key, userId, (t) => ({
    patch: { ownerId: userId },
    events: [{ type: 'assigned', data: { from: t.ownerId, to: userId, via } }],
    threadLine: `${mention(userId)} took ${t.key}.`,
  }));
}

function snoozeMinutes(raw: string | undefined, allowed: readonly number[]): number {
  const m = Number(raw);
  if (!allowed.includes(m)) throw new InputInvalidError(PROMPT_REPLY.badSnooze(raw ?? ''));
  return m;
}

/**
 * Register the escalation-prompt and digest buttons and forms (agents only, the default).
 * @example registerEscalationHandlers(core.interactions, core.tickets, escalations);
 */
export function registerEscalationHandlers(ix: Interactions, svc: TicketService, esc: Escalations): void {
  /** Re-render the prompt the button was on (when the platform told us which message that was). */
  const refresh = (ctx: InteractionContext, row: EscalationRow, ticket: Ticket, line: string): void => {
    if (!ctx.messageId || !ctx.channelId || ticket.platform === 'cli') return;
    const now = svc.clock.now();
    const target = resolveTarget(svc.config, row.target);
    let view: MessageView;
    if (row.ruleId.startsWith('breach:')) {
      const clock = row.ruleId.slice('breach:'.length) === 'resolution' ? 'resolution' : 'first_response';
      const rule = svc.config.escalation.rules.find((r) => r.trigger === 'breach');
      view = breachPromptView({
        key: ticket.key,
        clock,
        escalationId: row.id,
        targetName: target.name,
        mentionIds: esc.mentionsFor(target, ticket, now, rule?.notify ?? []),
        timeframeMs: rule?.timeframe ?? null,
        lastDecision: line,
      });
    } else {
      view = triagePromptView({
        key: ticket.key,
        escalationId: row.id,
        reasons: esc.promptGroup(row).map((r) => r.reason),
        targetName: target.name,
        mentionIds: [],
        related: row.related.map((k) => ({ key: k, title: svc.repo.getByKey(k)?.title ?? '' })),
        decided: line,
        engineering: trackersConfigured(svc.config),
      });
    }
    svc.outbox.enqueue({
      platform: ticket.platform,
      ticketId: ticket.id,
      idempotencyKey: `esc-update:${row.id}:${now}:${line.slice(0, 40)}`,
      payload: { kind: 'update', channelId: ctx.channelId, messageId: ctx.messageId, view },
    });
  };

  // --- breach prompt
  ix.onAction(ACTIONS.escalationTake, (value, ctx) => {
    const { key, escalationId } = parsePromptValue(value);
    const { esc: row } = esc.requireFor(key, escalationId);
    const t = takeTicket(svc, key, ctx.userId, 'escalation');
    esc.markActed(row, 'accepted', ctx.userId);
    refresh(ctx, row, t, DECISION_TEXT.took(ctx.userId));
    return { ephemeral: notice(PROMPT_REPLY.took(t.key)) };
  });
  ix.onAction(ACTIONS.escalationReassign, (value) => {
    const { key, escalationId } = parsePromptValue(value);
    const { ticket } = esc.requireFor(key, escalationId);
    return { form: reassignForm(ticket.key, escalationId, ticket.ownerId) };
  });
  const reassign = (ctx: InteractionContext, key: string, escalationId: number, to: string): InteractionResult => {
    const { esc: row } = esc.requireFor(key, escalationId);
    const t = svc.assign(key, to, ctx.userId);
    esc.markActed(row, 'accepted', ctx.userId);
    refresh(ctx, row, t, DECISION_TEXT.reassigned(ctx.userId, to));
    return { ephemeral: notice(PROMPT_REPLY.reassigned(t.key, to)) };
  };
  ix.onForm(FORMS.reassign, (state, values, ctx) => {
    const { key, escalationId } = parsePromptValue(state);
    const { ticket } = esc.requireFor(key, escalationId);
    const to = values.owner?.trim();
    if (!to) throw new InputInvalidError(PROMPT_REPLY.needOwner);
    // Someone else's ticket: confirm first, like every other reassignment (#12).
    if (isOthersTicket(ticket, ctx.userId) && to !== ticket.ownerId)
      return { ephemeral: confirmOthersTicketView(ticket, 'reassign', ACTIONS.escalationReassignConfirmed, `${ticket.key}|${escalationId}|${to}`, to) };
    return reassign(ctx, key, escalationId, to);
  });
  ix.onAction(ACTIONS.escalationReassignConfirmed, (value, ctx) => {
    const { key, escalationId, extra: to } = parsePromptValue(value);
    if (!to) throw new InputInvalidError(PROMPT_REPLY.needOwner);
    // The button sits on the confirm message, not on the prompt: nothing to re-render there.
    return reassign({ ...ctx, messageId: undefined }, key, escalationId, to);
  });
  ix.onAction(ACTIONS.escalationSnooze, (value, ctx) => {
    const { key, escalationId, extra } = parsePromptValue(value);
    const { esc: row } = esc.requireFor(key, escalationId);
    const minutes = snoozeMinutes(extra, SNOOZE_MINUTES);
    const t = svc.snooze(key, svc.clock.now() + minutes * 60_000, ctx.userId);
    refresh(ctx, row, t, DECISION_TEXT.snoozed(ctx.userId, minutes));
    return { ephemeral: notice(PROMPT_REPLY.snoozed(t.key, minutes)) };
  });
  ix.onAction(ACTIONS.escalationNote, (value) => {
    const { key, escalationId } = parsePromptValue(value);
    const { ticket } = esc.requireFor(key, escalationId);
    return { form: addNoteForm(ticket.key, escalationId) };
  });
  ix.onForm(FORMS.addNote, (state, values, ctx) => {
    const { key, escalationId } = parsePromptValue(state);
    const { esc: row } = esc.requireFor(key, escalationId);
    const text = values.note?.trim();
    if (!text) throw new InputInvalidError(PROMPT_REPLY.needNote);
    const t = svc.addNote(key, text, ctx.userId);
    refresh(ctx, row, t, DECISION_TEXT.noted(ctx.userId));
    return { ephemeral: notice(PROMPT_REPLY.noted(t.key)) };
  });

  // --- triage prompt
  ix.onAction(ACTIONS.escalationAccept, (value, ctx): InteractionResult => {
    const { key, escalationId } = parsePromptValue(value);
    const { esc: row } = esc.requireFor(key, escalationId);
    const { ticket, target } = esc.accept(key, escalationId, ctx.userId);
    refresh(ctx, row, ticket, DECISION_TEXT.accepted(ctx.userId, target.name));
    return { ephemeral: notice(PROMPT_REPLY.accepted(ticket.key, target.name)) };
  });
  ix.onAction(ACTIONS.escalationDecline, (value, ctx) => {
    const { key, escalationId } = parsePromptValue(value);
    const { esc: row } = esc.requireFor(key, escalationId);
    const t = esc.decline(key, escalationId, ctx.userId);
    refresh(ctx, row, t, DECISION_TEXT.declined(ctx.userId));
    return { ephemeral: notice(PROMPT_REPLY.declined(t.key)) };
  });
  ix.onAction(ACTIONS.escalationLinkIncident, (value, ctx) => {
    const { key, escalationId } = parsePromptValue(value);
    const { esc: row, ticket } = esc.requireFor(key, escalationId);
    const { incident, keys } = esc.linkIncident(key, escalationId, ctx.userId);
    refresh(ctx, row, svc.require(ticket.id), DECISION_TEXT.linked(ctx.userId, incident, keys.length));
    return { ephemeral: notice(PROMPT_REPLY.linked(incident, keys)) };
  });

  // --- digest at-risk buttons
  ix.onAction(ACTIONS.digestTake, (key, ctx) => {
    const owned = svc.require(key);
    // Someone else's ticket: confirm first, as the card's "Assign to me" does.
    if (isOthersTicket(owned, ctx.userId)) return { ephemeral: confirmOthersTicketView(owned, 'reassign', ACTIONS.reassignConfirmed, `${owned.key}|${ctx.userId}`, ctx.userId) };
    const t = takeTicket(svc, key, ctx.userId, 'digest');
    return { ephemeral: notice(DIGEST_REPLY.took(t.key)) };
  });
  ix.onAction(ACTIONS.digestSnooze, (value, ctx) => {
    const [key, m] = value.split('|');
    if (!key) throw new InputInvalidError(`malformed digest value "${value.slice(0, 40)}"`);
    const minutes = snoozeMinutes(m, [60, ...SNOOZE_MINUTES]);
    const t = svc.snooze(key, svc.clock.now() + minutes * 60_000, ctx.userId);
    return { ephemeral: notice(DIGEST_REPLY.snoozed(t.key, minutes)) };
  });
}
