import { BUILT_IN_RULES } from './built-in-rules.js';
/** Category weight of config rules: large enough to beat any learner score. */
export const CONFIG_RULE_WEIGHT = 1000;
const WORD_CHAR = '[\\p{L}\\p{N}_]';
function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
/**
 * Compile rule `match` entries: `/.../` entries are regular expressions (case-insensitive);
 * everything else is a phrase, matched case-insensitively on word boundaries with any
 * whitespace between its words.
 * @example compileMatchers(['all users', '/\\bsev ?1\\b/'])
 */
export function compileMatchers(match) {
    const out = [];
    const phrases = [];
    for (const m of match) {
        if (m.length > 2 && m.startsWith('/') && m.endsWith('/'))
            out.push(new RegExp(m.slice(1, -1), 'i'));
        else if (m.trim())
            phrases.push(m.trim());
    }
    if (phrases.length) {
        const body = phrases
            .sort((a, b) => b.length - a.length)
            .map((p) => p.split(/\s+/).map(escapeRegExp).join('\\s+'))
            .join('|');
        out.unshift(new RegExp(`(?<!${WORD_CHAR})(?:${body})(?!${WORD_CHAR})`, 'iu'));
    }
    return out;
}
const TOKEN_RE = /[\p{L}\p{N}_]+/gu;
/** First word of each phrase entry, lower-cased; null if some phrase starts without a word. */
export function phraseHeads(match) {
    const heads = new Set();
    for (const m of match) {
        if (m.length > 2 && m.startsWith('/') && m.endsWith('/'))
            continue;
        const t = m.trim().toLowerCase();
        if (!t)
            continue;
        const first = t.match(TOKEN_RE)?.[0];
        if (!first || !t.startsWith(first))
            return null;
        heads.add(first);
    }
    return heads.size ? heads : null;
}
function withHeads(rule, match) {
    const heads = phraseHeads(match);
    if (heads)
        rule.phraseHeads = heads;
    return rule;
}
/**
 * Build the rule list for a config: built-in rules (if `triage.builtInRules`) then
 * `triage.rules`. Category hints outside `categories` are dropped (the rule still counts for
 * priority).
 */
export function compileRules(config, categories = config.categories) {
    const cats = new Set(categories);
    const rules = [];
    if (config.triage.builtInRules) {
        for (const r of BUILT_IN_RULES) {
            const rule = withHeads({ id: r.id, origin: 'builtin', patterns: compileMatchers(r.match), weight: r.weight ?? 0 }, r.match);
            if (r.category && cats.has(r.category))
                rule.category = r.category;
            if (r.atLeast)
                rule.atLeast = r.atLeast;
            if (r.suggest)
                rule.suggest = r.suggest;
            if (r.tag)
                rule.tag = r.tag;
            if (r.label)
                rule.label = r.label;
            if (r.dominant)
                rule.dominant = true;
            if (!rule.category && !rule.atLeast && !rule.suggest && !rule.tag)
                continue;
            rules.push(rule);
        }
    }
    for (const r of config.triage.rules) {
        const rule = withHeads({ id: r.id, origin: 'config', patterns: compileMatchers(r.match), weight: CONFIG_RULE_WEIGHT }, r.match);
        if (r.category && cats.has(r.category))
            rule.category = r.category;
        if (r.priority)
            rule.priority = r.priority;
        if (r.atLeast)
            rule.atLeast = r.atLeast;
        if (r.label)
            rule.label = r.label;
        rules.push(rule);
    }
    return rules;
}
/** Every rule the text matches, in rule order, with the first phrase that matched. */
export function matchRules(rules, text) {
    const hits = [];
    const tokens = new Set(text.toLowerCase().match(TOKEN_RE));
    for (const rule of rules) {
        for (let i = 0; i < rule.patterns.length; i++) {
            const re = rule.patterns[i];
            if (i === 0 && rule.phraseHeads && !hasAny(rule.phraseHeads, tokens))
                continue;
            const m = re.exec(text);
            if (m) {
                hits.push({ rule, phrase: m[0].replace(/\s+/g, ' ').toLowerCase() });
                break;
            }
        }
    }
    return hits;
}
function hasAny(heads, tokens) {
    if (tokens.size < heads.size) {
        for (const t of tokens)
            if (heads.has(t))
                return true;
        return false;
    }
    for (const h of heads)
        if (tokens.has(h))
            return true;
    return false;
}
//# sourceMappingURL=rules.js.map