/**
 * The outbox's rows with leases, for one process or several replicas.
 *
 * A claimed row is 'sending' and its `next_attempt_at` is the lease expiry; `attempts` (bumped
 * by every claim) is the claim's fencing token, so a sender whose lease expired and was taken
 * over cannot mark the row any more. Claims take each channel's head only (the lowest unfinished
 * id), so a channel's rows go out in order even across replicas. On PostgreSQL the claim locks
 * candidate heads with FOR UPDATE SKIP LOCKED inside one UPDATE … RETURNING, so concurrent
 * claimers get disjoint rows without waiting on each other; on SQLite the same statement runs
 * under SQLite's single writer.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { ClaimedOutboxItem, ClaimOptions, OutboxClaim, OutboxEnqueue, OutboxItem, OutboxKind, OutboxRepository, OutboxStatus, StoreEngine } from '../../ports/store.js';
import { changed } from './inbox.js';
import type { OutboxTable, StoreDb } from './schema.js';

const toItem = (r: Selectable<OutboxTable>): OutboxItem => ({
  id: r.id,
  idempotencyKey: r.idempotency_key,
  platform: r.platform,
  channelId: r.channel_id,
  kind: r.kind as OutboxKind,
  payload: r.payload,
  ticketId: r.ticket_id,
  status: r.status as OutboxStatus,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  result: r.result,
  lastError: r.last_error,
  firstAttemptAt: r.first_attempt_at,
  unsure: r.unsure === 1,
});

export class KyselyOutboxRepository implements OutboxRepository {
  constructor(
    private readonly db: Kysely<StoreDb>,
    private readonly engine: StoreEngine,
  ) {}

  async enqueue(req: OutboxEnqueue): Promise<boolean> {
    const r = await this.db
      .insertInto('outbox')
      .values({
        idempotency_key: req.idempotencyKey,
        platform: req.platform,
        channel_id: req.channelId,
        kind: req.kind,
        payload: req.payload,
        ticket_id: req.ticketId ?? null,
        next_attempt_at: req.notBefore ?? req.createdAt,
        created_at: req.createdAt,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .executeTakeFirst();
    return changed(r) > 0;
  }

  async claimDue(opts: ClaimOptions): Promise<ClaimedOutboxItem[]> {
    if (opts.limit <= 0 || (opts.platforms && opts.platforms.length === 0)) return [];
    const { now, leaseMs } = opts;
    const platforms = opts.platforms;
    const leaseUntil = now + leaseMs;
    // Heads: the lowest unfinished id of each (platform, channel).
    const heads = this.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.min('id').as('id'))
      .where('status', 'in', ['pending', 'sending'])
      .$if(platforms !== undefined, (q) => q.where('platform', 'in', platforms ?? []))
      .$if(opts.channel !== undefined, (q) => q.where('platform', '=', opts.channel?.platform ?? '').where('channel_id', '=', opts.channel?.channelId ?? ''))
      .$if((opts.exclude?.length ?? 0) > 0, (q) =>
        q.where((eb) => eb.not(eb.or((opts.exclude ?? []).map((x) => eb.and([eb('platform', '=', x.platform), eb('channel_id', '=', x.channelId)]))))),
      )
      .groupBy(['platform', 'channel_id']);
    const candidates = this.db
      .selectFrom('outbox as o')
      .select('o.id')
      .where('o.id', 'in', heads)
      .where((eb) =>
        eb.or([
          eb.and([eb('o.status', '=', 'pending'), eb('o.next_attempt_at', '<=', now)]),
          // A lease that ran out: its sender crashed or hung. Taken over, unsure.
          eb.and([eb('o.status', '=', 'sending'), eb('o.next_attempt_at', '<=', now)]),
        ]),
      )
      .orderBy('o.id')
      .limit(opts.limit)
      .$if(this.engine === 'postgres', (q) => q.forUpdate().skipLocked());
    const rows = await this.db
      .updateTable('outbox')
      .set((eb) => ({
        status: 'sending',
        attempts: eb('attempts', '+', 1),
        first_attempt_at: eb.fn.coalesce('first_attempt_at', sql.lit(now)),
        next_attempt_at: leaseUntil,
        unsure: eb.case().when('status', '=', 'sending').then(1).else(eb.ref('unsure')).end(),
      }))
      .where('id', 'in', candidates)
      .returningAll()
      .execute();
    return rows
      .map((r) => ({ ...toItem(r), claim: { id: r.id, token: r.attempts, leaseUntil } }))
      .sort((a, b) => a.id - b.id);
  }

  /** Only the holder of a live claim may change a sending row. */
  private held(claim: OutboxClaim) {
    return this.db.updateTable('outbox').where('id', '=', claim.id).where('status', '=', 'sending').where('attempts', '=', claim.token);
  }

  async renewLease(claim: OutboxClaim, until: number): Promise<boolean> {
    return changed(await this.held(claim).set({ next_attempt_at: until }).executeTakeFirst()) > 0;
  }

  async markSent(claim: OutboxClaim, at: number, result: string | null): Promise<boolean> {
    return changed(await this.held(claim).set({ status: 'sent', sent_at: at, result, unsure: 0 }).executeTakeFirst()) > 0;
  }

  async markRetry(claim: OutboxClaim, nextAttemptAt: number, error: string, unsure: boolean): Promise<boolean> {
    const r = await this.held(claim)
      .set((eb) => ({
        status: 'pending',
        next_attempt_at: nextAttemptAt,
        last_error: error.slice(0, 2000),
        unsure: unsure ? 1 : eb.ref('unsure'),
      }))
      .executeTakeFirst();
    return changed(r) > 0;
  }

  async defer(claim: OutboxClaim, until: number): Promise<boolean> {
    return changed(await this.held(claim).set({ status: 'pending', next_attempt_at: until }).executeTakeFirst()) > 0;
  }

  async releaseWaiting(platform: string, channelIds: readonly string[], now: number): Promise<number> {
    if (channelIds.length === 0) return 0;
    const r = await this.db
      .updateTable('outbox')
      .set({ next_attempt_at: now })
      .where('platform', '=', platform)
      .where('channel_id', 'in', [...channelIds])
      .where('status', '=', 'pending')
      .where('attempts', '>', 0)
      .where('next_attempt_at', '>', now)
      .executeTakeFirst();
    return changed(r);
  }

  async hasPendingCardUpdate(ticketId: number): Promise<boolean> {
    const r = await this.db
      .selectFrom('outbox')
      .select('id')
      .where('ticket_id', '=', ticketId)
      .where('kind', '=', 'card')
      .where('status', '=', 'pending')
      .where('idempotency_key', 'like', 'card-update:%')
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  async markFailed(claim: OutboxClaim, error: string, status: 'failed' | 'dropped' = 'failed'): Promise<boolean> {
    return changed(await this.held(claim).set({ status, last_error: error.slice(0, 2000) }).executeTakeFirst()) > 0;
  }

  async recoverExpired(now: number, opts: { everyLease?: boolean } = {}): Promise<number> {
    const r = await this.db
      .updateTable('outbox')
      .set((eb) => ({
        status: 'pending',
        unsure: 1,
        next_attempt_at: eb.case().when('next_attempt_at', '>', now).then(now).else(eb.ref('next_attempt_at')).end(),
      }))
      .where('status', '=', 'sending')
      .$if(!opts.everyLease, (q) => q.where('next_attempt_at', '<=', now))
      .executeTakeFirst();
    return changed(r);
  }

  async get(id: number): Promise<OutboxItem | null> {
    const r = await this.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toItem(r) : null;
  }

  async stats(): Promise<Partial<Record<OutboxStatus, number>>> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
