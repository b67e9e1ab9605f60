/** Resolve an `escalateTo` id to a tier, a team or a single user. */
export function resolveTarget(config, id) {
    const tier = config.escalation.tiers.find((t) => t.id === id);
    if (tier)
        return { id, name: tier.name, members: tier.members };
    const team = config.teams.find((t) => t.id === id);
    if (team)
        return { id, name: team.name ?? team.id, members: team.members };
    return { id, name: id, members: [id] };
}
function hasPhrase(text, phrase) {
    const esc = phrase.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\p{L}\\p{N}])${esc}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
}
/**
 * Rules that fire at triage time for a freshly opened ticket (priority, keywords, vip).
 * Cluster and unassigned rules need the store and time; see matchClusterRule / unassigned sweep.
 */
export function triageEscalations(config, t, opts) {
    const out = [];
    for (const rule of config.escalation.rules) {
        let reason = null;
        if (rule.trigger === 'priority' && (rule.priorities ?? ['P0', 'P1']).includes(t.priority))
            reason = `${t.priority} ticket`;
        else if (rule.trigger === 'keywords') {
            const hit = (rule.keywords ?? []).find((k) => hasPhrase(t.text, k));
            if (hit)
                reason = `mentions "${hit}"`;
        }
        else if (rule.trigger === 'vip' && opts.vip)
            reason = 'VIP customer';
        if (reason)
            out.push({ rule, reason, target: resolveTarget(config, rule.escalateTo) });
    }
    return out;
}
//# sourceMappingURL=escalation.js.map