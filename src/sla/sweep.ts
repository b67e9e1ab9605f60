/**
 * The SLA watcher's sweep. It reads only the tickets whose `next_sla_check_at` has come (an
 * index range scan), and for each one — in its own savepoint and try/catch, so one bad ticket
 * cannot stop a sweep — decides which thresholds to ping, records each decision in `sla_pings`
 * (primary key = exactly once per ticket, clock and threshold) in the SAME transaction that
 * enqueues the outbox rows, escalates breaches, and recomputes the next check time.
 *
 * Overlapping sweeps (a second process, a slow tick) cannot double-send: the ping row is the
 * lock, and a ticket whose next check was moved on by another sweep is skipped. A crash mid-sweep
 * loses nothing: unprocessed tickets are still due at the next sweep.
 */
import type { Logger } from 'pino';
import type { FrontdeskConfig } from '../config/schema.js';
import type { Ticket } from '../domain/types.js';
import { cardChannelOf } from '../audience/placement.js';
import type { TicketMessenger } from '../audience/ticket-messenger.js';
import type { Escalations } from '../escalation/escalations.js';
import type { Metrics } from '../metrics.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Clock } from '../ports/clock.js';
import type { Directory } from '../routing/directory.js';
import type { Router } from '../routing/routing.js';
import type { SweepCursor } from '../ports/store-escalation.js';
import type { Db } from '../store/db.js';
import { type DueRow, SlaRepo } from '../store/escalation-repo.js';
import type { TicketRepo } from '../store/ticket-repo.js';
import { isOpen } from '../domain/lifecycle.js';
import { type SlaPingInput, slaDmView, slaPingView } from '../views/escalation-prompt.js';
import { isWithinBusinessHours } from './business-hours.js';
import { type SlaClockName, type SlaTicket, nextSlaCheckAt, reachedThresholds, slaState } from './policy.js';

export interface PingDecision {
  clock: SlaClockName;
  threshold: number;
  action: 'send' | 'drop';
  /** Why a ping is dropped. */
  reason?: string;
}

/**
 * Pure: what to do about the thresholds of a ticket that are reached at `now` but not yet
 * handled. Per clock only the highest reached threshold is still worth a ping; lower ones (a
 * 50% warning when 90% has come too, a warning delayed past the next threshold, a warning below
 * a threshold already pinged) have lost their point and are dropped.
 *
 * @example
 * planPings(ticket, new Set(), createdAt + 55 * 60_000) // 1 h target:
 * // [{ clock: 'first_response', threshold: 0.5, action: 'drop', ... }, { ..., threshold: 0.75, action: 'drop' },
 * //  { clock: 'first_response', threshold: 0.9, action: 'send' }]
 */
export function planPings(t: SlaTicket, fired: ReadonlySet<string>, now: number): PingDecision[] {
  const byClock = new Map<SlaClockName, number[]>();
  for (const key of reachedThresholds(t, fired, now)) {
    const i = key.lastIndexOf(':');
    const clock = key.slice(0, i) as SlaClockName;
    const list = byClock.get(clock) ?? [];
    list.push(Number(key.slice(i + 1)));
    byClock.set(clock, list);
  }
  const out: PingDecision[] = [];
  for (const [clock, reached] of byClock) {
    reached.sort((a, b) => a - b);
    const top = reached[reached.length - 1]!;
    let firedAbove = 0;
    for (const k of fired) if (k.startsWith(`${clock}:`)) firedAbove = Math.max(firedAbove, Number(k.slice(clock.length + 1)));
    for (const f of reached) {
      if (f < top) out.push({ clock, threshold: f, action: 'drop', reason: `stale: ${Math.round(top * 100)}% was reached too` });
      else if (firedAbove > f) out.push({ clock, threshold: f, action: 'drop', reason: `stale: ${Math.round(firedAbove * 100)}% was already pinged` });
      else out.push({ clock, threshold: f, action: 'send' });
    }
  }
  return out;
}

export interface SweepStats {
  /** Tickets whose check time had come. */
  due: number;
  processed: number;
  /** Pings enqueued (thread posts; DMs are counted in `dms`). */
  sent: number;
  dms: number;
  dropped: number;
  escalated: number;
  /** Tickets held back (paused, snoozed, handled by a concurrent sweep). */
  held: number;
  errors: number;
  unassignedPrompts: number;
}

export interface SweepDeps {
  config: FrontdeskConfig;
  db: Db;
  clock: Clock;
  repo: TicketRepo;
  outbox: Outbox;
  router: Router;
  directory: Directory;
  escalations: Escalations;
  /** Places pings where the two-audiences rule says (internal thread, or privately). */
  messenger: TicketMessenger;
  logger?: Logger;
  /** Sweep duration and pings sent (frontdesk_sla_sweep_duration_seconds, frontdesk_sla_pings_total). */
  metrics?: Pick<Metrics, 'slaSweepSeconds' | 'slaPings'>;
}

