import { filesToAttachments, slackToPlain } from './slack-inbound.js';
/**
 * @returns the message, or null when it cannot be read (deleted, no access)
 * @example await loadMessage(client, 'C1', '1700000000.000100', logger)
 */
export async function loadMessage(client, channel, ts, logger) {
    const pick = (msgs) => {
        const m = msgs?.find((x) => x.ts === ts);
        if (!m)
            return null;
        const files = filesToAttachments(m.files);
        const text = slackToPlain(m.text ?? '').trim() || (files.length ? `(shared ${files.length} file(s))` : '');
        return { text, userId: m.user ?? m.bot_id ?? 'unknown', threadId: m.thread_ts && m.thread_ts !== ts ? m.thread_ts : null, files };
    };
    try {
        const hist = await client.conversations.history({ channel, latest: ts, oldest: ts, inclusive: true, limit: 1 });
        const top = pick(hist.messages);
        if (top)
            return top;
        const replies = await client.conversations.replies({ channel, ts, latest: ts, oldest: ts, inclusive: true, limit: 1 });
        return pick(replies.messages);
    }
    catch (err) {
        logger.warn({ err, channel, ts }, 'slack: could not load the message (is the bot in the channel, with the history scopes?)');
        return null;
    }
}
//# sourceMappingURL=load-message.js.map