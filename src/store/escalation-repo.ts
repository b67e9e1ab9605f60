/**
 * Synchronous repositories for escalations, SLA pings and the digest log, on the app's SQLite
 * connection — for the callers that still write inside a better-sqlite3 transaction together
 * with ticket changes and outbox enqueues (the SLA sweep's batches, triage-time prompts, prompt
 * decisions, the digest's "sent" row with its outbox row). The same operations on the async
 * store port (both engines) are src/store/kysely/escalation.ts; these go away when those callers
 * move onto `store.tx` (issue #13).
 */
import type { Ticket } from '../domain/types.js';
import type { EscalationRecord, EscalationStatus, NewEscalation, SlaClock, SlaPing, SweepCursor } from '../ports/store-escalation.js';
import type { Db } from './db.js';
import { rowToTicket } from './ticket-repo.js';

interface RawEscalation {
  id: number;
  ticket_id: number;
  rule_id: string;
  reason: string;
  target: string;
  related: string;
  status: EscalationStatus;
  created_at: number;
  decided_by: string | null;
  decided_at: number | null;
}

const toEscalation = (r: RawEscalation): EscalationRecord => ({
  id: r.id,
  ticketId: r.ticket_id,
  ruleId: r.rule_id,
  reason: r.reason,
  target: r.target,
  related: JSON.parse(r.related) as string[],
  status: r.status,
  createdAt: r.created_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

/** Escalation prompts (one per ticket and rule). */
export class EscalationRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      insert: db.prepare<[number, string, string, string, string, number], { id: number }>(
        `INSERT INTO escalations (ticket_id, rule_id, reason, target, related, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (ticket_id, rule_id) DO NOTHING RETURNING id`,
      ),
      get: db.prepare<[number], RawEscalation>('SELECT * FROM escalations WHERE id = ?'),
      forTicket: db.prepare<[number], RawEscalation>('SELECT * FROM escalations WHERE ticket_id = ? ORDER BY id'),
      decide: db.prepare<[EscalationStatus, string, number, number]>(
        "UPDATE escalations SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'open'",
      ),
      escalatedCount: db.prepare<[number], { n: number }>("SELECT COUNT(*) AS n FROM ticket_events WHERE ticket_id = ? AND type = 'escalated'"),
      clusterOf: db.prepare<[number, number], { id: number }>(
        "SELECT id FROM escalations WHERE ticket_id = ? AND rule_id LIKE 'cluster%' AND created_at >= ? LIMIT 1",
      ),
      unassignedDue: db.prepare<[number, string, number], { id: number }>(
        `SELECT t.id FROM tickets t INDEXED BY tickets_open_unassigned
          WHERE t.owner_id IS NULL AND t.status NOT IN ('resolved','closed') AND t.deleted = 0 AND t.created_at <= ?
            AND t.status != 'waiting_on_customer' AND t.priority != 'P4'
            AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.ticket_id = t.id AND e.rule_id = ?)
          ORDER BY t.created_at LIMIT ?`,
      ),
    };
  }

  /** Null when this ticket already has a prompt for the rule. */
  insert(e: NewEscalation): number | null {
    return this.s.insert.get(e.ticketId, e.ruleId, e.reason, e.target, JSON.stringify(e.related ?? []), e.createdAt)?.id ?? null;
  }

  get(id: number): EscalationRecord | null {
    const r = this.s.get.get(id);
    return r ? toEscalation(r) : null;
  }

  forTicket(ticketId: number): EscalationRecord[] {
    return this.s.forTicket.all(ticketId).map(toEscalation);
  }

  /** Decide an open prompt; false when it was decided before. */
  decide(id: number, status: Exclude<EscalationStatus, 'open'>, by: string, at: number): boolean {
    return this.s.decide.run(status, by, at, id).changes > 0;
  }

  escalatedCount(ticketId: number): number {
    return this.s.escalatedCount.get(ticketId)!.n;
  }

  hasClusterPromptSince(ticketId: number, since: number): boolean {
    return this.s.clusterOf.get(ticketId, since) !== undefined;
  }

  unassignedWithout(ruleId: string, createdBefore: number, limit: number): number[] {
    return this.s.unassignedDue.all(createdBefore, ruleId, limit).map((r) => r.id);
  }
}