export interface SweepOptions {
  /** Tickets per transaction (each ticket still in its own savepoint). */
  batchSize?: number;
}

interface BatchResult {
  rows: number;
  last: SweepCursor;
  stats: SweepStats;
}

/** Recipients of a ping and why the owner is not among them. */
interface Recipients {
  ids: string[];
  dmIds: string[];
  routedBecause: SlaPingInput['routedBecause'];
}

/**
 * The sweep over due tickets (see the file header).
 * @example const sweeper = new SlaSweeper({ config, db, clock, repo, outbox, router, directory, escalations }); await sweeper.sweep();
 */
export class SlaSweeper {
  private readonly repo: SlaRepo;
  private readonly batchSize: number;

  constructor(
    private readonly d: SweepDeps,
    opts: SweepOptions = {},
  ) {
    this.batchSize = Math.max(1, opts.batchSize ?? 500);
    this.repo = new SlaRepo(d.db);
  }

  /**
   * Sweep every ticket whose SLA check is due. Yields to the event loop between batches.
   * @example const stats = await sweeper.sweep(); // { due: 3, sent: 3, dropped: 0, ... }
   */
  async sweep(opts: { limit?: number } = {}): Promise<SweepStats> {
    const end = this.d.metrics?.slaSweepSeconds.startTimer();
    const stats = await this.d.escalations.withContactsMemo(() => this.sweepAt(this.d.clock.now(), opts.limit));
    end?.();
    this.d.metrics?.slaPings.inc({ via: 'thread' }, stats.sent);
    this.d.metrics?.slaPings.inc({ via: 'dm' }, stats.dms);
    return stats;
  }

