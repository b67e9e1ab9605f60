/**
 * The Teams bot: turns inbound activities into core calls. Channel and group-chat messages
 * become tickets or attach to one; `@frontdesk <subcommand>` runs the same command parser as
 * Slack's /ticket; card buttons (Action.Execute invokes, Action.Submit messages) run the same
 * interactions; the personal chat is the agent's "my tickets" home. Every answer leaves
 * through the outbox and the Teams ChatPort, except the invoke response that refreshes a
 * card for the person who clicked.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { TeamsInfo } from 'botbuilder';
import type { Logger } from 'pino';
import type { Core } from '../../src/app.js';
import { type CommandReply, tokenizeCommand } from '../../src/commands/command-registry.js';
import { createTicketForm, type InteractionContext, type InteractionResult } from '../../src/commands/interactions.js';
import { customerHome } from '../../src/commands/home.js';
import { queueView } from '../../src/commands/queue.js';
import { runCommand } from '../../src/commands/ticket-commands.js';
import { handleMessage, type InboundMessage } from '../../src/inbound/inbound.js';
import type { OutboxPayload } from '../../src/outbox/outbox.js';
import { type MessageView, toPlainText } from '../../src/ports/message-view.js';
import { notice } from '../../src/views/ticket-views.js';
import type { ConversationStore, StoredReference } from './conversation-store.js';
import { CARD_CONTENT_TYPE, isSimpleText, parseActionData, renderCard, renderFormCard } from './render-card.js';
import type { TeamsChatPort } from './teams-chat-port.js';
import { conversationTypeOf, coreUserId, splitConversationId, type TeamsConversationType } from './teams-ids.js';
import { commandText, filesOf, isPersonId, mentionsBot, mentionsOf, quotedReplyTarget, stripBotMention, type TeamsAccount, teamsTextToPlain } from './teams-inbound.js';

/** Words in a personal chat that show the "my tickets" home (besides anything unknown). */
export const PERSONAL_ALIASES = ['my tickets', 'home', 'queue'] as const;

/** Summary texts of the home views (queueView for agents, the requests list for others). */
const HOME_TEXTS = ['Your support queue', 'Your support requests'];

interface Where {
  base: string;
  rootId: string | null;
  type: TeamsConversationType;
  userId: string;
}

/** The "Create ticket" message action's command id (manifest composeExtensions). */
export const CREATE_TICKET_COMMAND = 'createTicket';

/** The message a message action was used on (Teams `messagePayload`, Graph chatMessage shape). */
interface MessagePayload {
  id?: string;
  replyToId?: string;
  body?: { content?: string; contentType?: string };
  from?: { user?: { id?: string; aadObjectId?: string; displayName?: string } };
}

/** What a message-action invoke answers: a dialog with a card, or a message in the dialog. */
type DialogResponse = { task: { type: 'continue'; value: { title: string; width: string; height: string; card: { contentType: string; content: unknown } } } } | { task: { type: 'message'; value: string } };

function dialogMessage(text: string): DialogResponse {
  return { task: { type: 'message', value: text } };
}

/** The invoke answer for Action.Execute (HTTP body of the adaptiveCard/action invoke). */
export type ExecuteResponse =
  | { statusCode: 200; type: 'application/vnd.microsoft.card.adaptive'; value: unknown }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string };

export class TeamsBot {
  constructor(
    private readonly core: Core,
    private readonly store: ConversationStore,
    private readonly port: TeamsChatPort,
    private readonly logger: Logger,
  ) {}

  /** Handle one turn. */
  async onTurn(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    // Every activity Teams sends has these; anything without them is not worth answering.
    if (!a.conversation?.id || !a.serviceUrl || !a.id || !a.recipient?.id) return;
    const where = this.remember(a);
    switch (a.type) {
      case 'message':
        if (a.value && !a.text?.trim()) await this.onSubmit(a, where);
        else await this.onMessage(ctx, where);
        return;
      case 'invoke':
        await this.onInvoke(ctx, where);
        return;
      case 'conversationUpdate':
        this.onConversationUpdate(a, where);
        return;
      case 'messageUpdate':
        if ((a.channelData as { eventType?: string } | undefined)?.eventType === 'editMessage' && a.id)
          this.core.tickets.sourceEdited('teams', where.base, a.id, teamsTextToPlain(a.text ?? ''));
        return;
      case 'messageDelete':
        if (a.id) this.core.tickets.sourceDeleted('teams', where.base, a.id);
        return;
      default:
        return;
    }
  }

