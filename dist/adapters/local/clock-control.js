import { ManualClock } from '../../src/ports/clock.js';
/** The biggest single jump (30 days): enough for any SLA, small enough to stay sane. */
export const MAX_JUMP_MS = 30 * 86_400_000;
export const SPEEDS = [1, 60, 600];
export class ClockControl {
    core;
    opts;
    ticker = null;
    busy = null;
    constructor(core, opts = {}) {
        this.core = core;
        this.opts = opts;
    }
    /**
     * Continue where a previous run left off: the bot's clock runs `aheadMs` ahead of real time
     * (never behind it, so nothing seems to happen before it was made).
     */
    resume(aheadMs) {
        const m = this.manual;
        if (m && Number.isFinite(aheadMs) && aheadMs > 0)
            m.set(Date.now() + Math.min(aheadMs, 365 * 86_400_000));
    }
    get manual() {
        return this.core.clock instanceof ManualClock ? this.core.clock : null;
    }
    state() {
        const m = this.manual;
        const now = this.core.clock.now();
        return { now, speed: m ? m.getSpeed() : 1, aheadMs: now - Date.now(), movable: m !== null };
    }
    require() {
        const m = this.manual;
        if (!m)
            throw new ClockNotMovableError();
        return m;
    }
    /** Jump forward by `ms`, then run the scheduled jobs at the new time. */
    async advance(ms) {
        if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_JUMP_MS)
            throw new RangeError(`a jump must be between 1 ms and 30 days, got ${ms}`);
        this.require().advance(ms);
        this.opts.onChange?.(this.state());
        await this.runJobs();
        return this.state();
    }
    /** 0 = frozen, 1 = real time, 60 = a minute per second. */
    setSpeed(speed) {
        if (!SPEEDS.includes(speed) && speed !== 0)
            throw new RangeError(`speed must be one of 0, ${SPEEDS.join(', ')}`);
        this.require().setSpeed(speed);
        this.restartTicker();
        this.opts.onChange?.(this.state());
        return this.state();
    }
    restartTicker() {
        if (this.ticker)
            clearInterval(this.ticker);
        this.ticker = null;
        if (this.state().speed > 1) {
            this.ticker = setInterval(() => {
                // Re-announce the time (browsers resync, the offset is remembered), then let the jobs catch up.
                this.opts.onChange?.(this.state());
                void this.runJobs();
            }, this.opts.tickMs ?? 5000);
            this.ticker.unref();
        }
    }
    /**
     * Run every scheduled job now (SLA sweep, digest, …; the core registers them by name), send
     * what they queued, then refresh the cards of open tickets so their countdowns match the clock.
     * Concurrent calls share one run.
     */
    runJobs() {
        this.busy ??= (async () => {
            try {
                for (const job of this.core.scheduler.jobs())
                    await this.core.scheduler.runNow(job.name);
                await this.core.outbox.drain();
                await this.opts.refreshCards?.();
            }
            catch (e) {
                this.core.logger.error({ err: e }, 'playground: running the scheduled jobs failed');
            }
            finally {
                this.busy = null;
            }
        })();
        return this.busy;
    }
    stop() {
        if (this.ticker)
            clearInterval(this.ticker);
        this.ticker = null;
    }
}
export class ClockNotMovableError extends Error {
    constructor() {
        super('the bot runs on the system clock here, so the playground cannot move it (start it with `npm start` without Slack/Teams settings, or FRONTDESK_PLAYGROUND=1)');
    }
}
//# sourceMappingURL=clock-control.js.map