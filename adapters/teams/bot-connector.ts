/**
 * The ONE place that knows botbuilder's CloudAdapter: authentication of inbound requests,
 * and outbound sends, updates and conversation creation through the Bot Connector at the
 * conversation's serviceUrl. Everything else in adapters/teams speaks the Activity protocol's
 * plain JSON shapes (activities, conversation references), which the successor SDK
 * (@microsoft/agents-hosting) uses unchanged — moving means rewriting this file and bot.ts.
 *
 * Retries are NOT done here: the connector client's built-in retry policy is removed so a
 * 429/5xx surfaces at once as a ChatDeliveryError and the durable outbox retries with
 * backoff, jitter and Retry-After.
 */
import type { Request, Response } from 'express';
import { type Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConversationReference, type TurnContext } from 'botbuilder';
import { ChatDeliveryError } from '../../src/domain/errors.js';
import type { StoredReference } from './conversation-store.js';
import type { TeamsSettings } from './teams-env.js';

type ClaimsIdentityArg = Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];
type Factory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;

/** Remove @azure/core-client's default retry policy from a connector client (the outbox retries). */
function withoutRetries<T>(client: T): T {
  const pipeline = (client as unknown as { client?: { pipeline?: { removePolicy(p: { name: string }): unknown } } }).client?.pipeline;
  pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
  return client;
}

/** Authentication from settings, with connector clients that fail fast instead of retrying. */
class FailFastAuthentication extends ConfigurationBotFrameworkAuthentication {
  override createConnectorFactory(claimsIdentity: ClaimsIdentityArg): Factory {
    const factory = super.createConnectorFactory(claimsIdentity);
    const create = factory.create.bind(factory);
    factory.create = async (serviceUrl: string, audience?: string) => withoutRetries(await create(serviceUrl, audience));
    return factory;
  }
}

/** Turn a connector failure into the outbox's vocabulary. */
export function deliveryError(e: unknown, what: string): ChatDeliveryError {
  if (e instanceof ChatDeliveryError) return e;
  const err = e as { statusCode?: number; code?: string; message?: string; response?: { headers?: { get?(name: string): string | undefined } } };
  const status = typeof err.statusCode === 'number' ? err.statusCode : undefined;
  const msg = `Teams ${what} failed${status ? ` (HTTP ${status})` : ''}: ${(err.message ?? String(e)).slice(0, 300)}`;
  if (status === undefined) return new ChatDeliveryError(msg, true); // network error: try again later
  if (status === 429) {
    const raw = err.response?.headers?.get?.('retry-after');
    return new ChatDeliveryError(msg, true, retryAfterMs(raw));
  }
  if (status === 412 || status >= 500) return new ChatDeliveryError(msg, true);
  return new ChatDeliveryError(msg, false);
}

