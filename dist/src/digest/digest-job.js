/**
 * Sending digests on schedule. The 'digest' job runs every minute and asks, per configured
 * channel: is it on or after the digest time on a digest day in this channel's time zone, and
 * has today's digest not gone out yet? Deciding from the Clock instead of a cron tick at 09:00
 * makes it right on daylight-saving days and after a restart at 09:40. The `digests_sent` row
 * and the outbox row are written in one transaction: each digest is posted exactly once.
 */
import { DateTime } from 'luxon';
import { PLATFORMS } from '../domain/types.js';
import { digestView } from '../views/digest-view.js';
import { buildDigest } from './build-digest.js';
import { digestPeriod, localDate } from './period.js';
/** Split an optional "slack:" / "teams:" / "local:" prefix off a configured digest channel. */
export function parseDigestChannel(raw) {
    const i = raw.indexOf(':');
    const head = i > 0 ? raw.slice(0, i) : '';
    if (PLATFORMS.includes(head) && head !== 'cli')
        return { platform: head, channelId: raw.slice(i + 1) };
    return { platform: null, channelId: raw };
}
/** The time zone of a digest channel: its team's (via config.channels), else the desk's. */
export function digestZone(config, channelId) {
    const team = config.channels.find((c) => c.id === channelId)?.team;
    return config.teams.find((t) => t.id === team)?.timezone ?? config.timezone;
}
/**
 * Decides which digests are due and queues them (see the file header).
 * @example new DigestJob({ config, db, clock, outbox, platforms: () => core.adapters }).run();
 */
export class DigestJob {
    d;
    constructor(d) {
        this.d = d;
    }
    /** Digests due at `now` (not yet recorded in digests_sent). */
    due(now) {
        const { config, db } = this.d;
        const [hh, mm] = config.digest.time.split(':').map(Number);
        const sent = db.prepare('SELECT COUNT(*) AS n FROM digests_sent WHERE channel_id = ? AND kind = ? AND period = ?');
        const out = [];
        for (const channel of config.digest.channels) {
            const target = parseDigestChannel(channel);
            const zone = digestZone(config, target.channelId);
            const local = DateTime.fromMillis(now, { zone });
            if (local.hour * 60 + local.minute < hh * 60 + mm)
                continue;
            const date = localDate(now, zone);
            const kinds = [];
            if (config.digest.weekdays.includes(local.weekday))
                kinds.push('daily');
            if (local.weekday === config.digest.weeklyDay)
                kinds.push('weekly');
            for (const kind of kinds)
                if (sent.get(channel, kind, date).n === 0)
                    out.push({ channel, target, kind, date, zone });
        }
        return out;
    }
    /** Build one digest. */
    build(kind, date, zone, now) {
        return buildDigest(this.d.db, digestPeriod(kind, date, zone, this.d.config.digest.weekdays), now, { targets: this.d.config.digest.targets, ...this.d.build });
    }
    /**
     * Send every digest that is due. Returns what was enqueued. A digest whose channel has no
     * running adapter waits (it is not recorded) and goes out once one runs, the same day.
     */
    run() {
        const { db, clock, outbox, logger } = this.d;
        const now = clock.now();
        const sentNow = [];
        for (const due of this.due(now)) {
            try {
                const platform = due.target.platform ?? this.d.platforms()[0];
                if (!platform || !this.d.platforms().includes(platform)) {
                    logger?.warn({ channel: due.channel, kind: due.kind }, 'digest due but no chat adapter for its channel is running; it waits');
                    continue;
                }
                const data = this.build(due.kind, due.date, due.zone, now);
                db.transaction(() => {
                    const fresh = db
                        .prepare('INSERT OR IGNORE INTO digests_sent (channel_id, kind, period, at) VALUES (?, ?, ?, ?)')
                        .run(due.channel, due.kind, due.date, now).changes;
                    if (fresh === 0)
                        return;
                    outbox.enqueue({
                        platform,
                        idempotencyKey: `digest:${due.channel}:${due.kind}:${due.date}`,
                        payload: { kind: 'post', channelId: due.target.channelId, view: digestView(data) },
                    });
                    sentNow.push({ channel: due.channel, kind: due.kind, date: due.date });
                }).immediate();
            }
            catch (e) {
                logger?.error({ err: e, channel: due.channel, kind: due.kind }, 'digest failed for one channel; the others go on');
            }
        }
        return sentNow;
    }
}
//# sourceMappingURL=digest-job.js.map