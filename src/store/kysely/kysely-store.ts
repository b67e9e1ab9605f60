/**
 * The store port on Kysely, one implementation for both engines: SQLite (better-sqlite3, the
 * zero-config default) and PostgreSQL (a `pg` pool, for several replicas). Queries are typed
 * and shared; the engine only decides full text, the claim's row locks and the leader lock.
 */
import { type Kysely, sql } from 'kysely';
import type { LeaderResult, PruneCounts, PruneCutoffs, Repos, Store, StoreEngine } from '../../ports/store.js';
import { KyselyAiRepository, KyselyAiTaskRepository, KyselyTrainingRepository } from './ai.js';
import { changed, KyselyInboxRepository } from './inbox.js';
import { KyselyDigestRepository, KyselyEscalationRepository, KyselyMetricsQueries, KyselySlaRepository } from './escalation.js';
import { KyselyOutboxRepository } from './outbox.js';
import { LOCK_LEADER } from './pg-migrate.js';
import type { StoreDb } from './schema.js';
import { KyselySimilarTickets, KyselyTicketRepository } from './tickets.js';
import { KyselyTrackerRepository } from './trackers.js';
import { KyselyConversationRefRepository, KyselyDirectoryRepository, KyselyRoutingRepository } from './routing.js';
import { KyselyRateLimitRepository } from './rate-limits.js';
import { KyselyAnswerSearch, KyselyCsatRepository, KyselyKnowledgeRepository, KyselyOfferRepository } from './knowledge.js';

function makeRepos(db: Kysely<StoreDb>, engine: StoreEngine, inTx: <T>(fn: (db: Kysely<StoreDb>) => Promise<T>) => Promise<T>): Repos {
  return {
    tickets: new KyselyTicketRepository(db),
    search: new KyselySimilarTickets(db, engine),
    inbox: new KyselyInboxRepository(db, inTx),
    outbox: new KyselyOutboxRepository(db, engine),
    trackers: new KyselyTrackerRepository(db),
    ai: new KyselyAiRepository(db, inTx),
    training: new KyselyTrainingRepository(db, inTx),
    aiTasks: new KyselyAiTaskRepository(db, engine),
    routing: new KyselyRoutingRepository(db),
    directory: new KyselyDirectoryRepository(db, inTx),
    conversationRefs: new KyselyConversationRefRepository(db, engine),
    rateLimits: new KyselyRateLimitRepository(db, engine),
    escalations: new KyselyEscalationRepository(db, engine),
    sla: new KyselySlaRepository(db),
    digests: new KyselyDigestRepository(db, engine),
    gauges: new KyselyMetricsQueries(db),
    knowledge: new KyselyKnowledgeRepository(db, inTx),
    answerSearch: new KyselyAnswerSearch(db, engine),
    offers: new KyselyOfferRepository(db),
    csat: new KyselyCsatRepository(db),
  };
}

/**
 * Expired form state: "Create ticket" stashes, and hand-off previews unless they are "creating"
 * (a create in flight: the hand-off recovery still needs them).
 */
async function pruneForms(db: Kysely<StoreDb>, engine: StoreEngine, before: number): Promise<number> {
  const status = engine === 'sqlite' ? sql`reference ->> 'status'` : sql`reference::jsonb ->> 'status'`;
  const stashes = changed(await db.deleteFrom('conversation_refs').where('platform', '=', 'form-state').where('updated_at', '<', before).executeTakeFirst());
  const previews = changed(
    await db
      .deleteFrom('conversation_refs')
      .where('platform', '=', 'handoff-preview')
      .where('updated_at', '<', before)
      .where(sql<boolean>`COALESCE(${status}, '') <> 'creating'`)
      .executeTakeFirst(),
  );
  return stashes + previews;
}

/** SQLite leader locks: one process per database file, so a name held here is held everywhere. */
const sqliteLeaders = new Map<string, Set<string>>();

export class KyselyStore implements Store {
  readonly tickets;
  readonly search;
  readonly inbox;
  readonly outbox;
  readonly trackers;
  readonly ai;
  readonly training;
  readonly aiTasks;
  readonly routing;
  readonly directory;
  readonly conversationRefs;
  readonly rateLimits;
  readonly escalations;
  readonly sla;
  readonly digests;
  readonly gauges;
  readonly knowledge;
  readonly answerSearch;
  readonly offers;
  readonly csat;
  private closed = false;

