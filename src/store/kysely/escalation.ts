/**
 * Escalations, SLA pings, digests and the /metrics gauges on Kysely, one implementation for
 * SQLite and PostgreSQL (see src/ports/store-escalation.ts). Exactly-once inserts are
 * `ON CONFLICT DO NOTHING` on the tables' unique keys, so the loser of a race between replicas
 * learns it from the result, not from an error. On SQLite a few reads name their index
 * (`INDEXED BY`): without statistics the planner would pick a smaller index that is not covering.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Priority, TicketStatus } from '../../domain/types.js';
import type { StoreEngine } from '../../ports/store.js';
import type {
  DigestRepository,
  DigestScanRow,
  DigestSent,
  DigestSet,
  DigestSlaRow,
  DigestSlaSet,
  EscalationRecord,
  EscalationRepository,
  EscalationStatus,
  MetricsQueries,
  NewEscalation,
  SlaClock,
  SlaPing,
  SlaRepository,
  SlaTicket,
  SweepCursor,
} from '../../ports/store-escalation.js';
import type { StoreDb } from './schema.js';
import { rowToTicket } from './tickets.js';

const affected = (r: { numInsertedOrUpdatedRows?: bigint; numUpdatedRows?: bigint; numDeletedRows?: bigint }): number =>
  Number(r.numInsertedOrUpdatedRows ?? r.numUpdatedRows ?? r.numDeletedRows ?? 0);

/** The same text-JSON read on both engines: `->>` with a plain label is `$.label` on SQLite. */
const jsonText = (column: string, label: string): RawBuilder<string | null> => sql<string | null>`${sql.ref(column)} ->> ${sql.lit(label)}`;

// ─── escalations ──────────────────────────────────────────────────────────────────────────────

interface EscalationRowDb {
  id: number;
  ticket_id: number;
  rule_id: string;
  reason: string;
  target: string;
  related: string;
  status: string;
  created_at: number;
  decided_by: string | null;
  decided_at: number | null;
}

