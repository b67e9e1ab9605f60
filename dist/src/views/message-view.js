/**
 * MessageView: the small platform-neutral UI vocabulary the core returns and every adapter
 * renders (Slack Block Kit, Teams Adaptive Cards, HTML in the local playground).
 *
 * Text in `text`, `context` and field values is "neutral markdown", written by the core:
 *   **bold**, _italic_, `code`, [label](https://url), <@userId> (a mention).
 * Anything typed by a person must go through {@link plain} before it is placed in such text,
 * so customer text can never inject formatting, links or mentions.
 */
import { shorten } from '../util/text.js';
/** The audience of a view, `internal` unless it says otherwise. */
export function audienceOf(view) {
    return view.audience ?? 'internal';
}
const MARKUP_CHARS = /([*_`[\]<>\\])/g;
/**
 * Escape person-typed text for use inside neutral markdown: no bold, links or mentions survive.
 * @example plain('**free** <@U1>') // '\\*\\*free\\*\\* \\<@U1\\>'
 */
export function plain(s) {
    return s.replace(MARKUP_CHARS, '\\$1');
}
/** A mention token in neutral markdown. */
export function mention(userId) {
    return `<@${userId}>`;
}
/**
 * Truncate to `max` characters with a visible marker. Text that must be cut is redacted first
 * (see `shorten`), so a card number or e-mail is never shown cut in half.
 */
export function truncate(s, max, marker = '… (truncated)') {
    return shorten(s, max, marker);
}
const INLINE = [
    { re: /^\*\*((?:\\.|[^*\\])+)\*\*/, make: (m) => ({ t: 'bold', v: unescapeMd(m[1]) }) },
    { re: /^`([^`]+)`/, make: (m) => ({ t: 'code', v: m[1] }) },
    { re: /^\[((?:\\.|[^\]\\])+)\]\((https?:\/\/[^\s)]+|#[^\s)]*)\)/, make: (m) => ({ t: 'link', v: unescapeMd(m[1]), url: m[2] }) },
    { re: /^<@([A-Za-z0-9._:@-]+)>/, make: (m) => ({ t: 'mention', id: m[1] }) },
    { re: /^_((?:\\.|[^_\\])+)_/, make: (m) => ({ t: 'italic', v: unescapeMd(m[1]) }), wordStart: true },
];
/**
 * Tokenise neutral markdown so every renderer applies the same rules.
 * Backslash escapes (from {@link plain}) become literal text.
 * @example tokenize('**T-1** for <@U1>') // [{t:'bold',v:'T-1'},{t:'text',v:' for '},{t:'mention',id:'U1'}]
 */
export function tokenize(md) {
    const out = [];
    let buf = '';
    const flush = () => {
        if (buf)
            out.push({ t: 'text', v: buf });
        buf = '';
    };
    let i = 0;
    while (i < md.length) {
        const c = md[i];
        if (c === '\\' && i + 1 < md.length) {
            buf += md[i + 1];
            i += 2;
            continue;
        }
        const rest = md.slice(i);
        const atWordStart = i === 0 || /\W/.test(md[i - 1]);
        let matched = false;
        for (const rule of INLINE) {
            if (rule.wordStart && !atWordStart)
                continue;
            const m = rest.match(rule.re);
            if (!m)
                continue;
            flush();
            out.push(rule.make(m));
            i += m[0].length;
            matched = true;
            break;
        }
        if (!matched) {
            buf += c;
            i += 1;
        }
    }
    flush();
    return out;
}
function unescapeMd(s) {
    return s.replace(/\\(.)/g, '$1');
}
/** Neutral markdown → plain text (for notifications / fallbacks). */
export function toPlainText(md, nameOf = (id) => id) {
    return tokenize(md)
        .map((t) => (t.t === 'mention' ? `@${nameOf(t.id)}` : t.t === 'link' ? `${t.v} (${t.url})` : t.v))
        .join('');
}
//# sourceMappingURL=message-view.js.map