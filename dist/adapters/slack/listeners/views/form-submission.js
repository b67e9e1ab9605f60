import { readModalMetadata, readModalValues } from '../../render-blocks.js';
/** Callback ids of frontdesk's modals. */
export const FORM_CALLBACK = /^form\./;
/** Register the modal submission listener. */
export function registerFormSubmissions(app, { core }) {
    app.view({ callback_id: FORM_CALLBACK, type: 'view_submission' }, async ({ ack, body, view }) => {
        await ack();
        const userId = body.user.id;
        const { state, channelId } = readModalMetadata(view.private_metadata);
        const values = readModalValues(view.state.values);
        try {
            const res = await core.interactions.form(view.callback_id, state, values, { platform: 'slack', userId, channelId: channelId ?? undefined, trigger: 'trigger_id' in body ? body.trigger_id : undefined });
            if (!res.ephemeral)
                return;
            core.outbox.enqueue({
                platform: 'slack',
                payload: channelId ? { kind: 'ephemeral', channelId, userId, view: res.ephemeral } : { kind: 'dm', userId, view: res.ephemeral },
                idempotencyKey: `slack-form:${view.id}:${view.hash ?? ''}`,
            });
        }
        catch (err) {
            core.logger.error({ err, formId: view.callback_id, user: userId }, 'slack: form submission failed');
        }
    });
}
//# sourceMappingURL=form-submission.js.map