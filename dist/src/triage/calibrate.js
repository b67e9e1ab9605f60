/**
 * Decision offsets tuned by cross-validation: after a head is trained, per-class log-space
 * offsets are chosen on out-of-fold predictions to maximise macro-F1. That is what lets a
 * skewed head (priority: most history is "P2") still name the rare urgent classes when the
 * text says so — class weights alone either miss them or flood them.
 */
import { LinearModel } from './linear-model.js';
export const DEFAULT_TUNE = { folds: 4, range: 3, step: 0.25, minExamples: 500, maxExamples: 5_000, shrink: 0.5, rounds: 1 };
/**
 * Tune `model.offsets` on out-of-fold predictions of models trained like it. Call after
 * `model.fit(ys, ws, xs)`; returns false (offsets left at 0) when there is too little or too
 * much data, or fewer than two classes.
 */
export function tuneOffsets(model, ys, ws, xs, opts = DEFAULT_TUNE) {
    const labelled = [];
    for (let i = 0; i < ys.length; i++)
        if (ys[i] >= 0)
            labelled.push(i);
    const k = model.k;
    const present = new Set(labelled.map((i) => ys[i]));
    if (labelled.length < opts.minExamples || labelled.length > opts.maxExamples || present.size < 2)
        return false;
    // Deterministic stratified folds: the j-th example of each class goes to fold j mod folds.
    const fold = new Int32Array(ys.length).fill(-1);
    const seenPerClass = new Int32Array(k);
    for (const i of labelled) {
        const y = ys[i];
        fold[i] = seenPerClass[y] % opts.folds;
        seenPerClass[y] = seenPerClass[y] + 1;
    }
    const logp = new Array(ys.length);
    const inner = new LinearModel(model.labels, model.dim, model.opts);
    for (let f = 0; f < opts.folds; f++) {
        const train = Int32Array.from(ys, (y, i) => (fold[i] === f ? -1 : y));
        inner.fit(train, ws, xs);
        for (const i of labelled) {
            if (fold[i] !== f)
                continue;
            const p = inner.predict(xs(i));
            logp[i] = p.map((q) => Math.log(Math.max(q, 1e-9)));
        }
    }
    const gold = labelled.map((i) => ys[i]);
    const rows = labelled.map((i) => logp[i]);
    const off = new Float64Array(k);
    let best = macroF1(rows, gold, off, k);
    for (let round = 0; round < opts.rounds; round++) {
        let improved = false;
        for (let c = 0; c < k; c++) {
            if (!present.has(c))
                continue;
            const keep = off[c];
            let bestV = keep;
            for (let v = -opts.range; v <= opts.range + 1e-9; v += opts.step) {
                off[c] = v;
                const s = macroF1(rows, gold, off, k);
                if (s > best + 1e-9) {
                    best = s;
                    bestV = v;
                    improved = true;
                }
            }
            off[c] = bestV;
        }
        if (!improved)
            break;
    }
    model.offsets.set(off.map((v) => v * opts.shrink));
    return true;
}
/** Macro-F1 over the classes present in `gold`, predicting argmax(row + off). */
function macroF1(rows, gold, off, k) {
    const tp = new Float64Array(k);
    const predicted = new Float64Array(k);
    const support = new Float64Array(k);
    for (let r = 0; r < rows.length; r++) {
        const row = rows[r];
        let bi = 0;
        let bv = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < k; c++) {
            const v = row[c] + off[c];
            if (v > bv) {
                bv = v;
                bi = c;
            }
        }
        const g = gold[r];
        predicted[bi] = predicted[bi] + 1;
        support[g] = support[g] + 1;
        if (bi === g)
            tp[g] = tp[g] + 1;
    }
    let sum = 0;
    let n = 0;
    for (let c = 0; c < k; c++) {
        if (support[c] === 0)
            continue;
        n++;
        const prec = predicted[c] ? tp[c] / predicted[c] : 0;
        const rec = tp[c] / support[c];
        sum += prec + rec ? (2 * prec * rec) / (prec + rec) : 0;
    }
    return n ? sum / n : 0;
}
//# sourceMappingURL=calibrate.js.map