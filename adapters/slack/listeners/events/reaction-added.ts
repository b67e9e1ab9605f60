/**
 * `reaction_added`: 👀 acknowledges and assigns to the reacting agent, ✅ resolves, 🎫 turns
 * any message the bot can read into a ticket (the emoji names come from config.reactions).
 */
import type { App } from '@slack/bolt';
import { handleReaction } from '../../../../src/inbound/inbound.js';
import { loadMessage } from '../../load-message.js';
import type { SlackDeps } from '../../slack-deps.js';

/** Register the reaction listener. */
export function registerReactionEvents(app: App, { core, client }: SlackDeps): void {
  app.event('reaction_added', async ({ event, body }) => {
    if (event.item.type !== 'message') return;
    const { channel, ts } = event.item;
    try {
      const out = await handleReaction(core.tickets, {
        platform: 'slack',
        eventId: (body as { event_id?: string }).event_id,
        channelId: channel,
        messageId: ts,
        userId: event.user,
        emoji: event.reaction,
        loadMessage: () => loadMessage(client, channel, ts, core.logger),
      });
      core.logger.debug({ channel, ts, reaction: event.reaction, outcome: out.kind, ...(out.kind === 'ignored' ? { reason: out.reason } : { ticket: out.ticket.key }) }, 'slack: reaction');
    } catch (err) {
      core.logger.error({ err, channel, ts, reaction: event.reaction }, 'slack: could not handle a reaction');
    }
  });
}
