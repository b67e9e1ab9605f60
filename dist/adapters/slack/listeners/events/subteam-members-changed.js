/** Register the user-group membership listener. */
export function registerSubteamEvents(app, { core }) {
    app.event('subteam_members_changed', async ({ event }) => {
        if (!core.config.agentGroups.includes(event.subteam_id))
            return;
        const added = event.added_users ?? [];
        if (added.length)
            core.directory.addAgents(added);
        if (event.removed_users?.length)
            core.logger.info({ group: event.subteam_id, removed: event.removed_users.length }, 'slack: people left an agent group; they stay agents until the next restart');
    });
}
//# sourceMappingURL=subteam-members-changed.js.map