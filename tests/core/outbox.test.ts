import { storeOnDatabase } from '../../src/store/kysely/open-store.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/outbox/outbox.js';
import { ManualClock } from '../../src/ports/clock.js';
import { type Db, openDatabase } from '../../src/store/db.js';
import { ScriptedPort } from '../helpers/scripted-port.js';

const view = (text: string) => ({ text, blocks: [{ type: 'text' as const, text }] });

describe('Outbox', () => {
  let db: Db;
  let timer: ManualClock;
  let port: ScriptedPort;
  let ob: Outbox;
  beforeEach(() => {
    db = openDatabase(':memory:');
    timer = new ManualClock(1_000_000);
    port = new ScriptedPort();
    ob = new Outbox(db, storeOnDatabase(db), { timer, random: () => 1 });
    ob.registerPort(port);
  });
  afterEach(() => db.close());

  const post = (key: string, channelId = 'C1') => ob.enqueue({ platform: 'local', idempotencyKey: key, payload: { kind: 'post', channelId, view: view(key) } });

  it('sends once per idempotency key', async () => {
    expect(post('a')).toBe(true);
    expect(post('a')).toBe(false);
    await ob.drain();
    await ob.drain();
    expect(port.calls).toHaveLength(1);
    expect(ob.stats()).toEqual({ sent: 1 });
  });

  it('keeps order within a channel while an earlier message waits for a retry', async () => {
    // Rate limited (channel-specific, not released when another channel succeeds).
    port.failures.push({ retryable: true, retryAfterMs: 1000 });
    post('first');
    post('second');
    post('other', 'C2');
    await ob.drain();
    expect(port.calls.map((c) => c.view?.text)).toEqual(['other']);
    timer.advance(1000);
    await ob.drain();
    expect(port.calls.map((c) => c.view?.text)).toEqual(['other', 'first', 'second']);
  });

  it('backs off exponentially and honours Retry-After', async () => {
    port.failures.push({ retryable: true }, { retryable: true }, { retryable: true, retryAfterMs: 30_000 });
    post('x');
    await ob.drain();
    const next = () => (db.prepare('SELECT next_attempt_at AS n FROM outbox').get() as { n: number }).n - timer.now();
    expect(next()).toBe(1000);
    timer.advance(1000);
    await ob.drain();
    expect(next()).toBe(2000);
    timer.advance(2000);
    await ob.drain();
    expect(next()).toBe(30_000);
    timer.advance(29_999);
    await ob.drain();
    expect(port.calls).toHaveLength(0);
    timer.advance(1);
    await ob.drain();
    expect(port.calls).toHaveLength(1);
    expect(db.prepare('SELECT attempts, status FROM outbox').get()).toEqual({ attempts: 4, status: 'sent' });
  });

  it('gives up at once on permanent errors and records why', async () => {
    port.failures.push({ retryable: false, message: 'channel_not_found' });
    post('y');
    await ob.drain();
    expect(db.prepare('SELECT status, last_error FROM outbox').get()).toEqual({ status: 'failed', last_error: 'channel_not_found' });
  });

  it('survives a platform outage of 10 minutes without losing or doubling messages', async () => {
    const start = timer.now();
    for (let i = 0; i < 5; i++) post(`p${i}`, `C${i % 2}`);
    // Every call fails (5xx, sometimes 429 with Retry-After) for 10 minutes, then the platform recovers.
    for (let s = 0; s < 30 * 60; s += 5) {
      port.failures.length = 0;
      if (timer.now() - start < 10 * 60_000) for (let k = 0; k < 10; k++) port.failures.push({ retryable: true, retryAfterMs: k % 3 === 0 ? 5000 : undefined });
      await ob.drain();
      timer.advance(5000);
    }
    const texts = port.calls.map((c) => c.view?.text).sort();
    expect(texts).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(ob.stats()).toEqual({ sent: 5 });
  });

  it('sends again what a crash left half-sent (at-least-once, never lost)', async () => {
    post('z');
    db.prepare("UPDATE outbox SET status = 'sending'").run();
    const after = new Outbox(db, storeOnDatabase(db), { timer });
    after.registerPort(port);
    await after.drain();
    expect(port.calls.map((c) => c.view?.text)).toEqual(['z']);
  });

  it('holds messages for platforms that are not connected', async () => {
    ob.enqueue({ platform: 'slack', idempotencyKey: 's', payload: { kind: 'post', channelId: 'C1', view: view('s') } });
    await ob.drain();
    expect(port.calls).toHaveLength(0);
    expect(ob.stats()).toEqual({ pending: 1 });
  });

  it('respects the per-channel rate limit', async () => {
    port.ratePerChannelPerSec = 1;
    const slow = new Outbox(db, storeOnDatabase(db), { timer });
    slow.registerPort(port);
    for (let i = 0; i < 3; i++) slow.enqueue({ platform: 'local', idempotencyKey: `r${i}`, payload: { kind: 'post', channelId: 'C9', view: view(`r${i}`) } });
    await slow.drain();
    expect(port.calls).toHaveLength(1);
    const pending = db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number };
    expect(pending.n).toBe(2);
  });
});
