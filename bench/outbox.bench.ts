/**
 * Outbox delivery benchmark, against the fake Slack on 127.0.0.1 with the real SlackChatPort:
 *
 * (a) crash mid-send: a child process (bench/outbox-crash-child.ts: real core + outbox +
 *     SlackChatPort on a SQLite file) opens 60 tickets in 20 channels; the fake answers each
 *     call 400 ms after storing the message, so ~20 posts are in flight when the parent sends
 *     SIGKILL at a random point. A restarted child drains the outbox; duplicate cards (two
 *     messages carrying one outbox key), stale card pointers and lost cards are counted.
 * (b) outage: a steady stream of tickets (2/s over 20 channels) while Slack answers 503 to
 *     everything for OUTBOX_BENCH_OUTAGE_S seconds (default 60), then recovers; reports how
 *     long after recovery the backlog took to drain, and calls made during the outage.
 * Run alone: npx tsx bench/run.ts outbox
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSlackClient, SlackChatPort } from '../adapters/slack/slack-chat-port.js';
import { createCore } from '../src/app.js';
import { parseConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/logger.js';
import { openDatabase } from '../src/store/db.js';
import { FakeSlack } from '../tests/fakes/fake-slack.js';

const CHILD = fileURLToPath(new URL('./outbox-crash-child.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const noop = () => undefined;
const quiet = { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, setName: noop, getLevel: () => 'error' } as never;

function child(args: string[]): { proc: ChildProcess; out: Promise<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => (buf += d.toString()));
  const out = new Promise<string>((resolve) => proc.on('exit', () => resolve(buf)));
  return { proc, out };
}

/**
 * Bot messages beyond the first in one ticket thread (every card and line here is the only
 * bot message in its thread), so it counts duplicates whether or not they carry metadata.
 */
function duplicates(fake: FakeSlack): number {
  const seen = new Map<string, number>();
  for (const m of fake.botMessages()) {
    const key = `${m.channel}/${m.thread_ts ?? m.ts}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen.values()].reduce((n, c) => n + c - 1, 0);
}

async function crashRun(): Promise<{ inFlight: number; duplicates: number; stale: number; lost: number; cards: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-outbox-bench-'));
  const fake = await FakeSlack.start({ latencyMs: 400 });
  try {
    const db = join(dir, 'frontdesk.db');
    const first = child([db, fake.apiUrl, 'open', '60', '20']);
    const killAt = 10 + Math.floor(Math.random() * 40);
    const samples: [number, number][] = [];
    const t0 = Date.now();
    for (;;) {
      const count = fake.callsOf('chat.postMessage').length;
      samples.push([Date.now(), count]);
      if (count >= killAt || Date.now() - t0 > 30_000) break;
      await sleep(5);
    }
    first.proc.kill('SIGKILL');
    await first.out;
    // The fake answers 400 ms after a post arrives: posts received in the last 400 ms were in flight.
    const [now, atKill] = samples.at(-1)!;
    const answered = samples.filter(([t]) => t <= now - 400).at(-1)?.[1] ?? 0;
    const second = child([db, fake.apiUrl, 'resume']);
    const line = (await second.out).trim().split('\n').at(-1) ?? '{}';
    const res = JSON.parse(line) as { tickets: { id: number; card: string | null }[] };
    // Ticket i's card is the bot message in the thread of its source message: the first one posted there.
    const byThread = new Map<string | undefined, string>();
    for (const m of fake.botMessages()) if (!byThread.has(m.thread_ts)) byThread.set(m.thread_ts, m.ts);
    const stale = res.tickets.filter((t) => t.card && byThread.get(`1790000000.${String(t.id - 1).padStart(6, '0')}`) !== t.card).length;
    const lost = res.tickets.filter((t) => !t.card).length;
    return { inFlight: atKill - answered, duplicates: duplicates(fake), stale, lost, cards: fake.botMessages().length };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function outageRun(outageS: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-outbox-bench-'));
  const fake = await FakeSlack.start();
  const core = createCore({ config: parseConfig({ agents: ['U0AGENT'] }), db: openDatabase(join(dir, 'fd.db')), env: {}, logger: createLogger({ LOG_LEVEL: 'silent' }) });
  core.registerPort(new SlackChatPort(createSlackClient({ token: 'xoxb-bench', apiUrl: fake.apiUrl, logger: quiet })));
  core.outbox.start(core.config.scheduler.outboxPollMs);
  let n = 0;
  const stream = setInterval(() => {
    for (let k = 0; k < 2; k++) {
      n += 1;
      core.tickets.open({ platform: 'slack', channelId: `C${n % 20}`, sourceMessageId: `1790000000.${String(n).padStart(6, '0')}`, requesterId: 'U0CUST', text: `Checkout fails with error 502 (report ${n})` });
    }
  }, 1000);
  try {
    await sleep(3000);
    fake.outage = { kind: 'server_error', status: 503 };
    const callsBefore = fake.calls.length;
    await sleep(outageS * 1000);
    const backlog = core.outbox.stats().pending ?? 0;
    const outageCalls = fake.calls.length - callsBefore;
    const lastBefore = (core.db.prepare('SELECT max(id) AS id FROM outbox').get() as { id: number }).id;
    fake.clearFailures();
    const recovered = Date.now();
    const left = core.db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM outbox WHERE id <= ? AND status <> 'sent'");
    while (left.get(lastBefore)!.n > 0 && Date.now() - recovered < 120_000) await sleep(20);
    const drainS = (Date.now() - recovered) / 1000;
    return {
      outageS,
      backlog,
      outageCallsPerS: Math.round((outageCalls / outageS) * 10) / 10,
      drainS: Math.round(drainS * 10) / 10,
      duplicates: duplicates(fake),
      unsent: left.get(lastBefore)!.n,
    };
  } finally {
    clearInterval(stream);
    await core.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runOutboxBench(): Promise<Record<string, number | string>> {
  const runs = Number(process.env.OUTBOX_BENCH_CRASH_RUNS ?? 4);
  const crashes = [];
  for (let i = 0; i < runs; i++) crashes.push(await crashRun());
  const outageS = Number(process.env.OUTBOX_BENCH_OUTAGE_S ?? 60);
  const outage = await outageRun(outageS);
  return {
    'kill -9 mid-send: runs': runs,
    'kill -9 mid-send: posts in flight at the kill (per run)': crashes.map((c) => c.inFlight).join(', '),
    'kill -9 mid-send: duplicate cards (total, must be 0)': crashes.reduce((s, c) => s + c.duplicates, 0),
    'kill -9 mid-send: tickets pointing at a stale card (must be 0)': crashes.reduce((s, c) => s + c.stale, 0),
    'kill -9 mid-send: tickets without a card after restart (must be 0)': crashes.reduce((s, c) => s + c.lost, 0),
    'kill -9 mid-send: cards in Slack per run (60 tickets)': crashes.map((c) => c.cards).join(', '),
    [`outage ${outageS} s (503), 2 tickets/s over 20 channels: backlog at recovery`]: outage.backlog!,
    'outage: calls per second while Slack was down (probes)': outage.outageCallsPerS!,
    'outage: drain time after recovery, s (target < 15)': outage.drainS!,
    'outage: duplicate messages (must be 0)': outage.duplicates!,
    'outage: rows from before recovery still unsent': outage.unsent!,
  };
}
