/**
 * Redaction: secrets and personal data are replaced with placeholders such as `[email]` before any
 * text leaves the process (for example to Claude). Pure string work, no I/O.
 *
 * Detected: emails, phone numbers, payment card numbers (Luhn-checked), API keys and tokens
 * (sk-…, xox[bpa…]-…, ghp_…/github_pat_…, AKIA…/ASIA…, `Bearer …`, JWTs), password and secret
 * assignments (`password: x`, `pwd=x`, `api_key=x`), IBANs (mod-97-checked), plus any extra
 * regular expressions from `config.ai.redactPatterns` (replaced with `[redacted]`).
 */
const placeholder = (kind) => `[${kind}]`;
/** Luhn checksum, used to tell card numbers from other long digit runs. */
export function luhnValid(digits) {
    let sum = 0;
    let double = false;
    for (let i = digits.length - 1; i >= 0; i--) {
        let d = digits.charCodeAt(i) - 48;
        if (d < 0 || d > 9)
            return false;
        if (double) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        double = !double;
    }
    return digits.length > 0 && sum % 10 === 0;
}
/** ISO 13616 mod-97 check for IBANs (spaces ignored). */
export function ibanValid(iban) {
    const s = iban.replace(/\s+/g, '').toUpperCase();
    if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s))
        return false;
    const rearranged = s.slice(4) + s.slice(0, 4);
    let rem = 0;
    for (const ch of rearranged) {
        const code = ch.charCodeAt(0);
        const value = code >= 65 ? String(code - 55) : ch;
        for (const digit of value)
            rem = (rem * 10 + (digit.charCodeAt(0) - 48)) % 97;
    }
    return rem === 1;
}
const DATE_LIKE = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(\s|$)/;
const DOTTED_QUAD = /^\d{1,3}(\.\d{1,3}){3}$/;
/** Heuristic phone check on a candidate digit run (see tests for what is and is not a phone). */
function looksLikePhone(candidate) {
    const digits = candidate.replace(/\D/g, '');
    const international = candidate.startsWith('+') || candidate.startsWith('00');
    if (DATE_LIKE.test(candidate) || DOTTED_QUAD.test(candidate))
        return false;
    if (/^\d+\.\d+$/.test(candidate))
        return false; // a decimal number
    if (international)
        return digits.length >= 8 && digits.length <= 15;
    if (digits.length < 10 || digits.length > 12)
        return false;
    const groups = candidate.split(/[\s().-]+/).filter(Boolean);
    if (groups.length > 4)
        return false;
    // "404 500 503 502": lists of three-digit codes are not phone numbers.
    if (groups.length > 1 && groups.every((g) => g.length === 3))
        return false;
    return true;
}
/** Built-in rules, applied in this order (earlier rules win: a token inside a URL is not also a phone). */
const BUILT_IN = [
    // Authorization headers (before the key=value rules so "token: Bearer x" keeps its shape).
    { kind: 'token', re: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, replace: (_m, g) => `${g[0]} [token]` },
    // Password / secret assignments: keep the key, hide the value. Also JSON ("password": "x").
    {
        kind: 'password',
        re: /\b(password|passwd|passwort|pwd|passcode)(["']?\s*[:=]\s*|\s+is\s+)("[^"\n]*"|'[^'\n]*'|[^\s,;]+)/gi,
        replace: (_m, g) => `${g[0]}${g[1]}[password]`,
    },
    {
        kind: 'secret',
        re: /\b(pass|secret|client_secret|api[_-]?key|access[_-]?token|auth[_-]?token|token|private[_-]?key)(["']?\s*[:=]\s*)("[^"\n]*"|'[^'\n]*'|[^\s,;]+)/gi,
        replace: (_m, g) => (/^["']?(\[|Bearer$|Basic$)/.test(g[2] ?? '') ? null : `${g[0]}${g[1]}[secret]`),
    },
    // JSON Web Tokens.
    { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, replace: () => placeholder('jwt') },
    // Vendor API keys and tokens.
    { kind: 'api_key', re: /\bsk-[A-Za-z0-9_-]{16,}/g, replace: () => placeholder('api_key') },
    { kind: 'api_key', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: () => placeholder('api_key') },
    { kind: 'api_key', re: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, replace: () => placeholder('api_key') },
    { kind: 'api_key', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: () => placeholder('api_key') },
    { kind: 'api_key', re: /\b(?:glpat-[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,})/g, replace: () => placeholder('api_key') },
    // Emails.
    { kind: 'email', re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, replace: () => placeholder('email') },
    // IBANs (with or without groups of four).
    {
        kind: 'iban',
        re: /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b/g,
        replace: (m) => (ibanValid(m) ? placeholder('iban') : null),
    },
    // Payment cards: 13–19 digits, optionally in groups, Luhn-valid.
    {
        kind: 'card',
        re: /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g,
        replace: (m) => {
            const digits = m.replace(/\D/g, '');
            return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? placeholder('card') : null;
        },
    },
    // Phone numbers.
    {
        kind: 'phone',
        re: /(?<![\w@/:.+-])(?:\+|00)?\(?\d[\d ().-]{6,20}\d(?![\w@/-]|\.\d)/g,
        replace: (m) => (looksLikePhone(m) ? placeholder('phone') : null),
    },
];
/**
 * Build a redactor with the built-in rules plus extra patterns (from `config.ai.redactPatterns`).
 * Extra patterns are compiled with the `g` flag; their matches become `[redacted]`.
 *
 * @example
 * const redact = createRedactor(['ACME-\\d{6}']);
 * redact('mail bob@example.com about ACME-123456').text // 'mail [email] about [redacted]'
 */
export function createRedactor(extraPatterns = []) {
    const rules = [
        ...extraPatterns.map((p) => ({ kind: 'custom', re: new RegExp(p, 'g'), replace: () => '[redacted]' })),
        ...BUILT_IN,
    ];
    return (input) => {
        const counts = {};
        let text = input;
        for (const rule of rules) {
            rule.re.lastIndex = 0;
            text = text.replace(rule.re, (match, ...rest) => {
                if (match.length === 0)
                    return match;
                // rest = [...capture groups, offset, whole input]; keep only the capture groups.
                const groups = rest.slice(0, -2);
                const out = rule.replace(match, groups);
                if (out === null)
                    return match;
                counts[rule.kind] = (counts[rule.kind] ?? 0) + 1;
                return out;
            });
        }
        const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
        return { text, counts, total };
    };
}
/**
 * Redact one text with the built-in rules and optional extra patterns.
 *
 * @example
 * redact('call +49 30 1234567, key sk-ant-abcdefghijklmnop1234').text
 * // 'call [phone], key [api_key]'
 */
export function redact(text, extraPatterns = []) {
    return createRedactor(extraPatterns)(text);
}
/** Add one set of counts into another (for logging totals over several texts). */
export function mergeCounts(into, from) {
    for (const [k, v] of Object.entries(from))
        into[k] = (into[k] ?? 0) + v;
}
//# sourceMappingURL=redact.js.map