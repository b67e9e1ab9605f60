/**
 * The playground's clock control: the bot runs on a ManualClock (starting at real time,
 * speed 1); the browser can jump it forward or speed it up. After every jump — and every
 * few seconds while sped up — the scheduled jobs (SLA sweep, digest, …) run on demand and
 * open ticket cards are refreshed, so warnings, breach prompts and digests show within
 * minutes instead of hours.
 */
import type { Core } from '../../src/app.js';
import { ManualClock } from '../../src/ports/clock.js';

export interface ClockState {
  now: number;
  speed: number;
  /** How far the bot's clock is ahead of real time (ms). */
  aheadMs: number;
  /** False when the core runs on a clock the playground cannot move (e.g. the system clock). */
  movable: boolean;
}

/** The biggest single jump (30 days): enough for any SLA, small enough to stay sane. */
export const MAX_JUMP_MS = 30 * 86_400_000;
export const SPEEDS = [1, 60, 600] as const;

export interface ClockControlOptions {
  /** While sped up, run the jobs this often (real ms). */
  tickMs?: number;
  /** Called after every jump or speed change (push it to browsers, remember it). */
  onChange?(state: ClockState): void;
  /** Bring ticket cards up to date with the clock (countdowns) after the jobs ran. */
  refreshCards?(): Promise<void>;
}

export class ClockControl {
  private ticker: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;

  constructor(
    private readonly core: Core,
    private readonly opts: ClockControlOptions = {},
  ) {}

  /**
   * Continue where a previous run left off: the bot's clock runs `aheadMs` ahead of real time
   * (never behind it, so nothing seems to happen before it was made).
   */
  resume(aheadMs: number): void {
    const m = this.manual;
    if (m && Number.isFinite(aheadMs) && aheadMs > 0) m.set(Date.now() + Math.min(aheadMs, 365 * 86_400_000));
  }

  private get manual(): ManualClock | null {
    return this.core.clock instanceof ManualClock ? this.core.clock : null;
  }

  state(): ClockState {
    const m = this.manual;
    const now = this.core.clock.now();
    return { now, speed: m ? m.getSpeed() : 1, aheadMs: now - Date.now(), movable: m !== null };
  }

  private require(): ManualClock {
    const m = this.manual;
    if (!m) throw new ClockNotMovableError();
    return m;
  }

  /** Jump forward by `ms`, then run the scheduled jobs at the new time. */
  async advance(ms: number): Promise<ClockState> {
    if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_JUMP_MS) throw new RangeError(`a jump must be between 1 ms and 30 days, got ${ms}`);
    this.require().advance(ms);
    this.opts.onChange?.(this.state());
    await this.runJobs();
    return this.state();
  }

  /** 0 = frozen, 1 = real time, 60 = a minute per second. */
  setSpeed(speed: number): ClockState {
    if (!(SPEEDS as readonly number[]).includes(speed) && speed !== 0) throw new RangeError(`speed must be one of 0, ${SPEEDS.join(', ')}`);
    this.require().setSpeed(speed);
    this.restartTicker();
    this.opts.onChange?.(this.state());
    return this.state();
  }

  private restartTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
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
  runJobs(): Promise<void> {
    this.busy ??= (async () => {
      try {
        for (const job of this.core.scheduler.jobs()) await this.core.scheduler.runNow(job.name);
        await this.core.outbox.drain();
        await this.opts.refreshCards?.();
      } catch (e) {
        this.core.logger.error({ err: e }, 'playground: running the scheduled jobs failed');
      } finally {
        this.busy = null;
      }
    })();
    return this.busy;
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }
}

export class ClockNotMovableError extends Error {
  constructor() {
    super('the bot runs on the system clock here, so the playground cannot move it (start it with `npm start` without Slack/Teams settings, or FRONTDESK_PLAYGROUND=1)');
  }
}
