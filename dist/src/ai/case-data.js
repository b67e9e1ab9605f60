import { shorten } from '../util/text.js';
/** Longest customer message sent, in characters. */
export const MAX_MESSAGE_CHARS = 8_000;
/** Thread messages sent (the most recent ones). */
export const MAX_THREAD_MESSAGES = 20;
/** Longest single thread message sent. */
export const MAX_THREAD_MESSAGE_CHARS = 2_000;
/** Similar tickets sent. */
export const MAX_SIMILAR = 5;
const CUT_MARKER = ' …[truncated]';
/**
 * Cut text to `max` characters, marking the cut. Text that must be cut is redacted FIRST (with
 * the client's redactor when given, so configured patterns count too): the client's redaction of
 * the whole message cannot recognise half a card number or e-mail.
 */
export function cap(text, max, redactor) {
    return text.length <= max ? text : shorten(text, max + CUT_MARKER.length, CUT_MARKER, redactor);
}
/** `<ticket>`: key, title and the triage fields (no personal data). */
export function ticketBlock(ticket, firstResponseDue, redactor) {
    const lines = [
        `key: ${ticket.key}`,
        `title: ${cap(ticket.title, 300, redactor)}`,
        `category: ${ticket.category}`,
        `priority: ${ticket.priority}`,
        `status: ${ticket.status}`,
        `team: ${ticket.team}`,
        `owner: ${ticket.ownerId ? 'assigned' : 'unassigned'}`,
    ];
    if (firstResponseDue)
        lines.push(`first response due: ${firstResponseDue}`);
    return { tag: 'ticket', text: lines.join('\n') };
}
/** `<customer_message>`: the original request text. */
export function customerBlock(ticket, redactor) {
    return { tag: 'customer_message', text: cap(ticket.text, MAX_MESSAGE_CHARS, redactor) };
}
/** `<thread>`: the most recent messages, each labelled with its role. */
export function threadBlock(thread, redactor) {
    if (thread.length === 0)
        return null;
    const recent = thread.slice(-MAX_THREAD_MESSAGES);
    return { tag: 'thread', text: recent.map((m) => `[${m.role}] ${cap(m.text, MAX_THREAD_MESSAGE_CHARS, redactor)}`).join('\n') };
}
/** `<similar_tickets>`: resolved tickets that look alike: key, category and resolution note only. */
export function similarBlock(similar, redactor) {
    if (similar.length === 0)
        return null;
    return {
        tag: 'similar_tickets',
        text: similar
            .slice(0, MAX_SIMILAR)
            .map((s) => `- ${s.key} (${s.category.replace(/_/g, ' ')})\n  resolution: ${s.resolution ? cap(s.resolution, 1_000, redactor) : '(not recorded)'}`)
            .join('\n'),
    };
}
const MENTION = /<@[A-Za-z0-9._:-]+>|(?<![\w.])@[A-Za-z0-9._-]+/g;
/**
 * A past ticket's resolution note made fit for grounding another customer's draft: redacted
 * (e-mails, phones, cards, keys, configured patterns), mentions and the given names (that
 * ticket's requester and agents) replaced, so no name or identifier of that case travels on.
 *
 * @example
 * groundingNote('Told Alex (alex@x.io) to clear the cache', ['Alex Kim'], redactor)
 * // 'Told [name] ([email]) to clear the cache'
 */
export function groundingNote(note, names, redactor) {
    let text = redactor(note).text.replace(MENTION, '[name]');
    const parts = new Set();
    for (const n of names) {
        const full = n?.trim();
        if (!full)
            continue;
        parts.add(full);
        for (const w of full.split(/\s+/))
            if (w.length >= 2)
                parts.add(w);
    }
    for (const p of [...parts].sort((a, b) => b.length - a.length)) {
        const esc = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        text = text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${esc}(?![\\p{L}\\p{N}])`, 'giu'), '[name]');
    }
    // A greeting names someone even when we do not know the name ("Hi Alex —").
    text = text.replace(/\b(Hi|Hello|Hey|Dear|Thanks|Thank you),?\s+\p{Lu}[\p{L}'-]+/gu, '$1 [name]');
    return text.replace(/\[name\](\s+\[name\])+/g, '[name]');
}
/** Drop nulls from a list of optional blocks. */
export function blocks(...items) {
    return items.filter((b) => b !== null);
}
/** One line of model text for a card: no newlines, capped (redacted first when cut). */
export function oneLine(text, max = 160) {
    return shorten(text.replace(/\s+/g, ' ').trim(), max, '…');
}
//# sourceMappingURL=case-data.js.map