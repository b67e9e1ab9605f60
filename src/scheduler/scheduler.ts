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
  private readonly tasks = new Map<string, { task: ScheduledTask; info: JobInfo; running: boolean }>();

  constructor(private readonly logger?: Logger) {}

  /**
   * Schedule a named job. Invalid expressions or time zones throw at once with the job name.
   * @example scheduler.add('sla-sweep', '* * * * *', () => sweep())
   */
  add(name: string, expression: string, fn: () => unknown | Promise<unknown>, opts: { timezone?: string } = {}): void {
    if (!cron.validate(expression)) throw new Error(`job ${name}: "${expression}" is not a valid cron expression (5 or 6 fields, e.g. "* * * * *")`);
    this.remove(name);
    const entry = { info: { name, expression, timezone: opts.timezone, runs: 0, lastError: null as string | null }, running: false, task: null as unknown as ScheduledTask };
    entry.task = cron.schedule(
      expression,
      async () => {
        if (entry.running) {
          this.logger?.warn({ job: name }, 'previous run still going; skipping this tick');
          return;
        }
        entry.running = true;
        try {
          await fn();
          entry.info.runs += 1;
          entry.info.lastError = null;
        } catch (e) {
          entry.info.lastError = (e as Error).message;
          this.logger?.error({ job: name, err: e }, 'scheduled job failed');
        } finally {
          entry.running = false;
        }
      },
      { name, timezone: opts.timezone, noOverlap: true },
    );
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

  jobs(): JobInfo[] {
    return [...this.tasks.values()].map((t) => t.info);
  }

  stopAll(): void {
    for (const name of [...this.tasks.keys()]) this.remove(name);
  }
}
