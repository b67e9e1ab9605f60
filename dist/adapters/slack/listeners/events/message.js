import { handleMessage } from '../../../../src/inbound/inbound.js';
import { inboxHandleOf } from '../../ingest-queue.js';
import { slackToPlain, toInboundMessage } from '../../slack-inbound.js';
/** Register the message listener. */
export function registerMessageEvents(app, { core, ingest }) {
    const svc = core.tickets;
    app.event('message', async ({ event, body, context }) => {
        const e = event;
        const handle = inboxHandleOf(context);
        const eventId = body.event_id;
        const label = { channel: e.channel, ts: e.ts, eventId };
        if (e.subtype === 'message_changed') {
            const now = e.message;
            if (!now?.ts || !e.channel || now.text === e.previous_message?.text)
                return;
            const channel = e.channel;
            ingest.push({ label, run: () => svc.sourceEdited('slack', channel, now.ts, slackToPlain(now.text ?? ''), eventId) }, handle);
            return;
        }
        if (e.subtype === 'message_deleted') {
            const ts = e.deleted_ts ?? e.previous_message?.ts;
            const channel = e.channel;
            if (ts && channel)
                ingest.push({ label, run: () => svc.sourceDeleted('slack', channel, ts) }, handle);
            return;
        }
        const msg = toInboundMessage(e, eventId);
        ingest.push({
            label,
            run: () => {
                const out = handleMessage(svc, msg);
                if (core.logger.isLevelEnabled('debug'))
                    core.logger.debug({ ...label, outcome: out.kind, ...(out.kind === 'ignored' ? { reason: out.reason } : {}) }, 'slack: message');
            },
        }, handle);
    });
}
//# sourceMappingURL=message.js.map