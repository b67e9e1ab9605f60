import { publishHome } from '../../home.js';
import { renderEphemeralResponse, renderReplaceResponse } from '../../render-blocks.js';
/** The value an element carries: a button's value or a select's chosen option. */
function actionValue(action) {
    if (action.type === 'button')
        return action.value ?? null;
    if (action.type === 'static_select')
        return action.selected_option?.value ?? null;
    if (action.type === 'users_select')
        return action.selected_user ?? null;
    return null;
}
/** Register the listener for every block action. */
export function registerBlockActions(app, deps) {
    const { core, port } = deps;
    app.action(/.+/, async ({ ack, body, action, respond }) => {
        await ack();
        const value = actionValue(action);
        // Link buttons also send an action; there is nothing to do for them.
        if (value === null || (action.type === 'button' && action.url && !core.interactions.knowsAction(action.action_id)))
            return;
        const userId = body.user.id;
        const channelId = body.channel?.id ?? body.container?.channel_id;
        const onHome = body.view?.type === 'home';
        let res;
        try {
            res = await core.interactions.action(action.action_id, value, {
                platform: 'slack',
                userId,
                channelId,
                messageId: body.container?.message_ts ?? body.message?.ts,
                threadId: body.message?.thread_ts ?? null,
                trigger: body.trigger_id,
            });
        }
        catch (err) {
            core.logger.error({ err, actionId: action.action_id, user: userId }, 'slack: action failed');
            return;
        }
        try {
            if (res.form)
                await port.openForm({ trigger: body.trigger_id, userId, form: res.form, channelId });
            if (onHome)
                await publishHome(deps, userId, res.ephemeral);
            else if (respond) {
                // The clicked message (also an ephemeral one) is replaced through the response_url.
                if (res.replace)
                    await respond(renderReplaceResponse(res.replace));
                if (res.ephemeral)
                    await respond(renderEphemeralResponse(res.ephemeral));
            }
        }
        catch (err) {
            core.logger.warn({ err, actionId: action.action_id, user: userId }, 'slack: could not answer an action');
        }
    });
}
//# sourceMappingURL=block-actions.js.map