/**
 * The App Home tab: for agents the core's queue view (my open tickets, the team queue by
 * priority, tickets at risk of breaching in the next 4 hours, each with its buttons); for
 * everyone else their own open requests. Published with views.publish.
 */
import { queueView } from '../../src/commands/ticket-commands.js';
import type { MessageView } from '../../src/views/message-view.js';
import { ticketListView } from '../../src/views/ticket-views.js';
import { renderHome } from './render-blocks.js';
import type { SlackDeps } from './slack-deps.js';

/** The Home view for one person, with an optional notice (the answer to a Home button) on top. */
export function homeView({ core }: SlackDeps, userId: string, notice?: MessageView): MessageView {
  const svc = core.tickets;
  let view: MessageView;
  if (svc.directory.isAgent(userId)) view = queueView(svc, userId);
  else {
    const own = svc.repo.list({ open: true, limit: 10_000 }).filter((t) => t.requesterId === userId);
    const list = ticketListView('Your open requests', own, svc.clock.now(), 'You have no open requests. Post in a support channel and a ticket is opened for you.');
    view = { text: list.text, blocks: [...list.blocks, { type: 'context', elements: ['Type `/ticket help` in a channel to see what I can do.'] }] };
  }
  if (!notice) return view;
  return { text: view.text, blocks: [...notice.blocks, { type: 'divider' }, ...view.blocks] };
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
