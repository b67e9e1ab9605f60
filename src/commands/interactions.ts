/**
 * Buttons, selects and form submissions from any platform, routed by the namespaced ids in
 * src/views/action-ids.ts to the same use cases the commands call. Features register extra
 * handlers (drafts, escalation prompts, digest) here.
 */
import { guardInteractionResult } from '../audience/guard-answers.js';
import { FrontdeskError, InputInvalidError } from '../domain/errors.js';
import { PRIORITIES, type Priority } from '../domain/types.js';
import { isOthersTicket, recordResolutionNote, resolveAndAskForNote } from '../tickets/csat.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { ACTIONS, FORMS } from '../views/action-ids.js';
import { confirmOthersTicketView } from '../views/csat-view.js';
import { replyToCustomerForm } from '../views/customer-views.js';
import { type FormView, mention } from '../ports/message-view.js';
import type { ConversationRefRepository } from '../ports/store-routing.js';
import { errorView, notice } from '../views/ticket-views.js';
import type { ActionHandler, FormHandler, InteractionContext, InteractionRegistry, InteractionResult } from './interaction-types.js';
import { nextTier } from './queue.js';

export type { ActionHandler, FormHandler, InteractionContext, InteractionRegistry, InteractionResult } from './interaction-types.js';

interface Registered<H> {
  handler: H;
  agentOnly: boolean;
}

export class Interactions implements InteractionRegistry {
  private readonly actions = new Map<string, Registered<ActionHandler>>();
  private readonly forms = new Map<string, Registered<FormHandler>>();

  constructor(private readonly svc: TicketService) {}

  onAction(actionId: string, handler: ActionHandler, opts: { agentOnly?: boolean } = {}): void {
    this.actions.set(actionId, { handler, agentOnly: opts.agentOnly ?? true });
  }

  onForm(formId: string, handler: FormHandler, opts: { agentOnly?: boolean } = {}): void {
    this.forms.set(formId, { handler, agentOnly: opts.agentOnly ?? true });
  }

  knowsAction(actionId: string): boolean {
    return this.actions.has(actionId);
  }

  /** Handle a button/select. Never throws: problems come back as an ephemeral message. */
  async action(actionId: string, value: string, ctx: InteractionContext): Promise<InteractionResult> {
    const reg = this.actions.get(actionId);
    if (!reg) return { ephemeral: errorView(`That button (${actionId}) is not something I know how to handle any more. Ask me for "help" to see the commands.`) };
    return this.guard(reg, ctx, () => reg.handler(value, ctx));
  }

  /** Handle a submitted form. */
  async form(formId: string, state: string, values: Record<string, string>, ctx: InteractionContext): Promise<InteractionResult> {
    const reg = this.forms.get(formId);
    if (!reg) return { ephemeral: errorView(`That form (${formId}) is not one I know.`) };
    return this.guard(reg, ctx, () => reg.handler(state, values, ctx));
  }

  private async guard<H>(reg: Registered<H>, ctx: InteractionContext, run: () => InteractionResult | Promise<InteractionResult>): Promise<InteractionResult> {
    if (reg.agentOnly && !this.svc.directory.isAgent(ctx.userId))
      return { ephemeral: errorView('Sorry — only support agents can do that. If you need something, reply in the thread and an agent will pick it up.') };
    try {
      // A replaced message stays in its place: the core checks who reads there (two audiences).
      return guardInteractionResult(this.svc.audience, await run(), ctx, this.svc.logger);
    } catch (e) {
      if (e instanceof FrontdeskError) return { ephemeral: errorView(e.message) };
      throw e;
    }
  }
}

/** "T-1042|P1" → ["T-1042", "P1"]. */
export function splitValue(value: string): [string, string] {
  const i = value.indexOf('|');
  if (i < 0) throw new InputInvalidError(`malformed action value "${value.slice(0, 40)}"`);
  return [value.slice(0, i), value.slice(i + 1)];
}

