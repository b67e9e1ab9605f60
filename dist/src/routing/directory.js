export class Directory {
    agents = new Set();
    leads = new Set();
    away = new Set();
    names = new Map();
    aliases = new Map();
    constructor(config) {
        for (const a of config.agents)
            this.agents.add(a);
        for (const t of config.teams)
            for (const m of t.members)
                this.agents.add(m);
        for (const t of config.escalation.tiers)
            for (const m of t.members)
                this.agents.add(m);
        for (const l of config.leads)
            this.leads.add(l);
        for (const a of config.away)
            this.away.add(a);
    }
    /** Agents (and leads) may take agent-only actions. */
    isAgent(userId) {
        return this.agents.has(userId) || this.leads.has(userId);
    }
    /** Every known agent and lead (config plus what adapters added), in the order they became known. */
    agentIds() {
        return [...new Set([...this.agents, ...this.leads])];
    }
    isLead(userId) {
        return this.leads.has(userId);
    }
    isAway(userId) {
        return this.away.has(userId);
    }
    addAgents(ids) {
        for (const id of ids)
            this.agents.add(id);
    }
    addLeads(ids) {
        for (const id of ids)
            this.leads.add(id);
    }
    setAway(userId, away) {
        if (away)
            this.away.add(userId);
        else
            this.away.delete(userId);
    }
    setName(userId, name) {
        this.names.set(userId, name);
    }
    /** Display name, or the id when unknown. */
    nameOf(userId) {
        return this.names.get(userId) ?? userId;
    }
    /** Does the directory know this person (an agent, lead, away person, or someone with a name)? */
    knows(userId) {
        return this.isAgent(userId) || this.away.has(userId) || this.names.has(userId) || (this.aliases.get(userId)?.size ?? 0) > 0;
    }
    /** Other names a person goes by (Slack real name and handle, Teams UPN …), for `assign T-1 @sam`. */
    addAlias(userId, alias) {
        const set = this.aliases.get(userId) ?? new Set();
        set.add(alias);
        this.aliases.set(userId, set);
    }
    /** Everyone known, with every name they go by (for resolving "@Sam" to an id). */
    people() {
        const ids = new Set([...this.agents, ...this.leads, ...this.away, ...this.names.keys(), ...this.aliases.keys()]);
        return [...ids].map((id) => ({ id, names: [...(this.names.has(id) ? [this.names.get(id)] : []), ...(this.aliases.get(id) ?? [])] }));
    }
}
//# sourceMappingURL=directory.js.map