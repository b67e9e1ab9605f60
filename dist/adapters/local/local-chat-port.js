/**
 * LocalChatPort: the ChatPort of the local playground. Posts, thread replies, in-place
 * updates, ephemerals (visible to one person), DMs and forms are written to the playground
 * tables in SQLite (through PlaygroundChatPort/PlaygroundStore); the live hub pushes each
 * write to the browsers that may see it. The ChatPort contract suite runs against it.
 */
import { ChatDeliveryError } from '../../src/domain/errors.js';
import { PlaygroundChatPort } from '../../src/demo/playground-chat-port.js';
/**
 * Test hook: makes the next delivery fail the way a real platform can, so the outbox's retry
 * handling can be exercised against the playground. Pass one as `faults` to LocalChatPort.
 * @example const faults = new LocalFaults(); faults.failNext('rate_limit', 7); // next call: retryable, retry after 7 s
 */
export class LocalFaults {
    queue = [];
    /** Fail the next delivery: rate limited (with the wait in seconds), server error, or permanently. */
    failNext(kind, retryAfterSec) {
        this.queue.push({ kind, retryAfterSec });
    }
    /** Throw the queued failure, if any (called by the port before each delivery). */
    check(op) {
        const f = this.queue.shift();
        if (!f)
            return;
        if (f.kind === 'rate_limit')
            throw new ChatDeliveryError(`local ${op}: rate limited (simulated)`, true, (f.retryAfterSec ?? 1) * 1000);
        if (f.kind === 'server_error')
            throw new ChatDeliveryError(`local ${op}: server error (simulated)`, true);
        throw new ChatDeliveryError(`local ${op}: rejected (simulated permanent failure)`, false);
    }
}
export class LocalChatPort extends PlaygroundChatPort {
    faults;
    constructor(opts) {
        super(opts);
        this.faults = opts.faults;
    }
    beforeDelivery(op) {
        this.faults?.check(op);
    }
}
//# sourceMappingURL=local-chat-port.js.map