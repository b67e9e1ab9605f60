/**
 * TicketRepo: tickets, their append-only timeline, their messages, and inbound idempotency.
 * Synchronous (better-sqlite3); callers group writes that belong together in `db.transaction`.
 */
import type { NewTicket, TicketPatch } from '../ports/store.js';
import type { Attachment, Platform, Priority, Signal, SlaSnapshot, Ticket, TicketEvent, TicketEventType, TicketStatus } from '../domain/types.js';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';

interface TicketRow {
  id: number;
  key: string;
  platform: string;
  channel_id: string;
  source_message_id: string | null;
  thread_id: string | null;
  card_message_id: string | null;
  requester_id: string;
  requester_name: string | null;
  title: string;
  text: string;
  category: string;
  priority: string;
  status: string;
  owner_id: string | null;
  team: string;
  signals: string;
  attachments: string;
  sla: string;
  created_at: number;
  updated_at: number;
  first_response_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  paused_ms: number;
  paused_since: number | null;
  snoozed_until: number | null;
  incident_key: string | null;
  deleted: number;
  next_sla_check_at: number | null;
  reopened_count: number;
  triage_channel_id: string | null;
  source_link: string | null;
  ack_message_id: string | null;
}

export function rowToTicket(r: TicketRow): Ticket {
  return {
    id: r.id,
    key: r.key,
    platform: r.platform as Platform,
    channelId: r.channel_id,
    sourceMessageId: r.source_message_id,
    threadId: r.thread_id,
    cardMessageId: r.card_message_id,
    requesterId: r.requester_id,
    requesterName: r.requester_name,
    title: r.title,
    text: r.text,
    category: r.category,
    priority: r.priority as Priority,
    status: r.status as TicketStatus,
    ownerId: r.owner_id,
    team: r.team,
    signals: JSON.parse(r.signals) as Signal[],
    attachments: JSON.parse(r.attachments) as Attachment[],
    sla: JSON.parse(r.sla) as SlaSnapshot,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    firstResponseAt: r.first_response_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    pausedMs: r.paused_ms,
    pausedSince: r.paused_since,
    snoozedUntil: r.snoozed_until,
    incidentKey: r.incident_key,
    deleted: r.deleted === 1,
    triageChannelId: r.triage_channel_id ?? null,
    sourceLink: r.source_link ?? null,
    ackMessageId: r.ack_message_id ?? null,
  };
}

// The shapes of a new ticket and a change are the store port's (src/ports/store.ts).
export type { NewTicket, TicketPatch } from '../ports/store.js';

const PATCH_COLUMNS: Record<string, string> = {
  threadId: 'thread_id',
  cardMessageId: 'card_message_id',
  title: 'title',
  text: 'text',
  category: 'category',
  priority: 'priority',
  status: 'status',
  ownerId: 'owner_id',
  team: 'team',
  signals: 'signals',
  attachments: 'attachments',
  sla: 'sla',
  firstResponseAt: 'first_response_at',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
  pausedMs: 'paused_ms',
  pausedSince: 'paused_since',
  snoozedUntil: 'snoozed_until',
  incidentKey: 'incident_key',
  deleted: 'deleted',
  nextSlaCheckAt: 'next_sla_check_at',
  reopenedCount: 'reopened_count',
  triageChannelId: 'triage_channel_id',
  sourceLink: 'source_link',
  ackMessageId: 'ack_message_id',
};
const JSON_FIELDS = new Set(['signals', 'attachments', 'sla']);

export interface TicketFilter {
  status?: TicketStatus | TicketStatus[];
  open?: boolean;
  ownerId?: string | null;
  team?: string;
  channelId?: string;
  /** Only this requester's tickets (a customer's own view). */
  requesterId?: string;
  priority?: Priority;
  createdFrom?: number;
  createdTo?: number;
  limit?: number;
}

