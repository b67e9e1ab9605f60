import { customerHomeView } from '../views/customer-home-view.js';
import { queueView } from './ticket-commands.js';
const DAY = 86_400_000;
/** A customer's own requests: open ones, and those resolved in the last 30 days. */
export function customerHome(svc, userId) {
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
export function homeFor(svc, userId) {
    return svc.directory.isAgent(userId) ? queueView(svc, userId) : customerHome(svc, userId);
}
//# sourceMappingURL=home.js.map