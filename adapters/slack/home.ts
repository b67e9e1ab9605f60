/**
 * The App Home tab: for agents the core's queue view (my open tickets, the team queue by
 * priority, tickets at risk of breaching in the next 4 hours, each with its buttons); for
 * everyone else only their own requests, without agent actions (src/commands/home.ts). Published with views.publish.
 */
import { homeFor } from '../../src/commands/home.js';
import type { MessageView } from '../../src/ports/message-view.js';
import { renderHome } from './render-blocks.js';
import type { SlackDeps } from './slack-deps.js';

/** The Home view for one person, with an optional notice (the answer to a Home button) on top. */
export function homeView({ core }: SlackDeps, userId: string, notice?: MessageView): MessageView {
  const view = homeFor(core.tickets, userId);
  if (!notice) return view;
  return { ...view, text: view.text, blocks: [...notice.blocks, { type: 'divider' }, ...view.blocks] };
}

/**
 * Publish the Home tab for a user. Failures are logged, not thrown (Home is a convenience).
 * @example await publishHome(deps, 'U0ANA');
 */
export async function publishHome(deps: SlackDeps, userId: string, notice?: MessageView): Promise<void> {
  try {
    await deps.client.views.publish({ user_id: userId, view: renderHome(homeView(deps, userId, notice)) });
  } catch (err) {
    deps.core.logger.warn({ err, userId }, 'slack: could not publish the App Home tab');
  }
}
