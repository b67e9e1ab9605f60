const PLATFORM = 'teams';
const DAY = 86_400_000;
export class ConversationStore {
    db;
    now;
    messageTtlMs;
    lastPrune = 0;
    constructor(db, now, 
    /** Forget sent-message records after this long (default 60 days). */
    messageTtlMs = 60 * DAY) {
        this.db = db;
        this.now = now;
        this.messageTtlMs = messageTtlMs;
    }
    put(key, value) {
        this.db
            .prepare(`INSERT INTO conversation_refs (platform, key, reference, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (platform, key) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at`)
            .run(PLATFORM, key, JSON.stringify(value), this.now());
    }
    get(key) {
        const row = this.db.prepare('SELECT reference FROM conversation_refs WHERE platform = ? AND key = ?').get(PLATFORM, key);
        return row ? JSON.parse(row.reference) : null;
    }
    /** Remember a conversation by its base id. */
    saveConversation(baseId, conv) {
        this.put(`conv:${baseId}`, conv);
    }
    conversation(baseId) {
        return this.get(`conv:${baseId}`);
    }
    savePersonal(userId, ref) {
        this.put(`personal:${userId}`, ref);
    }
    personal(userId) {
        return this.get(`personal:${userId}`);
    }
    saveMember(userId, m) {
        this.put(`member:${userId}`, m);
    }
    member(userId) {
        return this.get(`member:${userId}`);
    }
    /** Find a member by their Teams id (29:…), e.g. from a mention entity. */
    memberByTeamsId(teamsId) {
        const row = this.db
            .prepare("SELECT key, reference FROM conversation_refs WHERE platform = ? AND key LIKE 'member:%' AND reference ->> '$.teamsId' = ? ORDER BY updated_at DESC LIMIT 1")
            .get(PLATFORM, teamsId);
        return row ? { userId: row.key.slice('member:'.length), member: JSON.parse(row.reference) } : null;
    }
    saveService(s) {
        this.put('service', s);
    }
    service() {
        return this.get('service');
    }
    saveMessage(activityId, m) {
        this.put(`msg:${activityId}`, m);
        this.pruneMessages();
    }
    message(activityId) {
        return this.get(`msg:${activityId}`);
    }
    /** Drop old sent-message records (at most once an hour). */
    pruneMessages() {
        const now = this.now();
        if (now - this.lastPrune < 3_600_000)
            return;
        this.lastPrune = now;
        this.db.prepare("DELETE FROM conversation_refs WHERE platform = ? AND key LIKE 'msg:%' AND updated_at < ?").run(PLATFORM, now - this.messageTtlMs);
    }
}
//# sourceMappingURL=conversation-store.js.map