/**
 * Named node-cron jobs (SLA sweep, digests). Each run is guarded so that a run still going
 * when the next tick comes is skipped, and an error is logged instead of killing the job.
 */
import cron from 'node-cron';
export class Scheduler {
    logger;
    tasks = new Map();
    constructor(logger) {
        this.logger = logger;
    }
    /**
     * Schedule a named job. Invalid expressions or time zones throw at once with the job name.
     * @example scheduler.add('sla-sweep', '* * * * *', () => sweep())
     */
    add(name, expression, fn, opts = {}) {
        if (!cron.validate(expression))
            throw new Error(`job ${name}: "${expression}" is not a valid cron expression (5 or 6 fields, e.g. "* * * * *")`);
        this.remove(name);
        const entry = {
            info: { name, expression, timezone: opts.timezone, runs: 0, lastError: null },
            running: false,
            task: null,
            run: async () => false,
        };
        entry.run = async () => {
            if (entry.running) {
                this.logger?.warn({ job: name }, 'previous run still going; skipping this tick');
                return false;
            }
            entry.running = true;
            try {
                await fn();
                entry.info.runs += 1;
                entry.info.lastError = null;
            }
            catch (e) {
                entry.info.lastError = e.message;
                this.logger?.error({ job: name, err: e }, 'scheduled job failed');
            }
            finally {
                entry.running = false;
            }
            return true;
        };
        entry.task = cron.schedule(expression, () => entry.run(), { name, timezone: opts.timezone, noOverlap: true });
        this.tasks.set(name, entry);
    }
    remove(name) {
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
    async runNow(name) {
        const t = this.tasks.get(name);
        return t ? t.run() : false;
    }
    jobs() {
        return [...this.tasks.values()].map((t) => t.info);
    }
    stopAll() {
        for (const name of [...this.tasks.keys()])
            this.remove(name);
    }
}
//# sourceMappingURL=scheduler.js.map