/**
 * Store-port repositories for state every replica must share (issue #13): the round-robin
 * position per team, the members of the user groups that make people agents, and conversation
 * references (Teams proactive-messaging references, form state stashed between a shortcut and
 * its submit, hand-off previews — the `conversation_refs` table, one namespace per `platform`).
 */

/** One round-robin turn: who was picked, and which turn of the team's this was (1, 2, …). */
export interface RoundRobinPick {
  memberId: string;
  turn: number;
}

export interface RoutingRepository {
  /**
   * Take the team's next round-robin turn in ONE atomic statement (no read-then-write race, so
   * concurrent pickers on several replicas never get the same turn): the first of `eligible`
   * after the team's last pick in `order` (cyclically), or the first eligible one when the last
   * pick is not in `order`. `order` is the team's member order; `eligible` those available now
   * (members not away). Null, and nothing written, when nobody is eligible.
   */
  pickNext(team: string, order: readonly string[], eligible: readonly string[], at: number): Promise<RoundRobinPick | null>;
  /** The team's last pick and turn count (null before the first pick). */
  position(team: string): Promise<{ lastMember: string | null; picks: number } | null>;
}

/** A user group's members as stored (e.g. a Slack user group listed in `agentGroups`). */
export interface DirectoryRepository {
  /** Replace a group's members with `members` (a fresh read from the platform). */
  replaceGroup(group: string, members: readonly string[], at: number): Promise<void>;
  /** Apply a membership change event: add and remove people. */
  changeGroup(group: string, added: readonly string[], removed: readonly string[], at: number): Promise<void>;
  /** Every stored group with its members (sorted by user id). */
  groups(): Promise<Map<string, string[]>>;
}

export interface ConversationRefRepository {
  /** Insert or replace the value (JSON) at (platform, key). */
  put(platform: string, key: string, value: unknown, at: number): Promise<void>;
  get<T>(platform: string, key: string): Promise<T | null>;
  delete(platform: string, key: string): Promise<boolean>;
  /**
   * The newest value under `keyPrefix` whose top-level JSON field `field` equals `value`
   * (e.g. the Teams member with this Teams id), with its key.
   */
  findByField<T>(platform: string, keyPrefix: string, field: string, value: string): Promise<{ key: string; value: T } | null>;
  /** Delete values under `keyPrefix` last written before `before`; returns how many. */
  prune(platform: string, keyPrefix: string, before: number): Promise<number>;
}
