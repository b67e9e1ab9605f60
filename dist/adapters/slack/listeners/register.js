import { registerBlockActions } from './actions/block-actions.js';
import { registerTicketCommand } from './commands/ticket-command.js';
import { registerAppHomeEvents } from './events/app-home-opened.js';
import { registerMessageEvents } from './events/message.js';
import { registerReactionEvents } from './events/reaction-added.js';
import { registerSubteamEvents } from './events/subteam-members-changed.js';
import { registerCreateTicketShortcut } from './shortcuts/create-ticket.js';
import { registerFormSubmissions } from './views/form-submission.js';
/**
 * Wire all listeners onto a Bolt app.
 * @example registerListeners(app, { core, port, client, bot });
 */
export function registerListeners(app, deps) {
    registerMessageEvents(app, deps);
    registerReactionEvents(app, deps);
    registerAppHomeEvents(app, deps);
    registerSubteamEvents(app, deps);
    registerTicketCommand(app, deps);
    registerBlockActions(app, deps);
    registerFormSubmissions(app, deps);
    registerCreateTicketShortcut(app, deps);
}
//# sourceMappingURL=register.js.map