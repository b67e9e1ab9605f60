/**
 * Triage benchmark: classify throughput on chat-sized messages (and long ones), by wall clock and
 * by CPU time, start-up training time with seeds and with stored history, and the cost of
 * learning a correction.
 * Run with `npx tsx bench/triage.bench.ts` or as part of `npm run bench`.
 */
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../src/config/load-config.js';
import { openDatabase } from '../src/store/db.js';
import { TrainingRepo } from '../src/store/training-repo.js';
import { rng } from '../src/triage/linear-model.js';
import { createTriage, seedExamples } from '../src/triage/triage.js';

const OPENERS = ['', 'hi, ', 'hey team, ', 'good morning! ', 'urgent: ', '@support ', 'quick one: '];
const CLOSERS = ['', ' thanks', ' since 10:02', ' for acme corp', ' (ticket from yesterday)', ' please help', ' 🙏'];

/** Chat-like messages: the seed texts with varied openers, closers and numbers. */
function corpus(n: number): string[] {
  const seeds = seedExamples().map((e) => e.text);
  const rand = rng(7);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  return Array.from({ length: n }, (_, i) => `${pick(OPENERS)}${pick(seeds)}${pick(CLOSERS)}${i % 5 === 0 ? ` #${i}` : ''}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Run the triage benchmark; returns label → figure. */
export async function runTriageBench(): Promise<Record<string, number | string>> {
  const config = parseConfig({});
  const out: Record<string, number | string> = {};

  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  let t = performance.now();
  const triage = createTriage(config);
  out['createTriage, seed examples only (ms)'] = r1(performance.now() - t);
  out['triage memory (MB, heap + array buffers)'] = r1((process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heapBefore) / 1e6);

  const messages = corpus(20_000);
  for (const m of messages.slice(0, 2000)) triage.classify({ text: m }); // warm-up
  const times: number[] = [];
  const cpu = process.cpuUsage();
  t = performance.now();
  for (const m of messages) {
    const s = performance.now();
    triage.classify({ text: m, requesterId: 'U1' });
    times.push(performance.now() - s);
  }
  const total = performance.now() - t;
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  out['chat messages classified'] = messages.length;
  out['mean chat message length (chars)'] = Math.round(messages.reduce((a, m) => a + m.length, 0) / messages.length);
  out['classify: chat messages/s'] = Math.round(messages.length / (total / 1000));
  // The same loop by this process's CPU time: what triage costs, without the time other
  // processes on a shared machine take from it (wall-clock figures swing with their load).
  out['classify: chat messages/s of CPU time'] = Math.round(messages.length / ((used.user + used.system) / 1e6));
  out['classify: µs/message, median'] = r1(percentile(times, 50) * 1000);
  out['classify: µs/message, p99'] = r1(percentile(times, 99) * 1000);

  const long2k = messages.slice(0, 40).join(' ').slice(0, 2000);
  const long40k = messages.join(' ').slice(0, 40_000);
  for (const [label, text, reps] of [
    ['classify: 2,000-char message (µs)', long2k, 500],
    ['classify: 40,000-char message (µs)', long40k, 20],
  ] as const) {
    triage.classify({ text });
    t = performance.now();
    for (let i = 0; i < reps; i++) triage.classify({ text });
    out[label] = Math.round(((performance.now() - t) / reps) * 1000);
  }

  t = performance.now();
  const corrections = 200;
  for (let i = 0; i < corrections; i++) triage.learn({ text: messages[i]!, category: config.categories[i % config.categories.length]!, priority: 'P2' });
  out['learn (a correction): µs each'] = Math.round(((performance.now() - t) / corrections) * 1000);

  const db = openDatabase(':memory:');
  try {
    const stored = 10_000;
    const seeds = seedExamples();
    new TrainingRepo(db).addMany(
      messages.slice(0, stored).map((text, i) => ({ text, category: seeds[i % seeds.length]!.category ?? null, priority: 'P2' as const, source: 'import' })),
      Date.now(),
    );
    t = performance.now();
    createTriage(config, db);
    out[`createTriage, seeds + ${stored.toLocaleString('en')} stored examples (ms)`] = Math.round(performance.now() - t);
  } finally {
    db.close();
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const res = await runTriageBench();
  for (const [k, v] of Object.entries(res)) console.log(`${k.padEnd(60)} ${v}`);
}
