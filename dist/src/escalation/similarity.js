/**
 * "Are these two tickets about the same thing?" — a small, explainable text similarity used by
 * the cluster escalation trigger (N similar tickets within M minutes) and the digest's
 * repeated-issue clusters. Full-text search finds candidates; this decides.
 */
const STOP = new Set(('a an and are as at be been but by can cannot could do does doing done for from get got has have having hi hello hey i if in into is it its ' +
    'just me my no not of on or our please so some that the their them then there these this those to too us was we were what when where which ' +
    'why will with would you your any all also anyone again still now today thanks thank help need since after before about up out').split(' '));
/** Lowercased distinctive words (3+ letters or digits, no stop words), lightly stemmed. */
export function distinctiveWords(text, max = 40) {
    const out = new Set();
    for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []) {
        if (STOP.has(raw))
            continue;
        out.add(stem(raw));
        if (out.size >= max)
            break;
    }
    return out;
}
/** Strip common English endings so "errors"/"error", "failing"/"fails" meet. */
function stem(w) {
    if (/^\d+$/.test(w))
        return w;
    for (const suf of ['ing', 'ed', 'es', 's'])
        if (w.length > suf.length + 3 && w.endsWith(suf))
            return w.slice(0, -suf.length);
    return w;
}
/** Minimum shared distinctive words and overlap (shared / smaller set) for two texts to count as similar. */
export const MIN_SHARED = 2;
export const MIN_OVERLAP = 0.5;
/**
 * Overlap coefficient of two word sets (shared / size of the smaller set), 0..1.
 * @example overlap(distinctiveWords('checkout fails 502'), distinctiveWords('502 on checkout again')) // 1
 */
export function overlap(a, b) {
    const [small, big] = a.size <= b.size ? [a, b] : [b, a];
    let shared = 0;
    for (const w of small)
        if (big.has(w))
            shared++;
    return { shared, score: small.size === 0 ? 0 : shared / small.size };
}
/** True when two word sets are similar enough to be "the same issue". */
export function isSimilar(a, b) {
    const o = overlap(a, b);
    return o.shared >= MIN_SHARED && o.score >= MIN_OVERLAP;
}
/**
 * Group items into clusters of similar texts (greedy, in the order given; each item joins the
 * first cluster whose seed it resembles). Only clusters of at least `minSize` are returned,
 * largest first. An inverted index keeps it near-linear for the few thousand tickets of a period.
 *
 * @example clusterTexts([{ id: 1, text: 'SSO login fails' }, { id: 2, text: 'login fails via SSO' }], 2) // [{ ids: [1, 2], words: [...] }]
 */
export function clusterTexts(items, minSize) {
    const seeds = [];
    const index = new Map();
    for (const it of items) {
        const words = distinctiveWords(it.text, 24);
        if (words.size < MIN_SHARED)
            continue;
        const tried = new Set();
        let joined = false;
        for (const w of words) {
            for (const s of index.get(w) ?? []) {
                if (tried.has(s))
                    continue;
                tried.add(s);
                const seed = seeds[s];
                if (isSimilar(words, seed.words)) {
                    seed.ids.push(it.id);
                    joined = true;
                    break;
                }
            }
            if (joined)
                break;
        }
        if (joined)
            continue;
        const n = seeds.push({ words, ids: [it.id] }) - 1;
        for (const w of words) {
            const list = index.get(w);
            if (list)
                list.push(n);
            else
                index.set(w, [n]);
        }
    }
    return seeds
        .filter((s) => s.ids.length >= minSize)
        .sort((a, b) => b.ids.length - a.ids.length)
        .map((s) => ({ ids: s.ids, words: [...s.words] }));
}
//# sourceMappingURL=similarity.js.map