export interface StoredMessage {
  ticketId: number;
  platform: string;
  channelId: string;
  messageId: string;
  authorId: string;
  authorRole: 'customer' | 'agent' | 'bot';
  text: string;
  at: number;
  deleted?: boolean;
}

export class TicketRepo {
  private readonly stmts;
  /** Prepared UPDATE statements by column set (preparing costs more than running). */
  private readonly updates = new Map<string, Database.Statement<Record<string, unknown>, TicketRow>>();

  constructor(readonly db: Db) {
    this.stmts = {
      byId: db.prepare<[number], TicketRow>('SELECT * FROM tickets WHERE id = ?'),
      byKey: db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE key = ? COLLATE NOCASE'),
      bySource: db.prepare<[string, string, string], TicketRow>(
        'SELECT * FROM tickets WHERE platform = ? AND channel_id = ? AND source_message_id = ?',
      ),
      byThread: db.prepare<[string, string, string], TicketRow>(
        'SELECT * FROM tickets WHERE platform = ? AND channel_id = ? AND thread_id = ? ORDER BY id LIMIT 1',
      ),
      // The card sits in the triage channel when the ticket has one, else in the customer's channel.
      byCard: db.prepare<[string, string, string], TicketRow>(
        'SELECT * FROM tickets WHERE platform = ? AND card_message_id = ? AND coalesce(triage_channel_id, channel_id) = ?',
      ),
      byInternalThread: db.prepare<[string, string, string], TicketRow>(
        'SELECT * FROM tickets WHERE platform = ? AND card_message_id = ? AND triage_channel_id = ?',
      ),
      nextKey: db.prepare<[], { value: number }>("UPDATE counters SET value = value + 1 WHERE name = 'ticket' RETURNING value"),
      insert: db.prepare(`INSERT INTO tickets (key, platform, channel_id, source_message_id, thread_id, card_message_id, requester_id,
        requester_name, title, text, category, priority, status, owner_id, team, signals, attachments, sla, created_at, updated_at,
        first_response_at, resolved_at, closed_at, paused_ms, paused_since, snoozed_until, incident_key, next_sla_check_at, triage_channel_id)
        VALUES (@key, @platform, @channelId, @sourceMessageId, @threadId, @cardMessageId, @requesterId, @requesterName, @title, @text,
        @category, @priority, @status, @ownerId, @team, @signals, @attachments, @sla, @createdAt, @updatedAt, @firstResponseAt,
        @resolvedAt, @closedAt, @pausedMs, @pausedSince, @snoozedUntil, @incidentKey, @nextSlaCheckAt, @triageChannelId) RETURNING *`),
      event: db.prepare('INSERT INTO ticket_events (ticket_id, type, actor, at, data) VALUES (?, ?, ?, ?, ?)'),
      events: db.prepare<[number], { id: number; ticket_id: number; type: string; actor: string; at: number; data: string }>(
        'SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY id',
      ),
      addMessage: db.prepare(`INSERT OR IGNORE INTO messages (ticket_id, platform, channel_id, message_id, author_id, author_role, text, at)
        VALUES (@ticketId, @platform, @channelId, @messageId, @authorId, @authorRole, @text, @at)`),
      messages: db.prepare<[number], { message_id: string; author_id: string; author_role: string; text: string; at: number; deleted: number; channel_id: string; platform: string; ticket_id: number }>(
        'SELECT * FROM messages WHERE ticket_id = ? ORDER BY at, id',
      ),
      inbound: db.prepare('INSERT OR IGNORE INTO inbound_events (platform, event_id, at) VALUES (?, ?, ?)'),
    };
  }

  get(id: number): Ticket | null {
    const r = this.stmts.byId.get(id);
    return r ? rowToTicket(r) : null;
  }

  /** Find by human key ("T-1042", case-insensitive; a bare number "1042" works too). */
  getByKey(key: string): Ticket | null {
    const k = /^\d+$/.test(key.trim()) ? `T-${key.trim()}` : key.trim();
    const r = this.stmts.byKey.get(k);
    return r ? rowToTicket(r) : null;
  }