  private async sweepAt(now: number, limit: number | undefined): Promise<SweepStats> {
    const stats: SweepStats = { due: 0, processed: 0, sent: 0, dms: 0, dropped: 0, escalated: 0, held: 0, errors: 0, unassignedPrompts: 0 };
    let cursor: SweepCursor = { at: -1, id: 0 };
    let left = limit ?? Number.POSITIVE_INFINITY;
    while (left > 0) {
      const batchLimit = Math.min(this.batchSize, left);
      let batch: BatchResult;
      try {
        batch = this.runBatch(cursor, batchLimit, now, false);
      } catch {
        // Something in the batch failed: it was rolled back as a whole. Redo it with one savepoint
        // per ticket, so the bad ticket is isolated (and logged) and the others go through.
        batch = this.runBatch(cursor, batchLimit, now, true);
      }
      if (batch.rows === 0) break;
      left -= batch.rows;
      cursor = batch.last;
      for (const k of Object.keys(stats) as (keyof SweepStats)[]) stats[k] += batch.stats[k];
      if (batch.rows === this.batchSize) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (left > 0) stats.unassignedPrompts = this.d.escalations.raiseUnassigned(now);
    return stats;
  }

  /**
   * One write transaction: read the next due rows after `cursor` and handle them. Fast path
   * (`isolated` false): no savepoints, any error aborts the whole batch. Isolated: each ticket
   * in its own savepoint and try/catch.
   */
  private runBatch(cursor: SweepCursor, limit: number, now: number, isolated: boolean): BatchResult {
    const { db, logger } = this.d;
    const stats: SweepStats = { due: 0, processed: 0, sent: 0, dms: 0, dropped: 0, escalated: 0, held: 0, errors: 0, unassignedPrompts: 0 };
    return db
      .transaction((): BatchResult => {
        // Rows read inside the batch's write transaction: nobody else can change them meanwhile.
        const rows = this.repo.due(now, cursor, limit);
        stats.due = rows.length;
        for (const row of rows) {
          if (!isolated) {
            this.handleRow(row, now, stats);
            stats.processed++;
            continue;
          }
          const before = { ...stats };
          try {
            db.transaction(() => this.handleRow(row, now, stats))();
            stats.processed++;
          } catch (e) {
            Object.assign(stats, before); // its writes were rolled back: so are its counts
            stats.errors++;
            logger?.error({ err: e, ticketId: row.id }, 'SLA sweep: ticket failed; it stays due and the sweep goes on');
          }
        }
        const last = rows[rows.length - 1];
        return { rows: rows.length, last: last ? { at: last.nextSlaCheckAt!, id: last.id } : cursor, stats };
      })
      .immediate();
  }

  private firedSet(ticketId: number): Set<string> {
    return new Set(this.repo.fired(ticketId).map((r) => `${r.clock}:${r.threshold}`));
  }

  /** Handle one ticket if its check is due (re-read now). Call inside a transaction. */
  processTicket(id: number, now: number, stats: SweepStats): void {
    const row = this.repo.ticket(id);
    if (row) this.handleRow(row, now, stats);
  }

  /** Handle one due ticket row. Runs inside a transaction. */
  private handleRow(row: DueRow, now: number, stats: SweepStats): void {
    const id = row.id;
    if (row.nextSlaCheckAt === null || row.nextSlaCheckAt > now) {
      // Another sweep handled it since it was listed.
      stats.held++;
      return;
    }
    const t = row.ticket();
    if (t.deleted || !isOpen(t.status)) {
      this.repo.setNextCheck(id, null);
      return;
    }
    if (t.status === 'waiting_on_customer') {
      // Paused: nothing pings. Resuming recomputes the check time (TicketService.nextCheck).
      this.repo.setNextCheck(id, null);
      stats.held++;
      return;
    }
    if (t.snoozedUntil !== null && t.snoozedUntil > now) {
      this.repo.setNextCheck(id, t.snoozedUntil);
      stats.held++;
      return;
    }
    const fired = this.firedSet(id);
    for (const p of planPings(t, fired, now)) {
      const recorded = this.repo.recordPing({ ticketId: id, clock: p.clock, threshold: p.threshold, at: now, outcome: p.action === 'send' ? 'sent' : 'dropped' });
      fired.add(`${p.clock}:${p.threshold}`);
      if (!recorded) continue;
      if (p.action === 'drop') {
        stats.dropped++;
        this.d.logger?.info({ ticket: t.key, clock: p.clock, threshold: p.threshold, reason: p.reason }, 'SLA ping dropped instead of sent late');
        continue;
      }
      this.send(t, p, now, stats);
    }
    this.repo.setNextCheck(id, nextSlaCheckAt(t, fired, now));
  }

  /** Who to ping: the owner in working hours; otherwise (or unassigned, or away) the team's on-call. */
  recipients(t: Ticket, now: number): Recipients {
    const { router, directory } = this.d;
    let routedBecause: Recipients['routedBecause'] = null;
    if (t.ownerId === null) routedBecause = 'unassigned';
    else if (directory.isAway(t.ownerId)) routedBecause = 'away';
    else if (t.sla.businessHours && !isWithinBusinessHours(t.sla.businessHours, now)) routedBecause = 'outside_hours';
    if (t.ownerId !== null && routedBecause === null) return { ids: [t.ownerId], dmIds: [t.ownerId], routedBecause };
    const group = router.team(t.team)?.mentionGroup;
    const ids: string[] = [];
    for (const x of this.d.escalations.contacts(t.team, now)) if (x !== t.ownerId) ids.push(x);
    // Nobody else to ping: the owner it is, working hours or not.
    if (ids.length === 0 && t.ownerId !== null) return { ids: [t.ownerId], dmIds: [t.ownerId], routedBecause: null };
    const dmIds: string[] = [];
    for (const x of ids) if (x !== group && dmIds.length < 3) dmIds.push(x);
    return { ids, dmIds, routedBecause };
  }

  private send(t: Ticket, p: PingDecision, now: number, stats: SweepStats): void {
    const { outbox, config, repo, escalations } = this.d;
    const state = slaState(t, now)[p.clock === 'first_response' ? 'firstResponse' : 'resolution'];
    const r = this.recipients(t, now);
    const input: SlaPingInput = {
      key: t.key,
      title: t.title,
      priority: t.priority,
      clock: p.clock,
      threshold: p.threshold,
      recipients: r.ids,
      remainingMs: state.remainingMs,
      routedBecause: r.routedBecause,
      team: this.d.router.team(t.team)?.name ?? t.team,
    };
    const base = `sla:${t.id}:${p.clock}:${p.threshold}`;
    const chat = t.platform !== 'cli';
    // Agents only: the internal thread in triage mode, else privately to the people it pings.
    if (chat) this.d.messenger.send(t, slaPingView(input), { purpose: 'work', key: base, to: r.ids });
    stats.sent++;
    const dmIds = p.threshold >= config.sla.dmThreshold ? r.dmIds : [];
    if (chat)
      for (const userId of dmIds) {
        outbox.enqueue({ platform: t.platform, ticketId: t.id, idempotencyKey: `${base}:dm:${userId}`, payload: { kind: 'dm', userId, view: slaDmView(input) } });
        stats.dms++;
      }
    const breach = p.threshold >= 1;
    repo.appendEvent(t.id, breach ? 'sla_breached' : 'sla_warned', 'system', now, {
      clock: p.clock,
      threshold: p.threshold,
      to: r.ids,
      dm: dmIds,
      routed: r.routedBecause,
    });
    if (breach) {
      if (escalations.raiseBreach(t, p.clock, now) !== null) stats.escalated++;
      if (chat) outbox.enqueueCardUpdate(t.platform, t.id, cardChannelOf(t));
    }
  }
}