  // ------------------------------------------------------------ references

  /** Store the conversation, the person and the service URL this activity tells us about. */
  private remember(a: Activity): Where {
    const { base, rootId } = splitConversationId(a.conversation.id);
    const channelData = (a.channelData ?? {}) as { tenant?: { id?: string }; team?: { id?: string } };
    const tenantId = a.conversation.tenantId ?? channelData.tenant?.id;
    const type = conversationTypeOf(a.conversation.conversationType, base);
    const bot = { id: a.recipient.id, ...(a.recipient.name ? { name: a.recipient.name } : {}) };
    const reference: StoredReference = {
      channelId: a.channelId,
      serviceUrl: a.serviceUrl,
      conversation: { id: base, conversationType: type, ...(tenantId ? { tenantId } : {}), ...(a.conversation.isGroup !== undefined ? { isGroup: a.conversation.isGroup } : {}) },
      bot,
    };
    this.store.saveConversation(base, { reference, type });
    if (channelData.team?.id && channelData.team.id !== base)
      this.store.saveConversation(channelData.team.id, { reference: { ...reference, conversation: { ...reference.conversation, id: channelData.team.id } }, type: 'channel' });
    this.store.saveService({ serviceUrl: a.serviceUrl, ...(tenantId ? { tenantId } : {}), bot });
    const from = a.from as TeamsAccount | undefined;
    const userId = from ? coreUserId(from) : '';
    if (from && from.role !== 'bot' && isPersonId(from.id)) {
      this.store.saveMember(userId, {
        teamsId: from.id,
        ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}),
        ...(from.name ? { name: from.name } : {}),
        serviceUrl: a.serviceUrl,
        ...(tenantId ? { tenantId } : {}),
        bot,
      });
      if (from.name) this.core.directory.setName(userId, from.name);
      if (type === 'personal') this.store.savePersonal(userId, { ...reference, user: { id: from.id, ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}), ...(from.name ? { name: from.name } : {}) } });
    }
    return { base, rootId, type, userId };
  }

  // ------------------------------------------------------------ messages

  private async onMessage(ctx: TurnContext, where: Where): Promise<void> {
    const a = ctx.activity;
    const from = a.from as TeamsAccount;
    const isBot = from.role === 'bot' || from.id.startsWith('28:');
    if (isBot) return;
    const text = a.text ?? '';
    const addressed = where.type === 'personal' || mentionsBot(a.entities, a.recipient.id);
    if (addressed) {
      const stripped = stripBotMention(text, a.entities, a.recipient.id);
      const line = await this.mentionsToRefs(ctx, stripped);
      const first = tokenizeCommand(line)[0]?.toLowerCase();
      if (where.type === 'personal') {
        if (first && this.core.commands.get(first)) await this.runCommand(line, a, where);
        else this.enqueue(`teams-home:${a.id}`, { kind: 'dm', userId: where.userId, view: this.homeView(where.userId) });
        return;
      }
      if (!first || this.core.commands.get(first)) {
        await this.runCommand(line || 'help', a, where);
        return;
      }
      // "@frontdesk our checkout is down" is a request (or a reply), not a command — except from
      // an agent at the top level, where it would be ignored in silence: the parser explains.
      const chain = this.threadOf(a, where);
      if (this.core.directory.isAgent(where.userId) && (!chain || chain === a.id)) {
        await this.runCommand(line, a, where);
        return;
      }
    }
    const threadId = this.threadOf(a, where);
    const msg: InboundMessage = {
      platform: 'teams',
      eventId: a.id,
      channelId: where.base,
      messageId: a.id ?? '',
      threadId,
      userId: where.userId,
      userName: from.name ?? null,
      text: teamsTextToPlain(addressed ? stripBotMention(text, a.entities, a.recipient.id) : text),
      isBot,
      files: filesOf(a.attachments),
    };
    const outcome = handleMessage(this.core.tickets, msg);
    this.logger.debug({ activityId: a.id, outcome: outcome.kind, reason: outcome.kind === 'ignored' ? outcome.reason : undefined }, 'teams message');
  }

  /** The reply-chain root (channels) or the ticket thread a quoted reply points to (group chats). */
  private threadOf(a: Activity, where: Where): string | null {
    if (where.type === 'channel') return where.rootId ?? a.replyToId ?? null;
    if (where.type === 'groupChat') {
      const quoted = quotedReplyTarget(a.attachments);
      if (!quoted) return null;
      const repo = this.core.tickets.repo;
      const t = repo.findBySource('teams', where.base, quoted) ?? repo.findByCard('teams', where.base, quoted) ?? repo.findByThread('teams', where.base, quoted);
      if (t) return t.threadId ?? t.sourceMessageId ?? quoted;
      const m = this.core.db
        .prepare<[string, string], { ticket_id: number }>("SELECT ticket_id FROM messages WHERE platform = 'teams' AND channel_id = ? AND message_id = ?")
        .get(where.base, quoted);
      const viaMessage = m ? repo.get(m.ticket_id) : null;
      return viaMessage?.threadId ?? null;
    }
    return null;
  }

  /** `<at>Dana</at>` (with its mention entity) → `<@entra-object-id>` for the command parser. */
  private async mentionsToRefs(ctx: TurnContext, text: string): Promise<string> {
    let out = text;
    for (const e of mentionsOf(ctx.activity.entities)) {
      const teamsId = e.mentioned?.id;
      if (!teamsId || !e.text || teamsId === ctx.activity.recipient.id || !isPersonId(teamsId)) continue;
      const userId = await this.userIdFor(ctx, teamsId, e.mentioned?.name);
      out = out.split(e.text).join(`<@${userId}>`);
    }
    return commandText(out.replace(/<at>(.*?)<\/at>/gi, '@$1'));
  }

  /** Entra object id of a Teams user: from what we stored, else asked from the connector. */
  private async userIdFor(ctx: TurnContext, teamsId: string, name: string | undefined): Promise<string> {
    const known = this.store.memberByTeamsId(teamsId);
    if (known) return known.userId;
    try {
      const m = await TeamsInfo.getMember(ctx, teamsId);
      if (m?.aadObjectId) {
        const svc = this.store.service();
        if (svc)
          this.store.saveMember(m.aadObjectId, { teamsId, aadObjectId: m.aadObjectId, ...(m.name || name ? { name: m.name || name } : {}), serviceUrl: svc.serviceUrl, ...(svc.tenantId ? { tenantId: svc.tenantId } : {}), bot: svc.bot });
        if (m.name) this.core.directory.setName(m.aadObjectId, m.name);
        return m.aadObjectId;
      }
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'teams: could not look up a mentioned member; using their Teams id');
    }
    return teamsId;
  }

  private homeView(userId: string): MessageView {
    if (this.core.directory.isAgent(userId)) {
      const v = queueView(this.core.tickets, userId);
      return { ...v, blocks: [...v.blocks, { type: 'context', elements: ['Type a command here (e.g. `list breaching`, `show T-1042`) or `help` for all of them.'] }] };
    }
    // Only their own requests, no agent actions (src/commands/home.ts).
    const v = customerHome(this.core.tickets, userId);
    return {
      ...v,
      text: 'Your support requests',
      blocks: [...v.blocks, { type: 'context', elements: ['Post a request in your support channel, or type `new <what you need>` here. `help` lists what I can do.'] }],
    };
  }

  private async runCommand(line: string, a: Activity, where: Where): Promise<void> {
    const reply = await runCommand(this.core.commands, this.core.tickets, line, {
      platform: 'teams',
      userId: where.userId,
      channelId: where.base,
      threadId: where.rootId,
      trigger: a.id,
    });
    await this.deliver(reply, a, where);
  }

  /** Send a command answer: in a personal chat directly; in channels privately (1:1 chat) unless it is for everyone. */
  private async deliver(reply: CommandReply, a: Activity, where: Where): Promise<void> {
    const key = `teams-cmd:${a.id}`;
    if (reply.form) await this.openForm(where.userId, reply.form, a.id);
    // The personal chat is the person's DM with the bot: private, whatever the channel config says.
    if (where.type === 'personal') {
      this.enqueue(key, { kind: 'dm', userId: where.userId, view: reply.view });
      return;
    }
    const threadId = where.type === 'channel' ? (where.rootId ?? a.id) : a.id;
    if (reply.visibility === 'in_channel') this.enqueue(key, { kind: 'post', channelId: where.base, threadId, view: reply.view });
    else this.enqueue(key, { kind: 'ephemeral', channelId: where.base, userId: where.userId, threadId, view: reply.view });
  }

  private async openForm(userId: string, form: NonNullable<CommandReply['form']>, trigger: string | undefined): Promise<void> {
    try {
      await this.port.openForm({ trigger: trigger ?? '', userId, form });
    } catch (e) {
      this.logger.warn({ err: (e as Error).message, formId: form.formId }, 'teams: could not open a form');
    }
  }

  private enqueue(key: string, payload: OutboxPayload): void {
    this.core.outbox.enqueue({ platform: 'teams', idempotencyKey: key, payload });
  }

  // ------------------------------------------------------------ card actions

  private interactionContext(a: Activity, where: Where): InteractionContext {
    return { platform: 'teams', userId: where.userId, channelId: where.base, messageId: a.replyToId, threadId: where.rootId, trigger: a.id };
  }

  /** Run the action/form a card control carries. */
  private async runAction(raw: unknown, a: Activity, where: Where): Promise<InteractionResult & { cancelled?: boolean }> {
    const parsed = parseActionData(raw);
    if (!parsed) return { ephemeral: notice('That button is not one I know how to handle. Try `@frontdesk help`.') };
    const ictx = this.interactionContext(a, where);
    const { data, inputs } = parsed;
    switch (data.fd) {
      case 'action':
        return this.core.interactions.action(data.actionId, data.value, ictx);
      case 'select': {
        const value = inputs[data.input];
        if (!value) return { ephemeral: notice('Pick a value first.') };
        return this.core.interactions.action(data.actionId, value, ictx);
      }
      case 'form': {
        const values: Record<string, string> = {};
        for (const f of data.fields) values[f] = inputs[`f_${f}`] ?? '';
        return this.core.interactions.form(data.formId, data.state, values, ictx);
      }
      case 'cancel':
        return { cancelled: true };
    }
  }

  /** Action.Execute: answer with the refreshed card for the person who clicked. */
  private async onInvoke(ctx: TurnContext, where: Where): Promise<void> {
    const a = ctx.activity;
    if (a.name === 'composeExtension/fetchTask' || a.name === 'composeExtension/submitAction') {
      const body = a.name === 'composeExtension/fetchTask' ? await this.createTicketDialog(a, where) : await this.submitDialog(a, where);
      await ctx.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
      return;
    }
    if (a.name !== 'adaptiveCard/action') {
      await ctx.sendActivity({ type: 'invokeResponse', value: { status: 200, body: {} } });
      return;
    }
    const value = (a.value ?? {}) as { action?: { verb?: string; data?: unknown } };
    const verb = value.action?.verb;
    const result: InteractionResult & { cancelled?: boolean } = verb === 'refresh' ? {} : await this.runAction(value.action?.data, a, where);
    const body = this.executeResponse(result, a, where);
    await ctx.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
  }

  /** Is a private result small enough to show inside the clicker's card? */
  private inlineNotice(v: MessageView): boolean {
    return isSimpleText(v) && v.text.length <= 600 && !v.blocks.some((b) => b.type === 'actions');
  }

  private executeResponse(result: InteractionResult & { cancelled?: boolean }, a: Activity, where: Where): ExecuteResponse {
    const resolve = this.port.resolveMention;
    if (result.form) return { statusCode: 200, type: CARD_CONTENT_TYPE, value: renderFormCard(result.form) };
    let inline = result.ephemeral;
    if (inline && !this.inlineNotice(inline)) {
      // Rich private results (e.g. a suggested reply with buttons) go to the 1:1 chat.
      this.enqueue(`teams-ix:${a.id}`, { kind: 'ephemeral', channelId: where.base, userId: where.userId, threadId: where.rootId, view: inline });
      inline = notice('I sent you the details in our 1:1 chat.');
    }
    const messageId = a.replyToId;
    // The core may replace the clicked message (e.g. a suggested reply once sent): remember it so a refresh shows it too.
    const stored = result.replace && messageId ? this.store.message(messageId) : null;
    if (stored && result.replace) this.store.saveMessage(messageId!, { ...stored, view: result.replace });
    const base = result.replace ?? (messageId ? this.baseView(where, messageId) : null);
    if (base) return { statusCode: 200, type: CARD_CONTENT_TYPE, value: renderCard(base, resolve, inline ? { notice: inline } : {}) };
    const wasForm = messageId ? this.store.message(messageId)?.form : false;
    if (wasForm) {
      const done = inline ?? notice(result.cancelled ? 'Cancelled.' : 'Done.');
      return { statusCode: 200, type: CARD_CONTENT_TYPE, value: renderCard(done, resolve) };
    }
    const text = inline ? inline.text : result.cancelled ? 'Cancelled.' : 'Done.';
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text };
  }

  /**
   * What the card a person clicked should show now: the live ticket card; the person's home
   * view, rebuilt; else the newest version of that message — an update the action just queued
   * in the outbox and not yet sent, or what was last sent.
   */
  private baseView(where: Where, messageId: string): MessageView | null {
    const t = this.core.tickets.repo.findByCard('teams', where.base, messageId);
    if (t) return this.core.tickets.card(t);
    const stored = this.store.message(messageId)?.view ?? null;
    if (where.type === 'personal' && stored && HOME_TEXTS.includes(stored.text)) return this.homeView(where.userId);
    const queued = this.core.db
      .prepare<[string], { payload: string }>(
        "SELECT payload FROM outbox WHERE platform = 'teams' AND kind = 'update' AND status IN ('pending', 'sending') AND payload ->> '$.messageId' = ? ORDER BY id DESC LIMIT 1",
      )
      .get(messageId);
    if (queued) return (JSON.parse(queued.payload) as { view: MessageView }).view;
    return stored;
  }

  /** Action.Submit (old clients, or the fallback of Action.Execute): private results go to the 1:1 chat. */
  private async onSubmit(a: Activity, where: Where): Promise<void> {
    const result = await this.runAction(a.value, a, where);
    if (result.form) await this.openForm(where.userId, result.form, a.id);
    if (result.ephemeral) this.enqueue(`teams-ix:${a.id}`, { kind: 'ephemeral', channelId: where.base, userId: where.userId, threadId: where.rootId, view: result.ephemeral });
  }

  // ------------------------------------------------------------ "Create ticket" message action

  /** The "Create ticket" action on a message: a dialog with the create-ticket form (agents only). */
  private async createTicketDialog(a: Activity, where: Where): Promise<DialogResponse> {
    const v = (a.value ?? {}) as { commandId?: string; messagePayload?: MessagePayload };
    const m = v.messagePayload;
    if (v.commandId !== CREATE_TICKET_COMMAND || !m?.id) return dialogMessage('That action is not one I know.');
    if (!this.core.directory.isAgent(where.userId))
      return dialogMessage('Only support agents can make a ticket from a message. If you need help, post your request in the support channel.');
    const svc = this.core.tickets;
    const existing = svc.repo.findBySource('teams', where.base, m.id) ?? svc.repo.findByCard('teams', where.base, m.id);
    if (existing) return dialogMessage(`That message is already ${existing.key}.`);
    const text = teamsTextToPlain(m.body?.content ?? '');
    if (!text) return dialogMessage('That message has no text to make a ticket from.');
    const user = m.from?.user;
    const form = await createTicketForm(svc, this.core.store.conversationRefs, {
      channelId: where.base,
      messageId: m.id,
      threadId: m.replyToId ?? where.rootId ?? m.id,
      text,
      requesterId: user?.aadObjectId ?? user?.id ?? where.userId,
    });
    return { task: { type: 'continue', value: { title: form.title, width: 'medium', height: 'medium', card: { contentType: CARD_CONTENT_TYPE, content: renderFormCard(form, { dialog: true }) } } } };
  }

  /** The dialog's form was submitted: run it and show the outcome in the dialog. */
  private async submitDialog(a: Activity, where: Where): Promise<DialogResponse> {
    const v = (a.value ?? {}) as { data?: unknown };
    const result = await this.runAction(v.data, a, where);
    return dialogMessage(result.ephemeral ? toPlainText(result.ephemeral.text) : 'Done.');
  }

  // ------------------------------------------------------------ installs

  private onConversationUpdate(a: Activity, where: Where): void {
    const botAdded = (a.membersAdded ?? []).some((m) => m.id === a.recipient.id);
    if (botAdded && where.type === 'personal') {
      const from = a.from as TeamsAccount | undefined;
      const userId = from ? coreUserId(from) : where.userId;
      const hello: MessageView = {
        text: 'Hi, I am frontdesk',
        blocks: [
          { type: 'header', text: 'Hi, I am frontdesk' },
          { type: 'text', text: 'I turn requests in your support channels into tickets, ping owners before SLA deadlines and post a daily digest. Here you see your tickets; type `help` for commands.' },
        ],
      };
      this.enqueue(`teams-welcome:${where.base}`, userId ? { kind: 'dm', userId, view: hello } : { kind: 'post', channelId: where.base, view: hello });
      if (userId) this.enqueue(`teams-welcome-home:${where.base}`, { kind: 'dm', userId, view: this.homeView(userId) });
    }
  }
}
