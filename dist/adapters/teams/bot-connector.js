import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ChatDeliveryError } from '../../src/domain/errors.js';
/** Remove @azure/core-client's default retry policy from a connector client (the outbox retries). */
function withoutRetries(client) {
    const pipeline = client.client?.pipeline;
    pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
    return client;
}
/** Authentication from settings, with connector clients that fail fast instead of retrying. */
class FailFastAuthentication extends ConfigurationBotFrameworkAuthentication {
    createConnectorFactory(claimsIdentity) {
        const factory = super.createConnectorFactory(claimsIdentity);
        const create = factory.create.bind(factory);
        factory.create = async (serviceUrl, audience) => withoutRetries(await create(serviceUrl, audience));
        return factory;
    }
}
/** Turn a connector failure into the outbox's vocabulary. */
export function deliveryError(e, what) {
    if (e instanceof ChatDeliveryError)
        return e;
    const err = e;
    const status = typeof err.statusCode === 'number' ? err.statusCode : undefined;
    const msg = `Teams ${what} failed${status ? ` (HTTP ${status})` : ''}: ${(err.message ?? String(e)).slice(0, 300)}`;
    if (status === undefined)
        return new ChatDeliveryError(msg, true); // network error: try again later
    if (status === 429) {
        const raw = err.response?.headers?.get?.('retry-after');
        return new ChatDeliveryError(msg, true, retryAfterMs(raw));
    }
    if (status === 412 || status >= 500)
        return new ChatDeliveryError(msg, true);
    return new ChatDeliveryError(msg, false);
}
/** Retry-After as seconds or an HTTP date → milliseconds (undefined when absent or unreadable). */
export function retryAfterMs(raw, now = Date.now()) {
    if (!raw)
        return undefined;
    if (/^\d+(\.\d+)?$/.test(raw.trim()))
        return Math.round(Number(raw) * 1000);
    const at = Date.parse(raw);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
export class BotConnector {
    settings;
    adapter;
    constructor(settings, onError) {
        this.settings = settings;
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
    get appId() {
        return this.settings.appId;
    }
    /** Authenticate and run one inbound request (botbuilder writes the HTTP answer). */
    process(req, res, handler) {
        return this.adapter.process(req, res, handler);
    }
    reference(ref, conversationId) {
        return {
            channelId: ref.channelId,
            serviceUrl: ref.serviceUrl,
            conversation: { ...ref.conversation, id: conversationId },
            bot: ref.bot,
            ...(ref.user ? { user: ref.user } : {}),
        };
    }
    async proactive(ref, conversationId, what, fn) {
        let result = null;
        try {
            await this.adapter.continueConversationAsync(this.settings.appId, this.reference(ref, conversationId), async (ctx) => {
                try {
                    result = { ok: true, value: await fn(ctx) };
                }
                catch (error) {
                    result = { ok: false, error };
                }
            });
        }
        catch (e) {
            throw deliveryError(e, what);
        }
        const r = result;
        if (!r)
            throw new ChatDeliveryError(`Teams ${what}: the connector turn did not run`, true);
        if (!r.ok)
            throw deliveryError(r.error, what);
        return r.value;
    }
    /** The full outgoing activity: addressed exactly, not to the proactive turn's placeholder id. */
    outgoing(ref, conversationId, replyToId, activity) {
        return {
            ...activity,
            channelId: ref.channelId,
            serviceUrl: ref.serviceUrl,
            conversation: { ...ref.conversation, id: conversationId },
            from: ref.bot,
            ...(ref.user ? { recipient: ref.user } : {}),
            ...(replyToId ? { replyToId } : {}),
        };
    }
    /**
     * Send a message into a conversation (a reply when replyToId is set). Returns the new
     * activity id Teams assigned. The activity goes straight to the adapter: TurnContext would
     * make every proactive message a reply to the continuation turn's random id.
     */
    send(ref, conversationId, replyToId, activity) {
        return this.proactive(ref, conversationId, replyToId ? 'reply' : 'send', async (ctx) => {
            const [res] = await ctx.adapter.sendActivities(ctx, [this.outgoing(ref, conversationId, replyToId, activity)]);
            if (!res?.id)
                throw new ChatDeliveryError('Teams did not return an id for the sent message', false);
            return res.id;
        });
    }
    /** Replace a message the bot sent. */
    update(ref, conversationId, activityId, activity) {
        return this.proactive(ref, conversationId, 'update', async (ctx) => {
            await ctx.adapter.updateActivity(ctx, { ...this.outgoing(ref, conversationId, null, activity), id: activityId });
        });
    }
    /** Open (or find) the personal 1:1 conversation with a user; returns its conversation id. */
    async createPersonalConversation(input) {
        let conversationId = null;
        try {
            await this.adapter.createConversationAsync(this.settings.appId, 'msteams', input.serviceUrl, 
            // null = the default Bot Framework audience of the configured cloud
            null, {
                isGroup: false,
                bot: input.bot,
                members: [{ id: input.memberId, name: '' }],
                tenantId: input.tenantId,
                channelData: input.tenantId ? { tenant: { id: input.tenantId } } : {},
            }, async (ctx) => {
                conversationId = ctx.activity.conversation?.id ?? null;
            });
        }
        catch (e) {
            throw deliveryError(e, 'create personal chat');
        }
        if (!conversationId)
            throw new ChatDeliveryError('Teams did not return a conversation id for the personal chat', false);
        return conversationId;
    }
}
//# sourceMappingURL=bot-connector.js.map