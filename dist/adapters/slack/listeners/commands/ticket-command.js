import { runCommand } from '../../../../src/commands/ticket-commands.js';
import { errorView } from '../../../../src/views/ticket-views.js';
import { renderEphemeralResponse, renderMessage } from '../../render-blocks.js';
import { SLACK_IDS } from '../../slack-ids.js';
import { slackCommandText } from '../../slack-inbound.js';
/** Register the /ticket command. */
export function registerTicketCommand(app, { core, port }) {
    app.command(SLACK_IDS.command, async ({ command, ack, respond }) => {
        await ack();
        const ctx = { platform: 'slack', userId: command.user_id, channelId: command.channel_id, trigger: command.trigger_id };
        try {
            const reply = await runCommand(core.commands, core.tickets, slackCommandText(command.text ?? ''), ctx);
            if (reply.form) {
                await port.openForm({ trigger: command.trigger_id, userId: command.user_id, form: reply.form, channelId: command.channel_id });
                return;
            }
            await respond(reply.visibility === 'in_channel' ? { response_type: 'in_channel', ...renderMessage(reply.view) } : renderEphemeralResponse(reply.view));
        }
        catch (err) {
            core.logger.error({ err, command: SLACK_IDS.command, user: command.user_id }, 'slack: /ticket failed');
            await respond(renderEphemeralResponse(errorView('Something went wrong running that command. It was logged; please try again.'))).catch(() => { });
        }
    });
}
//# sourceMappingURL=ticket-command.js.map