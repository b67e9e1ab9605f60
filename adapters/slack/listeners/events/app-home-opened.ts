/** `app_home_opened`: publish the person's Home tab (queue for agents, own requests otherwise). */
import type { App } from '@slack/bolt';
import { publishHome } from '../../home.js';
import type { SlackDeps } from '../../slack-deps.js';

/** Register the App Home listener. */
export function registerAppHomeEvents(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await publishHome(deps, event.user);
  });
}
