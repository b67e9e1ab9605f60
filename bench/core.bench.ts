/**
 * Core benchmarks: tickets opened per second through the full use case (triage, routing, SLA
 * snapshot, events, outbox) and the due-ticket query with 1,000,000 tickets in the store.
 * Run alone: npx tsx bench/core.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../src/app.js';
import { parseConfig } from '../src/config/load-config.js';
import { ManualClock } from '../src/ports/clock.js';
import { snapshotPolicy } from '../src/sla/policy.js';
import { openDatabase } from '../src/store/db.js';

const TEXTS = [
  'Production is down for all our customers since 10:02',
  'I was charged twice for my subscription this month',
  'Cannot log in with SSO, getting error 403',
  'The dashboard is very slow to load reports today',
  'Could you add an export to CSV for invoices?',
  'How do I rotate my API key?',
  'Data in the analytics page is missing for yesterday',
  'Security: we found an exposed token in a public repo',
];

export async function runCoreBench(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-core-'));
  try {
    const config = parseConfig({ teams: [{ id: 'support', members: ['A', 'B', 'C'] }] });
    const clock = new ManualClock(Date.parse('2026-11-23T09:00:00Z'));
    const core = createCore({ config, db: openDatabase(join(dir, 'open.db')), clock, env: { LOG_LEVEL: 'silent' } });
    const n = 5000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++)
      core.tickets.open({ platform: 'slack', channelId: 'C1', sourceMessageId: `m${i}`, requesterId: `U${i % 50}`, text: `${TEXTS[i % TEXTS.length]} #${i}`, eventId: `e${i}` });
    const openPerSec = n / ((performance.now() - t0) / 1000);
    await core.close();

    // 1,000,000 tickets, bulk-inserted; then the SLA watcher's due query.
    const db = openDatabase(join(dir, 'million.db'));
    const snap = JSON.stringify(snapshotPolicy(config, 'P2'));
    const ins = db.prepare(`INSERT INTO tickets (key, platform, channel_id, source_message_id, thread_id, requester_id, title, text, category, priority, status,
      team, sla, created_at, updated_at, next_sla_check_at) VALUES (?, 'slack', 'C1', ?, ?, 'U1', ?, ?, 'bug', 'P2', ?, 'support', ?, ?, ?, ?)`);
    const base = Date.parse('2026-01-01T00:00:00Z');
    const N = 1_000_000;
    const ti = performance.now();
    db.exec('DROP TRIGGER tickets_fts_ai');
    db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const open = i % 20 === 0;
        const created = base + i * 25_000;
        ins.run(`T-${i + 1}`, `s${i}`, `s${i}`, `Ticket ${i}`, `Synthetic ticket ${i}`, open ? 'triaged' : 'closed', snap, created, created, open ? created + 86_400_000 * 400 : null);
      }
    })();
    const rawInsertsPerSec = N / ((performance.now() - ti) / 1000);
    const due = db.prepare('SELECT id FROM tickets WHERE next_sla_check_at <= ? ORDER BY next_sla_check_at LIMIT 500');
    const now = base + 86_400_000; // nothing due yet
    const reps = 200;
    const tq = performance.now();
    for (let r = 0; r < reps; r++) due.all(now);
    const dueQueryMs = (performance.now() - tq) / reps;
    const top = db.prepare("SELECT id FROM tickets WHERE status NOT IN ('resolved','closed') ORDER BY priority, created_at LIMIT 100");
    const tt = performance.now();
    for (let r = 0; r < 20; r++) top.all();
    const openListMs = (performance.now() - tt) / 20;
    db.close();
    return {
      'tickets opened/s (full use case, file db)': Math.round(openPerSec),
      'ticket rows inserted/s (bulk, 1M)': Math.round(rawInsertsPerSec),
      'due-ticket query at 1M tickets (ms)': Number(dueQueryMs.toFixed(3)),
      'open-ticket list at 1M tickets (ms)': Number(openListMs.toFixed(2)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runCoreBench());
