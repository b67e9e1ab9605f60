/**
 * Buttons, the form and the command of the AI features: Send / Edit (and its form) / Discard /
 * Regenerate on a suggested reply and the card's "Suggested reply" button; the card's Plan
 * button and `/ticket plan ID`; a plan's "Create ticket" follow-up button. Agents only (the
 * default). Each routes to the use case in drafts.ts, plans.ts or follow-ups.ts.
 */
import type { CommandRegistry } from '../commands/command-registry.js';
import type { InteractionRegistry } from '../commands/interaction-types.js';
import { InputInvalidError } from '../domain/errors.js';
import { ACTIONS, FORMS } from '../views/action-ids.js';
import { editDraftForm } from '../views/draft-view.js';
import type { Drafts } from './drafts.js';
import type { FollowUps } from './follow-ups.js';
import type { Plans } from './plans.js';

/**
 * Register the AI buttons, form and command.
 * @example registerAiHandlers(core.interactions, core.commands, { drafts, plans, followUps });
 */
export function registerAiHandlers(ix: InteractionRegistry, commands: CommandRegistry, f: { drafts: Drafts; plans: Plans; followUps: FollowUps }): void {
  const { drafts, plans, followUps } = f;

  ix.onAction(ACTIONS.draftSend, (value, ctx) => {
    const { t, d } = drafts.fromValue(value);
    return drafts.send(t, d, d.text, ctx.userId);
  });

  ix.onAction(ACTIONS.draftEdit, (value) => {
    const { t, d } = drafts.fromValue(value);
    if (d.status !== 'pending') return drafts.alreadyDecided(t, d);
    return { form: editDraftForm(t, d) };
  });

  ix.onForm(FORMS.editDraft, (state, values, ctx) => {
    const { t, d } = drafts.fromValue(state);
    // A form has no draft copy to replace: only the answer goes back.
    return { ephemeral: drafts.send(t, d, values.text ?? '', ctx.userId).ephemeral };
  });

  ix.onAction(ACTIONS.draftDiscard, (value, ctx) => {
    const { t, d } = drafts.fromValue(value);
    return drafts.discard(t, d, ctx.userId);
  });

  ix.onAction(ACTIONS.draftRegenerate, (value, ctx) => drafts.redraftFor(drafts.fromValue(value).t, ctx.userId));

  ix.onAction(ACTIONS.draftShow, (key, ctx) => drafts.showFor(key, ctx.userId));

  commands.register({
    name: 'plan',
    usage: 'plan ID',
    summary: 'four-stage handling plan (customer need, handling path, checks, follow-ups), posted in the thread',
    agentOnly: true,
    run: async (args, ctx) => {
      if (!args[0]) throw new InputInvalidError('Which ticket? Give its id, e.g. `plan T-1042`.');
      return { view: await plans.planFor(args[0], ctx.userId), visibility: 'ephemeral' };
    },
  });

  ix.onAction(ACTIONS.plan, async (key, ctx) => ({ ephemeral: await plans.planFor(key, ctx.userId) }));

  ix.onAction(ACTIONS.followUpCreate, (value, ctx) => followUps.create(value, ctx));
}
