/**
 * Tickets, their append-only timeline and conversation, and similar-ticket search, as typed
 * Kysely queries that run unchanged on SQLite and PostgreSQL (only full text differs by engine).
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Platform, Priority, Ticket, TicketEvent, TicketEventType, TicketStatus } from '../../domain/types.js';
import type { NewTicket, SimilarTickets, StoredMessage, StoreEngine, TicketFilter, TicketPatch, TicketRepository } from '../../ports/store.js';
import { ftsQuery } from '../ticket-repo.js';
import { fromJson, type StoreDb, type TicketsTable } from './schema.js';

type TicketRow = Selectable<TicketsTable>;

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
    signals: fromJson(r.signals),
    attachments: fromJson(r.attachments),
    sla: fromJson(r.sla),
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
    triageChannelId: r.triage_channel_id,
    sourceLink: r.source_link,
    ackMessageId: r.ack_message_id,
  };
}

const PATCH_COLUMNS = {
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
} as const satisfies Record<keyof TicketPatch, keyof TicketsTable>;
const JSON_FIELDS = new Set<keyof TicketPatch>(['signals', 'attachments', 'sla']);

export class KyselyTicketRepository implements TicketRepository {
  constructor(private readonly db: Kysely<StoreDb>) {}

  private async one(q: Promise<TicketRow | undefined>): Promise<Ticket | null> {
    const r = await q;
    return r ? rowToTicket(r) : null;
  }

  get(id: number): Promise<Ticket | null> {
    return this.one(this.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst());
  }

  getByKey(key: string): Promise<Ticket | null> {
    const k = /^\d+$/.test(key.trim()) ? `T-${key.trim()}` : key.trim();
    // Keys are made upper-case ("T-1042"), so an upper-cased look-up is case-insensitive and
    // still uses the unique index on both engines.
    return this.one(this.db.selectFrom('tickets').selectAll().where('key', '=', k.toUpperCase()).executeTakeFirst());
  }

  findBySource(platform: string, channelId: string, messageId: string): Promise<Ticket | null> {
    return this.one(
      this.db
        .selectFrom('tickets')
        .selectAll()
        .where('platform', '=', platform)
        .where('channel_id', '=', channelId)
        .where('source_message_id', '=', messageId)
        .executeTakeFirst(),
    );
  }

  findByThread(platform: string, channelId: string, threadId: string): Promise<Ticket | null> {
    return this.one(
      this.db
        .selectFrom('tickets')
        .selectAll()
        .where('platform', '=', platform)
        .where('channel_id', '=', channelId)
        .where('thread_id', '=', threadId)
        .orderBy('id')
        .limit(1)
        .executeTakeFirst(),
    );
  }

  findByCard(platform: string, channelId: string, cardMessageId: string): Promise<Ticket | null> {
    return this.one(
      this.db
        .selectFrom('tickets')
        .selectAll()
        .where('platform', '=', platform)
        .where('card_message_id', '=', cardMessageId)
        .where((eb) => eb(eb.fn.coalesce('triage_channel_id', 'channel_id'), '=', channelId))
        .executeTakeFirst(),
    );
  }

  findByInternalThread(platform: string, triageChannelId: string, threadId: string): Promise<Ticket | null> {
    return this.one(
      this.db
        .selectFrom('tickets')
        .selectAll()
        .where('platform', '=', platform)
        .where('card_message_id', '=', threadId)
        .where('triage_channel_id', '=', triageChannelId)
        .executeTakeFirst(),
    );
  }

  async create(t: NewTicket): Promise<Ticket> {
    const { value } = await this.db
      .updateTable('counters')
      .set((eb) => ({ value: eb('value', '+', 1) }))
      .where('name', '=', 'ticket')
      .returning('value')
      .executeTakeFirstOrThrow();
    const row = await this.db
      .insertInto('tickets')
      .values({
        key: `T-${value}`,
        platform: t.platform,
        channel_id: t.channelId,
        source_message_id: t.sourceMessageId,
        thread_id: t.threadId,
        card_message_id: t.cardMessageId,
        requester_id: t.requesterId,
        requester_name: t.requesterName,
        title: t.title,
        text: t.text,
        category: t.category,
        priority: t.priority,
        status: t.status,
        owner_id: t.ownerId,
        team: t.team,
        signals: JSON.stringify(t.signals),
        attachments: JSON.stringify(t.attachments),
        sla: JSON.stringify(t.sla),
        created_at: t.createdAt,
        updated_at: t.updatedAt,
        first_response_at: t.firstResponseAt,
        resolved_at: t.resolvedAt,
        closed_at: t.closedAt,
        paused_ms: t.pausedMs,
        paused_since: t.pausedSince,
        snoozed_until: t.snoozedUntil,
        incident_key: t.incidentKey,
        next_sla_check_at: t.nextSlaCheckAt,
        triage_channel_id: t.triageChannelId ?? null,
        source_link: t.sourceLink ?? null,
        ack_message_id: t.ackMessageId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return rowToTicket(row);
  }

  async update(id: number, patch: TicketPatch, at: number): Promise<Ticket> {
    const set: Record<string, unknown> = { updated_at: at };
    for (const [k, v] of Object.entries(patch) as [keyof TicketPatch, unknown][]) {
      const col = PATCH_COLUMNS[k];
      if (!col || v === undefined) continue;
      set[col] = JSON_FIELDS.has(k) ? JSON.stringify(v) : typeof v === 'boolean' ? Number(v) : v;
    }
    const row = await this.db.updateTable('tickets').set(set).where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new Error(`ticket ${id} vanished during an update`);
    return rowToTicket(row);
  }

  async list(f: TicketFilter = {}): Promise<Ticket[]> {
    let q = this.db.selectFrom('tickets').selectAll().where('deleted', '=', 0);
    if (f.status) q = q.where('status', 'in', Array.isArray(f.status) ? f.status : [f.status]);
    if (f.open) q = q.where('status', 'not in', ['resolved', 'closed']);
    if (f.ownerId === null) q = q.where('owner_id', 'is', null);
    else if (f.ownerId !== undefined) q = q.where('owner_id', '=', f.ownerId);
    if (f.team) q = q.where('team', '=', f.team);
    if (f.channelId) q = q.where('channel_id', '=', f.channelId);
    if (f.requesterId !== undefined) q = q.where('requester_id', '=', f.requesterId);
    if (f.priority) q = q.where('priority', '=', f.priority);
    if (f.createdFrom !== undefined) q = q.where('created_at', '>=', f.createdFrom);
    if (f.createdTo !== undefined) q = q.where('created_at', '<', f.createdTo);
    const rows = await q
      .orderBy('priority')
      .orderBy('created_at')
      .orderBy('id')
      .limit(Math.min(f.limit ?? 500, 10_000))
      .execute();
    return rows.map(rowToTicket);
  }

  async appendEvent(ticketId: number, type: TicketEventType, actor: string, at: number, data: Record<string, unknown> = {}): Promise<void> {
    await this.db.insertInto('ticket_events').values({ ticket_id: ticketId, type, actor, at, data: JSON.stringify(data) }).execute();
  }

  async events(ticketId: number): Promise<TicketEvent[]> {
    const rows = await this.db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, ticketId: r.ticket_id, type: r.type as TicketEventType, actor: r.actor, at: r.at, data: fromJson(r.data) }));
  }

  async addMessage(m: StoredMessage): Promise<boolean> {
    const r = await this.db
      .insertInto('messages')
      .values({
        ticket_id: m.ticketId,
        platform: m.platform,
        channel_id: m.channelId,
        message_id: m.messageId,
        author_id: m.authorId,
        author_role: m.authorRole,
        text: m.text,
        at: m.at,
      })
      .onConflict((oc) => oc.columns(['platform', 'channel_id', 'message_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async messages(ticketId: number): Promise<StoredMessage[]> {
    const rows = await this.db.selectFrom('messages').selectAll().where('ticket_id', '=', ticketId).orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({
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

  async updateMessage(platform: string, channelId: string, messageId: string, patch: { text?: string; deleted?: boolean }, at: number): Promise<void> {
    const set: { text?: string; deleted?: number; edited_at: number } = { edited_at: at };
    if (patch.text !== undefined) set.text = patch.text;
    if (patch.deleted) set.deleted = 1;
    if (set.text === undefined && set.deleted === undefined) return;
    await this.db
      .updateTable('messages')
      .set(set)
      .where('platform', '=', platform)
      .where('channel_id', '=', channelId)
      .where('message_id', '=', messageId)
      .execute();
  }
}

/** The distinctive words of a text (the same choice as the FTS5 query on SQLite). */
function searchWords(text: string): string[] {
  const q = ftsQuery(text);
  return q ? q.split(' OR ').map((w) => w.slice(1, -1)) : [];
}

