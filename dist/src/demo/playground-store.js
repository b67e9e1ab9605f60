/**
 * PlaygroundStore: the local playground's "chat platform" — channels, messages, threads,
 * reactions, ephemerals and forms — kept in SQLite (migration 0003) next to the tickets.
 *
 * It lives in src/ (not adapters/local) because two callers share it: the local adapter
 * (adapters/local: LocalChatPort, the HTTP/SSE server, the HTML renderer) and the
 * `frontdesk demo` CLI command, which seeds the same tables and may not import adapters/.
 * It stores MessageViews as data; turning them into HTML is the adapter's job.
 */
import { ChatDeliveryError, InputInvalidError } from '../domain/errors.js';
/** The bot's author id in the playground. */
export const BOT_ID = 'frontdesk';
const CHANNEL_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** "m12" → 12, or null when it is not a playground message id. */
export function parseMessageId(id) {
    const m = /^m(\d{1,15})$/.exec(id);
    return m ? Number(m[1]) : null;
}
/** The DM channel between the bot and one person. */
export function dmChannelId(userId) {
    return `dm:${userId}`;
}
function toChannel(r) {
    return { id: r.id, kind: r.kind, topic: r.topic, memberId: r.member_id, createdAt: r.created_at };
}
function toForm(r) {
    return { id: r.id, userId: r.user_id, trigger: r.trigger, form: JSON.parse(r.form), status: r.status, createdAt: r.created_at, rev: r.rev };
}
export class PlaygroundStore {
    db;
    listeners = [];
    constructor(db) {
        this.db = db;
    }
    /** Hear about every write (after it is committed). */
    onWrite(fn) {
        this.listeners.push(fn);
        return () => {
            const i = this.listeners.indexOf(fn);
            if (i >= 0)
                this.listeners.splice(i, 1);
        };
    }
    emit(w) {
        for (const fn of this.listeners)
            fn(w);
    }
    nextRev() {
        const r = this.db.prepare("UPDATE local_revisions SET value = value + 1 WHERE name = 'rev' RETURNING value").get();
        return r.value;
    }
    /** The latest revision written (by this process or any other on the same file). */
    currentRev() {
        return this.db.prepare("SELECT value FROM local_revisions WHERE name = 'rev'").get()?.value ?? 0;
    }
    // ------------------------------------------------------------------ channels
    /** Public channels, plus the DM of `viewer` if they have one. */
    channels(viewer) {
        const rows = this.db
            .prepare("SELECT * FROM local_channels WHERE kind = 'channel' OR member_id = ? ORDER BY kind, created_at, id")
            .all(viewer ?? '');
        return rows.map(toChannel);
    }
    channel(id) {
        const r = this.db.prepare('SELECT * FROM local_channels WHERE id = ?').get(id);
        return r ? toChannel(r) : null;
    }
    /**
     * Create a public channel. Names are lower case letters, digits, "-" and "_" (like Slack's).
     * @example store.createChannel('billing-help', 'Questions about invoices', clock.now())
     */
    createChannel(name, topic, at) {
        const id = name.trim().replace(/^#/, '').toLowerCase();
        if (!CHANNEL_NAME.test(id))
            throw new InputInvalidError('Channel names use lower-case letters, digits, "-" and "_" (at most 40), e.g. billing-help.');
        if (this.channel(id))
            throw new InputInvalidError(`#${id} already exists.`);
        return this.ensureChannel(id, at, topic.slice(0, 250));
    }
    /** Make sure a channel exists (the bot may post to a channel the config names, e.g. a digest channel). */
    ensureChannel(id, at, topic = '') {
        const existing = this.channel(id);
        if (existing)
            return existing;
        const dm = id.startsWith('dm:');
        this.db
            .prepare('INSERT OR IGNORE INTO local_channels (id, kind, topic, member_id, created_at) VALUES (?, ?, ?, ?, ?)')
            .run(id, dm ? 'dm' : 'channel', topic, dm ? id.slice(3) : null, at);
        const ch = this.channel(id);
        this.emit({ op: 'channel', channel: ch });
        return ch;
    }
    // ------------------------------------------------------------------ messages
    row(id) {
        return this.db.prepare('SELECT * FROM local_messages WHERE id = ?').get(id);
    }
    reactionsOf(ids) {
        const out = new Map();
        if (ids.length === 0)
            return out;
        const rows = this.db
            .prepare(`SELECT message_id, user_id, emoji FROM local_reactions WHERE message_id IN (${ids.map(() => '?').join(',')}) ORDER BY at, user_id`)
            .all(...ids);
        for (const r of rows) {
            const list = out.get(r.message_id) ?? [];
            let entry = list.find((x) => x.emoji === r.emoji);
            if (!entry) {
                entry = { emoji: r.emoji, users: [] };
                list.push(entry);
            }
            entry.users.push(r.user_id);
            out.set(r.message_id, list);
        }
        return out;
    }
    hydrate(rows) {
        const reactions = this.reactionsOf(rows.map((r) => r.id));
        return rows.map((r) => ({
            id: `m${r.id}`,
            channelId: r.channel_id,
            threadId: r.thread_id,
            authorId: r.author_id,
            isBot: r.is_bot === 1,
            kind: r.kind,
            visibleTo: r.visible_to,
            text: r.text,
            view: r.view ? JSON.parse(r.view) : null,
            meta: JSON.parse(r.meta),
            createdAt: r.created_at,
            editedAt: r.edited_at,
            rev: r.rev,
            reactions: reactions.get(r.id) ?? [],
        }));
    }
    /** One message by wire id, or null. */
    get(messageId) {
        const n = parseMessageId(messageId);
        const r = n === null ? undefined : this.row(n);
        return r ? this.hydrate([r])[0] : null;
    }
    /** Thread replies go under the top-level message (a reply to a reply joins the same thread). */
    threadRoot(channelId, threadId) {
        if (!threadId)
            return null;
        const parent = this.get(threadId);
        if (!parent || parent.channelId !== channelId)
            throw new ChatDeliveryError(`thread ${threadId} not found in ${channelId}`, false);
        return parent.threadId ?? parent.id;
    }
    insert(m) {
        const id = this.db.transaction(() => {
            this.ensureChannel(m.channelId, m.at);
            const thread = this.threadRoot(m.channelId, m.threadId);
            const info = this.db
                .prepare(`INSERT INTO local_messages (channel_id, thread_id, author_id, is_bot, kind, visible_to, text, view, meta, created_at, rev)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
                .run(m.channelId, thread, m.authorId, m.isBot ? 1 : 0, m.kind, m.visibleTo ?? null, m.text, m.view ? JSON.stringify(m.view) : null, JSON.stringify(m.meta ?? {}), m.at, this.nextRev());
            return Number(info.lastInsertRowid);
        })();
        return this.hydrate([this.row(id)])[0];
    }
    /**
     * A person's message (never interpreted as markup when shown).
     * @example store.postHuman({ channelId: 'support', authorId: 'alex', text: 'Login fails', at: clock.now() })
     */
    postHuman(m) {
        const msg = this.insert({ ...m, isBot: false, kind: 'message' });
        this.emit({ op: 'human', message: msg });
        return msg;
    }
    /** A bot message: public (kind 'message'), for one user in a channel ('ephemeral'), or a DM ('dm'). */
    postBot(m) {
        const kind = m.kind ?? 'message';
        if (kind !== 'message' && !m.visibleTo)
            throw new ChatDeliveryError(`${kind} messages need the user who sees them`, false);
        const msg = this.insert({ ...m, kind, authorId: m.as ?? BOT_ID, isBot: true, text: m.view.text });
        this.emit({ op: kind === 'message' ? 'post' : kind, message: msg });
        return msg;
    }
    /** Replace a bot message's view in place (ticket cards). */
    updateBot(channelId, messageId, view, at) {
        const n = parseMessageId(messageId);
        const row = n === null ? undefined : this.row(n);
        if (!row || row.channel_id !== channelId)
            throw new ChatDeliveryError(`message ${messageId} not found in ${channelId}`, false);
        if (row.is_bot !== 1)
            throw new ChatDeliveryError(`message ${messageId} was not posted by the bot and cannot be updated by it`, false);
        this.db.transaction(() => this.db.prepare('UPDATE local_messages SET view = ?, text = ?, edited_at = ?, rev = ? WHERE id = ?').run(JSON.stringify(view), view.text, at, this.nextRev(), row.id))();
        const msg = this.hydrate([this.row(row.id)])[0];
        this.emit({ op: 'update', message: msg });
        return msg;
    }
    /** Add (on = true) or remove a reaction. Returns the message, or null when it does not exist. */
    react(messageId, userId, emoji, on, at) {
        const n = parseMessageId(messageId);
        if (n === null || !this.row(n))
            return null;
        if (!/^[a-z0-9_+-]{1,40}$/.test(emoji))
            throw new InputInvalidError(`"${emoji}" is not an emoji name`);
        this.db.transaction(() => {
            if (on)
                this.db.prepare('INSERT OR IGNORE INTO local_reactions (message_id, user_id, emoji, at) VALUES (?, ?, ?, ?)').run(n, userId, emoji, at);
            else
                this.db.prepare('DELETE FROM local_reactions WHERE message_id = ? AND user_id = ? AND emoji = ?').run(n, userId, emoji);
            this.db.prepare('UPDATE local_messages SET rev = ? WHERE id = ?').run(this.nextRev(), n);
        })();
        const msg = this.hydrate([this.row(n)])[0];
        this.emit({ op: 'react', message: msg });
        return msg;
    }
    /** Can `viewer` see this message? */
    static visible(m, viewer) {
        return m.visibleTo === null || m.visibleTo === viewer;
    }
    /** The latest `limit` top-level messages of a channel and all their replies, as `viewer` sees them, oldest first. */
    messagesFor(channelId, viewer, limit = 300) {
        const rows = this.db
            .prepare(`WITH top AS (
           SELECT id FROM local_messages WHERE channel_id = ? AND thread_id IS NULL AND (visible_to IS NULL OR visible_to = ?)
           ORDER BY id DESC LIMIT ?)
         SELECT m.* FROM local_messages m
         WHERE m.id IN (SELECT id FROM top)
            OR (m.channel_id = ? AND m.thread_id IN (SELECT 'm' || id FROM top) AND (m.visible_to IS NULL OR m.visible_to = ?))
         ORDER BY m.created_at, m.id`)
            .all(channelId, viewer, limit, channelId, viewer);
        return this.hydrate(rows);
    }
    /** Every message in a channel (tests, the demo). */
    allMessages(channelId) {
        const rows = channelId
            ? this.db.prepare('SELECT * FROM local_messages WHERE channel_id = ? ORDER BY id').all(channelId)
            : this.db.prepare('SELECT * FROM local_messages ORDER BY id').all();
        return this.hydrate(rows);
    }
    /** Messages and forms written after revision `rev` (by any process), oldest first, at most `limit` revisions at a time. */
    changedSince(rev, limit = 500) {
        const upper = Math.min(this.currentRev(), rev + limit);
        if (upper <= rev)
            return { messages: [], forms: [], rev };
        const rows = this.db.prepare('SELECT * FROM local_messages WHERE rev > ? AND rev <= ? ORDER BY rev').all(rev, upper);
        const forms = this.db.prepare('SELECT * FROM local_forms WHERE rev > ? AND rev <= ? ORDER BY rev').all(rev, upper);
        return { messages: this.hydrate(rows), forms: forms.map(toForm), rev: upper };
    }
    // ------------------------------------------------------------------ forms
    /** Record a form opened for a user; the browser shows it as a dialog. */
    openForm(userId, trigger, form, at) {
        const info = this.db.transaction(() => this.db.prepare('INSERT INTO local_forms (user_id, trigger, form, created_at, rev) VALUES (?, ?, ?, ?, ?)').run(userId, trigger, JSON.stringify(form), at, this.nextRev()))();
        const f = this.form(Number(info.lastInsertRowid));
        this.emit({ op: 'form', form: f });
        return f;
    }
    form(id) {
        const r = this.db.prepare('SELECT * FROM local_forms WHERE id = ?').get(id);
        return r ? toForm(r) : null;
    }
    /** Mark a form submitted or cancelled; false when it was not open. */
    closeForm(id, status) {
        return this.db.prepare("UPDATE local_forms SET status = ? WHERE id = ? AND status = 'open'").run(status, id).changes > 0;
    }
    /** Forms still open for a user (shown again after a reload). */
    openFormsFor(userId) {
        return this.db.prepare("SELECT * FROM local_forms WHERE user_id = ? AND status = 'open' ORDER BY id").all(userId).map(toForm);
    }
    // ------------------------------------------------------------------ settings
    setting(key) {
        return this.db.prepare('SELECT value FROM local_settings WHERE key = ?').get(key)?.value ?? null;
    }
    setSetting(key, value) {
        this.db.prepare('INSERT INTO local_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
    }
    /** Has anything been posted yet? (The demo seeds only once unless asked.) */
    messageCount() {
        return this.db.prepare('SELECT count(*) AS n FROM local_messages').get()?.n ?? 0;
    }
}
//# sourceMappingURL=playground-store.js.map