/**
 * The retention job: prunes what the desk no longer needs, on both engines, through the store
 * port (`store.prune`) — sent outbox rows, processed inbound deliveries, inbound event ids,
 * replay keys and expired form state. Scheduled as 'retention' (config `retention.schedule`)
 * under the leader lock, so with several replicas one of them prunes per tick. It replaces the
 * inbox's own prune timer (one per platform, every 10 minutes), so nothing is pruned twice.
 */
import type { Logger } from 'pino';
import type { FrontdeskConfig } from '../config/schema.js';
import type { Clock } from '../ports/clock.js';
import type { PruneCounts, PruneCutoffs, Store } from '../ports/store.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export type RetentionSettings = FrontdeskConfig['retention'];

/**
 * The cut-offs for `store.prune`. `wall`: the time the outbox and inbox stamp their rows with;
 * `desk`: the desk's Clock (inbound ids and form state carry it; the playground can move it ahead).
 * @example retentionCutoffs(config.retention, { wall: Date.now(), desk: clock.now() }).outboxBefore // 30 days ago
 */
export function retentionCutoffs(r: RetentionSettings, at: { wall: number; desk: number }): PruneCutoffs {
  return {
    before: at.wall - r.processedInboxHours * HOUR,
    outboxBefore: at.wall - r.sentOutboxDays * DAY,
    seenBefore: at.wall - r.replayMinutes * MIN,
    inboundEventsBefore: at.desk - r.inboundIdDays * DAY,
    formsBefore: at.desk - r.formStateDays * DAY,
  };
}

export interface RetentionDeps {
  config: FrontdeskConfig;
  store: Pick<Store, 'prune'>;
  clock: Clock;
  /** The outbox's and inbox's timer (default: the wall clock). */
  wall?: () => number;
  logger?: Logger;
}

/**
 * @example const counts = await new RetentionJob({ config, store: core.store, clock }).run(); // { outbox: 120, inbox: 30, … }
 */
export class RetentionJob {
  constructor(private readonly d: RetentionDeps) {}

  async run(): Promise<PruneCounts> {
    const cutoffs = retentionCutoffs(this.d.config.retention, { wall: (this.d.wall ?? Date.now)(), desk: this.d.clock.now() });
    const counts = await this.d.store.prune(cutoffs);
    const total = Object.values(counts).reduce((a: number, b) => a + (b ?? 0), 0);
    if (total > 0) this.d.logger?.info({ job: 'retention', ...counts }, 'retention: pruned');
    return counts;
  }
}
