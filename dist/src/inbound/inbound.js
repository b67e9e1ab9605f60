/**
 * Normalised inbound events from any platform (messages, replies, edits, deletions,
 * reactions) and what the core does with them. Adapters parse platform payloads into these
 * shapes and call the functions here; nothing platform-specific lives below this line.
 */
import { isTriageChannel } from '../audience/placement.js';
import { InputInvalidError } from '../domain/errors.js';
import { isOthersTicket, promptForResolutionNote } from '../tickets/csat.js';
import { ACTIONS } from '../views/action-ids.js';
import { confirmOthersTicketView } from '../views/csat-view.js';
/**
 * Is this channel a support channel (config lists them, or empty = every channel the bot is in)?
 * A triage channel never is: it is where agents work.
 */
export function isSupportChannel(svc, channelId) {
    if (isTriageChannel(svc.config, channelId))
        return false;
    const chans = svc.config.channels;
    return chans.length === 0 || chans.some((c) => c.id === channelId);
}
/**
 * A message arrived. Top-level requests from non-agents in support channels become tickets;
 * replies in a ticket's thread attach to it; everything else is ignored (with a reason).
 */
export function handleMessage(svc, m) {
    if (m.isBot)
        return { kind: 'ignored', reason: 'bot message' };
    if (m.subtype && m.subtype !== 'file_share' && m.subtype !== 'thread_broadcast')
        return { kind: 'ignored', reason: `subtype ${m.subtype}` };
    if (m.threadId && m.threadId !== m.messageId) {
        const t = svc.recordReply({ platform: m.platform, channelId: m.channelId, threadId: m.threadId, messageId: m.messageId, authorId: m.userId, text: m.text, eventId: m.eventId });
        return t ? { kind: 'reply', ticket: t } : { kind: 'ignored', reason: 'reply in a thread without a ticket' };
    }
    if (!isSupportChannel(svc, m.channelId))
        return { kind: 'ignored', reason: 'not a support channel' };
    if (svc.directory.isAgent(m.userId))
        return { kind: 'ignored', reason: 'agents do not open tickets by posting; use /ticket new or 🎫' };
    if (!m.text.trim() && !m.files?.length)
        return { kind: 'ignored', reason: 'empty message' };
    try {
        const result = svc.open({
            platform: m.platform,
            channelId: m.channelId,
            sourceMessageId: m.messageId,
            threadId: m.messageId,
            requesterId: m.userId,
            requesterName: m.userName ?? null,
            text: m.text.trim() ? m.text : `(shared ${m.files?.length ?? 0} file(s))`,
            attachments: m.files ?? [],
            eventId: m.eventId,
        });
        return { kind: 'ticket', result };
    }
    catch (e) {
        if (e instanceof InputInvalidError)
            return { kind: 'ignored', reason: e.message };
        throw e;
    }
}
/** The ticket a message belongs to: its source message, its card, or its thread. */
export function ticketForMessage(svc, platform, channelId, messageId) {
    return (svc.repo.findBySource(platform, channelId, messageId) ??
        svc.repo.findByCard(platform, channelId, messageId) ??
        svc.repo.findByThread(platform, channelId, messageId));
}
/** Reactions: 👀 acknowledges and assigns, ✅ resolves, 🎫 makes a ticket of any message. */
export async function handleReaction(svc, r) {
    const { acknowledge, resolve, ticket: ticketEmoji } = svc.config.reactions;
    const emoji = r.emoji.replace(/::skin-tone-\d$/, '');
    if (![acknowledge, resolve, ticketEmoji].includes(emoji))
        return { kind: 'ignored', reason: `no meaning for :${emoji}:` };
    if (!svc.directory.isAgent(r.userId))
        return { kind: 'ignored', reason: 'reactions act only for agents' };
    if (r.eventId && !svc.repo.markInbound(r.platform, r.eventId, svc.clock.now()))
        return { kind: 'ignored', reason: 'duplicate delivery' };
    if (emoji === ticketEmoji) {
        const existing = ticketForMessage(svc, r.platform, r.channelId, r.messageId);
        if (existing)
            return { kind: 'ignored', reason: `already ${existing.key}` };
        const msg = await r.loadMessage?.();
        if (!msg)
            return { kind: 'ignored', reason: 'could not read the message' };
        const res = svc.open({
            platform: r.platform,
            channelId: r.channelId,
            sourceMessageId: r.messageId,
            threadId: msg.threadId ?? r.messageId,
            requesterId: msg.userId,
            text: msg.text,
            attachments: msg.files ?? [],
            force: true,
            createdBy: r.userId,
        });
        return res.ticket ? { kind: 'ticket', ticket: res.ticket } : { kind: 'ignored', reason: res.outcome };
    }
    const t = ticketForMessage(svc, r.platform, r.channelId, r.messageId);
    if (!t)
        return { kind: 'ignored', reason: 'not a ticket message' };
    if (emoji === acknowledge) {
        let out = svc.acknowledge(t.key, r.userId);
        if (out.ownerId !== r.userId)
            out = svc.assign(t.key, r.userId, r.userId);
        return { kind: 'acknowledged', ticket: out };
    }
    if (t.status === 'resolved' || t.status === 'closed')
        return { kind: 'ignored', reason: 'already resolved' };
    // Someone else's ticket: ask the reacting agent privately instead of resolving it — where the
    // ticket's internal work goes (its internal thread in triage mode), never loose in a channel.
    if (isOthersTicket(t, r.userId)) {
        svc.messenger.sendToAgent(t, confirmOthersTicketView(t, 'resolve', ACTIONS.resolveConfirmed, `${t.key}|`), r.userId, `confirm-resolve:${t.id}:${r.userId}:${r.eventId ?? `${svc.clock.now()}:${svc.repo.events(t.id).length}`}`);
        return { kind: 'confirm_asked', ticket: t };
    }
    const resolved = svc.resolve(t.key, r.userId);
    promptForResolutionNote(svc, resolved, r.userId);
    return { kind: 'resolved', ticket: resolved };
}
//# sourceMappingURL=inbound.js.map