/**
 * Routing: category/channel → team → owner, by on-call rotation or round-robin, skipping
 * people marked away. Round-robin state lives in SQLite so restarts keep the order.
 */
import { DateTime } from 'luxon';
/** Which team owns a request: the channel's team, else the category's team, else the default. */
export function teamFor(config, channelId, category) {
    const channel = config.channels.find((c) => c.id === channelId);
    return config.routing.categoryTeams[category] ?? channel?.team ?? config.routing.defaultTeam;
}
/** The person on call for a team at an instant, skipping away people; null when nobody is. */
export function onCallFor(team, at, dir, tz = 'UTC') {
    const rotation = team.onCall?.rotation.length ? team.onCall.rotation : [];
    if (rotation.length === 0)
        return null;
    const start = DateTime.fromISO(team.onCall.startsAt, { zone: team.timezone ?? tz }).startOf('day');
    const now = DateTime.fromMillis(at, { zone: team.timezone ?? tz });
    const unit = team.onCall.every === 'day' ? 'days' : 'weeks';
    const elapsed = Math.floor(now.diff(start, unit).as(unit));
    const idx = ((elapsed % rotation.length) + rotation.length) % rotation.length;
    for (let i = 0; i < rotation.length; i++) {
        const who = rotation[(idx + i) % rotation.length];
        if (!dir.isAway(who))
            return who;
    }
    return null;
}
export class Router {
    config;
    db;
    dir;
    constructor(config, db, dir) {
        this.config = config;
        this.db = db;
        this.dir = dir;
    }
    team(id) {
        return this.config.teams.find((t) => t.id === id);
    }
    /** Decide team and owner for a new ticket. Writes the round-robin cursor (call in the ticket's transaction). */
    route(channelId, category, at) {
        const teamId = teamFor(this.config, channelId, category);
        const team = this.team(teamId);
        if (!team)
            return { team: teamId, ownerId: null, reason: `team ${teamId} has no configuration` };
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
    nextRoundRobin(team, at) {
        const members = team.members.filter((m) => !this.dir.isAway(m));
        if (members.length === 0)
            return null;
        const row = this.db.prepare('SELECT last_member FROM routing_state WHERE team = ?').get(team.id);
        const lastIdx = row?.last_member ? team.members.indexOf(row.last_member) : -1;
        let pick = members[0];
        for (let i = 1; i <= team.members.length; i++) {
            const cand = team.members[(lastIdx + i + team.members.length) % team.members.length];
            if (!this.dir.isAway(cand)) {
                pick = cand;
                break;
            }
        }
        this.db
            .prepare('INSERT INTO routing_state (team, last_member, updated_at) VALUES (?, ?, ?) ON CONFLICT(team) DO UPDATE SET last_member = excluded.last_member, updated_at = excluded.updated_at')
            .run(team.id, pick, at);
        return pick;
    }
    /** Who to ping for a team when a ticket has no owner: on call, else the mention group, else members. */
    fallbackContacts(teamId, at) {
        const team = this.team(teamId);
        if (!team)
            return [];
        const oc = onCallFor(team, at, this.dir, this.config.timezone);
        if (oc)
            return [oc];
        if (team.mentionGroup)
            return [team.mentionGroup];
        return team.members.filter((m) => !this.dir.isAway(m));
    }
}
//# sourceMappingURL=routing.js.map