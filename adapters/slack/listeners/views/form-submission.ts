/**
 * `view_submission` for frontdesk's modals (callback ids `form.*`): acknowledged at once (the
 * modal closes), then the values go to the core's form handler. Its answer is sent to the
 * person through the outbox: ephemeral in the channel the form came from, else as a DM.
 */
import type { App } from '@slack/bolt';
import { readModalMetadata, readModalValues } from '../../render-blocks.js';
import type { SlackDeps } from '../../slack-deps.js';

/** Callback ids of frontdesk's modals. */
export const FORM_CALLBACK = /^form\./;

/** Register the modal submission listener. */
export function registerFormSubmissions(app: App, { core }: SlackDeps): void {
  app.view({ callback_id: FORM_CALLBACK, type: 'view_submission' }, async ({ ack, body, view }) => {
    await ack();
    const userId = body.user.id;
    const { state, channelId } = readModalMetadata(view.private_metadata);
    const values = readModalValues(view.state.values as Record<string, Record<string, unknown>>);
    try {
      const res = await core.interactions.form(view.callback_id, state, values, { platform: 'slack', userId, channelId: channelId ?? undefined, trigger: 'trigger_id' in body ? body.trigger_id : undefined });
      if (!res.ephemeral) return;
      core.outbox.enqueue({
        platform: 'slack',
        payload: channelId ? { kind: 'ephemeral', channelId, userId, view: res.ephemeral } : { kind: 'dm', userId, view: res.ephemeral },
        idempotencyKey: `slack-form:${view.id}:${view.hash ?? ''}`,
      });
    } catch (err) {
      core.logger.error({ err, formId: view.callback_id, user: userId }, 'slack: form submission failed');
    }
  });
}
