/**
 * Text clean-up shared by the rules, the chit-chat detector and the learner: strips control
 * characters, unifies quotes, and splits words. Pure and allocation-light (hot path).
 */
// C0/C1 control characters except tab and newline; zero-width and bidi controls.
const CONTROL_RE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;
const QUOTES_RE = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
/**
 * Remove control characters (keeps tab and newline) and turn curly apostrophes into `'`.
 * @example cleanText('can\u2019t\u0000 log in') // "can't log in"
 */
export function cleanText(text) {
    return text.replace(CONTROL_RE, '').replace(QUOTES_RE, "'");
}
const WORD_RE = /[\p{L}\p{N}][\p{L}\p{N}_']*/gu;
const URL_RE = /\bhttps?:\/\/\S+/gi;
const EMAIL_RE = /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g;
const SLACK_MENTION_RE = /<[@#!][^>\s]*>/g;
/**
 * Lower-cased word tokens for the learner. URLs, e-mail addresses and chat mentions become
 * placeholder tokens; digit runs collapse to `0` so "10:02" and "09:15" look alike.
 * @example words("Can't log in since 10:02") // ["can't", "log", "in", "since", "0", "0"]
 */
export function words(text, maxChars = Number.POSITIVE_INFINITY) {
    const t = (text.length > maxChars ? text.slice(0, maxChars) : text)
        .replace(URL_RE, ' xurlx ')
        .replace(EMAIL_RE, ' xemailx ')
        .replace(SLACK_MENTION_RE, ' xmentionx ')
        .toLowerCase();
    const out = [];
    for (const m of t.matchAll(WORD_RE)) {
        let w = m[0];
        if (w.endsWith("'"))
            w = w.replace(/'+$/, '');
        if (/^\d/.test(w))
            w = w.replace(/\d+/g, '0');
        out.push(w);
    }
    return out;
}
//# sourceMappingURL=text.js.map