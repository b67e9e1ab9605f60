import { InputInvalidError } from '../domain/errors.js';
import { digestView } from '../views/digest-view.js';
import { buildDigest } from './build-digest.js';
import { digestZone, parseDigestChannel } from './digest-job.js';
import { digestPeriod, localDate } from './period.js';
/** Parse `[daily|weekly] [YYYY-MM-DD]` in any order. */
export function parseDigestArgs(args) {
    let kind = 'daily';
    let date = null;
    for (const a of args) {
        const w = a.toLowerCase();
        if (w === 'daily' || w === 'weekly')
            kind = w;
        else if (/^\d{4}-\d{2}-\d{2}$/.test(w))
            date = w;
        else
            throw new InputInvalidError(`"${a}" is neither daily, weekly nor a date like 2026-11-23.`);
    }
    return { kind, date };
}
/** Register the `digest` subcommand. */
export function registerDigestSubcommand(reg, deps) {
    reg.register({
        name: 'digest',
        usage: 'digest [weekly] [YYYY-MM-DD]',
        summary: "preview the leads' digest (only you see it)",
        agentOnly: true,
        run: (args, ctx) => {
            const { kind, date } = parseDigestArgs(args);
            const { config, db, clock } = deps;
            const configured = config.digest.channels.map((c) => parseDigestChannel(c).channelId);
            const zone = digestZone(config, configured.includes(ctx.channelId) ? ctx.channelId : configured[0]);
            const now = clock.now();
            const period = digestPeriod(kind, date ?? localDate(now, zone), zone, config.digest.weekdays);
            return { view: digestView(buildDigest(db, period, now, { targets: config.digest.targets }), { preview: true }), visibility: 'ephemeral' };
        },
    });
}
//# sourceMappingURL=digest-subcommand.js.map