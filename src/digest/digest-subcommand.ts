/**
 * `/ticket digest [weekly] [YYYY-MM-DD]`: an ephemeral preview of the leads' digest for the
 * channel it is typed in (its team's time zone) — agents and leads only.
 */
import type { CommandRegistry } from '../commands/command-registry.js';
import type { FrontdeskConfig } from '../config/schema.js';
import { InputInvalidError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { Repos } from '../ports/store.js';
import type { Db } from '../store/db.js';
import { digestView } from '../views/digest-view.js';
import { buildDigest } from './build-digest.js';
import { digestZone, parseDigestChannel } from './digest-job.js';
import { type DigestKind, digestPeriod, localDate } from './period.js';

/** Parse `[daily|weekly] [YYYY-MM-DD]` in any order. */
export function parseDigestArgs(args: readonly string[]): { kind: DigestKind; date: string | null } {
  let kind: DigestKind = 'daily';
  let date: string | null = null;
  for (const a of args) {
    const w = a.toLowerCase();
    if (w === 'daily' || w === 'weekly') kind = w;
    else if (/^\d{4}-\d{2}-\d{2}$/.test(w)) date = w;
    else throw new InputInvalidError(`"${a}" is neither daily, weekly nor a date like 2026-11-23.`);
  }
  return { kind, date };
}

/** Register the `digest` subcommand. */
export function registerDigestSubcommand(reg: CommandRegistry, deps: { config: FrontdeskConfig; store: Pick<Repos, 'digests' | 'csat' | 'offers'>; db: Db; clock: Clock }): void {
  reg.register({
    name: 'digest',
    usage: 'digest [weekly] [YYYY-MM-DD]',
    summary: "preview the leads' digest (only you see it)",
    agentOnly: true,
    run: async (args, ctx) => {
      const { kind, date } = parseDigestArgs(args);
      const { config, store, db, clock } = deps;
      const configured = config.digest.channels.map((c) => parseDigestChannel(c).channelId);
      const zone = digestZone(config, configured.includes(ctx.channelId) ? ctx.channelId : configured[0]);
      const now = clock.now();
      const period = digestPeriod(kind, date ?? localDate(now, zone), zone, config.digest.weekdays);
      const data = await buildDigest({ repos: store, db }, period, now, { targets: config.digest.targets });
      return { view: digestView(data, { preview: true }), visibility: 'ephemeral' };
    },
  });
}
