/**
 * SLA watcher and digest benchmarks with 1,000,000 tickets in a temp-file database:
 * - the SLA sweep when nothing is due (target < 50 ms),
 * - the SLA sweep when 10,000 pings are due: decide, record and enqueue them (target < 1 s) —
 *   10,000 plain 50% warnings, and a harder mix (90% with DMs, breaches with escalation prompts),
 * - the daily digest and the weekly summary over the 1M-ticket store (target < 1 s).
 * Synthetic tickets go in through one prepared statement in one transaction (a year of history,
 * 97% closed, 3% open). Run alone: npx tsx bench/sla.bench.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../src/app.js';
import { parseConfig } from '../src/config/load-config.js';
import { PRIORITIES, type Priority } from '../src/domain/types.js';
import { buildDigest, computeOutcomes } from '../src/digest/build-digest.js';
import { digestPeriod, localDate } from '../src/digest/period.js';
import { installSlaAndDigest } from '../src/escalation/install.js';
import { createLogger } from '../src/logger.js';
import { ManualClock } from '../src/ports/clock.js';
import { snapshotPolicy } from '../src/sla/policy.js';
import { openDatabase } from '../src/store/db.js';

const N = Number(process.env.BENCH_SLA_TICKETS) || 1_000_000;
const DUE = 10_000;
const MIN = 60_000;
const H = 3_600_000;
const DAY = 24 * H;
const AGENTS = Array.from({ length: 20 }, (_, i) => `U0AGENT${i}`);
const CATEGORIES = ['outage', 'bug', 'access', 'billing', 'performance', 'data', 'security', 'feature_request', 'question', 'other'];
const SUBJECTS = ['login fails with SSO', 'checkout returns 502', 'export to CSV times out', 'invoice shows wrong VAT', 'dashboard is slow', 'webhook delivered twice', 'cannot invite teammate', 'API key rejected'];

/** Small deterministic PRNG so runs are comparable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function runSlaBench(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-sla-'));
  try {
    const NOW = Date.parse('2026-11-24T09:00:00Z');
    const config = parseConfig({
      agents: AGENTS,
      teams: [{ id: 'support', members: AGENTS, onCall: { rotation: [AGENTS[0]!], every: 'week', startsAt: '2026-01-05' } }],
      digest: { channels: ['C0LEADS'] },
    });
    const path = join(dir, 'million.db');
    const db = openDatabase(path);
    const snaps = Object.fromEntries(PRIORITIES.map((p) => [p, JSON.stringify(snapshotPolicy(config, p))])) as Record<Priority, string>;
    const ins = db.prepare(`INSERT INTO tickets (key, platform, channel_id, source_message_id, thread_id, requester_id, title, text, category, priority, status,
      owner_id, team, sla, created_at, updated_at, first_response_at, resolved_at, closed_at, paused_since, next_sla_check_at)
      VALUES (?, 'slack', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'support', ?, ?, ?, ?, ?, ?, ?, ?)`);
    const esc = db.prepare("INSERT INTO escalations (ticket_id, rule_id, reason, target, created_at) VALUES (?, 'unassigned', 'no owner after 30 minutes', 'tier2', ?)");
    const rand = rng(42);
    const dueIds: number[] = [];
    const plainIds: number[] = [];
    db.exec('DROP TRIGGER tickets_fts_ai'); // full-text index not needed here; keeps the bulk insert fast
    const t0 = performance.now();
    db.transaction(() => {
      for (let i = 1; i <= N + 2 * DUE; i++) {
        const r = rand();
        const priority = PRIORITIES[Math.min(4, Math.floor(rand() * rand() * 5))]!;
        const category = CATEGORIES[Math.floor(rand() * CATEGORIES.length)]!;
        const subject = SUBJECTS[i % SUBJECTS.length]!;
        const owner = rand() < 0.9 ? AGENTS[i % AGENTS.length]! : null;
        let created = NOW - Math.floor((Math.max(0, N - i) / N) * 365 * DAY) - Math.floor(rand() * 10 * MIN);
        let status = 'closed';
        let fr: number | null = created + Math.floor(5 * MIN + rand() * 8 * H);
        let resolved: number | null = fr + Math.floor(rand() * 3 * DAY);
        let closed: number | null = resolved + DAY;
        let pausedSince: number | null = null;
        let next: number | null = null;
        let ownerId = owner;
        let prio = priority;
        if (i > N) {
          // 2 × DUE tickets appended after the year of history (as recent tickets are): P2 (24 h
          // first response) with a threshold reached at NOW, made due later. Group "plain" (10,000):
          // 50% each. Group "mixed": 7,000 at 50%, 2,000 at 90%, 1,000 breached.
          const k = i - N - 1 < DUE ? DUE : i - N - 1 - DUE;
          prio = 'P2';
          ownerId = AGENTS[i % AGENTS.length]!;
          created = NOW - (k >= DUE || k < 7000 ? 12.5 * H : k < 9000 ? 22 * H : 25 * H);
          status = 'triaged';
          fr = resolved = closed = null;
          next = NOW + 30 * DAY;
          (k >= DUE ? plainIds : dueIds).push(i);
        } else if (r < 0.03) {
          status = rand() < 0.1 ? 'waiting_on_customer' : rand() < 0.5 ? 'in_progress' : 'triaged';
          resolved = closed = null;
          if (status === 'triaged') fr = null;
          if (status === 'waiting_on_customer') pausedSince = NOW - Math.floor(rand() * DAY);
          else next = NOW + Math.floor(1 + rand() * 3 * DAY);
        } else if (r < 0.1) {
          status = 'resolved';
          closed = null;
        }
        ins.run(`T-${i}`, `C${i % 40}`, `${1700000000 + i}.000100`, `${1700000000 + i}.000100`, `UC${i % 5000}`, `${subject} #${i % 97}`, `Customer reports: ${subject}. Ref ${i}.`,
          category, prio, status, ownerId, snaps[prio], created, created, fr, resolved, closed, pausedSince, next);
        if (ownerId === null && status !== 'closed' && status !== 'resolved') esc.run(i, created + 30 * MIN);
      }
    })();
    const insertMs = performance.now() - t0;
    // Timelines and CSAT answers for the last 15 days of resolutions, for the digest's customer
    // outcomes (FCR, reopen rate, CSAT): a resolution event and one or two agent replies each,
    // 8% reopened afterwards, 35% rated.
    const ev = db.prepare('INSERT INTO ticket_events (ticket_id, type, actor, at, data) VALUES (?, ?, ?, ?, ?)');
    const survey = db.prepare('INSERT INTO csat_surveys (ticket_id, requester_id, asked_at, rating, answered_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    let timelines = 0;
    db.transaction(() => {
      const recent = db.prepare<[number], { id: number; requester_id: string; first_response_at: number; resolved_at: number }>(
        'SELECT id, requester_id, first_response_at, resolved_at FROM tickets WHERE resolved_at >= ?',
      );
      for (const t of recent.all(NOW - 15 * DAY)) {
        timelines++;
        ev.run(t.id, 'replied', AGENTS[t.id % AGENTS.length]!, t.first_response_at, '{"role":"agent"}');
        if (rand() < 0.25) ev.run(t.id, 'replied', AGENTS[t.id % AGENTS.length]!, t.first_response_at + MIN, '{"role":"agent"}');
        ev.run(t.id, 'status_changed', AGENTS[t.id % AGENTS.length]!, t.resolved_at, '{"from":"in_progress","to":"resolved"}');
        if (rand() < 0.08) ev.run(t.id, 'reopened', t.requester_id, t.resolved_at + H, '{"from":"resolved"}');
        if (rand() < 0.35) survey.run(t.id, t.requester_id, t.resolved_at, 1 + Math.floor(rand() * 5), t.resolved_at + H, t.resolved_at + H);
      }
    })();
    db.exec('ANALYZE');

    const clock = new ManualClock(NOW);
    const core = createCore({ config, db, clock, env: { LOG_LEVEL: 'silent' }, logger: createLogger({ LOG_LEVEL: 'silent' }) });
    const { sweeper } = installSlaAndDigest(core, { schedule: false });
    const open = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM tickets WHERE status NOT IN ('resolved','closed')").get()!.n;

    const timed = async <T>(fn: () => Promise<T> | T): Promise<{ value: T; wall: number; cpu: number }> => {
      const c0 = process.cpuUsage();
      const t = performance.now();
      const value = await fn();
      const wall = performance.now() - t;
      const c = process.cpuUsage(c0);
      return { value, wall, cpu: (c.user + c.system) / 1000 };
    };

    // 1. Nothing due.
    const idle: number[] = [];
    for (let r = 0; r < 30; r++) {
      const { value: s, wall } = await timed(() => sweeper.sweep());
      idle.push(wall);
      if (s.due !== 0 || s.unassignedPrompts !== 0) throw new Error(`expected nothing due, got ${JSON.stringify(s)}`);
    }

    // 2. 10,000 pings due: first 10,000 plain 50% warnings, then the mixed group
    //    (7,000 at 50%; 2,000 at 90% with a DM; 1,000 breaches with a DM, an escalation prompt and a card refresh).
    const setDue = db.prepare('UPDATE tickets SET next_sla_check_at = ? WHERE id = ?');
    const makeDue = (ids: number[]) =>
      db.transaction(() => {
        for (const id of ids) setDue.run(NOW, id);
      })();
    const outboxCount = () => db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox').get()!.n;
    makeDue(plainIds);
    const plain = await timed(() => sweeper.sweep());
    if (plain.value.sent !== DUE) throw new Error(`expected ${DUE} pings, got ${JSON.stringify(plain.value)}`);
    makeDue(dueIds);
    const outboxBefore = outboxCount();
    const mixed = await timed(() => sweeper.sweep());
    const busy = mixed.value;
    const outboxRows = outboxCount() - outboxBefore;
    if (busy.sent !== DUE) throw new Error(`expected ${DUE} pings, got ${JSON.stringify(busy)}`);

    // 3. Digests over the 1M-ticket store.
    const zone = config.timezone;
    const daily = digestPeriod('daily', localDate(NOW, zone), zone, config.digest.weekdays);
    const weekly = digestPeriod('weekly', localDate(NOW, zone), zone, config.digest.weekdays);
    const dailyMs: number[] = [];
    const dailyCpu: number[] = [];
    const weeklyMs: number[] = [];
    const sources = { repos: core.store, db };
    let sample = await buildDigest(sources, daily, NOW);
    for (let r = 0; r < 5; r++) {
      const d = await timed(() => buildDigest(sources, daily, NOW));
      sample = d.value;
      dailyMs.push(d.wall);
      dailyCpu.push(d.cpu);
      weeklyMs.push((await timed(() => buildDigest(sources, weekly, NOW))).wall);
    }
    const outcomeMs: number[] = [];
    const outcomeCpu: number[] = [];
    for (let r = 0; r < 5; r++) {
      const o = await timed(() => computeOutcomes(sources, weekly.from, weekly.to));
      outcomeMs.push(o.wall);
      outcomeCpu.push(o.cpu);
    }
    const size = statSync(path).size;
    await core.close();
    return {
      'tickets in store': N + 2 * DUE,
      'open tickets': open,
      'bulk insert 1M tickets (s)': Number((insertMs / 1000).toFixed(1)),
      'db file size (MB)': Math.round(size / 1e6),
      'SLA sweep, nothing due — median of 30 (ms) [target < 50]': Number(median(idle).toFixed(2)),
      'SLA sweep, nothing due — worst of 30 (ms)': Number(Math.max(...idle).toFixed(2)),
      'SLA sweep, 10,000 pings due (50% warnings): decide + record + enqueue (ms) [target < 1000]': Math.round(plain.wall),
      '  (50% warnings) CPU time (ms)': Math.round(plain.cpu),
      'SLA sweep, 10,000 pings due (mixed 50%/90%/breach) (ms) [target < 1000]': Math.round(mixed.wall),
      '  (mixed) CPU time (ms)': Math.round(mixed.cpu),
      '  pings sent / dropped as stale / DMs / escalations': `${busy.sent} / ${busy.dropped} / ${busy.dms} / ${busy.escalated}`,
      '  outbox rows written': outboxRows,
      'daily digest over 1M tickets — median of 5 (ms) [target < 1000]': Math.round(median(dailyMs)),
      '  daily digest, CPU time — median of 5 (ms)': Math.round(median(dailyCpu)),
      'weekly summary over 1M tickets — median of 5 (ms)': Math.round(median(weeklyMs)),
      '  daily digest: new / resolved / open / breaches / at risk': `${sample.new.count} / ${sample.resolved.count} / ${sample.open.count} / ${sample.breaches.length} / ${sample.atRiskCount}`,
      '  resolutions with a timeline (last 15 days)': timelines,
      '  daily digest: CSAT / FCR / reopen (this period, count/of)': `${sample.outcomes.csat.count}/${sample.outcomes.csat.of} / ${sample.outcomes.fcr.count}/${sample.outcomes.fcr.of} / ${sample.outcomes.reopen.count}/${sample.outcomes.reopen.of}`,
      'customer outcomes alone (CSAT, FCR, reopen), weekly — median of 5 (ms)': Number(median(outcomeMs).toFixed(1)),
      '  customer outcomes, weekly, CPU time — median of 5 (ms)': Number(median(outcomeCpu).toFixed(1)),
      'machine load average (1 min) at the end': loadavg()[0]!.toFixed(1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runSlaBench());
