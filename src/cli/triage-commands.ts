/**
 * `frontdesk triage`, `frontdesk import` and `frontdesk eval`: offline triage of a message,
 * importing labelled history for the learner, and measuring triage on labelled lines.
 */
import { existsSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { FrontdeskConfig } from '../config/schema.js';
import { InputInvalidError } from '../domain/errors.js';
import { PRIORITIES } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { TrainingRepo } from '../store/training-repo.js';
import { type PartScore, roundPart } from '../triage/eval.js';
import { type EvalReport, crossValidate, evaluateTriage, trainAndEvaluate } from '../triage/evaluate.js';
import { type BadLine, type LabelledFile, describeLabels, readLabelledFile, unknownLabels } from '../triage/labelled-file.js';
import { createTriage } from '../triage/triage.js';

export interface TriageCliContext {
  getDb: () => Db;
  config: FrontdeskConfig;
  out: (s: string) => void;
  /** Warnings (bad lines, cut texts) go here, never into --json output. Default: stderr. */
  warn?: (s: string) => void;
  /** Accepted for symmetry with other command groups; triage builds its own (same as the core's). */
  getCore?: () => unknown;
}

/** Files with more lines than this get a progress bar (on a terminal). */
const PROGRESS_MIN_BYTES = 1_000_000;
const MAX_BAD_LINES_SHOWN = 20;

function pad(s: string, n: number): string {
  return s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length);
}

function progressBar(label: string): SingleBar {
  return new SingleBar({
    format: `${label} [{bar}] {percentage}% {value}/{total}`,
    stream: process.stdout,
    hideCursor: true,
    clearOnComplete: true,
  });
}

async function readFile(path: string, ctx: TriageCliContext, what: string): Promise<LabelledFile> {
  if (!existsSync(path)) throw new InputInvalidError(`${what} ${path} does not exist`);
  const showBar = Boolean(process.stdout.isTTY);
  let bar: SingleBar | null = null;
  const file = await readLabelledFile(path, {
    maxTextLength: ctx.config.limits.maxTextLength,
    onProgress: (bytes, total) => {
      if (!showBar || total < PROGRESS_MIN_BYTES) return;
      if (!bar) {
        bar = progressBar('reading');
        bar.start(total, 0);
      }
      bar.update(bytes);
    },
  });
  (bar as SingleBar | null)?.stop();
  reportBad(file.bad, path, ctx);
  if (file.truncated.length)
    warnOf(ctx)(`${path}: ${file.truncated.length} text(s) longer than ${ctx.config.limits.maxTextLength} characters were cut to that length (line ${file.truncated.slice(0, 5).join(', ')}${file.truncated.length > 5 ? ', …' : ''})`);
  if (file.lines.length === 0)
    throw new InputInvalidError(
      `${path} has no usable lines${file.bad.length ? ` (${file.bad.length} bad)` : ''}. Each line must be JSON like {"text": "...", "category": "bug", "priority": "P2"}.`,
    );
  return file;
}

function warnOf(ctx: TriageCliContext): (s: string) => void {
  return ctx.warn ?? ((s) => process.stderr.write(`${s}\n`));
}

function reportBad(bad: BadLine[], path: string, ctx: TriageCliContext): void {
  if (!bad.length) return;
  const warn = warnOf(ctx);
  warn(`${path}: skipped ${bad.length} bad line(s):`);
  for (const b of bad.slice(0, MAX_BAD_LINES_SHOWN)) warn(`  line ${b.line}: ${b.problem}`);
  if (bad.length > MAX_BAD_LINES_SHOWN) warn(`  … and ${bad.length - MAX_BAD_LINES_SHOWN} more`);
}

/** Throw an error naming every label outside the taxonomy (categories only if `categories`). */
function checkLabels(file: LabelledFile, categories: readonly string[] | null, path: string): void {
  const u = unknownLabels(file.lines, categories);
  const problems: string[] = [];
  if (u.category.size)
    problems.push(`unknown category label(s) ${describeLabels(u.category)}; known categories: ${categories?.join(', ')} (add them under "categories" in the config, or fix the file)`);
  if (u.priority.size) problems.push(`unknown priority label(s) ${describeLabels(u.priority)}; use ${PRIORITIES.join(', ')}`);
  if (problems.length) throw new InputInvalidError(`${path}: ${problems.join('; ')}`);
}

function printPart(name: string, part: PartScore | null, ctx: TriageCliContext): void {
  if (!part) {
    ctx.out(`${name}: no line has a ${name} label`);
    return;
  }
  const f = (x: number) => x.toFixed(3);
  ctx.out(`${name}: accuracy ${f(part.accuracy)}, macro-F1 ${f(part.macro_f1)}`);
  const classes = Object.keys(part.per_class);
  const w = Math.max(8, ...classes.map((c) => c.length + 2));
  ctx.out(`  ${pad('class', w)}${pad('precision', 11)}${pad('recall', 8)}${pad('f1', 7)}support`);
  for (const c of classes) {
    const s = part.per_class[c]!;
    ctx.out(`  ${pad(c, w)}${pad(f(s.precision), 11)}${pad(f(s.recall), 8)}${pad(f(s.f1), 7)}${s.support}`);
  }
  ctx.out('  confusion (rows: true label, columns: predicted)');
  const cw = Math.max(6, ...classes.map((c) => c.length + 1));
  ctx.out(`  ${pad('', w)}${classes.map((c) => pad(c, cw)).join('')}`);
  for (const g of classes) ctx.out(`  ${pad(g, w)}${classes.map((p) => pad(String(part.confusion[g]![p]), cw)).join('')}`);
}

