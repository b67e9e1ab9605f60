/**
 * Hashed text features for the learner: word unigrams + bigrams and character 3–5-grams
 * (inside word boundaries), an optional title block, and a structure block (an issue template's
 * form fields and the text's shape, see structure.ts); sublinear term frequency, each block
 * L2-normalised and weighted.
 * Memory is fixed by the bucket count (2^bits), whatever the vocabulary.
 */
import { structureTokens } from './structure.js';
import { words } from './text.js';
export const DEFAULT_FEATURES = {
    bits: 18,
    wordWeight: 1,
    charWeight: 1,
    charMin: 3,
    charMax: 5,
    maxChars: 6000,
    maxWordLength: 24,
    titleWeight: 0,
    titleChars: 200,
    structureWeight: 0.5,
};
const SEED_WORD = 0x811c9dc5;
const SEED_BIGRAM = 0x9e3779b1;
const SEED_CHAR = 0x27d4eb2f;
const SEED_TITLE = 0x165667b1;
const SEED_STRUCTURE = 0x3c6ef372;
/** FNV-1a over s[start, end) with a seed, finished with a murmur-style mix. */
function hashRange(s, start, end, seed) {
    let h = seed >>> 0;
    for (let i = start; i < end; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h >>> 0;
}
function mix2(a, b) {
    let h = (Math.imul(a, 0x9e3779b1) ^ b) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return h >>> 0;
}
/**
 * Turns text into sparse hashed vectors. Keeps one scratch buffer, so it is cheap per call but
 * not re-entrant (one extractor per model).
 * @example new FeatureExtractor().extract('Production is down')
 */
export class FeatureExtractor {
    opts;
    dim;
    mask;
    scratch;
    touched;
    constructor(opts = {}) {
        this.opts = { ...DEFAULT_FEATURES, ...opts };
        this.dim = 2 ** this.opts.bits;
        this.mask = this.dim - 1;
        this.scratch = new Float32Array(this.dim);
        this.touched = new Int32Array(1024);
    }
    /** Extract features; with `explain` also returns word unigram buckets. */
    extract(text, explain = false) {
        const toks = words(text, this.opts.maxChars);
        const idx = [];
        const val = [];
        let n = 0;
        const unigrams = explain ? [] : undefined;
        // Word unigrams and bigrams.
        let prev = -1;
        for (const w of toks) {
            const h = hashRange(w, 0, w.length, SEED_WORD);
            const b = h & this.mask;
            n = this.bump(b, n);
            unigrams?.push({ token: w, bucket: b });
            if (prev >= 0)
                n = this.bump(mix2(prev ^ SEED_BIGRAM, h) & this.mask, n);
            prev = h;
        }
        this.flush(n, idx, val);
        const split = idx.length;
        // Character n-grams inside word boundaries (" word ").
        n = 0;
        if (this.opts.charWeight > 0) {
            const { charMin, charMax, maxWordLength } = this.opts;
            for (const w of toks) {
                if (w.length > maxWordLength)
                    continue;
                const p = ` ${w} `;
                for (let len = charMin; len <= charMax; len++) {
                    for (let i = 0; i + len <= p.length; i++)
                        n = this.bump(hashRange(p, i, i + len, SEED_CHAR + len) & this.mask, n);
                }
            }
            this.flush(n, idx, val);
        }
        const split2 = idx.length;
        // Title: the first line's words, apart from the body.
        if (this.opts.titleWeight > 0) {
            const nl = text.indexOf('\n');
            const first = nl < 0 ? text : text.slice(0, nl);
            const tt = words(first, this.opts.titleChars);
            n = 0;
            prev = -1;
            for (const w of tt) {
                const h = hashRange(w, 0, w.length, SEED_TITLE);
                n = this.bump(h & this.mask, n);
                if (prev >= 0)
                    n = this.bump(mix2(prev ^ SEED_BIGRAM, h) & this.mask, n);
                prev = h;
            }
            this.flush(n, idx, val);
        }
        const split3 = idx.length;
        // Structure: form fields and the shape of the text.
        if (this.opts.structureWeight > 0) {
            n = 0;
            for (const t of structureTokens(text, this.opts.maxChars))
                n = this.bump(hashRange(t, 0, t.length, SEED_STRUCTURE) & this.mask, n);
            this.flush(n, idx, val);
        }
        const out = { idx: Int32Array.from(idx), val: Float32Array.from(val), split, split2, split3 };
        if (unigrams)
            out.unigrams = unigrams;
        this.normalize(out, this.idf);
        return out;
    }
    bump(b, n) {
        if (this.scratch[b] === 0) {
            if (n === this.touched.length) {
                const bigger = new Int32Array(n * 2);
                bigger.set(this.touched);
                this.touched = bigger;
            }
            this.touched[n++] = b;
        }
        this.scratch[b] = (this.scratch[b] ?? 0) + 1;
        return n;
    }
    /** Append sublinear tf (1 + ln count) of the touched buckets and clear the scratch. */
    flush(n, idx, val) {
        for (let k = 0; k < n; k++) {
            const b = this.touched[k];
            idx.push(b);
            val.push(1 + Math.log(this.scratch[b]));
            this.scratch[b] = 0;
        }
    }
    /** Optional inverse document frequency per bucket, applied before normalisation. */
    idf = null;
    /**
     * A copy of normalised features `x` with each entry multiplied by `w[bucket]` and each block
     * normalised again (the same as weighting by `w` before the first normalisation).
     */
    reweight(x, w) {
        const val = new Float32Array(x.val.length);
        for (let j = 0; j < val.length; j++)
            val[j] = x.val[j] * w[x.idx[j]];
        const y = { idx: x.idx, val, split: x.split, split2: x.split2, split3: x.split3 };
        this.normalize(y, null);
        return y;
    }
    /** Multiply by idf (if any), L2-normalise each block and scale it by its weight, in place. */
    normalize(x, idf) {
        this.block(x, 0, x.split, this.opts.wordWeight, idf);
        this.block(x, x.split, x.split2, this.opts.charWeight, idf);
        this.block(x, x.split2, x.split3, this.opts.titleWeight, idf);
        this.block(x, x.split3, x.idx.length, this.opts.structureWeight, idf);
    }
    block(x, from, to, weight, idf) {
        let sq = 0;
        for (let j = from; j < to; j++) {
            const v = idf ? x.val[j] * idf[x.idx[j]] : x.val[j];
            x.val[j] = v;
            sq += v * v;
        }
        const scale = sq > 0 ? weight / Math.sqrt(sq) : 0;
        for (let j = from; j < to; j++)
            x.val[j] = x.val[j] * scale;
    }
}
//# sourceMappingURL=features.js.map