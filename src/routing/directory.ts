/**
 * Who is who: agents, leads, away people, display names. Built from config; adapters add
 * what they learn from the platform (display names). Members of the user groups in
 * `config.agentGroups` are agents: they are kept in the store and copied here
 * (src/routing/agent-groups.ts), so every replica and a restart see the same agents.
 */
import type { FrontdeskConfig } from '../config/schema.js';

export class Directory {
  private readonly agents = new Set<string>();
  private readonly leads = new Set<string>();
  private readonly away = new Set<string>();
  private readonly names = new Map<string, string>();
  private readonly aliases = new Map<string, Set<string>>();
  /** Members of each agent user group (only groups listed in config.agentGroups count). */
  private readonly groups = new Map<string, Set<string>>();
  private readonly agentGroups: Set<string>;
  private groupAgents = new Set<string>();

  constructor(config: FrontdeskConfig) {
    this.agentGroups = new Set(config.agentGroups);
    for (const a of config.agents) this.agents.add(a);
    for (const t of config.teams) for (const m of t.members) this.agents.add(m);
    for (const t of config.escalation.tiers) for (const m of t.members) this.agents.add(m);
    for (const l of config.leads) this.leads.add(l);
    for (const a of config.away) this.away.add(a);
  }

  /** Agents (and leads) may take agent-only actions. */
  isAgent(userId: string): boolean {
    return this.agents.has(userId) || this.leads.has(userId) || this.groupAgents.has(userId);
  }

  /** Every known agent and lead (config plus what adapters added), in the order they became known. */
  agentIds(): string[] {
    return [...new Set([...this.agents, ...this.leads, ...this.groupAgents])];
  }

  isLead(userId: string): boolean {
    return this.leads.has(userId);
  }

  isAway(userId: string): boolean {
    return this.away.has(userId);
  }

  addAgents(ids: Iterable<string>): void {
    for (const id of ids) this.agents.add(id);
  }

  /** A user group's members as now stored (replaces what was known of that group). */
  setGroup(group: string, members: Iterable<string>): void {
    if (!this.agentGroups.has(group)) return;
    this.groups.set(group, new Set(members));
    this.groupAgents = new Set([...this.groups.values()].flatMap((g) => [...g]));
  }

  /** Every agent user group's members as now stored (groups not listed lose their members). */
  setGroups(groups: ReadonlyMap<string, readonly string[]>): void {
    this.groups.clear();
    for (const [g, members] of groups) if (this.agentGroups.has(g)) this.groups.set(g, new Set(members));
    this.groupAgents = new Set([...this.groups.values()].flatMap((g) => [...g]));
  }

  addLeads(ids: Iterable<string>): void {
    for (const id of ids) this.leads.add(id);
  }

  setAway(userId: string, away: boolean): void {
    if (away) this.away.add(userId);
    else this.away.delete(userId);
  }

  setName(userId: string, name: string): void {
    this.names.set(userId, name);
  }

  /** Display name, or the id when unknown. */
  nameOf(userId: string): string {
    return this.names.get(userId) ?? userId;
  }

  /** Does the directory know this person (an agent, lead, away person, or someone with a name)? */
  knows(userId: string): boolean {
    return this.isAgent(userId) || this.away.has(userId) || this.names.has(userId) || (this.aliases.get(userId)?.size ?? 0) > 0;
  }

  /** Other names a person goes by (Slack real name and handle, Teams UPN …), for `assign T-1 @sam`. */
  addAlias(userId: string, alias: string): void {
    const set = this.aliases.get(userId) ?? new Set<string>();
    set.add(alias);
    this.aliases.set(userId, set);
  }

  /** Everyone known, with every name they go by (for resolving "@Sam" to an id). */
  people(): { id: string; names: string[] }[] {
    const ids = new Set([...this.agents, ...this.leads, ...this.groupAgents, ...this.away, ...this.names.keys(), ...this.aliases.keys()]);
    return [...ids].map((id) => ({ id, names: [...(this.names.has(id) ? [this.names.get(id)!] : []), ...(this.aliases.get(id) ?? [])] }));
  }
}
