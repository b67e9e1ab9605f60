export const systemClock = { now: () => Date.now() };
/** A clock tests and the playground can move. `speed` > 1 runs faster than real time. */
export class ManualClock {
    speed;
    base;
    realBase = Date.now();
    constructor(start = Date.now(), speed = 0) {
        this.speed = speed;
        this.base = start;
    }
    now() {
        return this.speed === 0 ? this.base : this.base + (Date.now() - this.realBase) * this.speed;
    }
    set(ms) {
        this.base = ms;
        this.realBase = Date.now();
    }
    advance(ms) {
        this.set(this.now() + ms);
    }
    /** 0 = frozen, 1 = real time, 60 = a minute per second. */
    setSpeed(speed) {
        this.set(this.now());
        this.speed = speed;
    }
    getSpeed() {
        return this.speed;
    }
}
//# sourceMappingURL=clock.js.map