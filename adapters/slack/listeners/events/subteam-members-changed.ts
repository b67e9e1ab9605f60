/**
 * `subteam_members_changed`: people added to a user group listed in config.agentGroups become
 * agents right away, and people removed stop being agents (unless config lists them). The
 * change is stored, so every replica sees it at its next refresh and a restart keeps it.
 */
import type { App } from '@slack/bolt';
import { changeAgentGroup } from '../../../../src/routing/agent-groups.js';
import type { SlackDeps } from '../../slack-deps.js';

/** Register the user-group membership listener. */
export function registerSubteamEvents(app: App, { core }: SlackDeps): void {
  app.event('subteam_members_changed', async ({ event }) => {
    if (!core.config.agentGroups.includes(event.subteam_id)) return;
    const added = event.added_users ?? [];
    const removed = event.removed_users ?? [];
    if (added.length === 0 && removed.length === 0) return;
    await changeAgentGroup(core, event.subteam_id, added, removed);
    if (removed.length) core.logger.info({ group: event.subteam_id, removed: removed.length }, 'slack: people left an agent group; they are no longer agents (unless the config lists them)');
  });
}
