/**
 * Named node-cron jobs (SLA sweep, digests). Each run is guarded so that a run still going
 * when the next tick comes is skipped, and an error is logged instead of killing the job.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';

export interface JobInfo {
  name: string;
  expression: string;
  timezone?: string;
  runs: number;
  lastError: string | null;
}

export class Scheduler {
  private readonly tasks = new Map<string, { task: ScheduledTask; info: JobInfo; running: boolean; run: () => Promise<boolean> }>();
  /** Runs in progress, also of jobs removed since (shutdown waits for them). */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly logger?: Logger) {}

  /**
   * Schedule a named job. Invalid expressions or time zones throw at once with the job name.
   * @example scheduler.add('sla-sweep', '* * * * *', () => sweep())
   */
  add(name: string, expression: string, fn: () => unknown | Promise<unknown>, opts: { timezone?: string } = {}): void {
    if (!cron.validate(expression)) throw new Error(`job ${name}: "${expression}" is not a valid cron expression (5 or 6 fields, e.g. "* * * * *")`);
    this.remove(name);
    const entry = {
      info: { name, expression, timezone: opts.timezone, runs: 0, lastError: null as string | null },
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
      const run = (async () => fn())();
      this.inFlight.add(run);
      try {
        await run;
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
   * Returns false when there is no such job or it was already running.
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
