/**
 * Scoring math for `frontdesk eval`: accuracy, per-class precision/recall/F1, macro-F1 and the
 * confusion matrix, plus seeded stratified k-fold assignment. Pure functions.
 */
import { rng, shuffle } from './linear-model.js';
/**
 * Score predictions against gold labels. Classes are those in `gold` or `pred`, listed in
 * `order` first, then alphabetically. Precision of a never-predicted class, recall of a class
 * absent from gold and F1 when both are 0 count as 0 (as scikit-learn's zero_division=0).
 * @example scorePart(['a', 'b'], ['a', 'a']).accuracy // 0.5
 */
export function scorePart(gold, pred, order = []) {
    if (gold.length !== pred.length)
        throw new Error(`scorePart: ${gold.length} gold labels but ${pred.length} predictions`);
    const present = new Set([...gold, ...pred]);
    const classes = [...order.filter((c) => present.has(c)), ...[...present].filter((c) => !order.includes(c)).sort()];
    const confusion = {};
    for (const g of classes) {
        confusion[g] = {};
        for (const p of classes)
            confusion[g][p] = 0;
    }
    let correct = 0;
    for (let i = 0; i < gold.length; i++) {
        const g = gold[i];
        const p = pred[i];
        confusion[g][p] = confusion[g][p] + 1;
        if (g === p)
            correct++;
    }
    const per_class = {};
    let f1sum = 0;
    for (const c of classes) {
        const tp = confusion[c][c];
        let predicted = 0;
        let support = 0;
        for (const o of classes) {
            predicted += confusion[o][c];
            support += confusion[c][o];
        }
        const precision = predicted ? tp / predicted : 0;
        const recall = support ? tp / support : 0;
        const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
        per_class[c] = { precision, recall, f1, support };
        f1sum += f1;
    }
    return { accuracy: gold.length ? correct / gold.length : 0, macro_f1: classes.length ? f1sum / classes.length : 0, per_class, confusion };
}
/**
 * Assign each item to one of k folds, stratified by label (unlabelled items form their own
 * group), deterministic for a seed.
 * @example stratifiedFolds(['a', 'a', 'b', 'b'], 2, 1) // each fold gets one 'a' and one 'b'
 */
export function stratifiedFolds(labels, k, seed = 42) {
    const groups = new Map();
    labels.forEach((l, i) => {
        const key = l ?? '\u0000';
        const g = groups.get(key) ?? [];
        g.push(i);
        groups.set(key, g);
    });
    const folds = new Array(labels.length).fill(0);
    const rand = rng(seed);
    let offset = 0;
    for (const key of [...groups.keys()].sort()) {
        const idx = shuffle(groups.get(key), rand);
        idx.forEach((i, j) => {
            folds[i] = (offset + j) % k;
        });
        offset += idx.length;
    }
    return folds;
}
/** Round every number in a part score (for printing). */
export function roundPart(p, digits = 4) {
    const r = (x) => Math.round(x * 10 ** digits) / 10 ** digits;
    const per_class = {};
    for (const [c, s] of Object.entries(p.per_class))
        per_class[c] = { precision: r(s.precision), recall: r(s.recall), f1: r(s.f1), support: s.support };
    return { accuracy: r(p.accuracy), macro_f1: r(p.macro_f1), per_class, confusion: p.confusion };
}
//# sourceMappingURL=eval.js.map