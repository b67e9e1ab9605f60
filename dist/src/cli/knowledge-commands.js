/**
 * `frontdesk knowledge import|sync|search|list|remove|eval`: the team's known answers from the
 * terminal. Every command first refreshes the configured folders (knowledge.paths), so what it
 * shows is what the running desk would use.
 */
import { existsSync } from 'node:fs';
import { InputInvalidError } from '../domain/errors.js';
import { evaluateKnowledge, readKnowledgeEvalFile } from '../knowledge/eval.js';
import { createKnowledge } from '../knowledge/install.js';
import { AnswerMatcher, triageFacts } from '../knowledge/match.js';
import { openDatabase } from '../store/db.js';
import { createTriage } from '../triage/triage.js';
const MAX_BAD_LINES_SHOWN = 20;
/** Thresholds `knowledge eval --sweep` scores. */
const SWEEP = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];
function pad(s, n) {
    return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length);
}
const pct = (x) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
function warn(s) {
    process.stderr.write(`${s}\n`);
}
function printSync(r, out) {
    out(`${r.root}: ${r.files} file(s); ${r.added.length} added, ${r.updated.length} updated, ${r.removed.length} removed`);
    for (const id of r.added)
        out(`  + ${id}`);
    for (const id of r.updated)
        out(`  ~ ${id}`);
    for (const id of r.removed)
        out(`  - ${id}`);
}
function reportProblems(reports) {
    for (const r of reports)
        for (const p of r.problems)
            warn(`warning: ${p.message.startsWith(p.file) ? p.message : `${p.file}: ${p.message}`} (its previous answers, if any, are kept)`);
}
/** Open the knowledge base on the desk's database and refresh the configured folders. */
function open(ctx) {
    const k = createKnowledge(ctx.config, ctx.getDb(), ctx.clock);
    reportProblems(k.refresh());
    return k;
}
function printEval(r, source, out, showMistakes) {
    out(`${r.n} labelled request(s) from ${source}: ${r.answerable} with a known answer, ${r.unanswerable} without`);
    out(`offered:      ${r.offers} (${r.correct} right answer, ${r.wrong_answer} wrong answer, ${r.false_offers} where no answer fits)`);
    out(`precision:    ${pct(r.precision)}  (right answers among those offered)`);
    out(`coverage:     ${pct(r.coverage)}  (answerable requests offered the right answer)`);
    out(`false offers: ${pct(r.false_offer_rate)}  (requests without a known answer that got one)`);
    const declined = Object.entries(r.declined);
    if (declined.length)
        out(`not offered:  ${declined.map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`).join(', ')}`);
    if (!showMistakes || r.mistakes.length === 0)
        return;
    out('mistakes:');
    for (const m of r.mistakes)
        out(`  line ${m.line}: expected ${m.expected ?? 'none'}, offered ${m.offered ?? 'none'} — ${m.text.slice(0, 80)}\n      ${m.explanation}`);
}
/**
 * Register the `knowledge` command group.
 * @example registerKnowledgeCommands(program, new CliContext())
 */
export function registerKnowledgeCommands(program, ctx) {
    const k = program.command('knowledge').description('known answers the team wrote: import Markdown folders, search, list, remove, measure matching');
    k.command('import')
        .description('read a folder of Markdown answers (one per file or per "##" section) into the store; run it again after editing')
        .argument('<dir>', 'a folder of .md files')
        .action((dir) => {
        const knowledge = open(ctx);
        const r = knowledge.kb.syncFolder(dir);
        reportProblems([r]);
        printSync(r, ctx.out);
        ctx.out(`${knowledge.kb.repo.count()} known answer(s) in total.`);
    });
    k.command('sync')
        .description('re-read the folders under knowledge.paths now (the running desk does it on its schedule)')
        .action(() => {
        const knowledge = createKnowledge(ctx.config, ctx.getDb(), ctx.clock);
        if (ctx.config.knowledge.paths.length === 0)
            ctx.out('knowledge.paths is empty in the config; nothing to read.');
        const reports = knowledge.refresh();
        reportProblems(reports);
        for (const r of reports)
            printSync(r, ctx.out);
    });
    k.command('search')
        .description('the known answers that best match a text, and whether one would be offered (with the triage the desk would make)')
        .argument('<text...>', 'the request (quote it, or pass several words)')
        .option('--limit <n>', 'how many answers to show', '5')
        .option('--json', 'print {"decision", "results"}')
        .action((words, o) => {
        const text = words.join(' ');
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 50)
            throw new InputInvalidError(`--limit must be a whole number from 1 to 50, got "${o.limit}"`);
        if (text.length > ctx.config.limits.maxTextLength)
            throw new InputInvalidError(`the text is longer than ${ctx.config.limits.maxTextLength} characters`);
        const knowledge = open(ctx);
        const triage = createTriage(ctx.config, ctx.getDb()).classify({ text });
        const decision = knowledge.decideFor(text, triage);
        const results = knowledge.matcher.candidates(text, limit);
        if (o.json) {
            ctx.out(JSON.stringify({
                decision: { offer: decision.offer, answer_id: decision.answer?.id ?? null, score: decision.score, threshold: decision.threshold, declined: decision.declined, explanation: decision.explanation, triage: { category: triage.category, priority: triage.priority } },
                results: results.map((c) => ({ id: c.answer.id, title: c.answer.title, category: c.answer.category, score: c.score, relevance: c.relevance, coverage: c.coverage, title_coverage: c.titleCoverage, matched: c.matched })),
            }));
            return;
        }
        if (results.length === 0)
            ctx.out('no known answer shares words with that text.');
        for (const c of results)
            ctx.out(`${c.score.toFixed(2)}  ${pad(c.answer.id, 28)}${c.answer.title}  [${c.answer.category ?? 'any'}; matched ${c.matched.join(', ')}]`);
        ctx.out(`triage: ${triage.category}, ${triage.priority}`);
        ctx.out(decision.offer ? `would offer "${decision.answer.title}": ${decision.explanation}` : `would not offer an answer: ${decision.explanation}`);
    });
    k.command('list')
        .description('every known answer: id, category, where it comes from, title')
        .option('--json', 'print a JSON array')
        .action((o) => {
        const answers = open(ctx).kb.list();
        if (o.json) {
            ctx.out(JSON.stringify(answers.map((a) => ({ id: a.id, title: a.title, category: a.category, tags: a.tags, source: a.source, file: a.path, ticket_id: a.ticketId }))));
            return;
        }
        if (answers.length === 0)
            ctx.out('no known answers yet: `frontdesk knowledge import DIR`, knowledge.paths in the config, or `/ticket answer add` in chat.');
        const w = Math.max(10, ...answers.map((a) => a.id.length + 2));
        for (const a of answers)
            ctx.out(`${pad(a.id, w)}${pad(a.category ?? 'any', 17)}${pad(a.source === 'folder' ? 'file' : 'saved', 7)}${a.title}`);
    });
    k.command('remove')
        .description('remove an answer saved in chat (answers from files: edit or delete the file)')
        .argument('<id>', 'the answer id')
        .action((id) => {
        const a = open(ctx).kb.remove(id);
        ctx.out(`removed ${a.id} (${a.title})`);
    });
    k.command('eval')
        .description('score matching on labelled lines {"text", "answer_id"|null}: precision, coverage, false offers')
        .argument('<file>', 'a .jsonl file')
        .option('--dir <dir>', 'match against this folder only (in a scratch database; nothing is stored)')
        .option('--mistakes', 'list every request the matcher got wrong, with its explanation')
        .option('--sweep', 'also score thresholds from 0.30 to 0.90 (knowledge.match.threshold), to choose one')
        .option('--json', 'print one JSON object')
        .action((path, o) => {
        if (!existsSync(path))
            throw new InputInvalidError(`file ${path} does not exist`);
        const file = readKnowledgeEvalFile(path);
        if (file.bad.length) {
            warn(`${path}: skipped ${file.bad.length} bad line(s):`);
            for (const b of file.bad.slice(0, MAX_BAD_LINES_SHOWN))
                warn(`  line ${b.line}: ${b.problem}`);
        }
        if (file.lines.length === 0)
            throw new InputInvalidError(`${path} has no usable lines. Each line must be JSON like {"text": "How do I reset my password?", "answer_id": "reset-password"} (answer_id null when none fits).`);
        let knowledge;
        let source;
        if (o.dir) {
            const scratch = openDatabase(':memory:');
            knowledge = createKnowledge(ctx.config, scratch, ctx.clock);
            const r = knowledge.kb.syncFolder(o.dir);
            reportProblems([r]);
            source = `answers in ${o.dir}`;
        }
        else {
            knowledge = open(ctx);
            source = 'the desk’s known answers';
        }
        const ids = new Set(knowledge.kb.list().map((a) => a.id));
        const unknown = [...new Set(file.lines.map((l) => l.answerId).filter((id) => id !== null && !ids.has(id)))];
        if (unknown.length)
            throw new InputInvalidError(`${path}: unknown answer id(s) ${unknown.slice(0, 10).map((u) => `"${u}"`).join(', ')}${unknown.length > 10 ? ', …' : ''}; ${source} has ${ids.size} answer(s) (see \`frontdesk knowledge list\`)`);
        const triage = createTriage(ctx.config, o.dir ? undefined : ctx.getDb());
        const cache = new Map();
        const facts = (text) => {
            const hit = cache.get(text);
            if (hit)
                return hit;
            const f = triageFacts(ctx.config, text, triage.classify({ text }));
            cache.set(text, f);
            return f;
        };
        const report = evaluateKnowledge(knowledge.matcher, facts, file.lines);
        const sweep = o.sweep
            ? SWEEP.map((threshold) => {
                const r = evaluateKnowledge(new AnswerMatcher(knowledge.kb.repo, { ...ctx.config.knowledge.match, threshold }), facts, file.lines);
                return { threshold, precision: r.precision, coverage: r.coverage, false_offer_rate: r.false_offer_rate, offers: r.offers };
            })
            : undefined;
        if (o.json) {
            const { mistakes, ...rest } = report;
            ctx.out(JSON.stringify({ ...(o.mistakes ? report : rest), ...(sweep ? { sweep } : {}) }));
            return;
        }
        printEval(report, `${path} against ${source}`, ctx.out, Boolean(o.mistakes));
        if (sweep) {
            ctx.out('threshold  precision  coverage  false offers  offers');
            for (const s of sweep)
                ctx.out(`${pad(s.threshold.toFixed(2), 11)}${pad(pct(s.precision), 11)}${pad(pct(s.coverage), 10)}${pad(pct(s.false_offer_rate), 14)}${s.offers}`);
        }
    });
}
//# sourceMappingURL=knowledge-commands.js.map