/**
 * The store port for escalations, SLA pings, digests and the /metrics gauges (issue #13):
 * async repositories, the same for SQLite and PostgreSQL. The contract suite is
 * tests/contract/store-escalation-contract.ts.
 *
 * Exactly-once rules live in the schema, so they hold across replicas: an escalation prompt is
 * unique per (ticket, rule), an SLA ping per (ticket, clock, threshold), a digest per (channel,
 * kind, period). The insert that loses the race gets `null` / `false`, never an error.
 */
import type { Priority, Ticket, TicketStatus } from '../domain/types.js';

// ─── escalations ──────────────────────────────────────────────────────────────────────────────

export type EscalationStatus = 'open' | 'accepted' | 'declined' | 'linked';

export interface EscalationRecord {
  id: number;
  ticketId: number;
  ruleId: string;
  reason: string;
  /** escalateTo id (tier, team or user). */
  target: string;
  /** Keys of related tickets (cluster prompts). */
  related: string[];
  status: EscalationStatus;
  createdAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
}

export interface NewEscalation {
  ticketId: number;
  ruleId: string;
  reason: string;
  target: string;
  related?: readonly string[];
  createdAt: number;
}

export interface EscalationRepository {
  /** Insert a prompt row; null when this ticket already has one for the rule (exactly once). */
  insert(e: NewEscalation): Promise<number | null>;
  get(id: number): Promise<EscalationRecord | null>;
  /** A ticket's escalations, oldest first. */
  forTicket(ticketId: number): Promise<EscalationRecord[]>;
  /** Decide an open prompt; false when it was decided before (by someone else). */
  decide(id: number, status: Exclude<EscalationStatus, 'open'>, by: string, at: number): Promise<boolean>;
  /** How many times the ticket was escalated (its `escalated` events). */
  escalatedCount(ticketId: number): Promise<number>;
  /** Whether the ticket got a cluster prompt (rule id `cluster…`) created at or after `since`. */
  hasClusterPromptSince(ticketId: number, since: number): Promise<boolean>;
  /**
   * Open, unassigned, not deleted tickets created at or before `createdBefore` that are not
   * waiting on the customer, not P4, and have no escalation for `ruleId`: oldest first.
   */
  unassignedWithout(ruleId: string, createdBefore: number, limit: number): Promise<number[]>;
}

// ─── SLA watcher ──────────────────────────────────────────────────────────────────────────────

export type SlaClock = 'first_response' | 'resolution';

export interface SlaPing {
  ticketId: number;
  clock: SlaClock;
  threshold: number;
  at: number;
  outcome: 'sent' | 'dropped';
}

/**
 * A ticket as the watcher reads it: without the customer's text, signals and attachments (they
 * can be large and no ping uses them: '' and []), with its next check time.
 */
export interface SlaTicket extends Ticket {
  nextSlaCheckAt: number | null;
}

/** The sweep's position: (next_sla_check_at, id) of the last row handled. */
export interface SweepCursor {
  at: number;
  id: number;
}

export interface SlaRepository {
  /** Tickets due at `now` after `cursor`, in (next_sla_check_at, id) order (an index range scan). */
  due(now: number, cursor: SweepCursor, limit: number): Promise<SlaTicket[]>;
  /** One ticket as the watcher reads it, or null. */
  ticket(id: number): Promise<SlaTicket | null>;
  setNextCheck(ticketId: number, at: number | null): Promise<void>;
  /** The (clock, threshold) pairs already decided for a ticket. */
  fired(ticketId: number): Promise<{ clock: SlaClock; threshold: number }[]>;
  /**
   * Record a ping decision: true for the one caller that records it first (exactly once per
   * ticket, clock and threshold — across connections and replicas), false for every other.
   */
  recordPing(p: SlaPing): Promise<boolean>;
}

// ─── digests ──────────────────────────────────────────────────────────────────────────────────

export interface DigestSent {
  channel: string;
  kind: string;
  /** The period's local date (YYYY-MM-DD). */
  period: string;
  at: number;
}

/** A ticket row with what the digest's SLA judgement needs. */
export interface DigestSlaRow {
  id: number;
  key: string;
  priority: Priority;
  ownerId: string | null;
  status: TicketStatus;
  /** The SLA snapshot as JSON text (many tickets share one: the caller parses each once). */
  sla: string;
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  pausedMs: number;
  pausedSince: number | null;
}

/** Which tickets a digest counts: created, resolved, or reopened (a `reopened` event) in a period. */
export type DigestSet = 'new' | 'resolved' | 'reopened';

/**
 * Which SLA rows: first response / resolution in [from, to) ('…In'), at or after `from`
 * ('…Since', `to` ignored), or the whole open queue ('open', both ignored).
 */
export type DigestSlaSet = 'firstResponseIn' | 'resolvedIn' | 'firstResponseSince' | 'resolvedSince' | 'open';

export interface DigestScanRow {
  id: number;
  key: string;
  title: string;
  text: string;
  status: TicketStatus;
  incidentKey: string | null;
}

export interface DigestRepository {
  wasSent(channel: string, kind: string, period: string): Promise<boolean>;
  /** Record a digest as sent: true the first time (exactly once per channel, kind and period). */
  markSent(d: DigestSent): Promise<boolean>;
  /** Count of a set in [from, to), deleted tickets excluded. */
  count(set: DigestSet, from: number, to: number): Promise<number>;
  /** Up to `limit` keys of a set in [from, to), by ticket id. */
  keys(set: DigestSet, from: number, to: number, limit: number): Promise<string[]>;
  /** The open queue (not resolved/closed, not deleted) per priority. */
  openByPriority(): Promise<Partial<Record<Priority, number>>>;
  /** The open queue per owner (null = unassigned). */
  openByOwner(): Promise<{ ownerId: string | null; count: number }[]>;
  /**
   * The open queue per age bucket: `bounds` are ascending ages (ms); bucket i holds tickets
   * created in (now - bounds[i], now - bounds[i-1]], and one more bucket everything older
   * (bounds.length + 1 counts).
   */
  openByAge(now: number, bounds: readonly number[]): Promise<number[]>;
  slaRows(set: DigestSlaSet, from: number, to: number): Promise<DigestSlaRow[]>;
  /** Titles by ticket key (keys not found are absent). */
  titles(keys: readonly string[]): Promise<Map<string, string>>;
  /** New tickets per category in [from, to). */
  categories(from: number, to: number): Promise<{ category: string; count: number }[]>;
  /** The newest `limit` tickets created in [from, to), newest first. */
  recentCreated(from: number, to: number, limit: number): Promise<DigestScanRow[]>;
  /**
   * Agents' resolutions in [from, to) (status → resolved, or → closed from an open status; not
   * deflections), each ticket once at its first: how many, how many with exactly one agent reply
   * before it and never reopened (first-contact), and how many reopened after it.
   */
  resolutionOutcomes(from: number, to: number): Promise<{ resolutions: number; firstContact: number; reopenedAfter: number }>;
}

// ─── /metrics gauges ──────────────────────────────────────────────────────────────────────────

export interface MetricsQueries {
  /** Unfinished outbox rows (pending or sending) and the oldest one's created_at (null: none). */
  outboxBacklog(): Promise<{ depth: number; oldestCreatedAt: number | null }>;
  /** Tickets (deleted ones included, as the gauge always counted) per status asked for. */
  ticketsByStatus(statuses: readonly string[]): Promise<Record<string, number>>;
}
