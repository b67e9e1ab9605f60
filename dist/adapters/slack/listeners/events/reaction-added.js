import { handleReaction } from '../../../../src/inbound/inbound.js';
import { loadMessage } from '../../load-message.js';
/** Register the reaction listener. */
export function registerReactionEvents(app, { core, client }) {
    app.event('reaction_added', async ({ event, body }) => {
        if (event.item.type !== 'message')
            return;
        const { channel, ts } = event.item;
        try {
            const out = await handleReaction(core.tickets, {
                platform: 'slack',
                eventId: body.event_id,
                channelId: channel,
                messageId: ts,
                userId: event.user,
                emoji: event.reaction,
                loadMessage: () => loadMessage(client, channel, ts, core.logger),
            });
            core.logger.debug({ channel, ts, reaction: event.reaction, outcome: out.kind, ...(out.kind === 'ignored' ? { reason: out.reason } : { ticket: out.ticket.key }) }, 'slack: reaction');
        }
        catch (err) {
            core.logger.error({ err, channel, ts, reaction: event.reaction }, 'slack: could not handle a reaction');
        }
    });
}
//# sourceMappingURL=reaction-added.js.map