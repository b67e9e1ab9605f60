/**
 * The ticket lifecycle: new → triaged → acknowledged → in_progress → waiting_on_customer →
 * resolved → closed, plus reopen. Anything else is a TransitionInvalidError.
 */
import { TransitionInvalidError } from './errors.js';
import type { TicketStatus } from './types.js';

export const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['triaged', 'acknowledged', 'in_progress', 'resolved', 'closed'],
  triaged: ['acknowledged', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'],
  acknowledged: ['in_progress', 'waiting_on_customer', 'resolved', 'closed'],
  in_progress: ['waiting_on_customer', 'resolved', 'closed'],
  waiting_on_customer: ['in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
};

/** True when moving from `from` to `to` is allowed. Reopen is resolved/closed → in_progress. */
export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throw a typed error with the allowed targets when the move is not allowed. */
export function assertTransition(ticketKey: string, from: TicketStatus, to: TicketStatus): void {
  if (from === to || !canTransition(from, to)) throw new TransitionInvalidError(from, to, ticketKey, TRANSITIONS[from]);
}

export function isOpen(status: TicketStatus): boolean {
  return status !== 'resolved' && status !== 'closed';
}
