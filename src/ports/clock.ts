/** Time is a port so SLA behaviour is tested by moving time, not by waiting. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests and the playground can move. `speed` > 1 runs faster than real time. */
export class ManualClock implements Clock {
  private base: number;
  private realBase = Date.now();
  constructor(
    start: number = Date.now(),
    private speed = 0,
  ) {
    this.base = start;
  }
  now(): number {
    return this.speed === 0 ? this.base : this.base + (Date.now() - this.realBase) * this.speed;
  }
  set(ms: number): void {
    this.base = ms;
    this.realBase = Date.now();
  }
  advance(ms: number): void {
    this.set(this.now() + ms);
  }
  /** 0 = frozen, 1 = real time, 60 = a minute per second. */
  setSpeed(speed: number): void {
    this.set(this.now());
    this.speed = speed;
  }
  getSpeed(): number {
    return this.speed;
  }
}
