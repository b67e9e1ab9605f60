/**
 * Slack-side identifiers declared in manifest.json: the slash command and the message
 * shortcut's callback id. Action and form ids are the core's (src/views/action-ids.ts).
 */
export const SLACK_IDS = {
    /** The slash command (manifest: features.slash_commands). */
    command: '/ticket',
    /** Message shortcut "Create ticket" (manifest: features.shortcuts). */
    createTicketShortcut: 'shortcut.create_ticket',
    /** Where Events API, slash commands and interactivity arrive in HTTP mode. */
    eventsPath: '/slack/events',
};
//# sourceMappingURL=slack-ids.js.map