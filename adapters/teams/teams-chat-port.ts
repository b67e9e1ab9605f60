/**
 * ChatPort for Microsoft Teams. Every send goes to the Bot Connector at the serviceUrl of a
 * conversation reference stored in SQLite (see conversation-store.ts), so proactive messages
 * (SLA pings, escalation prompts, DMs, the digest) work after restarts.
 *
 * Mapping: channelId = base conversation id; threadId = root message of a channel reply chain
 * (posted to `<channel>;messageid=<root>` with replyToId = root; in group and personal chats,
 * which have no reply chains, replyToId only). Teams has no ephemeral messages in channels, so
 * "only you" messages go to the person's 1:1 chat with the bot; forms are cards there too.
 */
import type { Logger } from 'pino';
import { ChatDeliveryError } from '../../src/domain/errors.js';
import type { ChatPort, PostResult, Sender } from '../../src/ports/chat-port.js';
import type { FormView, MessageView } from '../../src/ports/message-view.js';
import { mention, plain } from '../../src/ports/message-view.js';
import type { BotConnector } from './bot-connector.js';
import type { ConversationStore, StoredConversation, StoredReference } from './conversation-store.js';
import { CARD_CONTENT_TYPE, type MentionResolver, renderFormCard, renderMessage } from './render-card.js';
import { guessConversationType, threadConversationId } from './teams-ids.js';

export class TeamsChatPort implements ChatPort {
  readonly platform = 'teams' as const;
  /** Teams allows about 7 operations per second per conversation. */
  readonly ratePerChannelPerSec = 7;

  constructor(
    private readonly connector: BotConnector,
    private readonly store: ConversationStore,
    readonly resolveMention: MentionResolver,
    private readonly logger?: Logger,
  ) {}

  /** The stored conversation, or one built from the last known service URL (channels the bot has not heard from). */
  private conversation(channelId: string): StoredConversation {
    const known = this.store.conversation(channelId);
    if (known) return known;
    const svc = this.store.service();
    if (!svc)
      throw new ChatDeliveryError(
        `No Teams conversation reference for ${channelId} yet: frontdesk learns conversations when it is installed or receives a message there. Add the app to the team or chat.`,
        true,
      );
    const type = guessConversationType(channelId);
    return {
      type,
      reference: {
        channelId: 'msteams',
        serviceUrl: svc.serviceUrl,
        conversation: { id: channelId, conversationType: type, ...(svc.tenantId ? { tenantId: svc.tenantId } : {}) },
        bot: svc.bot,
      },
    };
  }

  /**
   * Post in a conversation or reply chain. With `as` (an agent's reply to a customer) the message
   * starts with the agent's name: bots cannot post as a person in Teams.
   */
  async post(req: { channelId: string; threadId?: string | null; view: MessageView; as?: Sender }): Promise<PostResult> {
    const conv = this.conversation(req.channelId);
    const threadId = req.threadId ?? null;
    const conversationId = conv.type === 'channel' && threadId ? threadConversationId(req.channelId, threadId) : req.channelId;
    const view: MessageView = req.as
      ? { ...req.view, text: `${req.as.name}: ${req.view.text}`, blocks: [{ type: 'context', elements: [`**${plain(req.as.name)}** replied:`] }, ...req.view.blocks] }
      : req.view;
    const id = await this.connector.send(conv.reference, conversationId, threadId, renderMessage(view, this.resolveMention));
    this.store.saveMessage(id, { conversationId, view: req.view });
    return { messageId: id, channelId: req.channelId };
  }

  /** A Teams deep link to a channel message (shown on the card in the triage channel). */
  async permalink(req: { channelId: string; messageId: string }): Promise<string | null> {
    return `https://teams.microsoft.com/l/message/${encodeURIComponent(req.channelId)}/${encodeURIComponent(req.messageId)}`;
  }

  async update(req: { channelId: string; messageId: string; view: MessageView }): Promise<void> {
    const conv = this.conversation(req.channelId);
    const conversationId = this.store.message(req.messageId)?.conversationId ?? req.channelId;
    await this.connector.update(conv.reference, conversationId, req.messageId, renderMessage(req.view, this.resolveMention));
    this.store.saveMessage(req.messageId, { conversationId, view: req.view });
  }

  /**
   * Teams has no ephemeral messages in channels: the message goes to the person's 1:1 chat
   * with the bot. If that chat cannot be opened (the app is not installed for them), a brief
   * note in the thread tells them how to get private answers — without the content.
   */
  async postEphemeral(req: { channelId: string; userId: string; threadId?: string | null; view: MessageView }): Promise<void> {
    try {
      await this.dm({ userId: req.userId, view: req.view });
    } catch (e) {
      const conv = this.store.conversation(req.channelId);
      if (!(e instanceof ChatDeliveryError) || e.retryable || !conv || conv.type === 'personal') throw e;
      this.logger?.warn({ channelId: req.channelId, error: e.message }, 'teams: could not open a personal chat; posting a brief note instead');
      const text = `${mention(req.userId)} I could not send you the answer privately. Open a chat with frontdesk (Apps → frontdesk → Open) and ask again there.`;
      await this.post({ channelId: req.channelId, threadId: req.threadId, view: { text, blocks: [{ type: 'text', text }] } });
    }
  }

  async dm(req: { userId: string; view: MessageView }): Promise<PostResult> {
    const ref = await this.personalReference(req.userId);
    const id = await this.connector.send(ref, ref.conversation.id, null, renderMessage(req.view, this.resolveMention));
    this.store.saveMessage(id, { conversationId: ref.conversation.id, view: req.view });
    return { messageId: id, channelId: ref.conversation.id };
  }

  /** Forms are cards in the person's 1:1 chat; submitting comes back as Action.Execute. */
  async openForm(req: { trigger: string; userId: string; form: FormView }): Promise<void> {
    const ref = await this.personalReference(req.userId);
    const card = renderFormCard(req.form);
    const id = await this.connector.send(ref, ref.conversation.id, null, {
      type: 'message',
      summary: req.form.title,
      attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
    });
    this.store.saveMessage(id, { conversationId: ref.conversation.id, form: true });
  }

  /** The 1:1 conversation with a user: stored, or created from what we know about them. */
  async personalReference(userId: string): Promise<StoredReference> {
    const existing = this.store.personal(userId);
    if (existing) return existing;
    const member = this.store.member(userId);
    const svc = member ?? this.store.service();
    if (!svc)
      throw new ChatDeliveryError(`Cannot message ${userId} in Teams yet: frontdesk has not received anything from Teams. Install the app first.`, true);
    const memberId = member?.teamsId ?? userId;
    const conversationId = await this.connector.createPersonalConversation({ serviceUrl: svc.serviceUrl, tenantId: svc.tenantId, bot: svc.bot, memberId });
    const ref: StoredReference = {
      channelId: 'msteams',
      serviceUrl: svc.serviceUrl,
      conversation: { id: conversationId, conversationType: 'personal', ...(svc.tenantId ? { tenantId: svc.tenantId } : {}) },
      bot: svc.bot,
      user: { id: memberId, ...(member?.aadObjectId ? { aadObjectId: member.aadObjectId } : {}), ...(member?.name ? { name: member.name } : {}) },
    };
    this.store.savePersonal(userId, ref);
    this.store.saveConversation(conversationId, { reference: ref, type: 'personal' });
    return ref;
  }
}
