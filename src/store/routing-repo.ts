/**
 * Round-robin turns, synchronously (better-sqlite3): for ticket creation, which routes inside
 * the ticket's synchronous transaction until it moves onto the store port (issue #13). The same
 * one-statement pick as the port's RoutingRepository (src/store/kysely/routing.ts).
 */
import type { RoundRobinPick } from '../ports/store-routing.js';
import type { Db } from './db.js';
import { roundRobinSuccessors } from './kysely/routing.js';

export class RoutingRepo {
  constructor(readonly db: Db) {}

  /** The team's next turn in one atomic upsert (see RoutingRepository.pickNext). */
  pickNext(team: string, order: readonly string[], eligible: readonly string[], at: number): RoundRobinPick | null {
    const plan = roundRobinSuccessors(order, eligible);
    if (!plan) return null;
    const whens = plan.after.map(() => 'WHEN ? THEN ?').join(' ');
    const row = this.db
      .prepare<unknown[], { last_member: string | null; picks: number }>(
        `INSERT INTO routing_state (team, last_member, updated_at, picks) VALUES (?, ?, ?, 1)
         ON CONFLICT (team) DO UPDATE SET last_member = CASE routing_state.last_member ${whens} ELSE ? END,
           updated_at = excluded.updated_at, picks = routing_state.picks + 1
         RETURNING last_member, picks`,
      )
      .get(team, plan.first, at, ...plan.after.flat(), plan.first);
    return { memberId: row?.last_member ?? plan.first, turn: row?.picks ?? 1 };
  }
}
