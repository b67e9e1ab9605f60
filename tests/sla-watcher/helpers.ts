/**
 * Test support for the SLA watcher and escalation prompts: a real core (SQLite, ManualClock)
 * with installSlaAndDigest, a desk configuration with a team, an on-call rotation and tiers,
 * and readers for what landed in the outbox, sla_pings and the timeline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Core, createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Priority, Ticket } from '../../src/domain/types.js';
import { installSlaAndDigest, type SlaAndDigest } from '../../src/escalation/install.js';
import { createLogger } from '../../src/logger.js';
import type { OutboxPayload, OutboxRow } from '../../src/outbox/outbox.js';
import { ManualClock } from '../../src/ports/clock.js';
import { type Db, openDatabase } from '../../src/store/db.js';
import type { Block, MessageView } from '../../src/ports/message-view.js';

export const MIN = 60_000;
export const H = 3_600_000;
/** Monday 2026-11-23 08:00 UTC. */
export const MON = Date.parse('2026-11-23T08:00:00Z');

export const OWNER = 'U0OWNER';
export const AGENT2 = 'U0AGENT2';
export const ONCALL = 'U0ONCALL';
export const LEAD = 'U0LEAD';
export const TIER2 = 'U0TIER2';
export const TIER3 = 'U0TIER3';
export const EXEC = 'U0EXEC';
export const CUSTOMER = 'U0CUST';
export const CHANNEL = 'C0SUPPORT';
/** The private triage channel: the desk runs in triage mode, so prompts and pings go to each ticket's internal thread. */
export const TRIAGE = 'C0TRIAGE';

/** The desk used by these tests; `over` is merged at the top level. */
export function deskConfigRaw(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    timezone: 'UTC',
    triageChannel: TRIAGE,
    agents: [OWNER, AGENT2, ONCALL],
    leads: [LEAD],
    teams: [{ id: 'support', name: 'Support', members: [OWNER, AGENT2], routing: 'none', onCall: { rotation: [ONCALL], every: 'week', startsAt: '2026-01-05' } }],
    escalation: {
      tiers: [
        { id: 'tier2', name: 'Tier 2', members: [TIER2] },
        { id: 'tier3', name: 'Tier 3', members: [TIER3] },
        { id: 'executive', name: 'Executive', members: [EXEC] },
      ],
      rules: [
        { id: 'p0-p1', trigger: 'priority', priorities: ['P0', 'P1'], escalateTo: 'tier2' },
        { id: 'security', trigger: 'keywords', keywords: ['security', 'data loss', 'leak'], escalateTo: 'tier3' },
        { id: 'vip', trigger: 'vip', escalateTo: 'tier2' },
        { id: 'cluster', trigger: 'cluster', count: 3, windowMinutes: 30, escalateTo: 'tier3' },
        { id: 'unassigned', trigger: 'unassigned', afterMinutes: 30, escalateTo: 'tier2' },
        { id: 'breach', trigger: 'breach', escalateTo: 'tier2', notify: [LEAD], timeframe: '15m' },
      ],
    },
    ...over,
  };
}

export interface Desk {
  core: Core;
  clock: ManualClock;
  sla: SlaAndDigest;
  db: Db;
  open(text: string, o?: { priority?: Priority; owner?: string | null; source?: string; requester?: string; platform?: 'slack' | 'cli' }): Ticket;
  close(): Promise<void>;
}

let sourceCounter = 0;

