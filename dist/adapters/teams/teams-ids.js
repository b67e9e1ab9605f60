/**
 * How Teams ids map onto frontdesk's ChatPort vocabulary.
 *
 * - channelId = the BASE conversation id: a channel (`19:…@thread.tacv2`), a group chat
 *   (`19:…@thread.v2`) or a personal chat (`a:…`), without any `;messageid=` suffix.
 * - threadId  = the id of the root message of a channel reply chain. Teams addresses a
 *   reply chain as the conversation `<channel>;messageid=<rootId>`.
 * - messageId = the Teams activity id of a message.
 * - userId    = the person's Microsoft Entra object id (`aadObjectId`) when Teams sends one,
 *   else the Teams user id (`29:…`). Config lists agents by Entra object id.
 */
/** Split `19:x@thread.tacv2;messageid=123` into the base id and the root message id. */
export function splitConversationId(id) {
    const m = id.match(/^(.*?);messageid=(.+)$/);
    return m ? { base: m[1], rootId: m[2] } : { base: id, rootId: null };
}
/** The conversation id that addresses a channel's reply chain. */
export function threadConversationId(base, rootId) {
    return `${base};messageid=${rootId}`;
}
/** Best guess of a conversation's type from its id, when Teams did not tell us. */
export function guessConversationType(baseId) {
    if (baseId.startsWith('a:') || baseId.startsWith('8:'))
        return 'personal';
    if (/@thread\.(tacv2|skype)$/.test(baseId))
        return 'channel';
    return 'groupChat';
}
/** Normalise Teams' `conversationType` ("channel" | "groupChat" | "personal"). */
export function conversationTypeOf(type, baseId) {
    if (type === 'channel' || type === 'groupChat' || type === 'personal')
        return type;
    return guessConversationType(baseId);
}
/** The frontdesk user id for a Teams account: Entra object id first, Teams id otherwise. */
export function coreUserId(account) {
    return account.aadObjectId || account.id;
}
//# sourceMappingURL=teams-ids.js.map