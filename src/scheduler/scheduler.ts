/**
 * Named node-cron jobs (SLA sweep, digests). Each run is guarded so that a run still going
 * when the next tick comes is skipped, and an error is logged instead of killing the job.
 * Jobs added with `{ leader: true }` run under the store's leader lock (`store.withLeader`):
 * with several replicas on one database, exactly one runs each tick; the others skip it.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { LeaderResult } from '../ports/store.js';

/** Run `fn` only while holding the lock `name`; `{ ran: false }` when another holder has it. */
export type LeaderLock = <T>(name: string, fn: () => Promise<T>) => Promise<LeaderResult<T>>;

export interface JobInfo {
  name: string;
  expression: string;
  timezone?: string;
  runs: number;
  /** Ticks skipped because another replica held the job's leader lock. */
  skipped: number;
  lastError: string | null;
  /** Runs on one replica per tick. */
  leader: boolean;
}

export class Scheduler {
  private readonly tasks = new Map<string, { task: ScheduledTask; info: JobInfo; running: boolean; run: () => Promise<boolean> }>();
  /** Runs in progress, also of jobs removed since (shutdown waits for them). */
  private readonly inFlight = new Set<Promise<unknown>>();

  /** @param opts.leader the leader lock for `{ leader: true }` jobs (the app passes `store.withLeader`); without one they run here. */
  constructor(
    private readonly logger?: Logger,
    private readonly opts: { leader?: LeaderLock } = {},
  ) {}

  /**
   * Schedule a named job. Invalid expressions or time zones throw at once with the job name.
   * @example scheduler.add('sla-sweep', '* * * * *', () => sweep(), { leader: true })
   */
  add(name: string, expression: string, fn: () => unknown | Promise<unknown>, opts: { timezone?: string; leader?: boolean } = {}): void {
    if (!cron.validate(expression)) throw new Error(`job ${name}: "${expression}" is not a valid cron expression (5 or 6 fields, e.g. "* * * * *")`);
    this.remove(name);
    const entry = {
      info: { name, expression, timezone: opts.timezone, runs: 0, skipped: 0, lastError: null as string | null, leader: opts.leader === true },
      running: false,
      task: null as unknown as ScheduledTask,
      run: async (): Promise<boolean> => false,
    };
    entry.run = async () => {
      if (entry.running) {
        this.logger?.warn({ job: name }, 'previous run still going; skipping this tick');
        return false;
      }
      entry.running = true;
      const leader = opts.leader ? this.opts.leader : undefined;
      const run = (async (): Promise<boolean> => {
        if (!leader) {
          await fn();
          return true;
        }
        return (await leader(`job:${name}`, async () => fn())).ran;
      })();
      this.inFlight.add(run);
      try {
        if (!(await run)) {
          entry.info.skipped += 1;
          this.logger?.debug({ job: name }, 'another replica runs this job this tick; skipped here');
          return false;
        }
        entry.info.runs += 1;
        entry.info.lastError = null;
      } catch (e) {
        entry.info.lastError = (e as Error).message;
        this.logger?.error({ job: name, err: e }, 'scheduled job failed');
      } finally {
        entry.running = false;
        this.inFlight.delete(run);
      }
      return true;
    };
    entry.task = cron.schedule(expression, () => entry.run(), { name, timezone: opts.timezone, noOverlap: true });
    this.tasks.set(name, entry);
  }

  remove(name: string): void {
    const t = this.tasks.get(name);
    if (t) {
      void t.task.stop();
      void t.task.destroy();
      this.tasks.delete(name);
    }
  }

  /**
   * Run a job now, outside its schedule, with the same guard (skipped when a run is going)
   * and error handling. Used by the playground's clock control after a time jump.
   * Returns false when there is no such job, it was already running, or another replica held
   * its leader lock.
   * @example await scheduler.runNow('sla-sweep')
   */
  async runNow(name: string): Promise<boolean> {
    const t = this.tasks.get(name);
    return t ? t.run() : false;
  }

  jobs(): JobInfo[] {
    return [...this.tasks.values()].map((t) => t.info);
  }

  stopAll(): void {
    for (const name of [...this.tasks.keys()]) this.remove(name);
  }

  /** Resolves when no job is running (a run started before stopAll() included). */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
