/**
 * The durable inbox, replay keys and inbound event ids as typed Kysely queries (both engines).
 * `insertMany` is one transaction: its own, or the caller's when inside `store.tx`.
 */
import type { Kysely, Selectable } from 'kysely';
import type { InboxItem, InboxRepository, InboxStatus, InsertOutcome, NewInboxItem, SeenKey } from '../../ports/store.js';
import type { InboxTable, StoreDb } from './schema.js';

const toItem = (r: Selectable<InboxTable>): InboxItem => ({
  id: r.id,
  platform: r.platform,
  deliveryId: r.delivery_id,
  payload: r.payload,
  retryNum: r.retry_num,
  receivedAt: r.received_at,
  status: r.status as InboxStatus,
  attempts: r.attempts,
  lastError: r.last_error,
  processedAt: r.processed_at,
  result: r.result,
});

const changed = (r: { numInsertedOrUpdatedRows?: bigint; numUpdatedRows?: bigint; numDeletedRows?: bigint }): number =>
  Number(r.numInsertedOrUpdatedRows ?? r.numUpdatedRows ?? r.numDeletedRows ?? 0);

export class KyselyInboxRepository implements InboxRepository {
  constructor(
    private readonly db: Kysely<StoreDb>,
    /** Run `fn` in one transaction (a new one, or the enclosing one). */
    private readonly inTx: <T>(fn: (db: Kysely<StoreDb>) => Promise<T>) => Promise<T>,
  ) {}

  insertMany(items: readonly NewInboxItem[]): Promise<InsertOutcome[]> {
    return this.inTx(async (db) => {
      const out: InsertOutcome[] = [];
      for (const it of items) out.push(await insertOne(db, it));
      return out;
    });
  }

  rememberKeys(keys: readonly SeenKey[]): Promise<SeenKey[]> {
    return this.inTx(async (db) => {
      const already: SeenKey[] = [];
      for (const k of keys) if (!(await rememberKey(db, k))) already.push(k);
      return already;
    });
  }

  async find(platform: string, deliveryId: string): Promise<{ id: number; status: InboxStatus; result: string | null } | null> {
    const r = await this.db
      .selectFrom('inbox')
      .select(['id', 'status', 'result'])
      .where('platform', '=', platform)
      .where('delivery_id', '=', deliveryId)
      .executeTakeFirst();
    return r ? { id: r.id, status: r.status as InboxStatus, result: r.result } : null;
  }

  async get(id: number): Promise<InboxItem | null> {
    const r = await this.db.selectFrom('inbox').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toItem(r) : null;
  }

  async pending(platform: string, afterId: number, limit: number): Promise<InboxItem[]> {
    const rows = await this.db
      .selectFrom('inbox')
      .selectAll()
      .where('platform', '=', platform)
      .where('status', '=', 'pending')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toItem);
  }

  async markDone(id: number, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('inbox')
      .set((eb) => ({ status: 'done', processed_at: at, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return changed(r) > 0;
  }

  async markDoneWithResult(id: number, at: number, result: string): Promise<void> {
    await this.db
      .updateTable('inbox')
      .set((eb) => ({ status: 'done', processed_at: at, attempts: eb('attempts', '+', 1), result }))
      .where('id', '=', id)
      .execute();
  }

  async recordDone(platform: string, deliveryId: string, payload: string, result: string, at: number): Promise<void> {
    await this.db
      .insertInto('inbox')
      .values({ platform, delivery_id: deliveryId, payload, received_at: at, status: 'done', processed_at: at, attempts: 1, result })
      .onConflict((oc) => oc.columns(['platform', 'delivery_id']).doNothing())
      .execute();
  }

  async maxId(platform: string): Promise<number> {
    const r = await this.db
      .selectFrom('inbox')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('platform', '=', platform)
      .executeTakeFirst();
    return r?.id == null ? 0 : Number(r.id);
  }

  async markFailed(id: number, at: number, error: string): Promise<void> {
    await this.db
      .updateTable('inbox')
      .set((eb) => ({ status: 'failed', processed_at: at, attempts: eb('attempts', '+', 1), last_error: error.slice(0, 2000) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  async markAttempt(id: number, error: string): Promise<void> {
    await this.db
      .updateTable('inbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 2000) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  async counts(platform: string): Promise<Record<InboxStatus, number>> {
    const rows = await this.db
      .selectFrom('inbox')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('platform', '=', platform)
      .groupBy('status')
      .execute();
    const out: Record<InboxStatus, number> = { pending: 0, done: 0, failed: 0 };
    for (const r of rows) out[r.status as InboxStatus] = Number(r.n);
    return out;
  }

  async markInbound(platform: string, eventId: string, at: number): Promise<boolean> {
    const r = await this.db
      .insertInto('inbound_events')
      .values({ platform, event_id: eventId, at })
      .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
      .executeTakeFirst();
    return changed(r) > 0;
  }
}

async function rememberKey(db: Kysely<StoreDb>, k: SeenKey): Promise<boolean> {
  const r = await db
    .insertInto('seen_requests')
    .values({ platform: k.platform, key: k.key, at: k.at })
    .onConflict((oc) => oc.columns(['platform', 'key']).doNothing())
    .executeTakeFirst();
  return changed(r) > 0;
}

async function insertOne(db: Kysely<StoreDb>, it: NewInboxItem): Promise<InsertOutcome> {
  for (const k of it.seen ?? []) if (!(await rememberKey(db, k))) return 'replayed';
  const r = await db
    .insertInto('inbox')
    .values({ platform: it.platform, delivery_id: it.deliveryId, payload: it.payload, retry_num: it.retryNum ?? 0, received_at: it.receivedAt })
    .onConflict((oc) => oc.columns(['platform', 'delivery_id']).doNothing())
    .executeTakeFirst();
  return changed(r) > 0 ? 'stored' : 'duplicate';
}

export { changed };
