/**
 * What a button or form handler sees and returns, and the registry features add handlers to.
 * Below src/commands/interactions.ts (which routes to the handlers) so the audience guard and
 * features such as CSAT can use them without importing the router.
 */
import type { Platform } from '../domain/types.js';
import type { FormView, MessageView } from '../ports/message-view.js';

export interface InteractionContext {
  platform: Platform;
  userId: string;
  channelId?: string;
  /** The message the button was on. */
  messageId?: string;
  threadId?: string | null;
  /** Platform handle for opening a form. */
  trigger?: string;
}

export interface InteractionResult {
  /** Shown only to the person who clicked. */
  ephemeral?: MessageView;
  /** A form to open. */
  form?: FormView;
  /**
   * Replaces the message the button was on, for the person who clicked (e.g. a suggested reply
   * that was sent loses its buttons). Adapters that cannot change that message ignore it.
   */
  replace?: MessageView;
}

export type ActionHandler = (value: string, ctx: InteractionContext) => InteractionResult | Promise<InteractionResult>;
export type FormHandler = (state: string, values: Record<string, string>, ctx: InteractionContext) => InteractionResult | Promise<InteractionResult>;

/** Where features register their button and form handlers (implemented by Interactions). */
export interface InteractionRegistry {
  /** Agents only unless `agentOnly: false`. */
  onAction(actionId: string, handler: ActionHandler, opts?: { agentOnly?: boolean }): void;
  onForm(formId: string, handler: FormHandler, opts?: { agentOnly?: boolean }): void;
}
