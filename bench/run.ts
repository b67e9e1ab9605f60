/**
 * `npm run bench`: every benchmark in bench/, one after the other, then peak RSS.
 * Benchmarks only talk to 127.0.0.1 and stop by themselves. Figures go in the issue notes.
 */
import { existsSync } from 'node:fs';

type Bench = () => Promise<Record<string, number | string>>;

const SUITES: [string, string, string][] = [
  ['core', './core.bench.ts', 'runCoreBench'],
  ['triage', './triage.bench.ts', 'runTriageBench'],
  ['slack', './slack.bench.ts', 'runSlackBench'],
  ['ingest-crash', './ingest-crash.bench.ts', 'runIngestCrashBench'],
  ['sla + digest', './sla.bench.ts', 'runSlaBench'],
  ['outbox', './outbox.bench.ts', 'runOutboxBench'],
  ['metrics', './metrics.bench.ts', 'runMetricsBench'],
  ['hear-back', './hear-back.bench.ts', 'runHearBackBench'],
  ['store (both engines, replicas)', './store-engines.bench.ts', 'runStoreBench'],
];

const only = process.argv.slice(2);
for (const [name, file, fn] of SUITES) {
  if (only.length && !only.includes(name.split(' ')[0]!)) continue;
  if (!existsSync(new URL(file, import.meta.url))) continue;
  const mod = (await import(file)) as Record<string, Bench>;
  const started = performance.now();
  const res = await mod[fn]!();
  console.log(`\n## ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  for (const [k, v] of Object.entries(res)) console.log(`  ${k.padEnd(60)} ${v}`);
}
console.log(`\npeak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
