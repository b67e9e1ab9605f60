/**
 * Sending digests on schedule. The 'digest' job runs every minute and asks, per configured
 * channel: is it on or after the digest time on a digest day in this channel's time zone, and
 * has today's digest not gone out yet? Deciding from the Clock instead of a cron tick at 09:00
 * makes it right on daylight-saving days and after a restart at 09:40. The `digests_sent` row
 * and the outbox row are written in one transaction: each digest is posted exactly once.
 */
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { FrontdeskConfig } from '../config/schema.js';
import { PLATFORMS, type Platform } from '../domain/types.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Clock } from '../ports/clock.js';
import type { Repos } from '../ports/store.js';
import type { Db } from '../store/db.js';
import { DigestLog } from '../store/escalation-repo.js';
import { digestView } from '../views/digest-view.js';
import { type BuildOptions, buildDigest, type DigestData } from './build-digest.js';
import { type DigestKind, digestPeriod, localDate } from './period.js';

/** A digest channel as configured: "C0LEADS", or with a platform prefix "teams:19:abc@thread.tacv2". */
export interface DigestTarget {
  platform: Platform | null;
  channelId: string;
}

/** Split an optional "slack:" / "teams:" / "local:" prefix off a configured digest channel. */
export function parseDigestChannel(raw: string): DigestTarget {
  const i = raw.indexOf(':');
  const head = i > 0 ? raw.slice(0, i) : '';
  if ((PLATFORMS as readonly string[]).includes(head) && head !== 'cli') return { platform: head as Platform, channelId: raw.slice(i + 1) };
  return { platform: null, channelId: raw };
}

/** The time zone of a digest channel: its team's (via config.channels), else the desk's. */
export function digestZone(config: FrontdeskConfig, channelId?: string): string {
  const team = config.channels.find((c) => c.id === channelId)?.team;
  return config.teams.find((t) => t.id === team)?.timezone ?? config.timezone;
}

export interface DigestJobDeps {
  config: FrontdeskConfig;
  /** The digest's reads (the store port: `core.store`). */
  store: Pick<Repos, 'digests' | 'csat' | 'offers'>;
  /** The app's SQLite connection: the sent row is written with the outbox row (and the figures of other domains). */
  db: Db;
  clock: Clock;
  outbox: Outbox;
  /** Platforms with a running adapter, in start order (digests go to the first unless prefixed). */
  platforms: () => readonly string[];
  logger?: Logger;
  build?: BuildOptions;
}

export interface DueDigest {
  channel: string;
  target: DigestTarget;
  kind: DigestKind;
  date: string;
  zone: string;
}

/**
 * Decides which digests are due and queues them (see the file header).
 * @example await new DigestJob({ config, store: core.store, db, clock, outbox, platforms: () => core.adapters }).run();
 */
export class DigestJob {
  private readonly log: DigestLog;

  constructor(private readonly d: DigestJobDeps) {
    this.log = new DigestLog(d.db);
  }

  /** Digests due at `now` (not yet recorded in digests_sent). */
  async due(now: number): Promise<DueDigest[]> {
    const { config, store } = this.d;
    const [hh, mm] = config.digest.time.split(':').map(Number) as [number, number];
    const out: DueDigest[] = [];
    for (const channel of config.digest.channels) {
      const target = parseDigestChannel(channel);
      const zone = digestZone(config, target.channelId);
      const local = DateTime.fromMillis(now, { zone });
      if (local.hour * 60 + local.minute < hh * 60 + mm) continue;
      const date = localDate(now, zone);
      const kinds: DigestKind[] = [];
      if (config.digest.weekdays.includes(local.weekday)) kinds.push('daily');
      if (local.weekday === config.digest.weeklyDay) kinds.push('weekly');
      for (const kind of kinds) if (!(await store.digests.wasSent(channel, kind, date))) out.push({ channel, target, kind, date, zone });
    }
    return out;
  }

  /** Build one digest. */
  build(kind: DigestKind, date: string, zone: string, now: number): Promise<DigestData> {
    return buildDigest({ repos: this.d.store, db: this.d.db }, digestPeriod(kind, date, zone, this.d.config.digest.weekdays), now, { targets: this.d.config.digest.targets, ...this.d.build });
  }

  /**
   * Send every digest that is due. Returns what was enqueued. A digest whose channel has no
   * running adapter waits (it is not recorded) and goes out once one runs, the same day.
   * The numbers are read first; the sent row and the outbox row are then written in one
   * transaction with no other I/O inside.
   */
  async run(): Promise<{ channel: string; kind: DigestKind; date: string }[]> {
    const { db, clock, outbox, logger } = this.d;
    const now = clock.now();
    const sentNow: { channel: string; kind: DigestKind; date: string }[] = [];
    for (const due of await this.due(now)) {
      try {
        const platform = due.target.platform ?? this.d.platforms()[0];
        if (!platform || !this.d.platforms().includes(platform)) {
          logger?.warn({ channel: due.channel, kind: due.kind }, 'digest due but no chat adapter for its channel is running; it waits');
          continue;
        }
        const data = await this.build(due.kind, due.date, due.zone, now);
        db.transaction(() => {
          if (!this.log.markSent(due.channel, due.kind, due.date, now)) return;
          outbox.enqueue({
            platform,
            idempotencyKey: `digest:${due.channel}:${due.kind}:${due.date}`,
            payload: { kind: 'post', channelId: due.target.channelId, view: digestView(data) },
          });
          sentNow.push({ channel: due.channel, kind: due.kind, date: due.date });
        }).immediate();
      } catch (e) {
        logger?.error({ err: e, channel: due.channel, kind: due.kind }, 'digest failed for one channel; the others go on');
      }
    }
    return sentNow;
  }
}
