/**
 * The Home / queue for one person, by role: agents and leads get the team queue with its
 * buttons; everyone else gets only their own requests, with no agent actions. The App Home
 * (Slack) and the playground's queue both use this, so the role rule lives in one place.
 */
import type { TicketService } from '../tickets/ticket-service.js';
import { customerHomeView } from '../views/customer-home-view.js';
import type { MessageView } from '../ports/message-view.js';
import { queueView } from './queue.js';

const DAY = 86_400_000;

/** A customer's own requests: open ones, and those resolved in the last 30 days. */
export function customerHome(svc: TicketService, userId: string): MessageView {
  const now = svc.clock.now();
  const open = svc.repo.list({ requesterId: userId, open: true, limit: 10_000 });
  const recent = svc.repo
    .list({ requesterId: userId, status: ['resolved', 'closed'], limit: 10_000 })
    .filter((t) => (t.resolvedAt ?? t.closedAt ?? t.updatedAt) >= now - 30 * DAY)
    .sort((a, b) => (b.resolvedAt ?? b.updatedAt) - (a.resolvedAt ?? a.updatedAt));
  return customerHomeView(open, recent, svc.config.timezone);
}

/**
 * Home for `userId`: the queue for agents, their own requests for everyone else.
 * @example homeFor(core.tickets, 'U0CUST').audience // 'customer'
 */
export function homeFor(svc: TicketService, userId: string): MessageView {
  return svc.directory.isAgent(userId) ? queueView(svc, userId) : customerHome(svc, userId);
}
