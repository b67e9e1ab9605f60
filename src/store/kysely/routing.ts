/**
 * Shared routing state (migration 0018) as typed Kysely queries: the round-robin position per
 * team, the members of agent user groups, and conversation references (`conversation_refs`).
 */
import { type Kysely, sql } from 'kysely';
import type { StoreEngine } from '../../ports/store.js';
import type { ConversationRefRepository, DirectoryRepository, RoundRobinPick, RoutingRepository } from '../../ports/store-routing.js';
import { changed } from './inbox.js';
import type { StoreDb } from './schema.js';

/**
 * Who comes after each member of `order` (cyclically, skipping those not in `eligible`), and who
 * comes first (after someone not in `order`). Null when nobody is eligible.
 */
export function roundRobinSuccessors(order: readonly string[], eligible: readonly string[]): { first: string; after: [string, string][] } | null {
  const ok = new Set(eligible.filter((m) => order.includes(m)));
  if (ok.size === 0) return null;
  const nextAfter = (i: number): string => {
    for (let k = 1; k <= order.length; k++) {
      const cand = order[(i + k) % order.length]!;
      if (ok.has(cand)) return cand;
    }
    return order.find((m) => ok.has(m))!;
  };
  const first = order.find((m) => ok.has(m))!;
  return { first, after: order.map((m, i): [string, string] => [m, nextAfter(i)]) };
}

export class KyselyRoutingRepository implements RoutingRepository {
  constructor(private readonly db: Kysely<StoreDb>) {}

  async pickNext(team: string, order: readonly string[], eligible: readonly string[], at: number): Promise<RoundRobinPick | null> {
    const plan = roundRobinSuccessors(order, eligible);
    if (!plan) return null;
    // One upsert: the row lock (PostgreSQL) / the single writer (SQLite) serialises concurrent
    // pickers, and each computes its successor from the last committed pick.
    const whens = plan.after.map(([m, next]) => sql`WHEN ${m} THEN ${next}`);
    const successor = sql<string>`CASE routing_state.last_member ${sql.join(whens, sql` `)} ELSE ${plan.first} END`;
    const r = await this.db
      .insertInto('routing_state')
      .values({ team, last_member: plan.first, updated_at: at, picks: 1 })
      .onConflict((oc) =>
        oc.column('team').doUpdateSet({
          last_member: successor,
          updated_at: at,
          picks: sql<number>`routing_state.picks + 1`,
        }),
      )
      .returning(['last_member', 'picks'])
      .executeTakeFirstOrThrow();
    return { memberId: r.last_member ?? plan.first, turn: Number(r.picks) };
  }

  async position(team: string): Promise<{ lastMember: string | null; picks: number } | null> {
    const r = await this.db.selectFrom('routing_state').select(['last_member', 'picks']).where('team', '=', team).executeTakeFirst();
    return r ? { lastMember: r.last_member, picks: Number(r.picks) } : null;
  }
}

export class KyselyDirectoryRepository implements DirectoryRepository {
  constructor(
    private readonly db: Kysely<StoreDb>,
    private readonly inTx: <T>(fn: (db: Kysely<StoreDb>) => Promise<T>) => Promise<T>,
  ) {}

  replaceGroup(group: string, members: readonly string[], at: number): Promise<void> {
    return this.inTx(async (db) => {
      await db.deleteFrom('directory_group_members').where('grp', '=', group).execute();
      await insertMembers(db, group, members, at);
    });
  }

  changeGroup(group: string, added: readonly string[], removed: readonly string[], at: number): Promise<void> {
    return this.inTx(async (db) => {
      const gone = removed.filter((r) => !added.includes(r));
      if (gone.length) await db.deleteFrom('directory_group_members').where('grp', '=', group).where('user_id', 'in', gone).execute();
      await insertMembers(db, group, added, at);
    });
  }

  async groups(): Promise<Map<string, string[]>> {
    const rows = await this.db.selectFrom('directory_group_members').select(['grp', 'user_id']).orderBy('grp').orderBy('user_id').execute();
    const out = new Map<string, string[]>();
    for (const r of rows) {
      const list = out.get(r.grp) ?? [];
      list.push(r.user_id);
      out.set(r.grp, list);
    }
    return out;
  }
}

async function insertMembers(db: Kysely<StoreDb>, group: string, members: readonly string[], at: number): Promise<void> {
  const unique = [...new Set(members)];
  for (let i = 0; i < unique.length; i += 500) {
    await db
      .insertInto('directory_group_members')
      .values(unique.slice(i, i + 500).map((user_id) => ({ grp: group, user_id, updated_at: at })))
      .onConflict((oc) => oc.columns(['grp', 'user_id']).doUpdateSet({ updated_at: at }))
      .execute();
  }
}

/** `LIKE` pattern for "starts with `prefix`" (escaping %, _ and the escape character). */
const startsWith = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class KyselyConversationRefRepository implements ConversationRefRepository {
  constructor(
    private readonly db: Kysely<StoreDb>,
    private readonly engine: StoreEngine,
  ) {}

  async put(platform: string, key: string, value: unknown, at: number): Promise<void> {
    await this.db
      .insertInto('conversation_refs')
      .values({ platform, key, reference: JSON.stringify(value), updated_at: at })
      .onConflict((oc) => oc.columns(['platform', 'key']).doUpdateSet((eb) => ({ reference: eb.ref('excluded.reference'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
  }

  async get<T>(platform: string, key: string): Promise<T | null> {
    const r = await this.db.selectFrom('conversation_refs').select('reference').where('platform', '=', platform).where('key', '=', key).executeTakeFirst();
    return r ? (JSON.parse(r.reference) as T) : null;
  }

  async delete(platform: string, key: string): Promise<boolean> {
    return changed(await this.db.deleteFrom('conversation_refs').where('platform', '=', platform).where('key', '=', key).executeTakeFirst()) > 0;
  }

  async findByField<T>(platform: string, keyPrefix: string, field: string, value: string): Promise<{ key: string; value: T } | null> {
    const path = this.engine === 'postgres' ? sql<string>`(reference::jsonb ->> ${field})` : sql<string>`json_extract(reference, ${`$.${field}`})`;
    const r = await this.db
      .selectFrom('conversation_refs')
      .select(['key', 'reference'])
      .where('platform', '=', platform)
      .where('key', 'like', sql<string>`${startsWith(keyPrefix)} ESCAPE '\\'`)
      .where(path, '=', value)
      .orderBy('updated_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? { key: r.key, value: JSON.parse(r.reference) as T } : null;
  }

  async prune(platform: string, keyPrefix: string, before: number): Promise<number> {
    const r = await this.db
      .deleteFrom('conversation_refs')
      .where('platform', '=', platform)
      .where('key', 'like', sql<string>`${startsWith(keyPrefix)} ESCAPE '\\'`)
      .where('updated_at', '<', before)
      .executeTakeFirst();
    return changed(r);
  }
}
