/**
 * LocalChatPort: the ChatPort of the local playground. Posts, thread replies, in-place
 * updates, ephemerals (visible to one person), DMs and forms are written to the playground
 * tables in SQLite (through PlaygroundChatPort/PlaygroundStore); the live hub pushes each
 * write to the browsers that may see it. The ChatPort contract suite runs against it.
 */
import { ChatDeliveryError } from '../../src/domain/errors.js';
import { PlaygroundChatPort, type PlaygroundChatPortOptions } from './playground-chat-port.js';

export type LocalFailure = 'rate_limit' | 'server_error' | 'permanent';

/**
 * Test hook: makes the next delivery fail the way a real platform can, so the outbox's retry
 * handling can be exercised against the playground. Pass one as `faults` to LocalChatPort.
 * @example const faults = new LocalFaults(); faults.failNext('rate_limit', 7); // next call: retryable, retry after 7 s
 */
export class LocalFaults {
  private queue: { kind: LocalFailure; retryAfterSec?: number }[] = [];

  /** Fail the next delivery: rate limited (with the wait in seconds), server error, or permanently. */
  failNext(kind: LocalFailure, retryAfterSec?: number): void {
    this.queue.push({ kind, retryAfterSec });
  }

  /** Throw the queued failure, if any (called by the port before each delivery). */
  check(op: string): void {
    const f = this.queue.shift();
    if (!f) return;
    if (f.kind === 'rate_limit') throw new ChatDeliveryError(`local ${op}: rate limited (simulated)`, true, (f.retryAfterSec ?? 1) * 1000);
    if (f.kind === 'server_error') throw new ChatDeliveryError(`local ${op}: server error (simulated)`, true);
    throw new ChatDeliveryError(`local ${op}: rejected (simulated permanent failure)`, false);
  }
}

export interface LocalChatPortOptions extends PlaygroundChatPortOptions {
  /** Test hook to make deliveries fail on purpose (see LocalFaults). Not set in production. */
  faults?: LocalFaults;
}

export class LocalChatPort extends PlaygroundChatPort {
  private readonly faults: LocalFaults | undefined;

  constructor(opts: LocalChatPortOptions) {
    super(opts);
    this.faults = opts.faults;
  }

  protected override beforeDelivery(op: string): void {
    this.faults?.check(op);
  }
}
