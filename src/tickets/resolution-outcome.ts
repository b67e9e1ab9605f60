/**
 * How a ticket was resolved — THE rule for deflection, written once and used wherever it
 * matters:
 * - the CSAT question is not asked after a deflection (nobody on the team helped: there is no
 *   agent's work to rate);
 * - the digest and weekly summary leave deflected resolutions out of CSAT, first-contact
 *   resolution and reopen rate (they count in the deflection rate instead);
 * - a deflected ticket's card says so under its clocks.
 *
 * A resolution is the status change to `resolved`, or to `closed` from an open status. It is
 * *deflected* when that status change carries `outcome: 'deflected'`: the customer said an
 * offered known answer solved it ("✅ That solved it"). Every other resolution is an agent's.
 */
import type { TicketEvent, TicketStatus } from '../domain/types.js';
import { isOpen } from '../domain/lifecycle.js';

/** The `outcome` a deflecting status change carries. */
export const DEFLECTED = 'deflected';

/**
 * The timeline data of a deflection: the status change that resolves the ticket.
 * @example deflectionChange('triaged', 'reset-password') // { from: 'triaged', to: 'resolved', outcome: 'deflected', answer: 'reset-password' }
 */
export function deflectionChange(from: TicketStatus, answerId: string): Record<string, unknown> {
  return { from, to: 'resolved', outcome: DEFLECTED, answer: answerId };
}

/** Is this event a resolution (→ resolved, or → closed from an open status)? */
export function isResolution(e: Pick<TicketEvent, 'type' | 'data'>): boolean {
  if (e.type !== 'status_changed') return false;
  const { from, to } = e.data as { from?: TicketStatus; to?: TicketStatus };
  return to === 'resolved' || (to === 'closed' && from !== undefined && isOpen(from));
}

/** Is this event a deflection (a resolution carrying the deflected outcome)? */
export function isDeflection(e: Pick<TicketEvent, 'type' | 'data'>): boolean {
  return isResolution(e) && e.data.outcome === DEFLECTED;
}

/**
 * Was the ticket's latest resolution a deflection? `events` in timeline order. A deflected
 * ticket that was reopened and then resolved by an agent is an agent's resolution.
 * @example resolvedByDeflection(repo.events(t.id)) // true after "✅ That solved it"
 */
export function resolvedByDeflection(events: readonly Pick<TicketEvent, 'type' | 'data'>[]): boolean {
  for (let i = events.length - 1; i >= 0; i--) if (isResolution(events[i]!)) return isDeflection(events[i]!);
  return false;
}

/**
 * The same rule in SQL, for a `ticket_events` row aliased `alias` that is already known to be
 * a resolution: true when it is NOT a deflection (an agent's resolution).
 * @example `WHERE e.type = 'status_changed' AND ... AND ${agentResolutionSql('e')}`
 */
export function agentResolutionSql(alias: string): string {
  return `COALESCE(${alias}.data ->> '$.outcome', '') <> '${DEFLECTED}'`;
}