  findBySource(platform: string, channelId: string, messageId: string): Ticket | null {
    const r = this.stmts.bySource.get(platform, channelId, messageId);
    return r ? rowToTicket(r) : null;
  }

  findByThread(platform: string, channelId: string, threadId: string): Ticket | null {
    const r = this.stmts.byThread.get(platform, channelId, threadId);
    return r ? rowToTicket(r) : null;
  }

  findByCard(platform: string, channelId: string, cardMessageId: string): Ticket | null {
    const r = this.stmts.byCard.get(platform, cardMessageId, channelId);
    return r ? rowToTicket(r) : null;
  }

  /** The ticket whose internal thread (its card's thread in a triage channel) this is. */
  findByInternalThread(platform: string, triageChannelId: string, threadId: string): Ticket | null {
    const r = this.stmts.byInternalThread.get(platform, threadId, triageChannelId);
    return r ? rowToTicket(r) : null;
  }

  /** Insert a ticket with the next human key. Call inside a transaction with its events. */
  insert(t: NewTicket): Ticket {
    const n = this.stmts.nextKey.get()!.value;
    const key = `T-${n}`;
    const row = this.stmts.insert.get({
      ...t,
      triageChannelId: t.triageChannelId ?? null,
      key,
      signals: JSON.stringify(t.signals),
      attachments: JSON.stringify(t.attachments),
      sla: JSON.stringify(t.sla),
    }) as TicketRow;
    return rowToTicket(row);
  }

  update(id: number, patch: TicketPatch, at: number): Ticket {
    const sets: string[] = ['updated_at = @updatedAt'];
    const params: Record<string, unknown> = { id, updatedAt: at };
    for (const [k, v] of Object.entries(patch)) {
      const col = PATCH_COLUMNS[k];
      if (!col || v === undefined) continue;
      sets.push(`${col} = @${k}`);
      params[k] = JSON_FIELDS.has(k) ? JSON.stringify(v) : typeof v === 'boolean' ? Number(v) : v;
    }
    const sql = `UPDATE tickets SET ${sets.join(', ')} WHERE id = @id RETURNING *`;
    let stmt = this.updates.get(sql);
    if (!stmt) {
      stmt = this.db.prepare<Record<string, unknown>, TicketRow>(sql);
      this.updates.set(sql, stmt);
    }
    const row = stmt.get(params);
    if (!row) throw new Error(`ticket ${id} vanished during an update`);
    return rowToTicket(row);
  }

  appendEvent(ticketId: number, type: TicketEventType, actor: string, at: number, data: Record<string, unknown> = {}): void {
    this.stmts.event.run(ticketId, type, actor, at, JSON.stringify(data));
  }

