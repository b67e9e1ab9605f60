/**
 * Routing: category/channel → team → owner, by on-call rotation or round-robin, skipping
 * people marked away. The round-robin position lives in the store (one atomic pick per turn),
 * so restarts keep the order and replicas share it.
 */
import { DateTime } from 'luxon';
import type { FrontdeskConfig, TeamConfig } from '../config/schema.js';
import type { Db } from '../store/db.js';
import { RoutingRepo } from '../store/routing-repo.js';
import type { Directory } from './directory.js';

export interface RouteDecision {
  team: string;
  ownerId: string | null;
  reason: string;
}

/** Which team owns a request: the channel's team, else the category's team, else the default. */
export function teamFor(config: FrontdeskConfig, channelId: string, category: string): string {
  const channel = config.channels.find((c) => c.id === channelId);
  return config.routing.categoryTeams[category] ?? channel?.team ?? config.routing.defaultTeam;
}

/** The person on call for a team at an instant, skipping away people; null when nobody is. */
export function onCallFor(team: TeamConfig, at: number, dir: Directory, tz = 'UTC'): string | null {
  const rotation = team.onCall?.rotation.length ? team.onCall.rotation : [];
  if (rotation.length === 0) return null;
  const start = DateTime.fromISO(team.onCall!.startsAt, { zone: team.timezone ?? tz }).startOf('day');
  const now = DateTime.fromMillis(at, { zone: team.timezone ?? tz });
  const unit = team.onCall!.every === 'day' ? 'days' : 'weeks';
  const elapsed = Math.floor(now.diff(start, unit).as(unit));
  const idx = ((elapsed % rotation.length) + rotation.length) % rotation.length;
  for (let i = 0; i < rotation.length; i++) {
    const who = rotation[(idx + i) % rotation.length]!;
    if (!dir.isAway(who)) return who;
  }
  return null;
}

export class Router {
  private readonly turns: RoutingRepo;

  constructor(
    private readonly config: FrontdeskConfig,
    db: Db,
    private readonly dir: Directory,
  ) {
    this.turns = new RoutingRepo(db);
  }

  team(id: string): TeamConfig | undefined {
    return this.config.teams.find((t) => t.id === id);
  }

  /** Decide team and owner for a new ticket. Writes the round-robin cursor (call in the ticket's transaction). */
  route(channelId: string, category: string, at: number): RouteDecision {
    const teamId = teamFor(this.config, channelId, category);
    const team = this.team(teamId);
    if (!team) return { team: teamId, ownerId: null, reason: `team ${teamId} has no configuration` };
    if (team.routing === 'on_call') {
      const who = onCallFor(team, at, this.dir, this.config.timezone);
      return { team: teamId, ownerId: who, reason: who ? `on call for ${teamId}` : `nobody on call for ${teamId}` };
    }
    if (team.routing === 'round_robin') {
      const who = this.nextRoundRobin(team, at);
      return { team: teamId, ownerId: who, reason: who ? `round-robin in ${teamId}` : `no available member in ${teamId}` };
    }
    return { team: teamId, ownerId: null, reason: `${teamId} assigns by hand` };
  }

  private nextRoundRobin(team: TeamConfig, at: number): string | null {
    const eligible = team.members.filter((m) => !this.dir.isAway(m));
    return this.turns.pickNext(team.id, team.members, eligible, at)?.memberId ?? null;
  }

  /** Who to ping for a team when a ticket has no owner: on call, else the mention group, else members. */
  fallbackContacts(teamId: string, at: number): string[] {
    const team = this.team(teamId);
    if (!team) return [];
    const oc = onCallFor(team, at, this.dir, this.config.timezone);
    if (oc) return [oc];
    if (team.mentionGroup) return [team.mentionGroup];
    return team.members.filter((m) => !this.dir.isAway(m));
  }
}
