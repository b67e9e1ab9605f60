import { ChatDeliveryError } from '../domain/errors.js';
import { AudienceViolationError } from '../audience/placement.js';
import { systemClock } from '../ports/clock.js';
function channelKey(p) {
    return p.kind === 'dm' ? `dm:${p.userId}` : p.channelId;
}
export class Outbox {
    db;
    ports = new Map();
    pacers = new Map();
    channels = new Map();
    /** Channels with a send loop running, by `platform \0 channel`. */
    lanes = new Map();
    collectors = new Set();
    cards = null;
    guard = null;
    timer = null;
    wake = null;
    t;
    log;
    opts;
    closed = false;
    kickPending = false;
    constructor(db, options = {}) {
        this.db = db;
        this.t = options.timer ?? systemClock;
        this.log = options.logger;
        this.opts = {
            maxAgeMs: options.maxAgeMs ?? 24 * 3_600_000,
            baseDelayMs: options.baseDelayMs ?? 1000,
            maxDelayMs: options.maxDelayMs ?? 5000,
            maxLanes: options.maxLanes ?? 32,
            random: options.random ?? Math.random,
        };
        // A crash while sending leaves rows in 'sending': they may have landed. Send them again,
        // but look for them first (unsure) where the platform can.
        db.prepare("UPDATE outbox SET status = 'pending', unsure = 1 WHERE status = 'sending'").run();
    }
    registerPort(port) {
        this.ports.set(port.platform, port);
        this.kick();
    }
    setCardSource(cards) {
        this.cards = cards;
    }
    /** Check every delivery against the two-audiences rule before it goes out (see AudienceGuard). */
    setGuard(guard) {
        this.guard = guard;
    }
    /**
     * Add a message to the outbox. Returns false when the idempotency key was seen before.
     * Call inside the transaction that makes the change it reports.
     * @example outbox.enqueue({ platform: 'slack', idempotencyKey: `card-post:${id}`, ticketId: id, payload: { kind: 'card', ticketId: id, channelId, mode: 'post' } })
     */
    enqueue(req) {
        const now = this.t.now();
        const info = this.db
            .prepare(`INSERT OR IGNORE INTO outbox (idempotency_key, platform, channel_id, kind, payload, ticket_id, next_attempt_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
            .run(req.idempotencyKey, req.platform, channelKey(req.payload), req.payload.kind, JSON.stringify(req.payload), req.ticketId ?? null, req.notBefore ?? now, now);
        if (info.changes > 0)
            this.kickSoon();
        return info.changes > 0;
    }
    /** Queue a refresh of a ticket's card unless one is already waiting (it renders at send time). */
    enqueueCardUpdate(platform, ticketId, channelId) {
        const waiting = this.db
            .prepare("SELECT 1 FROM outbox WHERE ticket_id = ? AND kind = 'card' AND status = 'pending' AND idempotency_key LIKE 'card-update:%' LIMIT 1")
            .get(ticketId);
        if (waiting)
            return false;
        return this.enqueue({
            platform,
            ticketId,
            payload: { kind: 'card', ticketId, channelId, mode: 'update' },
            idempotencyKey: `card-update:${ticketId}:${this.t.now()}:${Math.floor(this.opts.random() * 1e9)}`,
        });
    }
    /** Start polling for due rows (retries, notBefore). */
    start(pollMs = 1000) {
        this.stop();
        this.timer = setInterval(() => this.kick(), pollMs);
        this.timer.unref();
        this.kick();
    }
    /** Stop polling and wait for the sends in flight (call before closing the database). */
    async close() {
        this.closed = true;
        this.stop();
        await Promise.allSettled([...this.lanes.values()]);
    }
    stop() {
        if (this.timer)
            clearInterval(this.timer);
        this.timer = null;
        if (this.wake)
            clearTimeout(this.wake.handle);
        this.wake = null;
    }
    kickSoon() {
        if (this.kickPending)
            return;
        this.kickPending = true;
        setImmediate(() => {
            this.kickPending = false;
            this.kick();
        });
    }
    /** Start a lane for every channel with a due head row (never waits for anything). */
    kick() {
        if (!this.db.open || this.closed)
            return;
        try {
            this.pump();
        }
        catch (e) {
            this.log?.error({ err: e }, 'outbox: could not read due rows');
        }
    }
    /**
     * Send everything that is due now, and wait until every channel is idle or waiting (rate
     * limit, backoff). Returns what happened meanwhile.
     * @example await outbox.drain() // { sent: 3, retried: 0, failed: 0, dropped: 0 }
     */
    async drain() {
        const total = { sent: 0, retried: 0, failed: 0, dropped: 0 };
        this.collectors.add(total);
        try {
            for (;;) {
                if (!this.db.open || this.closed)
                    break;
                this.pump();
                if (this.lanes.size === 0)
                    break;
                await Promise.race(this.lanes.values());
            }
        }
        finally {
            this.collectors.delete(total);
        }
        return total;
    }
    pump() {
        const free = this.opts.maxLanes - this.lanes.size;
        if (free <= 0)
            return;
        let started = 0;
        for (const row of this.dueHeads(free + this.lanes.size)) {
            const key = `${row.platform}\u0000${row.channel_id}`;
            if (this.lanes.has(key))
                continue;
            const lane = this.runLane(row)
                .catch((e) => this.log?.error({ err: e, channel: row.channel_id }, 'outbox: lane failed'))
                .finally(() => this.lanes.delete(key));
            this.lanes.set(key, lane);
            if (++started >= free)
                break;
        }
    }
    /** One channel: send its due rows in order until none is due or the channel must wait. */
    async runLane(first) {
        let row = first;
        while (row && this.db.open && !this.closed) {
            const outcome = await this.sendOne(row);
            for (const c of this.collectors)
                c[outcome] += 1;
            if (outcome === 'retried' || !this.db.open)
                break;
            row = this.dueHead(row.platform, row.channel_id);
        }
    }
    /** The oldest unfinished row of each channel, where it is pending and due (order per channel). */
    dueHeads(limit) {
        const platforms = [...this.ports.keys()];
        if (platforms.length === 0)
            return [];
        return this.db
            .prepare(
        // Heads = the lowest id per channel among unfinished rows, in one pass over the
        // outbox_channel index; a head that is 'sending' or not yet due blocks its channel.
        `SELECT o.* FROM outbox o WHERE o.id IN (SELECT min(id) FROM outbox WHERE status IN ('pending','sending')
           AND platform IN (${platforms.map(() => '?').join(',')}) GROUP BY platform, channel_id)
         AND o.status = 'pending' AND o.next_attempt_at <= ? ORDER BY o.id LIMIT ?`)
            .all(...platforms, this.t.now(), limit);
    }
    dueHead(platform, channelId) {
        const head = this.db
            .prepare("SELECT * FROM outbox WHERE platform = ? AND channel_id = ? AND status IN ('pending','sending') ORDER BY id LIMIT 1")
            .get(platform, channelId);
        return head && head.status === 'pending' && head.next_attempt_at <= this.t.now() ? head : undefined;
    }
    /** Token bucket per channel on the timer: ms to wait before the next send (0 = go). */
    pace(key, ratePerSec) {
        const now = this.t.now();
        const cap = Math.max(1, Math.floor(ratePerSec));
        const b = this.pacers.get(key) ?? { tokens: cap, at: now };
        b.tokens = Math.min(cap, b.tokens + ((now - b.at) * ratePerSec) / 1000);
        b.at = now;
        this.pacers.set(key, b);
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return 0;
        }
        return Math.max(1, Math.ceil(((1 - b.tokens) * 1000) / ratePerSec));
    }
    /** Kick again after `ms` (one timer, the earliest wins). */
    wakeIn(ms) {
        const at = Date.now() + ms;
        if (this.wake && this.wake.at <= at)
            return;
        if (this.wake)
            clearTimeout(this.wake.handle);
        const handle = setTimeout(() => {
            this.wake = null;
            this.kick();
        }, ms);
        handle.unref();
        this.wake = { at, handle };
    }
    async sendOne(row) {
        const port = this.ports.get(row.platform);
        if (!port)
            return 'retried';
        const key = `${row.platform}\u0000${row.channel_id}`;
        const wait = this.pace(key, port.ratePerChannelPerSec);
        if (wait > 0) {
            this.db.prepare('UPDATE outbox SET next_attempt_at = ? WHERE id = ?').run(this.t.now() + wait, row.id);
            this.wakeIn(wait);
            return 'retried';
        }
        const claimed = this.db
            .prepare("UPDATE outbox SET status = 'sending', attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, ?) WHERE id = ? AND status = 'pending'")
            .run(this.t.now(), row.id);
        if (claimed.changes === 0)
            return 'retried';
        const payload = JSON.parse(row.payload);
        try {
            if (payload.kind === 'card' && port.permalink)
                await this.linkCard(port, payload.ticketId);
            const op = this.resolve(payload);
            if (op === 'dropped') {
                this.db.prepare("UPDATE outbox SET status = 'dropped', last_error = 'nothing to send' WHERE id = ?").run(row.id);
                return 'dropped';
            }
            this.check(op, row.ticket_id, row.platform);
            let result = null;
            if (row.unsure && port.findDelivered && (op.op === 'post' || op.op === 'dm')) {
                result = await port.findDelivered({
                    key: row.idempotency_key,
                    ...(op.op === 'dm' ? { userId: op.userId } : { channelId: op.channelId, threadId: op.threadId }),
                    since: row.first_attempt_at ?? row.created_at,
                });
                if (result)
                    this.log?.info({ outboxId: row.id, platform: row.platform, messageId: result.messageId }, 'outbox: adopted a message delivered before a crash');
            }
            result ??= await this.perform(port, op, row.idempotency_key);
            this.db.transaction(() => {
                this.db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, result = ?, unsure = 0 WHERE id = ?").run(this.t.now(), JSON.stringify(result ?? null), row.id);
                if (op.op === 'post' && op.cardOf !== undefined && result)
                    this.cards?.cardPosted(op.cardOf, result, op.startedThread);
                if (op.op === 'post' && op.ackOf !== undefined && result)
                    this.cards?.ackPosted?.(op.ackOf, result, op.startedThread);
            })();
            this.succeeded(row.platform, key);
            return 'sent';
        }
        catch (e) {
            return this.failed(row, key, e);
        }
    }
    /** The audience guard: throws AudienceViolationError (the row fails, never retried). */
    check(op, ticketId, platform) {
        if (!this.guard || op.op === 'ephemeral' || op.op === 'dm')
            return;
        const ticket = ticketId === null ? null : (this.cards?.ticket?.(ticketId) ?? null);
        const threadId = op.op === 'post' ? op.threadId : null;
        this.guard.check({ op: op.op, channelId: op.channelId, threadId, platform, view: op.view, ticket, purpose: op.purpose });
    }
    /** A card for the triage channel links to the customer's message: look the link up once. */
    async linkCard(port, ticketId) {
        const need = this.cards?.card(ticketId)?.needsLink;
        if (!need || !port.permalink)
            return;
        const link = await port.permalink(need).catch(() => null);
        if (link)
            this.cards?.linkKnown?.(ticketId, link);
    }
    /** What to call for a payload, resolved now (cards render the ticket as it is). */
    resolve(p) {
        switch (p.kind) {
            case 'post': {
                let threadId = p.threadId ?? null;
                if (!threadId && p.internalThreadOfTicket !== undefined) {
                    threadId = this.cards?.internalThreadOf?.(p.internalThreadOfTicket) ?? null;
                    // The card (which starts the internal thread) is not posted: never post loose in the triage channel.
                    if (!threadId)
                        throw new ChatDeliveryError('the ticket card that starts the internal thread is not posted yet', true);
                }
                if (!threadId && p.threadOfTicket !== undefined)
                    threadId = this.cards?.threadOf(p.threadOfTicket) ?? null;
                return {
                    op: 'post',
                    channelId: p.channelId,
                    threadId,
                    view: p.view,
                    startedThread: threadId === null,
                    ...(p.as ? { as: p.as } : {}),
                    ...(p.ackOfTicket !== undefined ? { ackOf: p.ackOfTicket } : {}),
                    ...(p.purpose ? { purpose: p.purpose } : {}),
                };
            }
            case 'update':
                return { op: 'update', channelId: p.channelId, messageId: p.messageId, view: p.view, ...(p.purpose ? { purpose: p.purpose } : {}) };
            case 'ephemeral': {
                let threadId = p.threadId ?? null;
                if (!threadId && p.internalThreadOfTicket !== undefined) {
                    threadId = this.cards?.internalThreadOf?.(p.internalThreadOfTicket) ?? null;
                    if (!threadId)
                        throw new ChatDeliveryError('the ticket card that starts the internal thread is not posted yet', true);
                }
                if (!threadId && p.threadOfTicket !== undefined)
                    threadId = this.cards?.threadOf(p.threadOfTicket) ?? null;
                return { op: 'ephemeral', channelId: p.channelId, userId: p.userId, threadId, view: p.view };
            }
            case 'dm':
                return { op: 'dm', userId: p.userId, view: p.view };
            case 'card': {
                const card = this.cards?.card(p.ticketId);
                if (!card)
                    return 'dropped';
                if (p.mode === 'update' || card.cardMessageId) {
                    if (!card.cardMessageId)
                        return 'dropped';
                    return { op: 'update', channelId: card.channelId, messageId: card.cardMessageId, view: card.view, purpose: 'card' };
                }
                return { op: 'post', channelId: card.channelId, threadId: card.threadId, view: card.view, cardOf: p.ticketId, startedThread: card.threadId === null, purpose: 'card' };
            }
        }
    }
    async perform(port, op, key) {
        const tag = { key };
        switch (op.op) {
            case 'post':
                return port.post({ channelId: op.channelId, threadId: op.threadId, view: op.view, tag, ...(op.as ? { as: op.as } : {}) });
            case 'dm':
                return port.dm({ userId: op.userId, view: op.view, tag });
            case 'update':
                await port.update({ channelId: op.channelId, messageId: op.messageId, view: op.view, tag });
                return undefined;
            case 'ephemeral':
                await port.postEphemeral({ channelId: op.channelId, userId: op.userId, threadId: op.threadId, view: op.view });
                return undefined;
        }
    }
    /** A send worked: the channel is healthy, and so is the platform: release its waiting channels. */
    succeeded(platform, key) {
        this.channels.delete(key);
        const prefix = `${platform}\u0000`;
        const released = [];
        for (const [k, s] of this.channels) {
            if (k.startsWith(prefix) && s.platformWide) {
                this.channels.delete(k);
                released.push(k.slice(prefix.length));
            }
        }
        if (released.length === 0)
            return;
        const now = this.t.now();
        const release = this.db.prepare("UPDATE outbox SET next_attempt_at = ? WHERE platform = ? AND channel_id = ? AND status = 'pending' AND attempts > 0 AND next_attempt_at > ?");
        this.db.transaction(() => {
            for (const ch of released)
                release.run(now, platform, ch, now);
        })();
        this.log?.info({ platform, channels: released.length }, 'outbox: platform answers again, releasing waiting channels');
        this.kickSoon();
    }
    failed(row, key, e) {
        const now = this.t.now();
        const err = e instanceof Error ? e.message : String(e);
        if (e instanceof AudienceViolationError) {
            this.db.prepare("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?").run(err, row.id);
            this.log?.error({ outboxId: row.id, platform: row.platform, kind: row.kind, code: e.code, error: err }, 'outbox: refused a message (audience)');
            return 'failed';
        }
        const retryable = e instanceof ChatDeliveryError ? e.retryable : true;
        const tooOld = now - row.created_at > this.opts.maxAgeMs;
        if (!retryable || tooOld) {
            this.db.prepare("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?").run(err, row.id);
            this.log?.error({ outboxId: row.id, platform: row.platform, kind: row.kind, error: err }, 'outbox: giving up on message');
            return 'failed';
        }
        // A 429 says exactly when and proves nothing was sent; anything else (5xx, timeout,
        // connection lost) may have landed and looks like the platform, not this channel.
        const retryAfter = e instanceof ChatDeliveryError ? e.retryAfterMs : undefined;
        const state = this.channels.get(key) ?? { failures: 0, platformWide: false };
        state.failures += 1;
        state.platformWide = retryAfter === undefined;
        this.channels.set(key, state);
        const delay = retryAfter === undefined ? this.backoff(state.failures) : Math.max(100, retryAfter);
        this.db
            .prepare("UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, unsure = CASE WHEN ? THEN 1 ELSE unsure END WHERE id = ?")
            .run(now + delay, err, retryAfter === undefined ? 1 : 0, row.id);
        this.wakeIn(delay);
        this.log?.warn({ outboxId: row.id, platform: row.platform, attempt: row.attempts + 1, retryInMs: delay, error: err }, 'outbox: send failed, will retry');
        return 'retried';
    }
    /** Exponential backoff per channel with jitter between 50% and 100% of the step, capped. */
    backoff(attempt) {
        const step = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
        return Math.round(step * (0.5 + this.opts.random() * 0.5));
    }
    /** Counts by status (for health and tests). */
    stats() {
        const rows = this.db.prepare('SELECT status, count(*) AS n FROM outbox GROUP BY status').all();
        return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    }
}
//# sourceMappingURL=outbox.js.map