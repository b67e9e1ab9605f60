/**
 * The tickets behind a digest number: the digest links each number to `#tickets?<query>`
 * (src/views/digest-view.ts); surfaces that can show a list (the playground) resolve the query
 * here. Keys: status (open or a status), priority, category, owner (a user id or "none"),
 * age (an AGE_BUCKETS id), risk (24h: a running clock due within 24 hours), and the day ranges
 * created / resolved / reopened ("2026-11-23..2026-11-24", end exclusive, desk time zone).
 */
import { DateTime } from 'luxon';
import { AGE_BUCKETS } from '../digest/build-digest.js';
import { InputInvalidError } from '../domain/errors.js';
import { PRIORITIES, STATUSES } from '../domain/types.js';
import { slaState } from '../sla/policy.js';
const DAY = 86_400_000;
const KEYS = ['status', 'priority', 'category', 'owner', 'age', 'risk', 'created', 'resolved', 'reopened'];
/** Query keys a surface may add for itself (the playground's "as"); ignored here. */
const IGNORED = new Set(['as']);
/**
 * Run a digest link's query.
 * @example ticketsForQuery(core.tickets, 'status=open&priority=P2').tickets // open P2 tickets
 */
export function ticketsForQuery(svc, query) {
    const q = new URLSearchParams(query.replace(/^[#?]*(tickets\?)?/, ''));
    for (const k of q.keys())
        if (!IGNORED.has(k) && !KEYS.includes(k))
            throw new InputInvalidError(`"${k}" is not a ticket filter. Use ${KEYS.join(', ')}.`);
    const zone = svc.config.timezone;
    const now = svc.clock.now();
    const filter = { limit: 10_000 };
    const title = [];
    const tests = [];
    const status = q.get('status');
    if (status === 'open') {
        filter.open = true;
        title.push('Open');
    }
    else if (status) {
        if (!STATUSES.includes(status))
            throw new InputInvalidError(`status must be open or one of ${STATUSES.join(', ')}; got "${status}"`);
        filter.status = status;
        title.push(status.replace(/_/g, ' '));
    }
    const priority = q.get('priority');
    if (priority) {
        if (!PRIORITIES.includes(priority))
            throw new InputInvalidError(`priority must be one of ${PRIORITIES.join(', ')}; got "${priority}"`);
        filter.priority = priority;
        title.push(priority);
    }
    const category = q.get('category');
    if (category) {
        tests.push((t) => t.category === category);
        title.push(category);
    }
    const owner = q.get('owner');
    if (owner) {
        filter.ownerId = owner === 'none' ? null : owner;
        title.push(owner === 'none' ? 'unassigned' : `owned by <@${owner}>`);
    }
    const age = q.get('age');
    if (age) {
        const i = AGE_BUCKETS.findIndex((b) => b.id === age);
        if (i < 0)
            throw new InputInvalidError(`age must be one of ${AGE_BUCKETS.map((b) => b.id).join(', ')}; got "${age}"`);
        // As the digest counts them: at least the previous bucket's bound, below this one's.
        const min = i === 0 ? Number.NEGATIVE_INFINITY : AGE_BUCKETS[i - 1].maxMs;
        const max = AGE_BUCKETS[i].maxMs;
        tests.push((t) => now - t.createdAt >= min && now - t.createdAt < max);
        title.push(`aged ${AGE_BUCKETS[i].label}`);
    }
    const risk = q.get('risk');
    if (risk) {
        if (risk !== '24h')
            throw new InputInvalidError(`risk must be 24h; got "${risk}"`);
        tests.push((t) => {
            if (t.status === 'waiting_on_customer')
                return false;
            const s = slaState(t, now);
            return [s.firstResponse, s.resolution].some((c) => c.state === 'running' && c.dueAt !== null && c.dueAt <= now + DAY);
        });
        title.push('at risk within 24h');
    }
    const created = q.get('created');
    if (created) {
        const [from, to] = dayRange(created, 'created', zone);
        filter.createdFrom = from;
        filter.createdTo = to;
        title.push(`created ${created.replace('..', ' – ')}`);
    }
    const resolved = q.get('resolved');
    if (resolved) {
        const [from, to] = dayRange(resolved, 'resolved', zone);
        tests.push((t) => t.resolvedAt !== null && t.resolvedAt >= from && t.resolvedAt < to);
        title.push(`resolved ${resolved.replace('..', ' – ')}`);
    }
    const reopened = q.get('reopened');
    if (reopened) {
        const [from, to] = dayRange(reopened, 'reopened', zone);
        tests.push((t) => svc.repo.events(t.id).some((e) => e.type === 'reopened' && e.at >= from && e.at < to));
        title.push(`reopened ${reopened.replace('..', ' – ')}`);
    }
    const tickets = svc.repo.list(filter).filter((t) => !t.deleted && tests.every((f) => f(t)));
    return { title: title.length ? `Tickets · ${title.join(' · ')}` : 'Tickets', tickets };
}
/** "2026-11-23..2026-11-24" → [start of the first day, start of the second) in `zone`. */
function dayRange(v, name, zone) {
    const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(v);
    const from = m ? DateTime.fromISO(m[1], { zone }) : null;
    const to = m ? DateTime.fromISO(m[2], { zone }) : null;
    if (!from?.isValid || !to?.isValid)
        throw new InputInvalidError(`${name} must be a day range like 2026-11-23..2026-11-24; got "${v}"`);
    return [from.toMillis(), to.toMillis()];
}
//# sourceMappingURL=ticket-query.js.map