/** Register the ticket card's buttons and selects and the create-ticket form. */
export function registerTicketInteractions(ix: Interactions, svc: TicketService, forms: ConversationRefRepository): void {
  ix.onAction(ACTIONS.assignMe, (key, ctx) => {
    const t = svc.require(key);
    if (isOthersTicket(t, ctx.userId)) return { ephemeral: confirmOthersTicketView(t, 'reassign', ACTIONS.reassignConfirmed, `${t.key}|${ctx.userId}`, ctx.userId) };
    svc.assign(key, ctx.userId, ctx.userId);
    return {};
  });
  ix.onAction(ACTIONS.reassignConfirmed, (value, ctx) => {
    const [key, to] = splitValue(value);
    const t = svc.assign(key, to, ctx.userId);
    return { ephemeral: notice(`${t.key} is assigned to ${mention(to)}.`) };
  });
  ix.onAction(ACTIONS.acknowledge, (key, ctx) => {
    svc.acknowledge(key, ctx.userId);
    return {};
  });
  // Resolving asks for a resolution note; someone else's ticket asks for confirmation first.
  ix.onAction(ACTIONS.resolve, (key, ctx) => {
    const t = svc.require(key);
    if (isOthersTicket(t, ctx.userId)) return { ephemeral: confirmOthersTicketView(t, 'resolve', ACTIONS.resolveConfirmed, `${t.key}|`) };
    return resolveAndAskForNote(svc, t.key, ctx.userId, ctx);
  });
  ix.onAction(ACTIONS.resolveConfirmed, (value, ctx) => {
    const [key, note] = splitValue(value);
    if (!note) return resolveAndAskForNote(svc, key, ctx.userId, ctx);
    const t = svc.resolve(key, ctx.userId);
    recordResolutionNote(svc, t.key, note, ctx.userId);
    return { ephemeral: notice(`${t.key} is resolved; the resolution note is on its timeline.`) };
  });
  ix.onAction(ACTIONS.reopen, (key, ctx) => {
    svc.reopen(key, ctx.userId);
    return {};
  });
  ix.onAction(ACTIONS.escalate, (key, ctx) => {
    const t = svc.require(key);
    const target = nextTier(svc, t);
    svc.escalate(key, ctx.userId, target, 'escalated from the ticket card');
    return { ephemeral: notice(`${t.key} escalated to ${target.name}.`) };
  });
  ix.onAction(ACTIONS.priority, (value, ctx) => {
    const [key, p] = splitValue(value);
    if (!PRIORITIES.includes(p as Priority)) throw new InputInvalidError(`"${p}" is not a priority.`);
    svc.setPriority(key, p as Priority, ctx.userId);
    return {};
  });
  ix.onAction(ACTIONS.category, (value, ctx) => {
    const [key, c] = splitValue(value);
    svc.setCategory(key, c, ctx.userId);
    return {};
  });
  ix.onAction(ACTIONS.replyToCustomer, (key) => ({ form: replyToCustomerForm(svc.require(key)) }));
  ix.onForm(FORMS.replyToCustomer, (key, values, ctx) => {
    const t = svc.require(key);
    svc.replyToCustomer(t.key, ctx.userId, values.text ?? '', 'reply_form', `form:${t.id}:${ctx.userId}:${svc.clock.now()}`);
    return { ephemeral: notice(`Sent to the customer in ${t.key}'s thread, in your name.`) };
  });
  ix.onForm(FORMS.createTicket, async (state, values, ctx) => {
    const s = await forms.get<CreateTicketState>(FORM_STATE, state);
    if (!s) throw new InputInvalidError('This form has expired. Use the "Create ticket" shortcut on the message again.');
    const res = svc.open({
      platform: ctx.platform,
      channelId: s.channelId,
      sourceMessageId: s.messageId,
      threadId: s.threadId ?? s.messageId,
      requesterId: s.requesterId,
      text: s.text,
      force: true,
      createdBy: ctx.userId,
      overrides: {
        category: values.category || undefined,
        priority: (values.priority as Priority) || undefined,
        ...(values.owner ? { ownerId: values.owner } : {}),
      },
    });
    if (res.outcome === 'exists') return { ephemeral: notice(`That message is already ${res.ticket.key}.`) };
    return { ephemeral: notice(res.ticket ? `Opened ${res.ticket.key}.` : 'No ticket was opened.') };
  });
}

/** The form the "Create ticket" message shortcut opens. */
export interface CreateTicketState {
  channelId: string;
  messageId: string | null;
  threadId?: string | null;
  text: string;
  requesterId: string;
}

/** Where form state lives in the store's conversation references (one namespace). */
export const FORM_STATE = 'form-state';
/** How long an open "Create ticket" form can still be submitted. */
export const FORM_STATE_TTL_MS = 7 * 86_400_000;

/**
 * The form the "Create ticket" message shortcut opens. The message itself is stashed in the
 * store (form state on platforms is small), so long messages are not cut; any replica that
 * receives the submit finds it.
 */
export async function createTicketForm(svc: TicketService, forms: ConversationRefRepository, state: CreateTicketState): Promise<FormView> {
  const tri = svc.triage.classify({ text: state.text, requesterId: state.requesterId, channelId: state.channelId });
  const key = `ct-${svc.clock.now()}-${Math.random().toString(36).slice(2, 10)}`;
  await forms.put(FORM_STATE, key, state, svc.clock.now());
  // Retention: forms never submitted are forgotten after a week.
  await forms.prune(FORM_STATE, 'ct-', svc.clock.now() - FORM_STATE_TTL_MS);
  return {
    formId: FORMS.createTicket,
    title: 'Create ticket',
    submitLabel: 'Create',
    state: key,
    fields: [
      { type: 'select', id: 'category', label: 'Category', initial: tri.category, options: svc.config.categories.map((c) => ({ label: c, value: c })) },
      { type: 'select', id: 'priority', label: 'Priority', initial: tri.priority, options: PRIORITIES.map((p) => ({ label: p, value: p })) },
      { type: 'user', id: 'owner', label: 'Owner', optional: true },
    ],
  };
}