/** Retry-After as seconds or an HTTP date → milliseconds (undefined when absent or unreadable). */
export function retryAfterMs(raw: string | undefined | null, now = Date.now()): number | undefined {
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export type TurnHandler = (ctx: TurnContext) => Promise<void>;

export class BotConnector {
  readonly adapter: CloudAdapter;

  constructor(
    private readonly settings: TeamsSettings,
    onError: (err: unknown, activity: Partial<Activity>) => void,
  ) {
    const auth = new FailFastAuthentication({
      MicrosoftAppId: settings.appId,
      MicrosoftAppPassword: settings.password ?? '',
      MicrosoftAppType: settings.appType,
      MicrosoftAppTenantId: settings.tenantId ?? '',
    });
    this.adapter = new CloudAdapter(auth);
    this.adapter.onTurnError = async (ctx, err) => {
      onError(err, ctx.activity);
      // Let Teams know the turn failed so it can redeliver; the core is idempotent on activity id.
      throw err;
    };
  }

  get appId(): string {
    return this.settings.appId;
  }

  /** Authenticate and run one inbound request (botbuilder writes the HTTP answer). */
  process(req: Request, res: Response, handler: TurnHandler): Promise<void> {
    return this.adapter.process(req, res, handler);
  }

  private reference(ref: StoredReference, conversationId: string): Partial<ConversationReference> {
    return {
      channelId: ref.channelId,
      serviceUrl: ref.serviceUrl,
      conversation: { ...ref.conversation, id: conversationId } as ConversationReference['conversation'],
      bot: ref.bot as ConversationReference['bot'],
      ...(ref.user ? { user: ref.user as ConversationReference['user'] } : {}),
    };
  }

  private async proactive<T>(ref: StoredReference, conversationId: string, what: string, fn: (ctx: TurnContext) => Promise<T>): Promise<T> {
    let result: { ok: true; value: T } | { ok: false; error: unknown } | null = null;
    try {
      await this.adapter.continueConversationAsync(this.settings.appId, this.reference(ref, conversationId), async (ctx) => {
        try {
          result = { ok: true, value: await fn(ctx) };
        } catch (error) {
          result = { ok: false, error };
        }
      });
    } catch (e) {
      throw deliveryError(e, what);
    }
    const r = result as { ok: true; value: T } | { ok: false; error: unknown } | null;
    if (!r) throw new ChatDeliveryError(`Teams ${what}: the connector turn did not run`, true);
    if (!r.ok) throw deliveryError(r.error, what);
    return r.value;
  }

  /** The full outgoing activity: addressed exactly, not to the proactive turn's placeholder id. */
  private outgoing(ref: StoredReference, conversationId: string, replyToId: string | null, activity: Partial<Activity>): Partial<Activity> {
    return {
      ...activity,
      channelId: ref.channelId,
      serviceUrl: ref.serviceUrl,
      conversation: { ...ref.conversation, id: conversationId } as Activity['conversation'],
      from: ref.bot as Activity['from'],
      ...(ref.user ? { recipient: ref.user as Activity['recipient'] } : {}),
      ...(replyToId ? { replyToId } : {}),
    };
  }

  /**
   * Send a message into a conversation (a reply when replyToId is set). Returns the new
   * activity id Teams assigned. The activity goes straight to the adapter: TurnContext would
   * make every proactive message a reply to the continuation turn's random id.
   */
  send(ref: StoredReference, conversationId: string, replyToId: string | null, activity: Partial<Activity>): Promise<string> {
    return this.proactive(ref, conversationId, replyToId ? 'reply' : 'send', async (ctx) => {
      const [res] = await ctx.adapter.sendActivities(ctx, [this.outgoing(ref, conversationId, replyToId, activity)]);
      if (!res?.id) throw new ChatDeliveryError('Teams did not return an id for the sent message', false);
      return res.id;
    });
  }

  /** Replace a message the bot sent. */
  update(ref: StoredReference, conversationId: string, activityId: string, activity: Partial<Activity>): Promise<void> {
    return this.proactive(ref, conversationId, 'update', async (ctx) => {
      await ctx.adapter.updateActivity(ctx, { ...this.outgoing(ref, conversationId, null, activity), id: activityId });
    });
  }

  /** Open (or find) the personal 1:1 conversation with a user; returns its conversation id. */
  async createPersonalConversation(input: { serviceUrl: string; tenantId?: string; bot: { id: string; name?: string }; memberId: string }): Promise<string> {
    let conversationId: string | null = null;
    try {
      await this.adapter.createConversationAsync(
        this.settings.appId,
        'msteams',
        input.serviceUrl,
        // null = the default Bot Framework audience of the configured cloud
        null as unknown as string,
        {
          isGroup: false,
          bot: input.bot,
          members: [{ id: input.memberId, name: '' }],
          tenantId: input.tenantId,
          channelData: input.tenantId ? { tenant: { id: input.tenantId } } : {},
        } as Parameters<CloudAdapter['createConversationAsync']>[4],
        async (ctx) => {
          conversationId = ctx.activity.conversation?.id ?? null;
        },
      );
    } catch (e) {
      throw deliveryError(e, 'create personal chat');
    }
    if (!conversationId) throw new ChatDeliveryError('Teams did not return a conversation id for the personal chat', false);
    return conversationId;
  }
}