/**
 * Similar tickets: FTS5 + bm25 on SQLite (tickets_fts), `to_tsvector('english', title || ' ' ||
 * text)` against its GIN index + ts_rank on PostgreSQL. The words are letters and digits only.
 */
export class KyselySimilarTickets implements SimilarTickets {
  constructor(
    private readonly db: Kysely<StoreDb>,
    private readonly engine: StoreEngine,
  ) {}

  async similar(text: string, opts: { limit?: number; resolvedOnly?: boolean; excludeId?: number; since?: number } = {}): Promise<Ticket[]> {
    const words = searchWords(text);
    if (words.length === 0) return [];
    const limit = opts.limit ?? 3;
    const status = opts.resolvedOnly ? sql`AND t.status IN ('resolved','closed')` : sql``;
    const since = opts.since !== undefined ? sql`AND t.created_at >= ${opts.since}` : sql``;
    const excludeId = opts.excludeId ?? -1;
    if (this.engine === 'sqlite') {
      const q = words.map((w) => `"${w}"`).join(' OR ');
      const r = await sql<TicketRow>`SELECT t.* FROM tickets_fts JOIN tickets t ON t.id = tickets_fts.rowid
        WHERE tickets_fts MATCH ${q} AND t.deleted = 0 ${status} ${since} AND t.id != ${excludeId}
        ORDER BY bm25(tickets_fts) LIMIT ${limit}`.execute(this.db);
      return r.rows.map(rowToTicket);
    }
    const q = words.join(' | ');
    const r = await sql<TicketRow>`SELECT t.* FROM tickets t, to_tsquery('english', ${q}) AS q
      WHERE to_tsvector('english', t.title || ' ' || t.text) @@ q AND t.deleted = 0 ${status} ${since} AND t.id != ${excludeId}
      ORDER BY ts_rank(to_tsvector('english', t.title || ' ' || t.text), q) DESC, t.id LIMIT ${limit}`.execute(this.db);
    return r.rows.map(rowToTicket);
  }
}
