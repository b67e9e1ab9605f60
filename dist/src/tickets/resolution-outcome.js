import { isOpen } from './lifecycle.js';
/** The `outcome` a deflecting status change carries. */
export const DEFLECTED = 'deflected';
/**
 * The timeline data of a deflection: the status change that resolves the ticket.
 * @example deflectionChange('triaged', 'reset-password') // { from: 'triaged', to: 'resolved', outcome: 'deflected', answer: 'reset-password' }
 */
export function deflectionChange(from, answerId) {
    return { from, to: 'resolved', outcome: DEFLECTED, answer: answerId };
}
/** Is this event a resolution (→ resolved, or → closed from an open status)? */
export function isResolution(e) {
    if (e.type !== 'status_changed')
        return false;
    const { from, to } = e.data;
    return to === 'resolved' || (to === 'closed' && from !== undefined && isOpen(from));
}
/** Is this event a deflection (a resolution carrying the deflected outcome)? */
export function isDeflection(e) {
    return isResolution(e) && e.data.outcome === DEFLECTED;
}
/**
 * Was the ticket's latest resolution a deflection? `events` in timeline order. A deflected
 * ticket that was reopened and then resolved by an agent is an agent's resolution.
 * @example resolvedByDeflection(repo.events(t.id)) // true after "✅ That solved it"
 */
export function resolvedByDeflection(events) {
    for (let i = events.length - 1; i >= 0; i--)
        if (isResolution(events[i]))
            return isDeflection(events[i]);
    return false;
}
/**
 * The same rule in SQL, for a `ticket_events` row aliased `alias` that is already known to be
 * a resolution: true when it is NOT a deflection (an agent's resolution).
 * @example `WHERE e.type = 'status_changed' AND ... AND ${agentResolutionSql('e')}`
 */
export function agentResolutionSql(alias) {
    return `COALESCE(${alias}.data ->> '$.outcome', '') <> '${DEFLECTED}'`;
}
//# sourceMappingURL=resolution-outcome.js.map