/** A core on `dbPath` (default :memory:) with the watcher installed but not scheduled. */
export function makeDesk(o: { config?: Record<string, unknown>; start?: number; dbPath?: string; batchSize?: number } = {}): Desk {
  const clock = new ManualClock(o.start ?? MON);
  const db = openDatabase(o.dbPath ?? ':memory:');
  const core = createCore({
    config: parseConfig(deskConfigRaw(o.config)),
    db,
    clock,
    env: { LOG_LEVEL: 'silent' },
    logger: createLogger({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  const sla = installSlaAndDigest(core, { schedule: false, sweep: { batchSize: o.batchSize } });
  return {
    core,
    clock,
    sla,
    db,
    open(text, t = {}) {
      sourceCounter += 1;
      const res = core.tickets.open({
        platform: t.platform ?? 'slack',
        channelId: CHANNEL,
        sourceMessageId: t.platform === 'cli' ? null : (t.source ?? `1790000000.${String(sourceCounter).padStart(6, '0')}`),
        requesterId: t.requester ?? CUSTOMER,
        text,
        force: true,
        overrides: { priority: t.priority ?? 'P0', ownerId: t.owner === undefined ? OWNER : t.owner },
      });
      if (!res.ticket) throw new Error(`no ticket: ${res.outcome}`);
      return res.ticket;
    },
    async close() {
      await core.close();
    },
  };
}

/** A temp directory removed by the returned function. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-sla-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Row {
  key: string;
  kind: string;
  ticketId: number | null;
  payload: OutboxPayload;
}

/** Outbox rows, oldest first; `prefix` filters on the idempotency key. */
export function outboxRows(db: Db, prefix = ''): Row[] {
  return db
    .prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE idempotency_key LIKE ? ORDER BY id')
    .all(`${prefix}%`)
    .map((r) => ({ key: r.idempotency_key, kind: r.kind, ticketId: r.ticket_id, payload: JSON.parse(r.payload) as OutboxPayload }));
}

/** sla_pings rows of a ticket as "clock:threshold=outcome", sorted. */
export function pings(db: Db, ticketId: number): string[] {
  return db
    .prepare<[number], { clock: string; threshold: number; outcome: string }>('SELECT clock, threshold, outcome FROM sla_pings WHERE ticket_id = ? ORDER BY clock, threshold')
    .all(ticketId)
    .map((r) => `${r.clock}:${r.threshold}=${r.outcome}`);
}

/** Timeline event types of a ticket (optionally only some). */
export function events(desk: Desk, ticketId: number, types?: string[]): { type: string; actor: string; data: Record<string, unknown> }[] {
  return desk.core.tickets.repo.events(ticketId).filter((e) => !types || types.includes(e.type));
}

/** All visible text of a view, flattened. */
export function viewText(view: MessageView | undefined): string {
  if (!view) return '';
  const parts: string[] = [view.text];
  const walk = (b: Block) => {
    if (b.type === 'header' || b.type === 'text' || b.type === 'quote') parts.push(b.text);
    else if (b.type === 'context') parts.push(...b.elements);
    else if (b.type === 'fields') for (const f of b.fields) parts.push(`${f.label}: ${f.value}`);
    else if (b.type === 'actions') for (const e of b.elements) parts.push(e.type === 'button' ? `[${e.label}]` : `[${e.placeholder}: ${e.options.map((x) => x.label).join('/')}]`);
  };
  view.blocks.forEach(walk);
  return parts.join('\n');
}

/** Action ids and values on a view. */
export function actionsOf(view: MessageView | undefined): { actionId: string; label: string; value: string }[] {
  const out: { actionId: string; label: string; value: string }[] = [];
  for (const b of view?.blocks ?? []) {
    if (b.type !== 'actions') continue;
    for (const e of b.elements) {
      if (e.type === 'button') out.push({ actionId: e.actionId, label: e.label, value: e.value });
      else for (const opt of e.options) out.push({ actionId: e.actionId, label: opt.label, value: opt.value });
    }
  }
  return out;
}

/** The view of a post/dm payload. */
export function viewOf(p: OutboxPayload): MessageView | undefined {
  return 'view' in p ? p.view : undefined;
}

/** next_sla_check_at of a ticket. */
export function nextCheck(db: Db, ticketId: number): number | null {
  return db.prepare<[number], { n: number | null }>('SELECT next_sla_check_at AS n FROM tickets WHERE id = ?').get(ticketId)!.n;
}
