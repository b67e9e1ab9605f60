/**
 * SlackChatPort: the core's ChatPort on a Slack WebClient (chat.postMessage, chat.update,
 * chat.postEphemeral, conversations.open + chat.postMessage for DMs, views.open).
 *
 * It never retries for long itself: the client is built with `retries: 0` and
 * `rejectRateLimitedCalls: true`, and every failure becomes a ChatDeliveryError the outbox
 * understands (429 → retryable with Retry-After, 5xx/timeouts → retryable, ok:false → not).
 *
 * Every tagged post and update carries message metadata (`frontdesk_outbox`, with the outbox
 * row's key), and `findDelivered` looks for it with conversations.history / .replies
 * (`include_all_metadata`), so a post that landed before a crash is adopted, not repeated.
 */
import { webApi } from '@slack/bolt';
import { ChatDeliveryError } from '../../src/domain/errors.js';
import type { ChatPort, DeliveryTag, FindDeliveredRequest, PostResult, Sender } from '../../src/ports/chat-port.js';
import type { FormView, MessageView } from '../../src/ports/message-view.js';
import { renderMessage, renderModal } from './render-blocks.js';

type WebClient = InstanceType<typeof webApi.WebClient>;

/** Slack error codes that mean "try again later" even though they arrive as ok:false. */
const RETRYABLE_PLATFORM_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_is_limited']);

/** The metadata event type frontdesk's own posts carry. */
export const OUTBOX_EVENT_TYPE = 'frontdesk_outbox';

/** How far before the first attempt the search starts (clock skew between us and Slack). */
const LOOKBACK_MS = 5 * 60_000;
/** Pages of 200 messages read at most when looking for a delivered post. */
const MAX_LOOKUP_PAGES = 5;

function metadataOf(tag: DeliveryTag | undefined): { metadata: { event_type: string; event_payload: { key: string } } } | Record<string, never> {
  return tag ? { metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { key: tag.key } } } : {};
}

export interface SlackClientOptions {
  token: string;
  /** Base URL ending in /api/ (SLACK_API_URL); Slack's own by default. */
  apiUrl?: string;
  /** Per-request timeout in ms (default 10 s). */
  timeoutMs?: number;
  logger?: webApi.Logger;
}

/**
 * A WebClient configured for the outbox: no long internal retries, rate limits surfaced.
 * @example const client = createSlackClient({ token: env.SLACK_BOT_TOKEN!, apiUrl: env.SLACK_API_URL });
 */
export function createSlackClient(opts: SlackClientOptions): WebClient {
  return new webApi.WebClient(opts.token, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 10_000,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
}

/**
 * Map a web-api error to a ChatDeliveryError.
 * @example toDeliveryError(new webApi.WebAPIRateLimitedError(7)).retryAfterMs // 7000
 */
export function toDeliveryError(e: unknown, what: string): ChatDeliveryError {
  if (e instanceof ChatDeliveryError) return e;
  const err = e as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; original?: Error; message?: string };
  switch (err.code) {
    case webApi.ErrorCode.RateLimitedError:
      return new ChatDeliveryError(`Slack rate-limited ${what}; retry after ${err.retryAfter}s`, true, Math.max(0, (err.retryAfter ?? 1) * 1000));
    case webApi.ErrorCode.HTTPError: {
      const status = err.statusCode ?? 0;
      return new ChatDeliveryError(`Slack answered HTTP ${status} to ${what}`, status >= 500 || status === 408 || status === 0);
    }
    case webApi.ErrorCode.RequestError:
      return new ChatDeliveryError(`could not reach Slack for ${what}: ${err.original?.message ?? err.message ?? 'request failed'}`, true);
    case webApi.ErrorCode.PlatformError: {
      const code = err.data?.error ?? 'unknown_error';
      return new ChatDeliveryError(`Slack refused ${what}: ${code}`, RETRYABLE_PLATFORM_ERRORS.has(code));
    }
    default:
      return new ChatDeliveryError(`${what} failed: ${err.message ?? String(e)}`, true);
  }
}

/**
 * The core's ChatPort for Slack.
 * @example core.registerPort(new SlackChatPort(createSlackClient({ token })));
 */
export class SlackChatPort implements ChatPort {
  readonly platform = 'slack' as const;
  /** chat.postMessage allows about one message per second per channel. */
  readonly ratePerChannelPerSec = 1;
  private readonly dmChannels = new Map<string, string>();
  private readonly avatars = new Map<string, string | null>();

