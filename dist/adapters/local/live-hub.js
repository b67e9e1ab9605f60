import { PlaygroundStore } from '../../src/demo/playground-store.js';
export class LiveHub {
    opts;
    clients = new Set();
    rev;
    scheduled = false;
    timers = [];
    constructor(opts) {
        this.opts = opts;
        this.rev = opts.store.currentRev();
    }
    /** Start polling and keep-alives. */
    start() {
        const poll = setInterval(() => this.flush(), this.opts.pollMs ?? 1000);
        const keepAlive = setInterval(() => {
            for (const c of this.clients)
                c.res.write(': keep-alive\n\n');
        }, this.opts.keepAliveMs ?? 15_000);
        poll.unref();
        keepAlive.unref();
        this.timers.push(poll, keepAlive);
    }
    /** Attach an SSE response for a person. */
    connect(userId, res) {
        res.writeHead(200, {
            'Content-Type': 'text/event-stream; charset=utf-8',
            'Cache-Control': 'no-cache, no-transform',
            Connection: 'keep-alive',
            'X-Accel-Buffering': 'no',
        });
        res.write('retry: 2000\n\n');
        const client = { userId, res };
        this.clients.add(client);
        send(client, 'hello', { rev: this.rev });
        res.on('close', () => this.clients.delete(client));
    }
    /** Number of connected browsers. */
    get size() {
        return this.clients.size;
    }
    /** Push soon (coalesces a burst of writes into one flush). */
    schedule() {
        if (this.scheduled)
            return;
        this.scheduled = true;
        setImmediate(() => {
            this.scheduled = false;
            this.flush();
        });
    }
    /** Send everything written since the last flush to the browsers that may see it. */
    flush() {
        // The core may have closed its database since this flush was scheduled (shutdown, tests).
        if (!this.opts.store.db.open)
            return;
        for (;;) {
            const { messages, forms, rev } = this.opts.store.changedSince(this.rev);
            if (rev === this.rev)
                return;
            this.rev = rev;
            for (const m of messages) {
                const payload = this.opts.renderMessage(m);
                for (const c of this.clients)
                    if (PlaygroundStore.visible(m, c.userId) && (this.opts.canSee?.(c.userId, m.channelId) ?? true))
                        send(c, 'message', payload);
            }
            for (const f of forms) {
                if (f.status !== 'open')
                    continue;
                const payload = this.opts.renderForm(f);
                for (const c of this.clients)
                    if (c.userId === f.userId)
                        send(c, 'form', payload);
            }
            if (messages.length)
                this.broadcast('tickets', {});
        }
    }
    /** An event for every browser (clock changes, ticket changes, new channels). */
    broadcast(event, data) {
        for (const c of this.clients)
            send(c, event, data);
    }
    /** Close every stream and stop the timers. */
    stop() {
        for (const t of this.timers)
            clearInterval(t);
        this.timers.length = 0;
        for (const c of this.clients)
            c.res.end();
        this.clients.clear();
    }
}
function send(c, event, data) {
    c.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
//# sourceMappingURL=live-hub.js.map