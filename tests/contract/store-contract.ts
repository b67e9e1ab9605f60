/**
 * The store contract: ONE suite every engine must pass (SQLite and PostgreSQL). Each engine's
 * test file calls `storeContract(name, makeHarness)`; the harness opens a fresh, migrated store
 * and can run raw SQL on the same database (to prove what the engine itself refuses).
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewTicket, Store } from '../../src/ports/store.js';
import type { TrackerIssue } from '../../src/ports/tracker-port.js';
import type { KyselyStore } from '../../src/store/kysely/kysely-store.js';

export interface StoreHarness {
  store: KyselyStore;
  /**
   * Another Store on the same database (another replica / pool). SQLite: the same file is one
   * process's, so this is the same store.
   */
  another(): Promise<Store>;
  close(): Promise<void>;
}

export interface StoreContractOptions {
  /** Opens two stores at once on a fresh database and returns the versions each applied. */
  openTwoFresh?: () => Promise<{ applied: number[][]; versions: number[]; cleanup(): Promise<void> }>;
  /** Makes the database claim a schema newer than the build, then opens it: must reject. */
  openNewerSchema: () => Promise<{ attempt: () => Promise<unknown>; cleanup(): Promise<void> }>;
}

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z, a fixed clock

export function draft(over: Partial<NewTicket> = {}): NewTicket {
  return {
    platform: 'slack',
    channelId: 'C1',
    sourceMessageId: null,
    threadId: null,
    cardMessageId: null,
    requesterId: 'U1',
    requesterName: 'Ada',
    title: 'Cannot log in',
    text: 'Login fails with SSO error',
    category: 'access',
    priority: 'P2',
    status: 'new',
    ownerId: null,
    team: 'support',
    signals: [],
    attachments: [],
    sla: { policy: 'default', priority: 'P2', firstResponseMs: 3_600_000, resolutionMs: 86_400_000, businessHours: null, thresholds: [0.75, 1] },
    createdAt: T0,
    updatedAt: T0,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    pausedMs: 0,
    pausedSince: null,
    snoozedUntil: null,
    incidentKey: null,
    nextSlaCheckAt: T0 + 2_700_000,
    triageChannelId: null,
    ...over,
  };
}

const issue = (over: Partial<TrackerIssue> = {}): TrackerIssue => ({
  tracker: 'github',
  key: 'acme/app#12',
  url: 'https://github.com/acme/app/issues/12',
  title: 'SSO login broken',
  state: 'open',
  stateLabel: 'open',
  closeReason: null,
  assignee: null,
  updatedAt: T0,
  ...over,
});

const raw = (store: KyselyStore, text: string) => sql.raw(text).execute(store.db);