  /**
   * @param identity what the SQLite leader locks are keyed by (the absolute file path; unique for :memory:).
   * @param migrated the migrations this open applied (empty when the schema was up to date).
   */
  constructor(
    readonly db: Kysely<StoreDb>,
    readonly engine: StoreEngine,
    private readonly identity: string,
    readonly migrated: number[] = [],
  ) {
    const repos = makeRepos(db, engine, (fn) => db.transaction().execute(fn));
    this.tickets = repos.tickets;
    this.search = repos.search;
    this.inbox = repos.inbox;
    this.outbox = repos.outbox;
    this.trackers = repos.trackers;
    this.ai = repos.ai;
    this.training = repos.training;
    this.aiTasks = repos.aiTasks;
    this.routing = repos.routing;
    this.directory = repos.directory;
    this.conversationRefs = repos.conversationRefs;
    this.rateLimits = repos.rateLimits;
    this.escalations = repos.escalations;
    this.sla = repos.sla;
    this.digests = repos.digests;
    this.gauges = repos.gauges;
    this.knowledge = repos.knowledge;
    this.answerSearch = repos.answerSearch;
    this.offers = repos.offers;
    this.csat = repos.csat;
  }

  tx<T>(fn: (repos: Repos) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(makeRepos(trx, this.engine, (inner) => inner(trx))));
  }

  async withLeader<T>(name: string, fn: () => Promise<T>): Promise<LeaderResult<T>> {
    if (this.engine === 'sqlite') {
      const held = sqliteLeaders.get(this.identity) ?? new Set<string>();
      sqliteLeaders.set(this.identity, held);
      if (held.has(name)) return { ran: false };
      held.add(name);
      try {
        return { ran: true, value: await fn() };
      } finally {
        held.delete(name);
        if (held.size === 0) sqliteLeaders.delete(this.identity);
      }
    }
    // PostgreSQL: a session advisory lock on one pooled connection, held while `fn` runs (which
    // uses other connections). Keyed by schema + name; try-lock, never waits. If the connection
    // drops, the lock goes with it and another replica may take over.
    return this.db.connection().execute(async (conn) => {
      const key = sql`hashtext(current_schema() || ':' || ${name})`;
      const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${LOCK_LEADER}, ${key}) AS ok`.execute(conn);
      if (!got.rows[0]?.ok) return { ran: false } as const;
      try {
        return { ran: true, value: await fn() } as const;
      } finally {
        await sql`SELECT pg_advisory_unlock(${LOCK_LEADER}, ${key})`.execute(conn);
      }
    });
  }

  prune(c: PruneCutoffs): Promise<PruneCounts> {
    const seenBefore = c.seenBefore ?? c.before;
    return this.db.transaction().execute(async (trx) => {
      const outbox = changed(await trx.deleteFrom('outbox').where('status', '=', 'sent').where('sent_at', '<', c.outboxBefore ?? c.before).executeTakeFirst());
      const inbox = changed(await trx.deleteFrom('inbox').where('status', '=', 'done').where('processed_at', '<', c.before).executeTakeFirst());
      const seen = changed(await trx.deleteFrom('seen_requests').where('at', '<', seenBefore).executeTakeFirst());
      const inboundEvents = changed(await trx.deleteFrom('inbound_events').where('at', '<', c.inboundEventsBefore ?? c.before).executeTakeFirst());
      // A channel's pacing row whose next allowed send is long past says nothing any more.
      const rateLimits = changed(await trx.deleteFrom('rate_limits').where('tat', '<', c.before).executeTakeFirst());
      // Finished AI tasks are kept as long as sent messages (what they produced went out then).
      const aiTasks = changed(await trx.deleteFrom('ai_tasks').where('status', '=', 'done').where('done_at', '<', c.outboxBefore ?? c.before).executeTakeFirst());
      if (c.formsBefore === undefined) return { outbox, inbox, seen, inboundEvents, rateLimits, aiTasks };
      return { outbox, inbox, seen, inboundEvents, rateLimits, aiTasks, forms: await pruneForms(trx, this.engine, c.formsBefore) };
    });
  }

  async schemaVersion(): Promise<number> {
    const r = await this.db
      .selectFrom('schema_migrations')
      .select((eb) => eb.fn.max('version').as('v'))
      .executeTakeFirst();
    return Number(r?.v ?? 0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
  }
}