  constructor(readonly client: WebClient) {}

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toDeliveryError(e, what);
    }
  }

  /** The person's profile picture (users.info, cached); null when Slack does not say. */
  private async avatarOf(userId: string): Promise<string | null> {
    if (this.avatars.has(userId)) return this.avatars.get(userId) ?? null;
    let url: string | null = null;
    try {
      const res = await this.client.users.info({ user: userId });
      url = res.user?.profile?.image_72 ?? res.user?.profile?.image_48 ?? null;
    } catch {
      url = null;
    }
    this.avatars.set(userId, url);
    return url;
  }

  /**
   * Post in a channel or a thread. Links are not unfurled (cards carry customer links). With
   * `as`, the message shows that person's name and picture (`chat:write.customize`).
   */
  async post(req: { channelId: string; threadId?: string | null; view: MessageView; tag?: DeliveryTag; as?: Sender }): Promise<PostResult> {
    const msg = renderMessage(req.view);
    const icon = req.as ? await this.avatarOf(req.as.userId) : null;
    const res = await this.call('chat.postMessage', () =>
      this.client.chat.postMessage({
        channel: req.channelId,
        ...(req.threadId ? { thread_ts: req.threadId } : {}),
        text: msg.text,
        blocks: msg.blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(req.as ? { username: req.as.name, ...(icon ? { icon_url: icon } : {}) } : {}),
        ...metadataOf(req.tag),
      }),
    );
    if (!res.ts) throw new ChatDeliveryError('Slack accepted chat.postMessage but returned no ts', false);
    return { messageId: res.ts, channelId: res.channel ?? req.channelId };
  }

  /** Replace a message in place (ticket cards) with chat.update. */
  async update(req: { channelId: string; messageId: string; view: MessageView; tag?: DeliveryTag }): Promise<void> {
    const msg = renderMessage(req.view);
    await this.call('chat.update', () =>
      this.client.chat.update({ channel: req.channelId, ts: req.messageId, text: msg.text, blocks: msg.blocks, ...metadataOf(req.tag) }),
    );
  }

  /** A message only `userId` sees, in a channel (or thread) they are in. */
  async postEphemeral(req: { channelId: string; userId: string; threadId?: string | null; view: MessageView }): Promise<void> {
    const msg = renderMessage(req.view);
    await this.call('chat.postEphemeral', () =>
      this.client.chat.postEphemeral({
        channel: req.channelId,
        user: req.userId,
        ...(req.threadId ? { thread_ts: req.threadId } : {}),
        text: msg.text,
        blocks: msg.blocks,
      }),
    );
  }

  /** A direct message: conversations.open once per user (cached), then chat.postMessage. */
  async dm(req: { userId: string; view: MessageView; tag?: DeliveryTag }): Promise<PostResult> {
    return this.post({ channelId: await this.dmChannel(req.userId), view: req.view, tag: req.tag });
  }

  private async dmChannel(userId: string): Promise<string> {
    let channel = this.dmChannels.get(userId);
    if (!channel) {
      const res = await this.call('conversations.open', () => this.client.conversations.open({ users: userId }));
      channel = res.channel?.id;
      if (!channel) throw new ChatDeliveryError(`Slack opened no DM channel for ${userId}`, false);
      this.dmChannels.set(userId, channel);
    }
    return channel;
  }

  /**
   * Find the message a tagged post left: conversations.replies for a thread, .history for the
   * channel, with all metadata, newest first back to a little before `since` (at most
   * 1,000 messages). A thread or channel Slack no longer knows counts as "not delivered".
   * @example await port.findDelivered({ key: 'card-post:12', channelId: 'C1', threadId: '1700000000.000100', since: row.first_attempt_at })
   */
  async findDelivered(req: FindDeliveredRequest): Promise<PostResult | null> {
    const channel = req.channelId ?? (req.userId ? await this.dmChannel(req.userId) : null);
    if (!channel) return null;
    const oldest = (Math.max(0, req.since - LOOKBACK_MS) / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LOOKUP_PAGES; page++) {
      const args = { channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      let res: { messages?: { ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }[]; response_metadata?: { next_cursor?: string } };
      try {
        res = req.threadId
          ? await this.call('conversations.replies', () => this.client.conversations.replies({ ...args, ts: req.threadId! }))
          : await this.call('conversations.history', () => this.client.conversations.history(args));
      } catch (e) {
        if (e instanceof ChatDeliveryError && !e.retryable) return null;
        throw e;
      }
      const hit = res.messages?.find((m) => m.metadata?.event_type === OUTBOX_EVENT_TYPE && m.metadata.event_payload?.key === req.key);
      if (hit?.ts) return { messageId: hit.ts, channelId: channel };
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }

  /** A permalink to a message (chat.getPermalink), for the card in the triage channel. */
  async permalink(req: { channelId: string; messageId: string }): Promise<string | null> {
    const res = await this.call('chat.getPermalink', () => this.client.chat.getPermalink({ channel: req.channelId, message_ts: req.messageId }));
    return res.permalink ?? null;
  }

  /** Open a FormView as a modal; `trigger` is the interaction's trigger_id (valid ~3 s). */
  async openForm(req: { trigger: string; userId: string; form: FormView; channelId?: string | null }): Promise<void> {
    await this.call('views.open', () => this.client.views.open({ trigger_id: req.trigger, view: renderModal(req.form, req.channelId) }));
  }
}