export function storeContract(name: string, makeHarness: () => Promise<StoreHarness>, opts: StoreContractOptions): void {
  describe(`Store contract: ${name}`, () => {
    let h: StoreHarness;
    let store: KyselyStore;
    beforeEach(async () => {
      h = await makeHarness();
      store = h.store;
    });
    afterEach(async () => {
      await h.close();
    });

    describe('tickets', () => {
      it('creates tickets with consecutive human keys and finds them by id, key and source', async () => {
        const a = await store.tickets.create(draft({ sourceMessageId: 'm1', threadId: 'm1' }));
        const b = await store.tickets.create(draft({ title: 'Second', sourceMessageId: 'm2' }));
        expect([a.key, b.key]).toEqual(['T-1001', 'T-1002']);
        expect(a.sla.thresholds).toEqual([0.75, 1]);
        expect(a.deleted).toBe(false);
        expect((await store.tickets.get(b.id))?.title).toBe('Second');
        expect((await store.tickets.getByKey('t-1001'))?.id).toBe(a.id);
        expect((await store.tickets.getByKey('1002'))?.id).toBe(b.id);
        expect(await store.tickets.getByKey('T-9999')).toBeNull();
        expect((await store.tickets.findBySource('slack', 'C1', 'm2'))?.id).toBe(b.id);
        expect(await store.tickets.findBySource('slack', 'C2', 'm2')).toBeNull();
        expect((await store.tickets.findByThread('slack', 'C1', 'm1'))?.id).toBe(a.id);
      });

      it('rejects a second ticket for the same source message', async () => {
        await store.tickets.create(draft({ sourceMessageId: 'dup' }));
        await expect(store.tickets.create(draft({ sourceMessageId: 'dup' }))).rejects.toThrow();
      });

      it('finds a ticket by its card, in its triage channel or its own channel', async () => {
        const inline = await store.tickets.create(draft({ cardMessageId: 'card1' }));
        const triaged = await store.tickets.create(draft({ cardMessageId: 'card2', triageChannelId: 'CTRIAGE' }));
        expect((await store.tickets.findByCard('slack', 'C1', 'card1'))?.id).toBe(inline.id);
        expect((await store.tickets.findByCard('slack', 'CTRIAGE', 'card2'))?.id).toBe(triaged.id);
        expect(await store.tickets.findByCard('slack', 'C1', 'card2')).toBeNull();
        expect((await store.tickets.findByInternalThread('slack', 'CTRIAGE', 'card2'))?.id).toBe(triaged.id);
        expect(await store.tickets.findByInternalThread('slack', 'C1', 'card1')).toBeNull();
      });

      it('updates JSON fields, flags and clocks, and refuses a ticket that does not exist', async () => {
        const t = await store.tickets.create(draft());
        const u = await store.tickets.update(
          t.id,
          { status: 'in_progress', ownerId: 'U9', signals: [{ kind: 'category', label: 'matched "sso"', source: 'rule-1' }], deleted: true, nextSlaCheckAt: null, reopenedCount: 2 },
          T0 + 5,
        );
        expect(u).toMatchObject({ status: 'in_progress', ownerId: 'U9', deleted: true, updatedAt: T0 + 5 });
        expect(u.signals).toEqual([{ kind: 'category', label: 'matched "sso"', source: 'rule-1' }]);
        expect((await store.tickets.get(t.id))?.signals).toEqual(u.signals);
        await expect(store.tickets.update(987654, { status: 'closed' }, T0)).rejects.toThrow(/vanished/);
      });

      it('lists with the filters of `frontdesk tickets list`, by priority then age, without deleted tickets', async () => {
        const p1 = await store.tickets.create(draft({ priority: 'P1', createdAt: T0 + 10, ownerId: 'U7' }));
        const p2old = await store.tickets.create(draft({ priority: 'P2', createdAt: T0 }));
        const p2new = await store.tickets.create(draft({ priority: 'P2', createdAt: T0 + 20, requesterId: 'U2', channelId: 'C2' }));
        const done = await store.tickets.create(draft({ priority: 'P0', status: 'resolved', createdAt: T0 + 30, team: 'billing' }));
        const gone = await store.tickets.create(draft({ priority: 'P0' }));
        await store.tickets.update(gone.id, { deleted: true }, T0);
        const ids = async (f: Parameters<Store['tickets']['list']>[0]) => (await store.tickets.list(f)).map((t) => t.id);
        expect(await ids({})).toEqual([done.id, p1.id, p2old.id, p2new.id]);
        expect(await ids({ open: true })).toEqual([p1.id, p2old.id, p2new.id]);
        expect(await ids({ status: ['resolved', 'new'] })).toEqual([done.id, p1.id, p2old.id, p2new.id]);
        expect(await ids({ status: 'resolved' })).toEqual([done.id]);
        expect(await ids({ ownerId: null, open: true })).toEqual([p2old.id, p2new.id]);
        expect(await ids({ ownerId: 'U7' })).toEqual([p1.id]);
        expect(await ids({ team: 'billing' })).toEqual([done.id]);
        expect(await ids({ channelId: 'C2' })).toEqual([p2new.id]);
        expect(await ids({ requesterId: 'U2' })).toEqual([p2new.id]);
        expect(await ids({ priority: 'P2' })).toEqual([p2old.id, p2new.id]);
        expect(await ids({ createdFrom: T0 + 10, createdTo: T0 + 30 })).toEqual([p1.id, p2new.id]);
        expect(await ids({ limit: 2 })).toEqual([done.id, p1.id]);
      });

      it('keeps the timeline in order with its data', async () => {
        const t = await store.tickets.create(draft());
        await store.tickets.appendEvent(t.id, 'created', 'U1', T0, { platform: 'slack', nested: { a: [1, 2] } });
        await store.tickets.appendEvent(t.id, 'assigned', 'frontdesk', T0 + 1, { to: 'U9' });
        await store.tickets.appendEvent(t.id, 'note', 'U9', T0 + 2);
        const ev = await store.tickets.events(t.id);
        expect(ev.map((e) => e.type)).toEqual(['created', 'assigned', 'note']);
        expect(ev[0]).toMatchObject({ ticketId: t.id, actor: 'U1', at: T0, data: { platform: 'slack', nested: { a: [1, 2] } } });
        expect(ev[2]?.data).toEqual({});
      });

      it('the engine itself rejects updating or deleting timeline events (append-only)', async () => {
        const t = await store.tickets.create(draft());
        await store.tickets.appendEvent(t.id, 'created', 'U1', T0);
        await expect(raw(store, "UPDATE ticket_events SET actor = 'mallory'")).rejects.toThrow(/append-only/);
        await expect(raw(store, 'DELETE FROM ticket_events')).rejects.toThrow(/append-only/);
        expect((await store.tickets.events(t.id)).map((e) => e.actor)).toEqual(['U1']);
      });

      it('stores a conversation once per message and applies edits and deletions', async () => {
        const t = await store.tickets.create(draft());
        const m = { ticketId: t.id, platform: 'slack', channelId: 'C1', messageId: 'r1', authorId: 'U1', authorRole: 'customer' as const, text: 'hello', at: T0 };
        expect(await store.tickets.addMessage(m)).toBe(true);
        expect(await store.tickets.addMessage({ ...m, text: 'again' })).toBe(false);
        await store.tickets.addMessage({ ...m, messageId: 'r2', authorRole: 'agent', text: 'hi', at: T0 + 1 });
        await store.tickets.updateMessage('slack', 'C1', 'r1', { text: 'hello (edited)' }, T0 + 2);
        await store.tickets.updateMessage('slack', 'C1', 'r2', { deleted: true }, T0 + 3);
        const msgs = await store.tickets.messages(t.id);
        expect(msgs.map((x) => [x.messageId, x.text, x.deleted])).toEqual([
          ['r1', 'hello (edited)', false],
          ['r2', 'hi', true],
        ]);
      });

      it('finds similar tickets by their words, most similar first, with the filters', async () => {
        const sso = await store.tickets.create(draft({ title: 'SSO login broken', text: 'Okta single sign-on login fails', status: 'resolved' }));
        const sso2 = await store.tickets.create(draft({ title: 'Login loop', text: 'login keeps redirecting', status: 'new' }));
        await store.tickets.create(draft({ title: 'Invoice wrong', text: 'billing amount is off' }));
        const del = await store.tickets.create(draft({ title: 'SSO login', text: 'Okta login sso', status: 'resolved' }));
        await store.tickets.update(del.id, { deleted: true }, T0);
        const found = await store.search.similar('Okta SSO login is failing for me', { limit: 5 });
        expect(found.map((t) => t.id)).toEqual([sso.id, sso2.id]);
        expect((await store.search.similar('okta login', { resolvedOnly: true })).map((t) => t.id)).toEqual([sso.id]);
        expect((await store.search.similar('okta login', { excludeId: sso.id })).map((t) => t.id)).toEqual([sso2.id]);
        expect(await store.search.similar('the and of')).toEqual([]);
        expect(await store.search.similar('login', { since: T0 + 1 })).toEqual([]);
      });
    });

    describe('transactions', () => {
      it('commits every write of the scope together, or rolls all of them back', async () => {
        const boom = new Error('boom');
        await expect(
          store.tx(async (r) => {
            const t = await r.tickets.create(draft({ sourceMessageId: 'tx1' }));
            await r.tickets.appendEvent(t.id, 'created', 'U1', T0);
            await r.outbox.enqueue({ idempotencyKey: 'card:tx1', platform: 'slack', channelId: 'C1', kind: 'card', payload: '{}', ticketId: t.id, createdAt: T0 });
            await r.inbox.insertMany([{ platform: 'slack', deliveryId: 'Ev-tx', payload: '{}', receivedAt: T0 }]);
            await r.trackers.upsert(issue(), T0);
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await store.tickets.findBySource('slack', 'C1', 'tx1')).toBeNull();
        expect(await store.outbox.stats()).toEqual({});
        expect(await store.inbox.find('slack', 'Ev-tx')).toBeNull();
        expect(await store.trackers.find(issue())).toBeNull();
        // The key counter rolled back too: the next ticket is still the first.
        const t = await store.tx(async (r) => {
          const created = await r.tickets.create(draft({ sourceMessageId: 'tx2' }));
          await r.tickets.appendEvent(created.id, 'created', 'U1', T0);
          return created;
        });
        expect(t.key).toBe('T-1001');
        expect((await store.tickets.events(t.id)).length).toBe(1);
      });
    });

    describe('inbox', () => {
      it('stores deliveries once, refuses replays, and tracks processing', async () => {
        const out = await store.inbox.insertMany([
          { platform: 'slack', deliveryId: 'Ev1', payload: '{"a":1}', receivedAt: T0, seen: [{ platform: 'slack', key: 'sig:1', at: T0 }] },
          { platform: 'slack', deliveryId: 'Ev1', payload: '{"a":1}', receivedAt: T0, retryNum: 1 },
          { platform: 'slack', deliveryId: 'Ev2', payload: '{"a":2}', receivedAt: T0, seen: [{ platform: 'slack', key: 'sig:1', at: T0 }] },
          { platform: 'slack', deliveryId: 'Ev3', payload: '{"a":3}', receivedAt: T0 + 1 },
        ]);
        expect(out).toEqual(['stored', 'duplicate', 'replayed', 'stored']);
        const pending = await store.inbox.pending('slack', 0, 10);
        expect(pending.map((p) => p.deliveryId)).toEqual(['Ev1', 'Ev3']);
        const [first, second] = pending as [NonNullable<(typeof pending)[0]>, NonNullable<(typeof pending)[0]>];
        expect(await store.inbox.markDone(first.id, T0 + 5)).toBe(true);
        expect(await store.inbox.markDone(first.id, T0 + 6)).toBe(false);
        await store.inbox.markAttempt(second.id, 'timeout');
        expect((await store.inbox.get(second.id))?.attempts).toBe(1);
        await store.inbox.markFailed(second.id, T0 + 7, 'bad payload');
        expect(await store.inbox.get(second.id)).toMatchObject({ status: 'failed', attempts: 2, lastError: 'bad payload' });
        await store.inbox.recordDone('teams', 'act1', '{}', '{"status":200}', T0);
        expect(await store.inbox.find('teams', 'act1')).toMatchObject({ status: 'done', result: '{"status":200}' });
        expect(await store.inbox.counts('slack')).toEqual({ pending: 0, done: 1, failed: 1 });
        expect(await store.inbox.maxId('slack')).toBe(second.id);
        expect(await store.inbox.maxId('nowhere')).toBe(0);
        expect(await store.inbox.pending('slack', 0, 10)).toEqual([]);
      });

      it('remembers replay keys and inbound event ids once', async () => {
        const k = { platform: 'slack', key: 'sig:x', at: T0 };
        expect(await store.inbox.rememberKeys([k])).toEqual([]);
        expect(await store.inbox.rememberKeys([k, { ...k, key: 'sig:y' }])).toEqual([k]);
        expect(await store.inbox.markInbound('slack', 'Ev9', T0)).toBe(true);
        expect(await store.inbox.markInbound('slack', 'Ev9', T0)).toBe(false);
      });
    });

    describe('outbox', () => {
      const enqueue = (s: Store, key: string, channelId = 'C1', at = T0, notBefore?: number) =>
        s.outbox.enqueue({ idempotencyKey: key, platform: 'slack', channelId, kind: 'post', payload: `{"k":"${key}"}`, createdAt: at, ...(notBefore !== undefined ? { notBefore } : {}) });

      it('enqueues once per idempotency key and claims each channel head in order, when due', async () => {
        expect(await enqueue(store, 'a1')).toBe(true);
        expect(await enqueue(store, 'a1')).toBe(false);
        await enqueue(store, 'a2');
        await enqueue(store, 'b1', 'C2', T0, T0 + 60_000);
        await store.outbox.enqueue({ idempotencyKey: 't1', platform: 'teams', channelId: 'C9', kind: 'dm', payload: '{}', createdAt: T0 });
        const c1 = await store.outbox.claimDue({ now: T0, limit: 10, leaseMs: 30_000, platforms: ['slack'] });
        expect(c1.map((r) => r.idempotencyKey)).toEqual(['a1']);
        expect(c1[0]).toMatchObject({ status: 'sending', attempts: 1, firstAttemptAt: T0, nextAttemptAt: T0 + 30_000, unsure: false });
        // The channel's next row waits for its head; C2 is not due yet.
        expect(await store.outbox.claimDue({ now: T0 + 1, limit: 10, leaseMs: 30_000, platforms: ['slack'] })).toEqual([]);
        const claim = c1[0]!.claim;
        expect(await store.outbox.markSent(claim, T0 + 2, '{"messageId":"1.1"}')).toBe(true);
        expect(await store.outbox.markSent(claim, T0 + 2, null)).toBe(false);
        const c2 = await store.outbox.claimDue({ now: T0 + 60_000, limit: 10, leaseMs: 30_000 });
        expect(c2.map((r) => r.idempotencyKey)).toEqual(['a2', 'b1', 't1']);
        expect(await store.outbox.get(claim.id)).toMatchObject({ status: 'sent', sentAt: T0 + 2, result: '{"messageId":"1.1"}' });
      });

      it("claims one channel's head only when asked for that channel, and leaves excluded channels alone", async () => {
        await enqueue(store, 'c1', 'C1');
        await enqueue(store, 'c2', 'C2');
        await enqueue(store, 'c3', 'C2');
        const only = await store.outbox.claimDue({ now: T0, limit: 10, leaseMs: 30_000, channel: { platform: 'slack', channelId: 'C2' } });
        expect(only.map((r) => r.idempotencyKey)).toEqual(['c2']);
        expect(await store.outbox.claimDue({ now: T0, limit: 10, leaseMs: 30_000, channel: { platform: 'teams', channelId: 'C1' } })).toEqual([]);
        expect(await store.outbox.claimDue({ now: T0, limit: 10, leaseMs: 30_000, exclude: [{ platform: 'slack', channelId: 'C1' }] })).toEqual([]);
        expect((await store.outbox.claimDue({ now: T0, limit: 10, leaseMs: 30_000 })).map((r) => r.idempotencyKey)).toEqual(['c1']);
      });

      it('retries, fails and drops only under a held claim', async () => {
        await enqueue(store, 'r1');
        await enqueue(store, 'r2', 'C2');
        const [r1, r2] = await store.outbox.claimDue({ now: T0, limit: 10, leaseMs: 30_000 });
        expect(await store.outbox.markRetry(r1!.claim, T0 + 5_000, 'HTTP 503', true)).toBe(true);
        expect(await store.outbox.get(r1!.id)).toMatchObject({ status: 'pending', nextAttemptAt: T0 + 5_000, unsure: true, lastError: 'HTTP 503' });
        expect(await store.outbox.markFailed(r1!.claim, 'too late')).toBe(false);
        const [again] = await store.outbox.claimDue({ now: T0 + 5_000, limit: 10, leaseMs: 30_000 });
        expect(again?.claim.token).toBe(2);
        expect(await store.outbox.markFailed(again!.claim, 'channel_not_found')).toBe(true);
        expect(await store.outbox.markFailed(r2!.claim, 'nothing to send', 'dropped')).toBe(true);
        expect(await store.outbox.stats()).toEqual({ failed: 1, dropped: 1 });
      });

      it('defers a paced row, releases channels waiting out a platform failure, and sees a waiting card refresh', async () => {
        const t = await store.tickets.create(draft());
        await enqueue(store, 'p1', 'C1');
        await enqueue(store, 'w1', 'C2');
        await enqueue(store, 'w2', 'C3');
        const [p1, w1, w2] = await store.outbox.claimDue({ now: T0, limit: 5, leaseMs: 30_000 });
        expect(await store.outbox.defer(p1!.claim, T0 + 500)).toBe(true);
        expect(await store.outbox.get(p1!.id)).toMatchObject({ status: 'pending', nextAttemptAt: T0 + 500, lastError: null, attempts: 1 });
        expect(await store.outbox.markSent(p1!.claim, T0, null)).toBe(false);
        await store.outbox.markRetry(w1!.claim, T0 + 4_000, 'HTTP 503', true);
        await store.outbox.markRetry(w2!.claim, T0 + 4_000, 'HTTP 503', true);
        expect(await store.outbox.releaseWaiting('slack', ['C2'], T0 + 100)).toBe(1);
        expect(await store.outbox.releaseWaiting('slack', [], T0 + 100)).toBe(0);
        expect((await store.outbox.claimDue({ now: T0 + 100, limit: 5, leaseMs: 30_000 })).map((r) => r.idempotencyKey)).toEqual(['w1']);
        expect(await store.outbox.hasPendingCardUpdate(t.id)).toBe(false);
        await store.outbox.enqueue({ idempotencyKey: `card-post:${t.id}`, platform: 'slack', channelId: 'C1', kind: 'card', payload: '{}', ticketId: t.id, createdAt: T0 });
        expect(await store.outbox.hasPendingCardUpdate(t.id)).toBe(false);
        await store.outbox.enqueue({ idempotencyKey: `card-update:${t.id}:1`, platform: 'slack', channelId: 'C1', kind: 'card', payload: '{}', ticketId: t.id, createdAt: T0 });
        expect(await store.outbox.hasPendingCardUpdate(t.id)).toBe(true);
      });

      it('takes over a row whose lease expired (unsure), and the old holder can no longer mark it', async () => {
        await enqueue(store, 'x1');
        const [first] = await store.outbox.claimDue({ now: T0, limit: 1, leaseMs: 30_000 });
        expect(await store.outbox.claimDue({ now: T0 + 29_999, limit: 5, leaseMs: 30_000 })).toEqual([]);
        const [taken] = await store.outbox.claimDue({ now: T0 + 30_000, limit: 5, leaseMs: 30_000 });
        expect(taken).toMatchObject({ id: first!.id, unsure: true, attempts: 2, firstAttemptAt: T0 });
        expect(await store.outbox.markSent(first!.claim, T0 + 30_001, null)).toBe(false);
        expect(await store.outbox.renewLease(first!.claim, T0 + 90_000)).toBe(false);
        expect(await store.outbox.renewLease(taken!.claim, T0 + 90_000)).toBe(true);
        expect(await store.outbox.claimDue({ now: T0 + 60_000, limit: 5, leaseMs: 30_000 })).toEqual([]);
        expect(await store.outbox.markSent(taken!.claim, T0 + 60_001, null)).toBe(true);
      });

      it('recovers every lease when asked (one process per SQLite file), due at once and unsure', async () => {
        await enqueue(store, 'held');
        const [held] = await store.outbox.claimDue({ now: T0, limit: 5, leaseMs: 60_000 });
        expect(await store.outbox.recoverExpired(T0 + 5_000)).toBe(0);
        expect(await store.outbox.recoverExpired(T0 + 5_000, { everyLease: true })).toBe(1);
        expect(await store.outbox.get(held!.id)).toMatchObject({ status: 'pending', unsure: true, nextAttemptAt: T0 + 5_000 });
        expect(await store.outbox.markSent(held!.claim, T0 + 5_001, null)).toBe(false);
        expect((await store.outbox.claimDue({ now: T0 + 5_000, limit: 5, leaseMs: 60_000 })).map((r) => r.idempotencyKey)).toEqual(['held']);
      });

      it('a starting replica recovers only expired leases, never rows another one holds', async () => {
        await enqueue(store, 'live');
        await enqueue(store, 'dead', 'C2');
        const [live, dead] = await store.outbox.claimDue({ now: T0, limit: 5, leaseMs: 60_000 });
        await store.outbox.renewLease(dead!.claim, T0 + 1_000); // its sender stopped renewing
        const other = await h.another();
        expect(await other.outbox.recoverExpired(T0 + 10_000)).toBe(1);
        expect(await other.outbox.get(dead!.id)).toMatchObject({ status: 'pending', unsure: true });
        const stolen = await other.outbox.claimDue({ now: T0 + 10_000, limit: 5, leaseMs: 60_000 });
        expect(stolen.map((r) => r.idempotencyKey)).toEqual(['dead']);
        expect(await other.outbox.get(live!.id)).toMatchObject({ idempotencyKey: 'live', status: 'sending', unsure: false, attempts: 1 });
        expect(await store.outbox.markSent(live!.claim, T0 + 10_001, null)).toBe(true);
      });

      it('two claimers at once get disjoint rows: 200 rows, each handed out once, in order per channel', async () => {
        for (let i = 0; i < 200; i++) await enqueue(store, `c${String(i).padStart(3, '0')}`, `C${i % 40}`);
        const other = await h.another();
        const handed: { key: string; id: number; channel: string; by: number }[] = [];
        const claimer = async (s: Store, by: number) => {
          let idle = 0;
          while (idle < 3) {
            const rows = await s.outbox.claimDue({ now: T0, limit: 7, leaseMs: 600_000 });
            if (rows.length === 0) {
              idle += 1;
              await new Promise((r) => setTimeout(r, 5));
              continue;
            }
            idle = 0;
            for (const r of rows) {
              handed.push({ key: r.idempotencyKey, id: r.id, channel: r.channelId, by });
              expect(await s.outbox.markSent(r.claim, T0, null)).toBe(true);
            }
          }
        };
        await Promise.all([claimer(store, 1), claimer(other, 2)]);
        expect(handed.length).toBe(200);
        expect(new Set(handed.map((x) => x.id)).size).toBe(200);
        expect(await store.outbox.stats()).toEqual({ sent: 200 });
        for (let c = 0; c < 40; c++) {
          const ids = handed.filter((x) => x.channel === `C${c}`).map((x) => x.id);
          expect(ids).toEqual([...ids].sort((a, b) => a - b));
        }
        // Both claimers took part (the claim does not serialise on one of them).
        expect(new Set(handed.map((x) => x.by)).size).toBe(2);
      });
    });

    describe('leader lock', () => {
      it('is exclusive per name across stores, released after the job, independent per name', async () => {
        const other = await h.another();
        let release!: () => void;
        const holding = new Promise<void>((r) => {
          release = r;
        });
        let entered!: () => void;
        const inside = new Promise<void>((r) => {
          entered = r;
        });
        const first = store.withLeader('sla-sweep', async () => {
          entered();
          await holding;
          return 'swept';
        });
        await inside;
        expect(await other.withLeader('sla-sweep', async () => 'twice')).toEqual({ ran: false });
        expect(await store.withLeader('sla-sweep', async () => 'twice')).toEqual({ ran: false });
        expect(await other.withLeader('digest', async () => 'digest')).toEqual({ ran: true, value: 'digest' });
        release();
        expect(await first).toEqual({ ran: true, value: 'swept' });
        expect(await other.withLeader('sla-sweep', async () => 'next tick')).toEqual({ ran: true, value: 'next tick' });
      });

      it('is released when the job throws', async () => {
        await expect(store.withLeader('digest', async () => Promise.reject(new Error('job failed')))).rejects.toThrow('job failed');
        expect(await store.withLeader('digest', async () => 1)).toEqual({ ran: true, value: 1 });
      });
    });

    describe('trackers', () => {
      it('upserts issues (an older state never overwrites a newer one) and links tickets', async () => {
        const a = await store.tickets.create(draft());
        const b = await store.tickets.create(draft());
        const i = await store.trackers.upsert(issue(), T0, 'U9');
        expect(i).toMatchObject({ key: 'acme/app#12', state: 'open', createdBy: 'U9', createdAt: T0, polledAt: null });
        const newer = await store.trackers.upsert(issue({ state: 'closed', stateLabel: 'closed', closeReason: 'completed', updatedAt: T0 + 100 }), T0 + 100);
        expect(newer).toMatchObject({ id: i.id, state: 'closed', closeReason: 'completed', createdBy: 'U9' });
        const stale = await store.trackers.upsert(issue({ state: 'in_progress', updatedAt: T0 + 50 }), T0 + 200);
        expect(stale).toMatchObject({ id: i.id, state: 'closed' });
        expect(await store.trackers.link(a.id, i.id, 'U9', T0)).toBe(true);
        expect(await store.trackers.link(a.id, i.id, 'U9', T0)).toBe(false);
        await store.trackers.link(b.id, i.id, 'U8', T0 + 1);
        expect(await store.trackers.ticketsOf(i.id)).toEqual([a.id, b.id]);
        expect(await store.trackers.issuesOf(a.id)).toEqual([{ ...newer, linkedBy: 'U9', linkedAt: T0 }]);
        expect(await store.trackers.unlink(b.id, i.id)).toBe(true);
        expect(await store.trackers.unlink(b.id, i.id)).toBe(false);
        expect((await store.trackers.get(i.id))?.key).toBe('acme/app#12');
      });

      it('lists linked open issues for polling, least recently polled first', async () => {
        const t = await store.tickets.create(draft());
        const x = await store.trackers.upsert(issue({ key: 'acme/app#1' }), T0);
        const y = await store.trackers.upsert(issue({ key: 'acme/app#2' }), T0);
        await store.trackers.upsert(issue({ key: 'acme/app#3' }), T0); // not linked
        const z = await store.trackers.upsert(issue({ key: 'acme/app#4', state: 'closed' }), T0);
        for (const i of [x, y, z]) await store.trackers.link(t.id, i.id, 'U9', T0);
        await store.trackers.markPolled(x.id, T0 + 10);
        expect((await store.trackers.openForPolling(10)).map((i) => i.key)).toEqual(['acme/app#2', 'acme/app#1']);
        expect((await store.trackers.openForPolling(1)).map((i) => i.key)).toEqual(['acme/app#2']);
      });
    });

    describe('retention', () => {
      it('prunes sent outbox rows, processed inbox rows, inbound ids and replay keys older than the cut-offs', async () => {
        for (const k of ['old', 'new', 'pending']) await store.outbox.enqueue({ idempotencyKey: k, platform: 'slack', channelId: `C-${k}`, kind: 'post', payload: '{}', createdAt: T0 });
        const claims = await store.outbox.claimDue({ now: T0, limit: 5, leaseMs: 1_000 });
        const byKey = Object.fromEntries(claims.map((c) => [c.idempotencyKey, c.claim]));
        await store.outbox.markSent(byKey.old!, T0 + 10, null);
        await store.outbox.markSent(byKey.new!, T0 + 5_000, null);
        await store.outbox.markRetry(byKey.pending!, T0 + 10, 'x', false);
        await store.inbox.insertMany([
          { platform: 'slack', deliveryId: 'E-old', payload: '{}', receivedAt: T0 },
          { platform: 'slack', deliveryId: 'E-new', payload: '{}', receivedAt: T0 },
          { platform: 'slack', deliveryId: 'E-pending', payload: '{}', receivedAt: T0 },
        ]);
        const rows = await store.inbox.pending('slack', 0, 10);
        await store.inbox.markDone(rows[0]!.id, T0 + 10);
        await store.inbox.markDone(rows[1]!.id, T0 + 5_000);
        await store.inbox.rememberKeys([
          { platform: 'slack', key: 'k-old', at: T0 },
          { platform: 'slack', key: 'k-new', at: T0 + 900 },
        ]);
        await store.inbox.markInbound('slack', 'I-old', T0);
        await store.inbox.markInbound('slack', 'I-new', T0 + 5_000);
        expect(await store.rateLimits.take('slack/C-idle', 1_000, 1, T0 - 5_000)).toBe(0);
        expect(await store.rateLimits.take('slack/C-busy', 1_000, 1, T0 + 5_000)).toBe(0);
        for (const k of ['t-old', 't-new', 't-open']) await store.aiTasks.enqueue({ kind: 'triage', ticketId: null, idempotencyKey: k, payload: '{}', createdAt: T0 });
        const tasks = await store.aiTasks.claimDue({ now: T0, limit: 5, leaseMs: 60_000 });
        const task = (k: string) => tasks.find((t) => t.idempotencyKey === k)!.claim;
        await store.aiTasks.markDone(task('t-old'), T0 + 10);
        await store.aiTasks.markDone(task('t-new'), T0 + 5_000);
        expect(await store.prune({ before: T0 + 1_000, seenBefore: T0 + 500 })).toEqual({ outbox: 1, inbox: 1, seen: 1, inboundEvents: 1, rateLimits: 1, aiTasks: 1 });
        expect(await store.outbox.stats()).toEqual({ sent: 1, pending: 1 });
        expect(await store.inbox.counts('slack')).toEqual({ pending: 1, done: 1, failed: 0 });
        expect(await store.inbox.rememberKeys([{ platform: 'slack', key: 'k-old', at: T0 }])).toEqual([]);
        expect(await store.inbox.markInbound('slack', 'I-new', T0)).toBe(false);
        // Without seenBefore the replay keys share the cut-off: k-new (T0+900) and the re-remembered k-old go.
        expect(await store.prune({ before: T0 + 1_000 })).toEqual({ outbox: 0, inbox: 0, seen: 2, inboundEvents: 0, rateLimits: 0, aiTasks: 0 });
      });
    });

    describe('schema', () => {
      it('is at the newest migration', async () => {
        expect(await store.schemaVersion()).toBeGreaterThanOrEqual(15);
      });

      it('refuses a schema newer than this build, naming both versions', async () => {
        const { attempt, cleanup } = await opts.openNewerSchema();
        try {
          await expect(attempt()).rejects.toThrow(/schema version 9999, but this frontdesk only knows up to \d+/);
        } finally {
          await cleanup();
        }
      });

      if (opts.openTwoFresh) {
        const openTwoFresh = opts.openTwoFresh;
        it('migrates once when two stores open a fresh database at the same time', async () => {
          const { applied, versions, cleanup } = await openTwoFresh();
          try {
            const all = applied.flat();
            expect(all.length).toBe(new Set(all).size);
            expect(applied.filter((a) => a.length > 0).length).toBe(1);
            expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
            expect(versions.length).toBe(all.length);
          } finally {
            await cleanup();
          }
        });
      }
    });
  });
}
