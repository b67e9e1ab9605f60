/**
 * Slack message text → plain text: mentions become `@U…`, links `label (url)` or the url,
 * channel links `#name`, special mentions `@here`; HTML entities are decoded.
 * @example slackToPlain('see <https://x.io|docs> &amp; ask <@U1>') // 'see docs (https://x.io) & ask @U1'
 */
export function slackToPlain(text) {
    return text
        .replace(/<([^<>]+)>/g, (_m, inner) => {
        const [target = '', label] = inner.split('|', 2);
        if (target.startsWith('@'))
            return `@${label ?? target.slice(1)}`;
        if (target.startsWith('#'))
            return `#${label ?? target.slice(1)}`;
        if (target.startsWith('!subteam^'))
            return `@${label ?? target.slice(9)}`;
        if (target.startsWith('!'))
            return `@${label ?? target.slice(1).split('^')[0]}`;
        if (label && label !== target && !target.endsWith(label))
            return `${label} (${target})`;
        return target.replace(/^mailto:/, '');
    })
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
}
/** Slack files → ticket attachments (the permalink, which respects Slack's access rules). */
export function filesToAttachments(files) {
    return (files ?? [])
        .map((f) => {
        const url = f.permalink ?? f.url_private;
        return url ? { kind: 'file', name: (f.name ?? f.title ?? 'file').slice(0, 120), url } : null;
    })
        .filter((a) => a !== null);
}
/**
 * A Slack `message` event → InboundMessage.
 * @example toInboundMessage({ channel: 'C1', ts: '1.1', user: 'U1', text: 'help' }, 'Ev1')
 */
export function toInboundMessage(m, eventId) {
    return {
        platform: 'slack',
        eventId,
        channelId: m.channel ?? '',
        messageId: m.ts ?? '',
        threadId: m.thread_ts ?? null,
        userId: m.user ?? m.bot_id ?? '',
        userName: m.user_profile?.display_name || m.user_profile?.real_name || null,
        text: slackToPlain(m.text ?? ''),
        isBot: Boolean(m.bot_id) || m.subtype === 'bot_message',
        subtype: m.subtype ?? null,
        files: filesToAttachments(m.files),
    };
}
/**
 * Slash-command text (sent with should_escape: true) → the core's command line: user mentions
 * stay as `<@U…>` (so `assign T-1 @dana` resolves to an id), links and channels become plain
 * text, entities are decoded.
 * @example slackCommandText('assign T-1 <@U0DANA|dana>') // 'assign T-1 <@U0DANA>'
 */
export function slackCommandText(text) {
    return text
        .split(/(<@[A-Z0-9]+(?:\|[^>]*)?>)/)
        .map((part, i) => (i % 2 === 1 ? part.replace(/\|[^>]*>$/, '>') : slackToPlain(part)))
        .join('');
}
//# sourceMappingURL=slack-inbound.js.map