  events(ticketId: number): TicketEvent[] {
    return this.stmts.events.all(ticketId).map((r) => ({
      id: r.id,
      ticketId: r.ticket_id,
      type: r.type as TicketEventType,
      actor: r.actor,
      at: r.at,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }

  /** Attach a message; returns false when it was already stored (redelivery). */
  addMessage(m: StoredMessage): boolean {
    return this.stmts.addMessage.run(m).changes > 0;
  }

  messages(ticketId: number): StoredMessage[] {
    return this.stmts.messages.all(ticketId).map((r) => ({
      ticketId: r.ticket_id,
      platform: r.platform,
      channelId: r.channel_id,
      messageId: r.message_id,
      authorId: r.author_id,
      authorRole: r.author_role as StoredMessage['authorRole'],
      text: r.text,
      at: r.at,
      deleted: r.deleted === 1,
    }));
  }

  updateMessage(platform: string, channelId: string, messageId: string, patch: { text?: string; deleted?: boolean }, at: number): void {
    if (patch.text !== undefined)
      this.db.prepare('UPDATE messages SET text = ?, edited_at = ? WHERE platform = ? AND channel_id = ? AND message_id = ?').run(patch.text, at, platform, channelId, messageId);
    if (patch.deleted)
      this.db.prepare('UPDATE messages SET deleted = 1, edited_at = ? WHERE platform = ? AND channel_id = ? AND message_id = ?').run(at, platform, channelId, messageId);
  }

  /** Record an inbound event id; returns true the first time, false for a duplicate delivery. */
  markInbound(platform: string, eventId: string, at: number): boolean {
    return this.stmts.inbound.run(platform, eventId, at).changes > 0;
  }

  list(f: TicketFilter = {}): Ticket[] {
    const where: string[] = ['deleted = 0'];
    const p: Record<string, unknown> = {};
    if (f.status) {
      const list = Array.isArray(f.status) ? f.status : [f.status];
      where.push(`status IN (${list.map((_, i) => `@s${i}`).join(',')})`);
      list.forEach((s, i) => {
        p[`s${i}`] = s;
      });
    }
    if (f.open) where.push("status NOT IN ('resolved','closed')");
    if (f.ownerId === null) where.push('owner_id IS NULL');
    else if (f.ownerId !== undefined) {
      where.push('owner_id = @ownerId');
      p.ownerId = f.ownerId;
    }
    if (f.team) {
      where.push('team = @team');
      p.team = f.team;
    }
    if (f.channelId) {
      where.push('channel_id = @channelId');
      p.channelId = f.channelId;
    }
    if (f.requesterId !== undefined) {
      where.push('requester_id = @requesterId');
      p.requesterId = f.requesterId;
    }
    if (f.priority) {
      where.push('priority = @priority');
      p.priority = f.priority;
    }
    if (f.createdFrom !== undefined) {
      where.push('created_at >= @createdFrom');
      p.createdFrom = f.createdFrom;
    }
    if (f.createdTo !== undefined) {
      where.push('created_at < @createdTo');
      p.createdTo = f.createdTo;
    }
    const limit = Math.min(f.limit ?? 500, 10_000);
    const rows = this.db
      .prepare<Record<string, unknown>, TicketRow>(`SELECT * FROM tickets WHERE ${where.join(' AND ')} ORDER BY priority, created_at LIMIT ${limit}`)
      .all(p);
    return rows.map(rowToTicket);
  }

  /**
   * Similar tickets by full-text search (bm25), most similar first.
   * @example repo.similar('login fails with SSO', { resolvedOnly: true, limit: 3 })
   */
  similar(text: string, opts: { limit?: number; resolvedOnly?: boolean; excludeId?: number; since?: number } = {}): Ticket[] {
    const q = ftsQuery(text);
    if (!q) return [];
    const where: string[] = ['tickets_fts MATCH @q', 't.deleted = 0'];
    const p: Record<string, unknown> = { q, limit: opts.limit ?? 3, excludeId: opts.excludeId ?? -1 };
    if (opts.resolvedOnly) where.push("t.status IN ('resolved','closed')");
    if (opts.since !== undefined) {
      where.push('t.created_at >= @since');
      p.since = opts.since;
    }
    where.push('t.id != @excludeId');
    return this.db
      .prepare<Record<string, unknown>, TicketRow>(
        `SELECT t.* FROM tickets_fts JOIN tickets t ON t.id = tickets_fts.rowid WHERE ${where.join(' AND ')} ORDER BY bm25(tickets_fts) LIMIT @limit`,
      )
      .all(p)
      .map(rowToTicket);
  }
}

const STOP = new Set(
  'a an and are as at be but by can could do for from has have hi hello i if in into is it its me my no not of on or our please so that the their there this to us was we were what when why will with you your'.split(' '),
);

/** Build an FTS5 OR-query of the distinctive words in `text` (quoted, so no syntax injection). */
export function ftsQuery(text: string): string {
  const words = [...new Set((text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).filter((w) => !STOP.has(w)))].slice(0, 24);
  return words.map((w) => `"${w}"`).join(' OR ');
}
