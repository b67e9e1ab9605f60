/**
 * Agent user groups (config.agentGroups, e.g. Slack user groups) through the store: a fresh
 * read from the platform or a membership event is written to the store first, then the
 * directory is refreshed from it — so every replica (on its next refresh) and a restart see the
 * same agents, and people removed from a group stop being agents.
 */
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { Directory } from './directory.js';

export interface AgentGroupDeps {
  directory: Directory;
  store: Pick<Store, 'directory'>;
  clock: Clock;
}

/** The platform's current members of `group` (a start-up read). */
export async function replaceAgentGroup(d: AgentGroupDeps, group: string, members: readonly string[]): Promise<void> {
  await d.store.directory.replaceGroup(group, members, d.clock.now());
  d.directory.setGroup(group, members);
}

/** A membership event: people added to and removed from `group`. */
export async function changeAgentGroup(d: AgentGroupDeps, group: string, added: readonly string[], removed: readonly string[]): Promise<void> {
  await d.store.directory.changeGroup(group, added, removed, d.clock.now());
  await refreshAgentGroups(d);
}

/** Copy every stored group into the directory (what other replicas wrote too). */
export async function refreshAgentGroups(d: AgentGroupDeps): Promise<void> {
  d.directory.setGroups(await d.store.directory.groups());
}
