/**
 * LiveHub: server push (Server-Sent Events) for the playground. Every write to the playground
 * tables takes a revision; the hub sends browsers everything after the last revision it sent
 * — right after a write in this process, and on a short poll for writes made by another
 * process on the same database (e.g. `frontdesk demo` while the playground runs). Each
 * browser only receives what its person may see (ephemerals and DMs go to one person).
 */
import type { Response } from 'express';
import { type LocalForm, type LocalMessage, PlaygroundStore } from './playground-store.js';

export interface LiveClient {
  userId: string;
  res: Response;
}

export interface LiveHubOptions {
  store: PlaygroundStore;
  renderMessage(m: LocalMessage): unknown;
  renderForm(f: LocalForm): unknown;
  /** How often to look for writes from other processes (ms). */
  pollMs?: number;
  /** Keep-alive comment interval (ms), so proxies and browsers keep the stream open. */
  keepAliveMs?: number;
  /** Whether a person may see a channel at all (customers never see the triage channel). */
  canSee?(userId: string, channelId: string): boolean;
}

export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private rev: number;
  private scheduled = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly opts: LiveHubOptions) {
    this.rev = opts.store.currentRev();
  }

  /** Start polling and keep-alives. */
  start(): void {
    const poll = setInterval(() => this.flush(), this.opts.pollMs ?? 1000);
    const keepAlive = setInterval(() => {
      for (const c of this.clients) c.res.write(': keep-alive\n\n');
    }, this.opts.keepAliveMs ?? 15_000);
    poll.unref();
    keepAlive.unref();
    this.timers.push(poll, keepAlive);
  }

  /** Attach an SSE response for a person. */
  connect(userId: string, res: Response): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const client: LiveClient = { userId, res };
    this.clients.add(client);
    send(client, 'hello', { rev: this.rev });
    res.on('close', () => this.clients.delete(client));
  }

  /** Number of connected browsers. */
  get size(): number {
    return this.clients.size;
  }

  /** Push soon (coalesces a burst of writes into one flush). */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Send everything written since the last flush to the browsers that may see it. */
  flush(): void {
    // The core may have closed its database since this flush was scheduled (shutdown, tests).
    if (!this.opts.store.db.open) return;
    for (;;) {
      const { messages, forms, rev } = this.opts.store.changedSince(this.rev);
      if (rev === this.rev) return;
      this.rev = rev;
      for (const m of messages) {
        const payload = this.opts.renderMessage(m);
        for (const c of this.clients)
          if (PlaygroundStore.visible(m, c.userId) && (this.opts.canSee?.(c.userId, m.channelId) ?? true)) send(c, 'message', payload);
      }
      for (const f of forms) {
        if (f.status !== 'open') continue;
        const payload = this.opts.renderForm(f);
        for (const c of this.clients) if (c.userId === f.userId) send(c, 'form', payload);
      }
      if (messages.length) this.broadcast('tickets', {});
    }
  }

  /** An event for every browser (clock changes, ticket changes, new channels). */
  broadcast(event: string, data: unknown): void {
    for (const c of this.clients) send(c, event, data);
  }

  /** Close every stream and stop the timers. */
  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }
}

function send(c: LiveClient, event: string, data: unknown): void {
  c.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