/**
 * Register `triage`, `import` and `eval` on the program.
 * @example registerTriageCommands(program, { getDb, config, out: (s) => console.log(s) })
 */
export function registerTriageCommands(program: Command, ctx: TriageCliContext): void {
  program
    .command('triage')
    .description('triage a message offline: category, priority, the signals behind them, and whether it is a request')
    .argument('<text...>', 'the message (quote it, or pass several words)')
    .option('--json', 'print {"category","priority","signals","is_request"}')
    .action((words: string[], o: { json?: boolean }) => {
      const text = words.join(' ');
      if (text.length > ctx.config.limits.maxTextLength) throw new InputInvalidError(`the message is longer than ${ctx.config.limits.maxTextLength} characters`);
      const triage = createTriage(ctx.config, ctx.getDb());
      const r = triage.classify({ text });
      if (o.json) {
        ctx.out(JSON.stringify({ category: r.category, priority: r.priority, signals: r.signals, is_request: r.isRequest }));
        return;
      }
      ctx.out(`category:   ${r.category} (confidence ${r.confidence.category.toFixed(2)})`);
      ctx.out(`priority:   ${r.priority} (confidence ${r.confidence.priority.toFixed(2)})`);
      ctx.out(`is_request: ${r.isRequest}`);
      ctx.out('signals:');
      for (const s of r.signals) ctx.out(`  ${pad(s.kind, 10)}${pad(s.value ?? '', 17)}${s.label}  [${s.source}]`);
    });

  program
    .command('import')
    .description('import labelled history ({"text", "category"?, "priority"?} per line) into the training examples and train the learner')
    .argument('<file>', 'a .jsonl file')
    .action(async (path: string) => {
      const file = await readFile(path, ctx, 'file');
      checkLabels(file, ctx.config.categories, path);
      const db = ctx.getDb();
      const repo = new TrainingRepo(db);
      const showBar = Boolean(process.stdout.isTTY) && file.lines.length >= 5000;
      const bar = showBar ? progressBar('storing') : null;
      bar?.start(file.lines.length, 0);
      const n = repo.addMany(
        file.lines.map((l) => ({ text: l.text, category: l.category ?? null, priority: (l.priority as (typeof PRIORITIES)[number] | undefined) ?? null, source: 'import' })),
        Date.now(),
        (done) => bar?.update(done),
      );
      bar?.stop();
      ctx.out(`imported ${n} example(s) from ${path}${file.bad.length ? ` (${file.bad.length} bad line(s) skipped)` : ''}; ${repo.count()} stored in total.`);
      if (ctx.config.triage.learner) {
        ctx.out('training the learner…');
        const triage = createTriage(ctx.config, db);
        const learner = triage.learner!;
        ctx.out(
          `learner trained on ${learner.category.seen} category and ${learner.priority.seen} priority example(s) (shipped seed examples included). A running frontdesk picks them up at its next start.`,
        );
      } else ctx.out('the learner is off in the config (triage.learner: false); examples were stored for later.');
    });

  program
    .command('eval')
    .description('score triage on labelled lines: accuracy, macro-F1, per-class precision/recall/F1 and confusion, for category and priority')
    .argument('<file>', 'a .jsonl file of {"text", "category"?, "priority"?}')
    .option('--train <file>', 'train a fresh learner on this file only (nothing is stored) and evaluate on <file>')
    .option('--folds <k>', 'k-fold cross-validation on <file> with a fresh learner per fold (nothing is stored)')
    .option('--no-rules', 'with --train/--folds: the learner alone, without the phrase rules')
    .option('--seed <n>', 'with --folds: which lines go to which fold; with --train/--folds: the learner\'s shuffling (default: folds 42, the learner\'s own seed)')
    .option('--explain', 'also list every wrong answer with the top signals behind it')
    .option('--json', 'print one JSON object {"n","category","priority","by_language"} (+ "priority_confidence" and "priority_urgent" when lines have a priority, + "misses" with --explain)')
    .action(async (path: string, o: { train?: string; folds?: string; seed?: string; rules: boolean; json?: boolean; explain?: boolean }) => {
      if (o.train && o.folds) throw new InputInvalidError('use either --train or --folds, not both');
      let seed: number | undefined;
      if (o.seed !== undefined) {
        seed = Number(o.seed);
        if (!Number.isInteger(seed) || seed < 0) throw new InputInvalidError(`--seed must be a whole number of at least 0, got "${o.seed}"`);
        if (!o.train && o.folds === undefined) throw new InputInvalidError('--seed only applies with --train or --folds');
      }
      let folds: number | null = null;
      if (o.folds !== undefined) {
        folds = Number(o.folds);
        if (!Number.isInteger(folds) || folds < 2) throw new InputInvalidError(`--folds must be a whole number of at least 2, got "${o.folds}"`);
      }
      const fresh = Boolean(o.train) || folds !== null;
      const file = await readFile(path, ctx, 'file');
      checkLabels(file, fresh ? null : ctx.config.categories, path);
      let report: EvalReport;
      let mode: string;
      if (o.train) {
        const train = await readFile(o.train, ctx, '--train file');
        checkLabels(train, null, o.train);
        report = trainAndEvaluate(ctx.config, train.lines, file.lines, { rules: o.rules, explain: Boolean(o.explain), ...(seed === undefined ? {} : { seed }) });
        mode = `fresh learner trained on ${train.lines.length} line(s) of ${o.train}`;
      } else if (folds !== null) {
        if (folds > file.lines.length) throw new InputInvalidError(`--folds ${folds} is more than the ${file.lines.length} usable line(s)`);
        report = crossValidate(ctx.config, file.lines, folds, { rules: o.rules, explain: Boolean(o.explain), ...(seed === undefined ? {} : { seed }) });
        mode = `${folds}-fold cross-validation${seed === undefined ? '' : ` (seed ${seed})`}, fresh learner per fold`;
      } else {
        report = evaluateTriage(createTriage(ctx.config, ctx.getDb()), file.lines, Boolean(o.explain));
        mode = 'configured triage (rules + learner from the database)';
      }
      const r4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);
      const by_language = Object.fromEntries(
        Object.entries(report.by_language).map(([l, s]) => [l, { n: s.n, category_accuracy: r4(s.category_accuracy), priority_accuracy: r4(s.priority_accuracy) }]),
      );
      const out = {
        n: report.n,
        category: report.category && roundPart(report.category),
        priority: report.priority && roundPart(report.priority),
        by_language,
        ...(report.priority_confidence
          ? {
              priority_confidence: {
                low: { n: report.priority_confidence.low.n, accuracy: r4(report.priority_confidence.low.accuracy) },
                confident: { n: report.priority_confidence.confident.n, accuracy: r4(report.priority_confidence.confident.accuracy) },
              },
            }
          : {}),
        ...(report.priority_urgent
          ? {
              priority_urgent: {
                support: report.priority_urgent.support,
                exact_recall: r4(report.priority_urgent.exact_recall),
                grouped_recall: r4(report.priority_urgent.grouped_recall),
                grouped_precision: r4(report.priority_urgent.grouped_precision),
              },
            }
          : {}),
        ...(report.misses ? { misses: report.misses } : {}),
      };
      if (o.json) {
        ctx.out(JSON.stringify(out));
        return;
      }
      ctx.out(`${out.n} labelled line(s) from ${path}; ${mode}${fresh && !o.rules ? ', rules off' : ''}`);
      printPart('category', out.category, ctx);
      printPart('priority', out.priority, ctx);
      ctx.out('by language (accuracy; language from the line\'s "lang" field, else guessed)');
      ctx.out(`  ${pad('lang', 6)}${pad('n', 7)}${pad('category', 10)}priority`);
      const f = (x: number | null) => (x === null ? '-' : x.toFixed(3));
      for (const [l, s] of Object.entries(by_language)) ctx.out(`  ${pad(l, 6)}${pad(String(s.n), 7)}${pad(f(s.category_accuracy), 10)}${f(s.priority_accuracy)}`);
      if (out.priority_confidence) {
        const { low, confident } = out.priority_confidence;
        const f3 = (x: number | null) => (x === null ? '-' : x.toFixed(3));
        ctx.out(`priority marked "low confidence": ${low.n} line(s), accuracy ${f3(low.accuracy)}; the other ${confident.n}: accuracy ${f3(confident.accuracy)}`);
      }
      if (out.priority_urgent && out.priority_urgent.support > 0) {
        const u = out.priority_urgent;
        const f3 = (x: number | null) => (x === null ? '-' : x.toFixed(3));
        ctx.out(
          `urgent (P0+P1, ${u.support} line(s)): recall ${f3(u.exact_recall)} exact, ${f3(u.grouped_recall)} counting a P0 answered P1 or the reverse; precision of P0/P1 answers ${f3(u.grouped_precision)}`,
        );
      }
      if (report.misses) {
        ctx.out(`wrong answers (${report.misses.length}):`);
        for (const m of report.misses) {
          const want = [m.gold.category, m.gold.priority].filter(Boolean).join('/');
          ctx.out(`  line ${m.line} [${m.lang}] expected ${want}, got ${m.predicted.category}/${m.predicted.priority}: ${m.text.replace(/\s+/g, ' ').slice(0, 100)}`);
          for (const sg of m.signals) ctx.out(`      ${sg}`);
        }
      }
    });
}
