/**
 * The store contract for escalations, SLA pings, digests, the /metrics gauges and form-state
 * retention: ONE suite both engines must pass (tests/store/store-escalation.test.ts runs it on
 * SQLite and PostgreSQL). The harness is the main store contract's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.js';
import type { KyselyStore } from '../../src/store/kysely/kysely-store.js';
import { draft, type StoreHarness } from './store-contract.js';

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z, a fixed clock
const MIN = 60_000;
const DAY = 86_400_000;

export function storeEscalationContract(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`Store contract (escalations, SLA, digests): ${name}`, () => {
    let h: StoreHarness;
    let store: KyselyStore;
    beforeEach(async () => {
      h = await makeHarness();
      store = h.store;
    });
    afterEach(async () => {
      await h.close();
    });

    describe('escalations', () => {
      it('raises one prompt per ticket and rule, and reads it back', async () => {
        const t = await store.tickets.create(draft());
        const id = await store.escalations.insert({ ticketId: t.id, ruleId: 'p1', reason: 'P1 ticket', target: 'leads', createdAt: T0 });
        expect(id).toBeTypeOf('number');
        expect(await store.escalations.insert({ ticketId: t.id, ruleId: 'p1', reason: 'again', target: 'leads', createdAt: T0 + 1 })).toBeNull();
        const other = await store.escalations.insert({ ticketId: t.id, ruleId: 'cluster-1', reason: 'cluster', target: 'oncall', related: ['T-1', 'T-2'], createdAt: T0 + 5 });
        expect(await store.escalations.get(id!)).toEqual({
          id,
          ticketId: t.id,
          ruleId: 'p1',
          reason: 'P1 ticket',
          target: 'leads',
          related: [],
          status: 'open',
          createdAt: T0,
          decidedBy: null,
          decidedAt: null,
        });
        expect((await store.escalations.forTicket(t.id)).map((e) => [e.id, e.related])).toEqual([
          [id, []],
          [other, ['T-1', 'T-2']],
        ]);
        expect(await store.escalations.get(987654)).toBeNull();
      });

      it('decides an open prompt once', async () => {
        const t = await store.tickets.create(draft());
        const id = (await store.escalations.insert({ ticketId: t.id, ruleId: 'p1', reason: 'r', target: 'leads', createdAt: T0 }))!;
        expect(await store.escalations.decide(id, 'accepted', 'U1', T0 + 10)).toBe(true);
        expect(await store.escalations.decide(id, 'declined', 'U2', T0 + 20)).toBe(false);
        expect(await store.escalations.get(id)).toMatchObject({ status: 'accepted', decidedBy: 'U1', decidedAt: T0 + 10 });
      });

      it('counts escalated events and finds recent cluster prompts', async () => {
        const t = await store.tickets.create(draft());
        expect(await store.escalations.escalatedCount(t.id)).toBe(0);
        await store.tickets.appendEvent(t.id, 'escalated', 'system', T0, { to: 'tier-1' });
        await store.tickets.appendEvent(t.id, 'escalated', 'system', T0 + 1, { to: 'tier-2' });
        await store.tickets.appendEvent(t.id, 'assigned', 'U1', T0 + 2);
        expect(await store.escalations.escalatedCount(t.id)).toBe(2);
        await store.escalations.insert({ ticketId: t.id, ruleId: 'cluster-db', reason: 'c', target: 'oncall', createdAt: T0 + 100 });
        expect(await store.escalations.hasClusterPromptSince(t.id, T0 + 100)).toBe(true);
        expect(await store.escalations.hasClusterPromptSince(t.id, T0 + 101)).toBe(false);
      });

      it('lists unassigned open tickets without a prompt for the rule, oldest first', async () => {
        const old = await store.tickets.create(draft({ createdAt: T0 }));
        const newer = await store.tickets.create(draft({ createdAt: T0 + MIN }));
        await store.tickets.create(draft({ createdAt: T0 + 2 * MIN })); // too young
        await store.tickets.create(draft({ createdAt: T0, ownerId: 'U7' }));
        await store.tickets.create(draft({ createdAt: T0, priority: 'P4' }));
        await store.tickets.create(draft({ createdAt: T0, status: 'waiting_on_customer' }));
        await store.tickets.create(draft({ createdAt: T0, status: 'resolved' }));
        const gone = await store.tickets.create(draft({ createdAt: T0 }));
        await store.tickets.update(gone.id, { deleted: true }, T0);
        const prompted = await store.tickets.create(draft({ createdAt: T0 }));
        await store.escalations.insert({ ticketId: prompted.id, ruleId: 'unassigned-30', reason: 'r', target: 'leads', createdAt: T0 });
        expect(await store.escalations.unassignedWithout('unassigned-30', T0 + MIN, 10)).toEqual([old.id, newer.id]);
        expect(await store.escalations.unassignedWithout('unassigned-30', T0 + MIN, 1)).toEqual([old.id]);
        expect(await store.escalations.unassignedWithout('other-rule', T0, 10)).toEqual([old.id, prompted.id]);
      });
    });

    describe('SLA watcher', () => {
      it('lists due tickets in (check time, id) order after a cursor, without the large columns', async () => {
        const a = await store.tickets.create(draft({ nextSlaCheckAt: T0 + 20, signals: [{ kind: 'priority', label: 'x', source: 'rule' }] }));
        const b = await store.tickets.create(draft({ nextSlaCheckAt: T0 + 10 }));
        const c = await store.tickets.create(draft({ nextSlaCheckAt: T0 + 20 }));
        await store.tickets.create(draft({ nextSlaCheckAt: T0 + 99 })); // not due yet
        await store.tickets.create(draft({ nextSlaCheckAt: null }));
        const due = await store.sla.due(T0 + 50, { at: -1, id: 0 }, 10);
        expect(due.map((t) => t.id)).toEqual([b.id, a.id, c.id]);
        expect(due[1]).toMatchObject({ key: a.key, text: '', signals: [], attachments: [], nextSlaCheckAt: T0 + 20, title: 'Cannot log in' });
        expect(due[1]!.sla.thresholds).toEqual([0.75, 1]);
        expect((await store.sla.due(T0 + 50, { at: T0 + 20, id: a.id }, 10)).map((t) => t.id)).toEqual([c.id]);
        expect((await store.sla.due(T0 + 50, { at: -1, id: 0 }, 2)).map((t) => t.id)).toEqual([b.id, a.id]);
        expect(await store.sla.ticket(a.id)).toMatchObject({ id: a.id, text: '', nextSlaCheckAt: T0 + 20 });
        expect(await store.sla.ticket(987654)).toBeNull();
        await store.sla.setNextCheck(b.id, null);
        await store.sla.setNextCheck(a.id, T0 + 500);
        expect((await store.sla.due(T0 + 50, { at: -1, id: 0 }, 10)).map((t) => t.id)).toEqual([c.id]);
      });

      it('records a ping exactly once per ticket, clock and threshold', async () => {
        const t = await store.tickets.create(draft());
        expect(await store.sla.recordPing({ ticketId: t.id, clock: 'first_response', threshold: 0.75, at: T0, outcome: 'sent' })).toBe(true);
        expect(await store.sla.recordPing({ ticketId: t.id, clock: 'first_response', threshold: 0.75, at: T0 + 1, outcome: 'dropped' })).toBe(false);
        expect(await store.sla.recordPing({ ticketId: t.id, clock: 'resolution', threshold: 0.75, at: T0, outcome: 'dropped' })).toBe(true);
        expect(await store.sla.recordPing({ ticketId: t.id, clock: 'first_response', threshold: 1, at: T0, outcome: 'sent' })).toBe(true);
        const fired = (await store.sla.fired(t.id)).map((f) => `${f.clock}:${f.threshold}`).sort();
        expect(fired).toEqual(['first_response:0.75', 'first_response:1', 'resolution:0.75']);
      });

      it('two sweepers recording the same ping: exactly one wins', async () => {
        const t = await store.tickets.create(draft());
        const other: Store = await h.another();
        const ping = { ticketId: t.id, clock: 'first_response' as const, threshold: 0.75, at: T0, outcome: 'sent' as const };
        // Each sweeper records the ping and moves the check on in one transaction, at the same time.
        const sweep = (s: Store) =>
          s.tx(async (r) => {
            const won = await r.sla.recordPing(ping);
            await r.sla.setNextCheck(t.id, T0 + 1_000);
            return won;
          });
        for (let round = 0; round < 5; round++) {
          const results = await Promise.all([sweep(store), sweep(other)]);
          expect(results.filter(Boolean).length).toBe(round === 0 ? 1 : 0);
        }
        expect(await store.sla.fired(t.id)).toEqual([{ clock: 'first_response', threshold: 0.75 }]);
      });

      it('a ping recorded in a rolled-back transaction was not recorded', async () => {
        const t = await store.tickets.create(draft());
        const ping = { ticketId: t.id, clock: 'resolution' as const, threshold: 1, at: T0, outcome: 'sent' as const };
        await expect(
          store.tx(async (r) => {
            expect(await r.sla.recordPing(ping)).toBe(true);
            throw new Error('the outbox enqueue failed');
          }),
        ).rejects.toThrow('the outbox enqueue failed');
        expect(await store.sla.recordPing(ping)).toBe(true);
      });
    });

    describe('digests', () => {
      it('records a digest once per channel, kind and period', async () => {
        expect(await store.digests.wasSent('C0LEADS', 'daily', '2026-01-01')).toBe(false);
        expect(await store.digests.markSent({ channel: 'C0LEADS', kind: 'daily', period: '2026-01-01', at: T0 })).toBe(true);
        expect(await store.digests.markSent({ channel: 'C0LEADS', kind: 'daily', period: '2026-01-01', at: T0 + 1 })).toBe(false);
        expect(await store.digests.markSent({ channel: 'C0LEADS', kind: 'weekly', period: '2026-01-01', at: T0 })).toBe(true);
        expect(await store.digests.wasSent('C0LEADS', 'daily', '2026-01-01')).toBe(true);
        expect(await store.digests.wasSent('C0OTHER', 'daily', '2026-01-01')).toBe(false);
      });

      it('counts and lists new, resolved and reopened tickets of a period', async () => {
        const a = await store.tickets.create(draft({ createdAt: T0 + 10, resolvedAt: T0 + 50, status: 'resolved' }));
        const b = await store.tickets.create(draft({ createdAt: T0 + 20 }));
        await store.tickets.create(draft({ createdAt: T0 + DAY })); // next period
        const gone = await store.tickets.create(draft({ createdAt: T0 + 30 }));
        await store.tickets.update(gone.id, { deleted: true }, T0);
        await store.tickets.appendEvent(b.id, 'reopened', 'U1', T0 + 40);
        await store.tickets.appendEvent(b.id, 'reopened', 'U1', T0 + 45);
        await store.tickets.appendEvent(a.id, 'reopened', 'U1', T0 + DAY + 1);
        expect(await store.digests.count('new', T0, T0 + DAY)).toBe(2);
        expect(await store.digests.keys('new', T0, T0 + DAY, 50)).toEqual([a.key, b.key]);
        expect(await store.digests.keys('new', T0, T0 + DAY, 1)).toEqual([a.key]);
        expect(await store.digests.count('resolved', T0, T0 + DAY)).toBe(1);
        expect(await store.digests.count('reopened', T0, T0 + DAY)).toBe(1);
        expect(await store.digests.keys('reopened', T0, T0 + DAY, 50)).toEqual([b.key]);
        expect(await store.digests.count('new', T0 - DAY, T0)).toBe(0);
      });

      it('breaks the open queue down by priority, owner and age', async () => {
        const now = T0 + 10 * DAY;
        await store.tickets.create(draft({ priority: 'P1', createdAt: now - 1_000, ownerId: 'U1' }));
        await store.tickets.create(draft({ priority: 'P2', createdAt: now - 2 * DAY }));
        await store.tickets.create(draft({ priority: 'P2', createdAt: now - 3 * DAY, ownerId: 'U1' })); // exactly 3 days old: the 3–7 day bucket
        await store.tickets.create(draft({ priority: 'P3', createdAt: now - 8 * DAY, status: 'waiting_on_customer' }));
        await store.tickets.create(draft({ priority: 'P0', createdAt: now, status: 'resolved' }));
        const gone = await store.tickets.create(draft({ priority: 'P0', createdAt: now }));
        await store.tickets.update(gone.id, { deleted: true }, now);
        expect(await store.digests.openByPriority()).toEqual({ P1: 1, P2: 2, P3: 1 });
        const owners = (await store.digests.openByOwner()).sort((x, y) => String(x.ownerId).localeCompare(String(y.ownerId)));
        expect(owners).toEqual([
          { ownerId: null, count: 2 },
          { ownerId: 'U1', count: 2 },
        ]);
        expect(await store.digests.openByAge(now, [DAY, 3 * DAY, 7 * DAY])).toEqual([1, 1, 1, 1]);
        expect(await store.digests.openByAge(now, [])).toEqual([4]);
      });

      it('reads the SLA rows of clocks that stopped in or after a period, and of the open queue', async () => {
        const fr = await store.tickets.create(draft({ createdAt: T0, firstResponseAt: T0 + 100, status: 'in_progress', pausedMs: 7 }));
        const res = await store.tickets.create(draft({ createdAt: T0, firstResponseAt: T0 + DAY + 5, resolvedAt: T0 + 200, status: 'resolved' }));
        const later = await store.tickets.create(draft({ createdAt: T0, resolvedAt: T0 + DAY + 10, status: 'resolved' }));
        const ids = async (set: Parameters<Store['digests']['slaRows']>[0]) => (await store.digests.slaRows(set, T0, T0 + DAY)).map((r) => r.id).sort((x, y) => x - y);
        expect(await ids('firstResponseIn')).toEqual([fr.id]);
        expect(await ids('resolvedIn')).toEqual([res.id]);
        expect((await store.digests.slaRows('firstResponseSince', T0 + DAY, 0)).map((r) => r.id)).toEqual([res.id]);
        expect((await store.digests.slaRows('resolvedSince', T0 + DAY, 0)).map((r) => r.id)).toEqual([later.id]);
        const open = await store.digests.slaRows('open', 0, 0);
        expect(open).toEqual([
          {
            id: fr.id,
            key: fr.key,
            priority: 'P2',
            ownerId: null,
            status: 'in_progress',
            sla: expect.any(String),
            createdAt: T0,
            firstResponseAt: T0 + 100,
            resolvedAt: null,
            pausedMs: 7,
            pausedSince: null,
          },
        ]);
        expect(JSON.parse(open[0]!.sla)).toEqual(fr.sla);
      });

      it('finds titles by key, categories of a period, and the newest tickets for clusters', async () => {
        const a = await store.tickets.create(draft({ title: 'VPN down', category: 'network', createdAt: T0 + 1 }));
        const b = await store.tickets.create(draft({ title: 'VPN slow', category: 'network', createdAt: T0 + 2, incidentKey: 'INC-1' }));
        await store.tickets.create(draft({ title: 'Invoice', category: 'billing', createdAt: T0 + 3 }));
        await store.tickets.create(draft({ category: 'billing', createdAt: T0 + DAY }));
        const titles = await store.digests.titles([a.key, b.key, 'T-9999']);
        expect([...titles.entries()].sort()).toEqual([
          [a.key, 'VPN down'],
          [b.key, 'VPN slow'],
        ]);
        expect((await store.digests.titles([])).size).toBe(0);
        const cats = (await store.digests.categories(T0, T0 + DAY)).sort((x, y) => x.category.localeCompare(y.category));
        expect(cats).toEqual([
          { category: 'billing', count: 1 },
          { category: 'network', count: 2 },
        ]);
        const recent = await store.digests.recentCreated(T0, T0 + DAY, 2);
        expect(recent.map((r) => r.title)).toEqual(['Invoice', 'VPN slow']);
        expect(recent[1]).toEqual({ id: b.id, key: b.key, title: 'VPN slow', text: 'Login fails with SSO error', status: 'new', incidentKey: 'INC-1' });
      });

      it("scores agents' resolutions: first contact and reopened after, deflections left out", async () => {
        const ev = (id: number, type: Parameters<Store['tickets']['appendEvent']>[1], at: number, data?: Record<string, unknown>) =>
          store.tickets.appendEvent(id, type, 'U1', at, data);
        // One agent reply, resolved, never reopened: first contact.
        const a = await store.tickets.create(draft());
        await ev(a.id, 'replied', T0 + 1, { role: 'agent' });
        await ev(a.id, 'status_changed', T0 + 2, { from: 'in_progress', to: 'resolved' });
        // Two replies, then closed straight from open; reopened after.
        const b = await store.tickets.create(draft());
        await ev(b.id, 'replied', T0 + 1, { role: 'agent' });
        await ev(b.id, 'replied', T0 + 2, { role: 'agent' });
        await ev(b.id, 'status_changed', T0 + 3, { from: 'in_progress', to: 'closed' });
        await ev(b.id, 'reopened', T0 + 4);
        // A deflection ("That solved it") is not an agent's resolution.
        const c = await store.tickets.create(draft());
        await ev(c.id, 'status_changed', T0 + 2, { from: 'new', to: 'resolved', outcome: 'deflected' });
        // Resolved → closed is not a second resolution; a customer's reply is not an agent's.
        const d = await store.tickets.create(draft());
        await ev(d.id, 'replied', T0 + 1, { role: 'customer' });
        await ev(d.id, 'status_changed', T0 + 2, { from: 'new', to: 'resolved' });
        await ev(d.id, 'status_changed', T0 + 3, { from: 'resolved', to: 'closed' });
        expect(await store.digests.resolutionOutcomes(T0, T0 + DAY)).toEqual({ resolutions: 3, firstContact: 1, reopenedAfter: 1 });
        expect(await store.digests.resolutionOutcomes(T0 + DAY, T0 + 2 * DAY)).toEqual({ resolutions: 0, firstContact: 0, reopenedAfter: 0 });
      });
    });

    describe('metrics gauges', () => {
      it('reads the outbox backlog and tickets by status', async () => {
        expect(await store.gauges.outboxBacklog()).toEqual({ depth: 0, oldestCreatedAt: null });
        for (const [i, k] of ['a', 'b', 'c'].entries())
          await store.outbox.enqueue({ idempotencyKey: k, platform: 'slack', channelId: 'C1', kind: 'post', payload: '{}', createdAt: T0 + i * 100 });
        const [claimed] = await store.outbox.claimDue({ now: T0 + 1_000, limit: 1, leaseMs: 30_000 });
        await store.outbox.markSent(claimed!.claim, T0 + 1_000, null);
        expect(await store.gauges.outboxBacklog()).toEqual({ depth: 2, oldestCreatedAt: T0 + 100 });
        await store.tickets.create(draft({ status: 'new' }));
        await store.tickets.create(draft({ status: 'new' }));
        await store.tickets.create(draft({ status: 'resolved' }));
        expect(await store.gauges.ticketsByStatus(['new', 'resolved', 'closed'])).toEqual({ new: 2, resolved: 1, closed: 0 });
      });
    });

    describe('retention', () => {
      it('prunes expired form state, but never a hand-off preview in the middle of a create', async () => {
        const ref = (platform: string, key: string, reference: object, at: number) =>
          store.db.insertInto('conversation_refs').values({ platform, key, reference: JSON.stringify(reference), updated_at: at }).execute();
        await ref('form-state', 'ct-old', { text: 'x' }, T0);
        await ref('form-state', 'ct-new', { text: 'y' }, T0 + DAY);
        await ref('handoff-preview', 'hp-open', { status: 'open' }, T0);
        await ref('handoff-preview', 'hp-created', { status: 'created' }, T0);
        await ref('handoff-preview', 'hp-creating', { status: 'creating' }, T0);
        await ref('teams', 'conv-1', { conversation: 'keep me' }, T0);
        expect(await store.prune({ before: T0 - DAY })).toEqual({ outbox: 0, inbox: 0, seen: 0, inboundEvents: 0, rateLimits: 0, aiTasks: 0 });
        expect(await store.prune({ before: T0 - DAY, formsBefore: T0 + 1 })).toEqual({ outbox: 0, inbox: 0, seen: 0, inboundEvents: 0, rateLimits: 0, aiTasks: 0, forms: 3 });
        const left = await store.db.selectFrom('conversation_refs').select('key').orderBy('key').execute();
        expect(left.map((r) => r.key)).toEqual(['conv-1', 'ct-new', 'hp-creating']);
      });
    });
  });
}
