/** A small counting semaphore: at most `limit` tasks run at once; the rest wait in FIFO order. */
export class Semaphore {
    limit;
    active = 0;
    waiting = [];
    constructor(limit) {
        this.limit = limit;
        if (!Number.isInteger(limit) || limit < 1)
            throw new RangeError(`semaphore limit must be a positive integer, got ${limit}`);
    }
    /** Tasks running now. */
    get running() {
        return this.active;
    }
    /** Tasks waiting for a slot. */
    get queued() {
        return this.waiting.length;
    }
    /**
     * Run `task` when a slot is free; the slot is released however the task ends.
     *
     * @example
     * const sem = new Semaphore(4);
     * await sem.run(() => fetchSomething());
     */
    async run(task) {
        if (this.active >= this.limit)
            await new Promise((resolve) => this.waiting.push(resolve));
        else
            this.active++;
        try {
            return await task();
        }
        finally {
            const next = this.waiting.shift();
            if (next)
                next();
            else
                this.active--;
        }
    }
}
//# sourceMappingURL=semaphore.js.map