/**
 * Message shortcut "Create ticket": opens a modal (views.open) to set category, priority and
 * owner for a ticket made from that message. Agents only; a message that already is a ticket
 * gets a note instead.
 */
import type { App, MessageShortcut } from '@slack/bolt';
import { createTicketForm } from '../../../../src/commands/interactions.js';
import { ticketForMessage } from '../../../../src/inbound/inbound.js';
import { errorView, notice } from '../../../../src/views/ticket-views.js';
import { renderEphemeralResponse } from '../../render-blocks.js';
import type { SlackDeps } from '../../slack-deps.js';
import { filesToAttachments, slackToPlain } from '../../slack-inbound.js';
import { SLACK_IDS } from '../../slack-ids.js';

/** Register the message shortcut. */
export function registerCreateTicketShortcut(app: App, { core, port }: SlackDeps): void {
  const svc = core.tickets;
  app.shortcut<MessageShortcut>({ callback_id: SLACK_IDS.createTicketShortcut, type: 'message_action' }, async ({ ack, shortcut, respond }) => {
    await ack();
    const userId = shortcut.user.id;
    const channelId = shortcut.channel.id;
    const msg = shortcut.message;
    try {
      if (!svc.directory.isAgent(userId)) {
        await respond(renderEphemeralResponse(errorView('Sorry — only support agents can turn messages into tickets. Post your request in a support channel and a ticket is opened for you.')));
        return;
      }
      const existing = ticketForMessage(svc, 'slack', channelId, msg.ts);
      if (existing) {
        await respond(renderEphemeralResponse(notice(`That message is already **${existing.key}**.`)));
        return;
      }
      const files = filesToAttachments(msg.files as never);
      const text = slackToPlain(msg.text ?? '').trim() || (files.length ? `(shared ${files.length} file(s))` : '(no text)');
      const thread = msg.thread_ts && msg.thread_ts !== msg.ts ? msg.thread_ts : null;
      const form = await createTicketForm(svc, core.store.conversationRefs, { channelId, messageId: msg.ts, threadId: thread, text, requesterId: msg.user ?? userId });
      await port.openForm({ trigger: shortcut.trigger_id, userId, form, channelId });
    } catch (err) {
      core.logger.error({ err, user: userId, channel: channelId }, 'slack: create-ticket shortcut failed');
      await respond(renderEphemeralResponse(errorView('Could not open the form (it has to open within 3 seconds). Please try the shortcut again.'))).catch(() => {});
    }
  });
}