const toEscalation = (r: EscalationRowDb): EscalationRecord => ({
  id: Number(r.id),
  ticketId: Number(r.ticket_id),
  ruleId: r.rule_id,
  reason: r.reason,
  target: r.target,
  related: JSON.parse(r.related) as string[],
  status: r.status as EscalationStatus,
  createdAt: r.created_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

export class KyselyEscalationRepository implements EscalationRepository {
  constructor(
    private readonly db: Kysely<StoreDb>,
    private readonly engine: StoreEngine,
  ) {}

  async insert(e: NewEscalation): Promise<number | null> {
    const r = await this.db
      .insertInto('escalations')
      .values({ ticket_id: e.ticketId, rule_id: e.ruleId, reason: e.reason, target: e.target, related: JSON.stringify(e.related ?? []), created_at: e.createdAt })
      .onConflict((oc) => oc.columns(['ticket_id', 'rule_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return r ? Number(r.id) : null;
  }

  async get(id: number): Promise<EscalationRecord | null> {
    const r = await this.db.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toEscalation(r) : null;
  }

  async forTicket(ticketId: number): Promise<EscalationRecord[]> {
    const rows = await this.db.selectFrom('escalations').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
    return rows.map(toEscalation);
  }

  async decide(id: number, status: Exclude<EscalationStatus, 'open'>, by: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('escalations')
      .set({ status, decided_by: by, decided_at: at })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return affected(r) > 0;
  }

  async escalatedCount(ticketId: number): Promise<number> {
    const r = await this.db
      .selectFrom('ticket_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ticket_id', '=', ticketId)
      .where('type', '=', 'escalated')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async hasClusterPromptSince(ticketId: number, since: number): Promise<boolean> {
    const r = await this.db
      .selectFrom('escalations')
      .select('id')
      .where('ticket_id', '=', ticketId)
      .where('rule_id', 'like', 'cluster%')
      .where('created_at', '>=', since)
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  async unassignedWithout(ruleId: string, createdBefore: number, limit: number): Promise<number[]> {
    const from = this.engine === 'sqlite' ? sql.raw('tickets t INDEXED BY tickets_open_unassigned') : sql.raw('tickets t');
    const r = await sql<{ id: number }>`
      SELECT t.id FROM ${from}
       WHERE t.owner_id IS NULL AND t.status NOT IN ('resolved','closed') AND t.deleted = 0 AND t.created_at <= ${createdBefore}
         AND t.status <> 'waiting_on_customer' AND t.priority <> 'P4'
         AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.ticket_id = t.id AND e.rule_id = ${ruleId})
       ORDER BY t.created_at LIMIT ${limit}`.execute(this.db);
    return r.rows.map((x) => Number(x.id));
  }
}

// ─── SLA watcher ──────────────────────────────────────────────────────────────────────────────

export class KyselySlaRepository implements SlaRepository {
  constructor(private readonly db: Kysely<StoreDb>) {}

  /** Every ticket column but the large ones ('' and '[]' instead). */
  private light() {
    return this.db
      .selectFrom('tickets')
      .select([
        'id',
        'key',
        'platform',
        'channel_id',
        'source_message_id',
        'thread_id',
        'card_message_id',
        'requester_id',
        'requester_name',
        'title',
        'category',
        'priority',
        'status',
        'owner_id',
        'team',
        'sla',
        'created_at',
        'updated_at',
        'first_response_at',
        'resolved_at',
        'closed_at',
        'paused_ms',
        'paused_since',
        'snoozed_until',
        'incident_key',
        'deleted',
        'next_sla_check_at',
        'reopened_count',
        'triage_channel_id',
        'source_link',
        'ack_message_id',
      ])
      .select([sql<string>`''`.as('text'), sql<string>`'[]'`.as('signals'), sql<string>`'[]'`.as('attachments')]);
  }

  private toTicket(r: Parameters<typeof rowToTicket>[0]): SlaTicket {
    return { ...rowToTicket(r), nextSlaCheckAt: r.next_sla_check_at };
  }

  async due(now: number, cursor: SweepCursor, limit: number): Promise<SlaTicket[]> {
    const rows = await this.light()
      .where('next_sla_check_at', '<=', now)
      .where(sql<boolean>`(next_sla_check_at, id) > (${cursor.at}, ${cursor.id})`)
      .orderBy('next_sla_check_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => this.toTicket(r));
  }

  async ticket(id: number): Promise<SlaTicket | null> {
    const r = await this.light().where('id', '=', id).executeTakeFirst();
    return r ? this.toTicket(r) : null;
  }

  async setNextCheck(ticketId: number, at: number | null): Promise<void> {
    await this.db.updateTable('tickets').set({ next_sla_check_at: at }).where('id', '=', ticketId).execute();
  }

  async fired(ticketId: number): Promise<{ clock: SlaClock; threshold: number }[]> {
    const rows = await this.db.selectFrom('sla_pings').select(['clock', 'threshold']).where('ticket_id', '=', ticketId).execute();
    return rows.map((r) => ({ clock: r.clock as SlaClock, threshold: Number(r.threshold) }));
  }

  async recordPing(p: SlaPing): Promise<boolean> {
    const r = await this.db
      .insertInto('sla_pings')
      .values({ ticket_id: p.ticketId, clock: p.clock, threshold: p.threshold, at: p.at, outcome: p.outcome })
      .onConflict((oc) => oc.columns(['ticket_id', 'clock', 'threshold']).doNothing())
      .executeTakeFirst();
    return affected(r) > 0;
  }
}

// ─── digests ──────────────────────────────────────────────────────────────────────────────────

const OPEN = sql.raw("status NOT IN ('resolved','closed') AND deleted = 0");

interface SlaRowDb {
  id: number;
  key: string;
  priority: string;
  owner_id: string | null;
  status: string;
  sla: string;
  created_at: number;
  first_response_at: number | null;
  resolved_at: number | null;
  paused_ms: number;
  paused_since: number | null;
}

const toSlaRow = (r: SlaRowDb): DigestSlaRow => ({
  id: Number(r.id),
  key: r.key,
  priority: r.priority as Priority,
  ownerId: r.owner_id,
  status: r.status as TicketStatus,
  sla: r.sla,
  createdAt: Number(r.created_at),
  firstResponseAt: r.first_response_at === null ? null : Number(r.first_response_at),
  resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
  pausedMs: Number(r.paused_ms),
  pausedSince: r.paused_since === null ? null : Number(r.paused_since),
});

export class KyselyDigestRepository implements DigestRepository {
  constructor(
    private readonly db: Kysely<StoreDb>,
    private readonly engine: StoreEngine,
  ) {}

  /** The open queue through its covering partial index (migration 0002). */
  private get openFrom() {
    return sql.raw(this.engine === 'sqlite' ? 'tickets INDEXED BY tickets_open_sla' : 'tickets');
  }

  async wasSent(channel: string, kind: string, period: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('digests_sent')
      .select('at')
      .where('channel_id', '=', channel)
      .where('kind', '=', kind)
      .where('period', '=', period)
      .executeTakeFirst();
    return r !== undefined;
  }

  async markSent(d: DigestSent): Promise<boolean> {
    const r = await this.db
      .insertInto('digests_sent')
      .values({ channel_id: d.channel, kind: d.kind, period: d.period, at: d.at })
      .onConflict((oc) => oc.columns(['channel_id', 'kind', 'period']).doNothing())
      .executeTakeFirst();
    return affected(r) > 0;
  }

  private inSet(set: DigestSet, from: number, to: number) {
    const q = this.db.selectFrom('tickets').where('deleted', '=', 0);
    if (set === 'new') return q.where('created_at', '>=', from).where('created_at', '<', to);
    if (set === 'resolved') return q.where('resolved_at', '>=', from).where('resolved_at', '<', to);
    return q.where('id', 'in', (eb) =>
      eb.selectFrom('ticket_events').select('ticket_id').distinct().where('type', '=', 'reopened').where('at', '>=', from).where('at', '<', to),
    );
  }

  async count(set: DigestSet, from: number, to: number): Promise<number> {
    const r = await this.inSet(set, from, to)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async keys(set: DigestSet, from: number, to: number, limit: number): Promise<string[]> {
    const rows = await this.inSet(set, from, to).select('key').orderBy('id').limit(limit).execute();
    return rows.map((r) => r.key);
  }

  async openByPriority(): Promise<Partial<Record<Priority, number>>> {
    const r = await sql<{ priority: Priority; n: number }>`SELECT priority, COUNT(*) AS n FROM ${this.openFrom} WHERE ${OPEN} GROUP BY priority`.execute(this.db);
    return Object.fromEntries(r.rows.map((x) => [x.priority, Number(x.n)]));
  }

  async openByOwner(): Promise<{ ownerId: string | null; count: number }[]> {
    const r = await sql<{ owner_id: string | null; n: number }>`SELECT owner_id, COUNT(*) AS n FROM ${this.openFrom} WHERE ${OPEN} GROUP BY owner_id`.execute(this.db);
    return r.rows.map((x) => ({ ownerId: x.owner_id, count: Number(x.n) }));
  }

  async openByAge(now: number, bounds: readonly number[]): Promise<number[]> {
    // Cut-off instants, newest first: bucket i is (cut[i], cut[i-1]]; one more for the rest.
    const cuts = bounds.map((b) => now - b);
    const cols = cuts.map((c, i) => {
      const prev = cuts[i - 1];
      const cond = prev === undefined ? sql`created_at > ${c}` : sql`created_at <= ${prev} AND created_at > ${c}`;
      return sql`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS ${sql.ref(`b${i}`)}`;
    });
    const last = cuts[cuts.length - 1];
    cols.push(last === undefined ? sql`COUNT(*) AS b0` : sql`SUM(CASE WHEN created_at <= ${last} THEN 1 ELSE 0 END) AS ${sql.ref(`b${cuts.length}`)}`);
    const r = await sql<Record<string, number | null>>`SELECT ${sql.join(cols)} FROM ${this.openFrom} WHERE ${OPEN}`.execute(this.db);
    const row = r.rows[0] ?? {};
    return cols.map((_, i) => Number(row[`b${i}`] ?? 0));
  }

  async slaRows(set: DigestSlaSet, from: number, to: number): Promise<DigestSlaRow[]> {
    const cols = sql.raw(
      `id, key, priority, owner_id, status, ${this.engine === 'sqlite' ? 'sla' : 'sla::text AS sla'}, created_at, first_response_at, resolved_at, paused_ms, paused_since`,
    );
    let r: { rows: SlaRowDb[] };
    if (set === 'open') r = await sql<SlaRowDb>`SELECT ${cols} FROM ${this.openFrom} WHERE ${OPEN}`.execute(this.db);
    else {
      const column = sql.ref(set === 'firstResponseIn' || set === 'firstResponseSince' ? 'first_response_at' : 'resolved_at');
      const upper = set.endsWith('In') ? sql`AND ${column} < ${to}` : sql``;
      r = await sql<SlaRowDb>`SELECT ${cols} FROM tickets WHERE ${column} >= ${from} ${upper} AND deleted = 0`.execute(this.db);
    }
    return r.rows.map(toSlaRow);
  }

  async titles(keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('tickets')
      .select(['key', 'title'])
      .where('key', 'in', [...keys])
      .execute();
    return new Map(rows.map((r) => [r.key, r.title]));
  }

  async categories(from: number, to: number): Promise<{ category: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('tickets')
      .select(['category', (eb) => eb.fn.countAll<number>().as('n')])
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .where('deleted', '=', 0)
      .groupBy('category')
      .execute();
    return rows.map((r) => ({ category: r.category, count: Number(r.n) }));
  }

  async recentCreated(from: number, to: number, limit: number): Promise<DigestScanRow[]> {
    const rows = await this.db
      .selectFrom('tickets')
      .select(['id', 'key', 'title', 'text', 'status', 'incident_key'])
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .where('deleted', '=', 0)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), key: r.key, title: r.title, text: r.text, status: r.status as TicketStatus, incidentKey: r.incident_key }));
  }

  async resolutionOutcomes(from: number, to: number): Promise<{ resolutions: number; firstContact: number; reopenedAfter: number }> {
    const to_ = jsonText('e.data', 'to');
    const from_ = jsonText('e.data', 'from');
    const outcome = jsonText('e.data', 'outcome');
    const role = jsonText('r.data', 'role');
    const r = await sql<{ n: number; fcr: number | null; reopened: number | null }>`
      WITH res AS (
        SELECT e.ticket_id AS id, MIN(e.at) AS at
          FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
         WHERE e.type = 'status_changed' AND e.at >= ${from} AND e.at < ${to} AND t.deleted = 0
           AND (${to_} = 'resolved' OR (${to_} = 'closed' AND ${from_} <> 'resolved'))
           AND COALESCE(${outcome}, '') <> 'deflected' -- not a deflection (src/tickets/resolution-outcome.ts)
         GROUP BY e.ticket_id
      ), scored AS (
        SELECT res.id,
               SUM(CASE WHEN r.at <= res.at AND r.type = 'replied' AND ${role} = 'agent' THEN 1 ELSE 0 END) AS replies,
               MAX(CASE WHEN r.type = 'reopened' THEN 1 ELSE 0 END) AS ever_reopened,
               MAX(CASE WHEN r.type = 'reopened' AND r.at >= res.at THEN 1 ELSE 0 END) AS reopened_after
          FROM res JOIN ticket_events r ON r.ticket_id = res.id
         GROUP BY res.id
      )
      SELECT COUNT(*) AS n,
             COALESCE(SUM(CASE WHEN replies = 1 AND ever_reopened = 0 THEN 1 ELSE 0 END), 0) AS fcr,
             COALESCE(SUM(reopened_after), 0) AS reopened
        FROM scored`.execute(this.db);
    const row = r.rows[0];
    return { resolutions: Number(row?.n ?? 0), firstContact: Number(row?.fcr ?? 0), reopenedAfter: Number(row?.reopened ?? 0) };
  }
}

// ─── /metrics gauges ──────────────────────────────────────────────────────────────────────────

export class KyselyMetricsQueries implements MetricsQueries {
  constructor(private readonly db: Kysely<StoreDb>) {}

  async outboxBacklog(): Promise<{ depth: number; oldestCreatedAt: number | null }> {
    const b = await this.db
      .selectFrom('outbox')
      .select((eb) => [eb.fn.countAll<number>().as('depth'), eb.fn.min<number | null>('id').as('first')])
      .where('status', 'in', ['pending', 'sending'])
      .executeTakeFirstOrThrow();
    if (b.first === null) return { depth: Number(b.depth), oldestCreatedAt: null };
    // Row ids grow with creation time: the lowest unfinished id is the oldest row.
    const o = await this.db.selectFrom('outbox').select('created_at').where('id', '=', Number(b.first)).executeTakeFirst();
    return { depth: Number(b.depth), oldestCreatedAt: o ? Number(o.created_at) : null };
  }

  async ticketsByStatus(statuses: readonly string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    // One index range per status (tickets_status): cheap for the open statuses of a large desk.
    for (const s of statuses) {
      const r = await this.db
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', s)
        .executeTakeFirstOrThrow();
      out[s] = Number(r.n);
    }
    return out;
  }
}