/**
 * The ticket columns the watcher needs. The customer's text, signals and attachments are not
 * loaded (they can be large and no ping uses them): tickets built from these rows carry '' and [].
 */
const LIGHT_COLUMNS = `id, key, platform, channel_id, source_message_id, thread_id, card_message_id, requester_id, requester_name, title,
  '' AS text, category, priority, status, owner_id, team, '[]' AS signals, '[]' AS attachments, sla, created_at, updated_at,
  first_response_at, resolved_at, closed_at, paused_ms, paused_since, snoozed_until, incident_key, deleted, next_sla_check_at, reopened_count,
  triage_channel_id, source_link, ack_message_id`;

type TicketRow = Parameters<typeof rowToTicket>[0] & { next_sla_check_at: number | null };

/**
 * A due ticket as read; `ticket()` parses it (and may throw on a corrupt row — inside the
 * caller's per-ticket try, so one bad ticket cannot stop a sweep).
 */
export interface DueRow {
  id: number;
  nextSlaCheckAt: number | null;
  ticket(): Ticket;
}

const toDueRow = (r: TicketRow): DueRow => ({ id: r.id, nextSlaCheckAt: r.next_sla_check_at, ticket: () => rowToTicket(r) });

/** The SLA watcher's reads and its exactly-once ping log. */
export class SlaRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      due: db.prepare<{ now: number; n: number; i: number; limit: number }, TicketRow>(
        `SELECT ${LIGHT_COLUMNS} FROM tickets
          WHERE next_sla_check_at <= @now AND (next_sla_check_at, id) > (@n, @i)
          ORDER BY next_sla_check_at, id LIMIT @limit`,
      ),
      byId: db.prepare<[number], TicketRow>(`SELECT ${LIGHT_COLUMNS} FROM tickets WHERE id = ?`),
      setNext: db.prepare<[number | null, number]>('UPDATE tickets SET next_sla_check_at = ? WHERE id = ?'),
      fired: db.prepare<[number], { clock: SlaClock; threshold: number }>('SELECT clock, threshold FROM sla_pings WHERE ticket_id = ?'),
      record: db.prepare<[number, string, number, number, string]>(
        'INSERT OR IGNORE INTO sla_pings (ticket_id, clock, threshold, at, outcome) VALUES (?, ?, ?, ?, ?)',
      ),
    };
  }

  /** Tickets due at `now` after `cursor`, in (next_sla_check_at, id) order. */
  due(now: number, cursor: SweepCursor, limit: number): DueRow[] {
    return this.s.due.all({ now, n: cursor.at, i: cursor.id, limit }).map(toDueRow);
  }

  ticket(id: number): DueRow | null {
    const r = this.s.byId.get(id);
    return r ? toDueRow(r) : null;
  }

  setNextCheck(ticketId: number, at: number | null): void {
    this.s.setNext.run(at, ticketId);
  }

  fired(ticketId: number): { clock: SlaClock; threshold: number }[] {
    return this.s.fired.all(ticketId);
  }

  /** True for the one caller that records the ping first. */
  recordPing(p: SlaPing): boolean {
    return this.s.record.run(p.ticketId, p.clock, p.threshold, p.at, p.outcome).changes > 0;
  }
}

/** The digest log's write, inside the transaction that enqueues the digest's post. */
export class DigestLog {
  private readonly insert;

  constructor(db: Db) {
    this.insert = db.prepare<[string, string, string, number]>('INSERT OR IGNORE INTO digests_sent (channel_id, kind, period, at) VALUES (?, ?, ?, ?)');
  }

  /** True the first time (exactly once per channel, kind and period). */
  markSent(channel: string, kind: string, period: string, at: number): boolean {
    return this.insert.run(channel, kind, period, at).changes > 0;
  }
}
