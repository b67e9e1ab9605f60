/**
 * `message` events (message.channels / message.groups): new requests become tickets, thread
 * replies attach to their ticket, and edits or deletions of a ticket's original message are
 * reflected on it. The event was stored in the inbox and acknowledged before this runs; the
 * core work is queued for group commit together with marking the inbox row done (see
 * ingest-queue.ts). Duplicates (retries, repeated event_ids) are dropped by the core on event_id.
 */
import type { App } from '@slack/bolt';
import { handleMessage } from '../../../../src/inbound/inbound.js';
import { inboxHandleOf } from '../../ingest-queue.js';
import type { SlackDeps } from '../../slack-deps.js';
import { type SlackMessageLike, slackToPlain, toInboundMessage } from '../../slack-inbound.js';

interface ChangedEvent extends SlackMessageLike {
  message?: SlackMessageLike;
  previous_message?: SlackMessageLike;
  deleted_ts?: string;
}

/** Register the message listener. */
export function registerMessageEvents(app: App, { core, ingest }: SlackDeps): void {
  const svc = core.tickets;
  app.event('message', async ({ event, body, context }) => {
    const e = event as ChangedEvent;
    const handle = inboxHandleOf(context);
    const eventId = (body as { event_id?: string }).event_id;
    const label = { channel: e.channel, ts: e.ts, eventId };
    if (e.subtype === 'message_changed') {
      const now = e.message;
      if (!now?.ts || !e.channel || now.text === e.previous_message?.text) return;
      const channel = e.channel;
      ingest.push({ label, run: () => svc.sourceEdited('slack', channel, now.ts!, slackToPlain(now.text ?? ''), eventId) }, handle);
      return;
    }
    if (e.subtype === 'message_deleted') {
      const ts = e.deleted_ts ?? e.previous_message?.ts;
      const channel = e.channel;
      if (ts && channel) ingest.push({ label, run: () => svc.sourceDeleted('slack', channel, ts) }, handle);
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
