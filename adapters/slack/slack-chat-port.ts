/**
 * SlackChatPort: the core's ChatPort on a Slack WebClient (chat.postMessage, chat.update,
 * chat.postEphemeral, conversations.open + chat.postMessage for DMs, views.open).
 *
 * It never retries for long itself: the client is built with `retries: 0` and
 * `rejectRateLimitedCalls: true`, and every failure becomes a ChatDeliveryError the outbox
 * understands (429 → retryable with Retry-After, 5xx/timeouts → retryable, ok:false → not).
 */
import { webApi } from '@slack/bolt';
import { ChatDeliveryError } from '../../src/domain/errors.js';
import type { ChatPort, PostResult, Sender } from '../../src/ports/chat-port.js';
import type { FormView, MessageView } from '../../src/views/message-view.js';
import { renderMessage, renderModal } from './render-blocks.js';

type WebClient = InstanceType<typeof webApi.WebClient>;

/** Slack error codes that mean "try again later" even though they arrive as ok:false. */
const RETRYABLE_PLATFORM_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_is_limited']);

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
  async post(req: { channelId: string; threadId?: string | null; view: MessageView; as?: Sender }): Promise<PostResult> {
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
      }),
    );
    if (!res.ts) throw new ChatDeliveryError('Slack accepted chat.postMessage but returned no ts', false);
    return { messageId: res.ts, channelId: res.channel ?? req.channelId };
  }

  /** Replace a message in place (ticket cards) with chat.update. */
  async update(req: { channelId: string; messageId: string; view: MessageView }): Promise<void> {
    const msg = renderMessage(req.view);
    await this.call('chat.update', () => this.client.chat.update({ channel: req.channelId, ts: req.messageId, text: msg.text, blocks: msg.blocks }));
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
  async dm(req: { userId: string; view: MessageView }): Promise<PostResult> {
    let channel = this.dmChannels.get(req.userId);
    if (!channel) {
      const res = await this.call('conversations.open', () => this.client.conversations.open({ users: req.userId }));
      channel = res.channel?.id;
      if (!channel) throw new ChatDeliveryError(`Slack opened no DM channel for ${req.userId}`, false);
      this.dmChannels.set(req.userId, channel);
    }
    return this.post({ channelId: channel, view: req.view });
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
