import { dmChannelId } from './playground-store.js';
function tagMeta(tag) {
    return tag ? { meta: { outboxKey: tag.key } } : {};
}
export class PlaygroundChatPort {
    platform = 'local';
    ratePerChannelPerSec;
    store;
    clock;
    constructor(opts) {
        this.store = opts.store;
        this.clock = opts.clock;
        this.ratePerChannelPerSec = opts.ratePerChannelPerSec ?? 200;
    }
    /** Called before every delivery; subclasses throw here to simulate failures. */
    beforeDelivery(_op) { }
    /** Post as the bot, or with `as` in that agent's name (the playground shows them as the author). */
    async post(req) {
        this.beforeDelivery('post');
        const m = this.store.postBot({ channelId: req.channelId, threadId: req.threadId, view: req.view, ...(req.as ? { as: req.as.userId } : {}), at: this.clock.now(), ...tagMeta(req.tag) });
        return { messageId: m.id, channelId: m.channelId };
    }
    /** A playground link that opens the message's thread: `#msg/<channel>/<message id>`. */
    async permalink(req) {
        return `#msg/${encodeURIComponent(req.channelId)}/${encodeURIComponent(req.messageId)}`;
    }
    async update(req) {
        this.beforeDelivery('update');
        this.store.updateBot(req.channelId, req.messageId, req.view, this.clock.now());
    }
    async postEphemeral(req) {
        this.beforeDelivery('ephemeral');
        this.store.postBot({ channelId: req.channelId, threadId: req.threadId, view: req.view, kind: 'ephemeral', visibleTo: req.userId, meta: req.meta, at: this.clock.now() });
    }
    async dm(req) {
        this.beforeDelivery('dm');
        const channelId = dmChannelId(req.userId);
        const m = this.store.postBot({ channelId, view: req.view, kind: 'dm', visibleTo: req.userId, at: this.clock.now(), ...tagMeta(req.tag) });
        return { messageId: m.id, channelId };
    }
    /**
     * The bot message a tagged post left (its `meta.outboxKey`), among the channel's latest
     * 1,000 messages. The playground's clock can jump, so the search is bounded by count, not time.
     */
    async findDelivered(req) {
        const channelId = req.channelId ?? (req.userId ? dmChannelId(req.userId) : null);
        if (!channelId)
            return null;
        const row = this.store.db
            .prepare(`SELECT id FROM (SELECT id, meta FROM local_messages WHERE channel_id = ? AND is_bot = 1 ORDER BY id DESC LIMIT 1000)
         WHERE meta ->> '$.outboxKey' = ? LIMIT 1`)
            .get(channelId, req.key);
        return row ? { messageId: `m${row.id}`, channelId } : null;
    }
    async openForm(req) {
        this.beforeDelivery('form');
        this.store.openForm(req.userId, req.trigger, req.form, this.clock.now());
    }
}
//# sourceMappingURL=playground-chat-port.js.map