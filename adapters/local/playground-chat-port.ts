/**
 * PlaygroundChatPort: the ChatPort operations of the local playground, written into the
 * PlaygroundStore. The local adapter's LocalChatPort (adapters/local/local-chat-port.ts)
 * extends it with its test hook and is what `npm start` registers; `frontdesk demo`
 * (adapters/local/demo) uses this base directly, so both write the same rows.
 */
import type { ChatPort, DeliveryTag, FindDeliveredRequest, PostResult, Sender } from '../../src/ports/chat-port.js';
import type { Clock } from '../../src/ports/clock.js';
import type { FormView, MessageView } from '../../src/ports/message-view.js';
import { dmChannelId, type PlaygroundStore } from './playground-store.js';

export interface PlaygroundChatPortOptions {
  store: PlaygroundStore;
  /** The bot's clock: message times follow it (so jumps and the demo's simulated hours show). */
  clock: Clock;
  /** Local writes are cheap; the outbox still rate-limits per channel with this. */
  ratePerChannelPerSec?: number;
}

function tagMeta(tag: DeliveryTag | undefined): { meta?: Record<string, unknown> } {
  return tag ? { meta: { outboxKey: tag.key } } : {};
}

export class PlaygroundChatPort implements ChatPort {
  readonly platform = 'local' as const;
  readonly ratePerChannelPerSec: number;
  protected readonly store: PlaygroundStore;
  protected readonly clock: Clock;

  constructor(opts: PlaygroundChatPortOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.ratePerChannelPerSec = opts.ratePerChannelPerSec ?? 200;
  }

  /** Called before every delivery; subclasses throw here to simulate failures. */
  protected beforeDelivery(_op: string): void {}

  /** Post as the bot, or with `as` in that agent's name (the playground shows them as the author). */
  async post(req: { channelId: string; threadId?: string | null; view: MessageView; tag?: DeliveryTag; as?: Sender }): Promise<PostResult> {
    this.beforeDelivery('post');
    const m = this.store.postBot({ channelId: req.channelId, threadId: req.threadId, view: req.view, ...(req.as ? { as: req.as.userId } : {}), at: this.clock.now(), ...tagMeta(req.tag) });
    return { messageId: m.id, channelId: m.channelId };
  }

  /** A playground link that opens the message's thread: `#msg/<channel>/<message id>`. */
  async permalink(req: { channelId: string; messageId: string }): Promise<string | null> {
    return `#msg/${encodeURIComponent(req.channelId)}/${encodeURIComponent(req.messageId)}`;
  }

  async update(req: { channelId: string; messageId: string; view: MessageView }): Promise<void> {
    this.beforeDelivery('update');
    this.store.updateBot(req.channelId, req.messageId, req.view, this.clock.now());
  }

  async postEphemeral(req: { channelId: string; userId: string; threadId?: string | null; view: MessageView; meta?: Record<string, unknown> }): Promise<void> {
    this.beforeDelivery('ephemeral');
    this.store.postBot({ channelId: req.channelId, threadId: req.threadId, view: req.view, kind: 'ephemeral', visibleTo: req.userId, meta: req.meta, at: this.clock.now() });
  }

  async dm(req: { userId: string; view: MessageView; tag?: DeliveryTag }): Promise<PostResult> {
    this.beforeDelivery('dm');
    const channelId = dmChannelId(req.userId);
    const m = this.store.postBot({ channelId, view: req.view, kind: 'dm', visibleTo: req.userId, at: this.clock.now(), ...tagMeta(req.tag) });
    return { messageId: m.id, channelId };
  }

  /**
   * The bot message a tagged post left (its `meta.outboxKey`), among the channel's latest
   * 1,000 messages. The playground's clock can jump, so the search is bounded by count, not time.
   */
  async findDelivered(req: FindDeliveredRequest): Promise<PostResult | null> {
    const channelId = req.channelId ?? (req.userId ? dmChannelId(req.userId) : null);
    if (!channelId) return null;
    const row = this.store.db
      .prepare<[string, string], { id: number }>(
        `SELECT id FROM (SELECT id, meta FROM local_messages WHERE channel_id = ? AND is_bot = 1 ORDER BY id DESC LIMIT 1000)
         WHERE meta ->> '$.outboxKey' = ? LIMIT 1`,
      )
      .get(channelId, req.key);
    return row ? { messageId: `m${row.id}`, channelId } : null;
  }

  async openForm(req: { trigger: string; userId: string; form: FormView }): Promise<void> {
    this.beforeDelivery('form');
    this.store.openForm(req.userId, req.trigger, req.form, this.clock.now());
  }
}
