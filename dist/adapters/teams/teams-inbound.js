const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'", '&nbsp;': ' ' };
function decodeEntities(s) {
    return s.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (m) => ENTITIES[m] ?? m);
}
/** Mention entities of a message (type "mention"). */
export function mentionsOf(entities) {
    if (!Array.isArray(entities))
        return [];
    return entities.filter((e) => Boolean(e) && typeof e === 'object' && e.type === 'mention');
}
/** Does the message @mention the bot? */
export function mentionsBot(entities, botId) {
    return mentionsOf(entities).some((e) => e.mentioned?.id === botId);
}
/** Remove the bot's `<at>…</at>` mention(s) from the text. */
export function stripBotMention(text, entities, botId) {
    let out = text;
    for (const e of mentionsOf(entities))
        if (e.mentioned?.id === botId && e.text)
            out = out.split(e.text).join(' ');
    return out.replace(/\s+/g, ' ').trim();
}
/** Message text as plain text: `<at>Dana</at>` → `@Dana`, tags removed, entities decoded. */
export function teamsTextToPlain(text) {
    return decodeEntities(text
        .replace(/<at>(.*?)<\/at>/gi, '@$1')
        .replace(/<br\s*\/?>/gi, '\n')
        .replace(/<\/(p|div)>/gi, '\n')
        .replace(/<[^>]+>/g, ''))
        .replace(/[ \t]+\n/g, '\n')
        .trim();
}
/**
 * A command line as typed after the bot mention: entities decoded, markup removed, but the
 * `<@id>` mentions the parser understands kept.
 */
export function commandText(text) {
    return decodeEntities(text.replace(/<br\s*\/?>/gi, ' ').replace(/<(?!@)[^>]+>/g, ''))
        .replace(/\s+/g, ' ')
        .trim();
}
/** Is this Teams id a person (not a bot, channel or tag)? */
export function isPersonId(id) {
    return id.startsWith('29:') || id.startsWith('8:orgid:') || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
/** The message id a group-chat "Reply" quotes (Teams puts it in the HTML attachment). */
export function quotedReplyTarget(attachments) {
    if (!Array.isArray(attachments))
        return null;
    for (const a of attachments) {
        if (a?.contentType !== 'text/html' || typeof a.content !== 'string')
            continue;
        const m = a.content.match(/<blockquote[^>]*itemtype="http:\/\/schema\.skype\.com\/Reply"[^>]*itemid="([^"]+)"/i) ?? a.content.match(/<blockquote[^>]*itemid="([^"]+)"[^>]*itemtype="http:\/\/schema\.skype\.com\/Reply"/i);
        if (m)
            return m[1];
    }
    return null;
}
/** Files and images shared with the message, as links people in the tenant can open. */
export function filesOf(attachments) {
    if (!Array.isArray(attachments))
        return [];
    const out = [];
    for (const a of attachments) {
        if (!a || typeof a.contentUrl !== 'string' || !/^https:\/\//i.test(a.contentUrl))
            continue;
        if (a.contentType === 'application/vnd.microsoft.teams.file.download.info' || a.contentType?.startsWith('image/'))
            out.push({ kind: 'file', name: a.name || 'file', url: a.contentUrl });
    }
    return out;
}
//# sourceMappingURL=teams-inbound.js.map