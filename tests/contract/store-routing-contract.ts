/**
 * The contract for shared routing state (round-robin turns, agent user groups, conversation
 * references, rate limits): one suite for every engine. `another()` is a second store on the
 * same database — another replica on PostgreSQL, the same store on SQLite (one process).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.js';
import { StoreRateLimiter } from '../../src/outbox/rate-limiter.js';

export interface RoutingHarness {
  store: Store;
  another(): Promise<Store>;
  close(): Promise<void>;
}

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z, a fixed clock

export function storeRoutingContract(name: string, open: () => Promise<RoutingHarness>): void {
  describe(`store routing contract: ${name}`, () => {
    let h: RoutingHarness;
    let store: Store;
    beforeEach(async () => {
      h = await open();
      store = h.store;
    });
    afterEach(async () => {
      await h.close();
    });

    describe('round-robin', () => {
      const order = ['ana', 'bo', 'cy'];

      it('starts with the first eligible member, then goes round in member order, counting turns', async () => {
        const picks = [];
        for (let i = 0; i < 4; i++) picks.push(await store.routing.pickNext('support', order, order, T0 + i));
        expect(picks).toEqual([
          { memberId: 'ana', turn: 1 },
          { memberId: 'bo', turn: 2 },
          { memberId: 'cy', turn: 3 },
          { memberId: 'ana', turn: 4 },
        ]);
        expect(await store.routing.position('support')).toEqual({ lastMember: 'ana', picks: 4 });
        expect(await store.routing.position('billing')).toBeNull();
      });

      it('skips members who are not eligible, also right after the last pick', async () => {
        await store.routing.pickNext('support', order, order, T0); // ana
        expect((await store.routing.pickNext('support', order, ['ana', 'cy'], T0 + 1))?.memberId).toBe('cy');
        // cy is away now: after cy comes ana (bo is away too).
        expect((await store.routing.pickNext('support', order, ['ana'], T0 + 2))?.memberId).toBe('ana');
        expect((await store.routing.pickNext('support', order, ['bo', 'cy'], T0 + 3))?.memberId).toBe('bo');
      });

      it('starts again from the first eligible member when the last pick left the team', async () => {
        await store.routing.pickNext('support', ['zed', 'ana'], ['zed', 'ana'], T0); // zed
        expect((await store.routing.pickNext('support', order, order, T0 + 1))?.memberId).toBe('ana');
      });

      it('picks nobody and writes nothing when nobody is eligible', async () => {
        expect(await store.routing.pickNext('support', order, [], T0)).toBeNull();
        expect(await store.routing.pickNext('support', order, ['stranger'], T0)).toBeNull();
        expect(await store.routing.position('support')).toBeNull();
      });

      it('keeps teams apart and rolls back with its transaction', async () => {
        await store.routing.pickNext('support', order, order, T0);
        await expect(
          store.tx(async (r) => {
            await r.routing.pickNext('support', order, order, T0 + 1);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect((await store.routing.pickNext('billing', ['x', 'y'], ['x', 'y'], T0 + 2))?.memberId).toBe('x');
        expect((await store.routing.pickNext('support', order, order, T0 + 3))?.memberId).toBe('bo');
      });

      it('stays fair with two stores picking at once: 100 picks alternate and split 50/50', async () => {
        const other = await h.another();
        const duo = ['ana', 'bo'];
        const picks = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? other : store).routing.pickNext('duo', duo, duo, T0 + i)));
        const byTurn = picks.map((p) => p!).sort((a, b) => a.turn - b.turn);
        expect(byTurn.map((p) => p.turn)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        for (let i = 1; i < byTurn.length; i++) expect(byTurn[i]!.memberId).not.toBe(byTurn[i - 1]!.memberId);
        expect(picks.filter((p) => p!.memberId === 'ana')).toHaveLength(50);
        expect(picks.filter((p) => p!.memberId === 'bo')).toHaveLength(50);
      });
    });

    describe('agent user groups', () => {
      it('replaces a group, applies changes, and every store sees the same members', async () => {
        await store.directory.replaceGroup('S1', ['u2', 'u1', 'u1'], T0);
        await store.directory.replaceGroup('S2', ['u9'], T0);
        await store.directory.changeGroup('S1', ['u3'], ['u2'], T0 + 1);
        const other = await h.another();
        expect(await other.directory.groups()).toEqual(
          new Map([
            ['S1', ['u1', 'u3']],
            ['S2', ['u9']],
          ]),
        );
        await other.directory.replaceGroup('S1', ['u4'], T0 + 2);
        expect((await store.directory.groups()).get('S1')).toEqual(['u4']);
        await store.directory.replaceGroup('S2', [], T0 + 3);
        expect([...(await store.directory.groups()).keys()]).toEqual(['S1']);
      });

      it('a change that adds and removes the same person keeps them', async () => {
        await store.directory.changeGroup('S1', ['u1'], ['u1'], T0);
        expect((await store.directory.groups()).get('S1')).toEqual(['u1']);
      });

      it('a large group is stored whole', async () => {
        const many = Array.from({ length: 1_234 }, (_, i) => `u${String(i).padStart(5, '0')}`);
        await store.directory.replaceGroup('S1', many, T0);
        expect((await store.directory.groups()).get('S1')).toEqual(many);
      });
    });

    describe('conversation references', () => {
      it('puts, replaces, reads and deletes values per platform and key', async () => {
        await store.conversationRefs.put('teams', 'conv:a', { id: 'a', n: 1 }, T0);
        await store.conversationRefs.put('teams', 'conv:a', { id: 'a', n: 2 }, T0 + 1);
        await store.conversationRefs.put('form-state', 'conv:a', { other: true }, T0);
        expect(await store.conversationRefs.get('teams', 'conv:a')).toEqual({ id: 'a', n: 2 });
        expect(await (await h.another()).conversationRefs.get('form-state', 'conv:a')).toEqual({ other: true });
        expect(await store.conversationRefs.get('teams', 'conv:b')).toBeNull();
        expect(await store.conversationRefs.delete('teams', 'conv:a')).toBe(true);
        expect(await store.conversationRefs.delete('teams', 'conv:a')).toBe(false);
        expect(await store.conversationRefs.get('teams', 'conv:a')).toBeNull();
      });

      it('finds the newest value under a prefix by a top-level field', async () => {
        await store.conversationRefs.put('teams', 'member:u1', { teamsId: '29:x', name: 'old' }, T0);
        await store.conversationRefs.put('teams', 'member:u2', { teamsId: '29:x', name: 'new' }, T0 + 5);
        await store.conversationRefs.put('teams', 'personal:u3', { teamsId: '29:y' }, T0 + 9);
        expect(await store.conversationRefs.findByField('teams', 'member:', 'teamsId', '29:x')).toEqual({ key: 'member:u2', value: { teamsId: '29:x', name: 'new' } });
        expect(await store.conversationRefs.findByField('teams', 'member:', 'teamsId', '29:y')).toBeNull();
      });

      it('prunes old values under a prefix only (the prefix is literal: _ and % match themselves)', async () => {
        await store.conversationRefs.put('teams', 'msg:1', { a: 1 }, T0);
        await store.conversationRefs.put('teams', 'msg:2', { a: 2 }, T0 + 10);
        await store.conversationRefs.put('teams', 'msgX1', { a: 3 }, T0);
        await store.conversationRefs.put('teams', 'conv:1', { a: 4 }, T0);
        await store.conversationRefs.put('slack', 'msg:1', { a: 5 }, T0);
        await store.conversationRefs.put('teams', 'a_b:1', { a: 6 }, T0);
        await store.conversationRefs.put('teams', 'axb:1', { a: 7 }, T0);
        expect(await store.conversationRefs.prune('teams', 'msg:', T0 + 5)).toBe(1);
        expect(await store.conversationRefs.prune('teams', 'a_b', T0 + 5)).toBe(1);
        expect(await store.conversationRefs.get('teams', 'msg:2')).toEqual({ a: 2 });
        expect(await store.conversationRefs.get('teams', 'msgX1')).toEqual({ a: 3 });
        expect(await store.conversationRefs.get('teams', 'conv:1')).toEqual({ a: 4 });
        expect(await store.conversationRefs.get('slack', 'msg:1')).toEqual({ a: 5 });
        expect(await store.conversationRefs.get('teams', 'axb:1')).toEqual({ a: 7 });
      });
    });

    describe('rate limits', () => {
      it('spaces calls by the interval and says how long to wait', async () => {
        const r = store.rateLimits;
        expect(await r.take('slack:C1', 1000, 1, T0)).toBe(0);
        expect(await r.take('slack:C1', 1000, 1, T0)).toBe(1000);
        expect(await r.peek('slack:C1', 1000, 1, T0 + 400)).toBe(600);
        expect(await r.peek('slack:C9', 1000, 1, T0 + 400)).toBe(0);
        expect(await r.take('slack:C1', 1000, 1, T0 + 999)).toBe(1);
        expect(await r.peek('slack:C1', 1000, 1, T0 + 1000)).toBe(0);
        expect(await r.take('slack:C1', 1000, 1, T0 + 1000)).toBe(0);
        expect(await r.take('slack:C2', 1000, 1, T0 + 1000)).toBe(0);
        // Idle for a long time: no credit piles up beyond the burst.
        expect(await r.take('slack:C1', 1000, 1, T0 + 60_000)).toBe(0);
        expect(await r.take('slack:C1', 1000, 1, T0 + 60_000)).toBe(1000);
      });

      it('allows a burst, then one call per interval', async () => {
        const r = store.rateLimits;
        for (let i = 0; i < 3; i++) expect(await r.take('k', 334, 3, T0)).toBe(0);
        expect(await r.take('k', 334, 3, T0)).toBe(334);
        expect(await r.take('k', 334, 3, T0 + 334)).toBe(0);
        expect(await r.take('k', 334, 3, T0 + 334)).toBe(334);
      });

      it('prunes keys whose turns are all free again', async () => {
        await store.rateLimits.take('old', 1000, 1, T0);
        await store.rateLimits.take('new', 1000, 1, T0 + 5000);
        expect(await store.rateLimits.prune(T0 + 2000)).toBe(1);
        expect(await store.rateLimits.take('new', 1000, 1, T0 + 5000)).toBe(1000);
      });

      it('two stores taking turns at once never exceed the limit for one key', async () => {
        const other = await h.another();
        const limiters = [new StoreRateLimiter(store.rateLimits), new StoreRateLimiter(other.rateLimits)];
        // 2 per second (burst 2) for 5 s of simulated time; both replicas try 4 times every 50 ms.
        const granted: number[] = [];
        for (let t = 0; t < 5000; t += 50) {
          const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => limiters[i % 2]!.take('slack/C1', 2, T0 + t)));
          for (const a of answers) if (a === 0) granted.push(t);
        }
        // At most the burst at once and one more per 500 ms: in any window of length w, at most 2 + floor(w / 500).
        for (let i = 0; i < granted.length; i++)
          for (let j = i; j < granted.length; j++) expect(j - i + 1).toBeLessThanOrEqual(2 + Math.floor((granted[j]! - granted[i]!) / 500));
        // …and the limit is used, not starved: 2 at once, then one every 500 ms.
        expect(granted).toHaveLength(11);
      });
    });
  });
}
