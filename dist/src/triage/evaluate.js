import { PRIORITIES } from '../domain/types.js';
import { scorePart, stratifiedFolds } from './eval.js';
import { guessLanguage } from './language.js';
import { Learner } from './learner.js';
import { Triage } from './triage.js';
/** How many signals `--explain` shows per wrong field of a wrong answer. */
const EXPLAIN_SIGNALS = 4;
/**
 * Score `predict` on the lines; a field no line has gives null. With `explain`, the report
 * lists every wrong answer with the top signals behind it.
 */
export function scoreLines(lines, predict, categoryOrder = [], explain = false) {
    const cg = [];
    const cp = [];
    const pg = [];
    const pp = [];
    const langs = {};
    const misses = [];
    lines.forEach((l, i) => {
        const r = predict(l.text);
        const lang = l.lang ?? guessLanguage(l.text);
        const s = langs[lang] ?? { n: 0, c: 0, cn: 0, p: 0, pn: 0 };
        langs[lang] = s;
        s.n++;
        let wrong = false;
        if (l.category !== undefined) {
            cg.push(l.category);
            cp.push(r.category);
            s.cn++;
            if (l.category === r.category)
                s.c++;
            else
                wrong = true;
        }
        if (l.priority !== undefined) {
            pg.push(l.priority);
            pp.push(r.priority);
            s.pn++;
            if (l.priority === r.priority)
                s.p++;
            else
                wrong = true;
        }
        if (explain && wrong) {
            const gold = {};
            if (l.category !== undefined)
                gold.category = l.category;
            if (l.priority !== undefined)
                gold.priority = l.priority;
            misses.push({ line: l.line ?? i + 1, lang, text: l.text.length > 200 ? `${l.text.slice(0, 199)}…` : l.text, gold, predicted: { category: r.category, priority: r.priority }, signals: topSignals(r.signals ?? [], gold, r) });
        }
    });
    const by_language = {};
    for (const lang of Object.keys(langs).sort()) {
        const s = langs[lang];
        by_language[lang] = { n: s.n, category_accuracy: s.cn ? s.c / s.cn : null, priority_accuracy: s.pn ? s.p / s.pn : null };
    }
    const report = {
        n: lines.length,
        category: cg.length ? scorePart(cg, cp, categoryOrder) : null,
        priority: pg.length ? scorePart(pg, pp, PRIORITIES) : null,
        by_language,
    };
    if (explain)
        report.misses = misses;
    return report;
}
/** The signals behind the wrong field(s), strongest first, as "kind=value: label [source]". */
function topSignals(signals, gold, r) {
    const kinds = new Set();
    if (gold.category !== undefined && gold.category !== r.category)
        kinds.add('category');
    if (gold.priority !== undefined && gold.priority !== r.priority)
        kinds.add('priority');
    return [...kinds].flatMap((kind) => signals
        .filter((s) => s.kind === kind)
        .sort((a, b) => (b.weight ?? 1) - (a.weight ?? 1))
        .slice(0, EXPLAIN_SIGNALS)
        .map((s) => `${s.kind}=${s.value ?? ''}: ${s.label} [${s.source}]`));
}
/** Score the configured triage (rules + its learner) as it is. */
export function evaluateTriage(triage, lines, explain = false) {
    return scoreLines(lines, (text) => triage.classify({ text }), triage.categories, explain);
}
/**
 * A triage with a fresh learner trained on `train` only. Categories are limited to those seen
 * in `train` (all configured ones if it has none); priorities are clamped to the seen ones.
 */
export function freshTriage(config, train, opts = {}) {
    const seenCats = new Set(train.flatMap((l) => (l.category === undefined ? [] : [l.category])));
    const categories = seenCats.size
        ? [...config.categories.filter((c) => seenCats.has(c)), ...[...seenCats].filter((c) => !config.categories.includes(c)).sort()]
        : [...config.categories];
    const rules = opts.rules ?? true;
    const cfg = {
        ...config,
        categories,
        triage: { ...config.triage, learner: true, builtInRules: rules && config.triage.builtInRules, rules: rules ? config.triage.rules : [] },
    };
    const lo = { ...opts.learner };
    if (opts.seed !== undefined) {
        lo.category = { ...lo.category, seed: opts.seed };
        lo.priority = { ...lo.priority, seed: opts.seed };
    }
    const learner = new Learner(categories, lo);
    learner.train(train);
    const topts = { learner };
    if (opts.ruleEvidence !== undefined)
        topts.ruleEvidence = opts.ruleEvidence;
    if (opts.priorityEvidence !== undefined)
        topts.priorityEvidence = opts.priorityEvidence;
    const triage = new Triage(cfg, topts);
    const seenPri = PRIORITIES.filter((p) => train.some((l) => l.priority === p));
    return (text) => {
        const r = triage.classify({ text });
        return { category: r.category, priority: seenPri.length ? clamp(r.priority, seenPri) : r.priority, signals: r.signals };
    };
}
/** The seen priority nearest to p (ties go to the more urgent one). */
function clamp(p, seen) {
    if (seen.includes(p))
        return p;
    const r = PRIORITIES.indexOf(p);
    let best = seen[0];
    for (const s of seen)
        if (Math.abs(PRIORITIES.indexOf(s) - r) < Math.abs(PRIORITIES.indexOf(best) - r))
            best = s;
    return best;
}
/** Train a fresh learner on `train`, score on `test`. */
export function trainAndEvaluate(config, train, test, opts = {}) {
    return scoreLines(test, freshTriage(config, train, opts), categoryOrder(config, train), opts.explain);
}
/**
 * k-fold cross-validation: stratified (by category, else priority), seeded; a fresh learner per
 * fold; out-of-fold predictions are scored together.
 */
export function crossValidate(config, lines, k, opts = {}) {
    if (!Number.isInteger(k) || k < 2)
        throw new RangeError(`folds must be an integer of at least 2, got ${k}`);
    const folds = stratifiedFolds(lines.map((l) => l.category ?? l.priority), k, opts.seed ?? 42);
    const preds = new Array(lines.length);
    for (let f = 0; f < k; f++) {
        const train = lines.filter((_, i) => folds[i] !== f);
        const predict = freshTriage(config, train, opts);
        lines.forEach((l, i) => {
            if (folds[i] === f)
                preds[i] = predict(l.text);
        });
    }
    let i = 0;
    return scoreLines(lines, () => preds[i++], categoryOrder(config, lines), opts.explain);
}
function categoryOrder(config, lines) {
    const seen = new Set(lines.flatMap((l) => (l.category === undefined ? [] : [l.category])));
    return [...config.categories, ...[...seen].filter((c) => !config.categories.includes(c)).sort()];
}
//# sourceMappingURL=evaluate.js.map