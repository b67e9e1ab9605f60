/**
 * The store contract for known answers, offers, decisions and CSAT (src/ports/store-knowledge.ts):
 * ONE suite both engines pass. tests/store/store-knowledge.test.ts runs it on SQLite and
 * PostgreSQL. Full-text scores must be the same on both engines (the matcher's decisions depend
 * on them), so the bm25 figures below are asserted as numbers.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/domain/types.js';
import type { AnswerInput, AnswerTerms, NewOffer, TermsOf } from '../../src/ports/store-knowledge.js';
import type { KyselyStore } from '../../src/store/kysely/kysely-store.js';
import { draft } from './store-contract.js';

export interface KnowledgeStoreHarness {
  store: KyselyStore;
  close(): Promise<void>;
}

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z, a fixed clock
const H = 3_600_000;

/** Test terms: lower-case words (the real normaliser is src/knowledge/terms.ts). */
const words = (s: string) => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];
const simpleTerms: TermsOf = (title, tags, body) => ({ terms: words(`${title}\n${tags.join('\n')}\n${body}`), titleTerms: words(`${title}\n${tags.join('\n')}`) });

function answer(id: string, title: string, body: string, over: Partial<AnswerInput> = {}): AnswerInput & AnswerTerms {
  const a: AnswerInput = { id, title, body, category: null, tags: [], source: 'saved', ...over };
  return { ...a, ...simpleTerms(a.title, a.tags, a.body) };
}

const offer = (ticketId: number, over: Partial<NewOffer> = {}): NewOffer => ({
  ticketId,
  answerId: 'reset-password',
  answerTitle: 'Reset your password',
  via: 'auto',
  score: 0.8,
  explanation: 'matched "reset", "password"',
  status: 'pending',
  offeredBy: 'frontdesk',
  offeredAt: T0,
  expiresAt: T0 + H,
  ...over,
});

export function storeKnowledgeContract(name: string, makeHarness: () => Promise<KnowledgeStoreHarness>): void {
  describe(`Store contract, known answers and CSAT: ${name}`, () => {
    let h: KnowledgeStoreHarness;
    let store: KyselyStore;
    beforeEach(async () => {
      h = await makeHarness();
      store = h.store;
    });
    afterEach(async () => {
      await h.close();
    });

    const ticket = (over: Parameters<typeof draft>[0] = {}): Promise<Ticket> => store.tickets.create(draft(over));

    describe('answers', () => {
      it('puts, gets, lists and counts answers; a put by the same id replaces it but keeps its creation time', async () => {
        const k = store.knowledge;
        expect(await k.count()).toBe(0);
        expect(await k.get('reset-password')).toBeNull();
        await k.put(answer('reset-password', 'Reset your password', 'Open Settings, then Security.', { tags: ['  sign   in ', '', 'login'], category: 'access', createdBy: 'U_AGENT' }), T0);
        await k.put(answer('invoices', 'Where are my invoices', 'Billing, then History.', { source: 'folder', root: '/kb', path: 'billing.md' }), T0);
        expect(await k.count()).toBe(2);
        const a = await k.get('reset-password');
        expect(a).toMatchObject({
          id: 'reset-password',
          title: 'Reset your password',
          category: 'access',
          tags: ['sign in', 'login'],
          source: 'saved',
          root: null,
          path: null,
          ticketId: null,
          createdBy: 'U_AGENT',
          createdAt: T0,
          updatedAt: T0,
          titleTerms: ['reset', 'your', 'password', 'sign', 'in', 'login'],
        });
        expect(a?.terms).toContain('security');
        expect((await k.list()).map((x) => x.id)).toEqual(['invoices', 'reset-password']);
        await k.put(answer('reset-password', 'Reset a password', 'New steps.'), T0 + H);
        const b = await k.get('reset-password');
        expect(b).toMatchObject({ title: 'Reset a password', body: 'New steps.', category: null, tags: [], createdAt: T0, updatedAt: T0 + H, createdBy: null });
        expect(await k.count()).toBe(2);
        expect(await k.delete('reset-password')).toBe(true);
        expect(await k.delete('reset-password')).toBe(false);
        expect((await k.list()).map((x) => x.id)).toEqual(['invoices']);
      });

      it('bumps the version on every added, changed or removed answer, and counts document frequencies', async () => {
        const k = store.knowledge;
        const v0 = await k.version();
        await k.put(answer('a', 'Reset password', 'password steps'), T0);
        const v1 = await k.version();
        expect(v1).toBeGreaterThan(v0);
        await k.put(answer('b', 'Export data', 'csv export'), T0);
        await k.put(answer('a', 'Reset password', 'other steps'), T0 + 1);
        const v2 = await k.version();
        expect(v2).toBeGreaterThan(v1);
        await k.delete('b');
        expect(await k.version()).toBeGreaterThan(v2);
        await k.put(answer('c', 'Password expired', 'renew it'), T0);
        const { n, df } = await k.documentFrequencies();
        expect(n).toBe(2);
        expect(df.get('password')).toBe(2);
        expect(df.get('renew')).toBe(1);
        expect(df.has('csv')).toBe(false);
      });

      it('reindexes only the answers whose terms changed, in one transaction', async () => {
        const k = store.knowledge;
        await k.put(answer('a', 'Reset Password', 'steps'), T0);
        await k.put({ ...answer('b', 'Export data', 'csv'), terms: ['stale'], titleTerms: ['stale'] }, T0);
        expect(await k.reindex(simpleTerms)).toBe(1);
        expect((await k.get('b'))?.terms).toEqual(['export', 'data', 'csv']);
        expect(await k.reindex(simpleTerms)).toBe(0);
        await expect(
          k.reindex(() => {
            throw new Error('normaliser broke');
          }),
        ).rejects.toThrow('normaliser broke');
        expect((await k.get('a'))?.titleTerms).toEqual(['reset', 'password']);
      });

      it('keeps the files of a folder; forgetting a file removes its answers, in stored order', async () => {
        const k = store.knowledge;
        await k.putFile('/kb', { path: 'a.md', mtimeMs: 10, size: 100, hash: 'h1', problem: null });
        await k.putFile('/kb', { path: 'b.md', mtimeMs: 20, size: 200, hash: 'h2', problem: 'no title' });
        await k.putFile('/other', { path: 'c.md', mtimeMs: 30, size: 300, hash: 'h3', problem: null });
        await k.putFile('/kb', { path: 'a.md', mtimeMs: 11, size: 101, hash: 'h1b', problem: null });
        expect(await k.roots()).toEqual(['/kb', '/other']);
        const files = await k.files('/kb');
        expect([...files.keys()].sort()).toEqual(['a.md', 'b.md']);
        expect(files.get('a.md')).toEqual({ path: 'a.md', mtimeMs: 11, size: 101, hash: 'h1b', problem: null });
        expect(files.get('b.md')?.problem).toBe('no title');
        await k.put(answer('a#two', 'Second', 'x', { source: 'folder', root: '/kb', path: 'a.md' }), T0);
        await k.put(answer('a#one', 'First', 'y', { source: 'folder', root: '/kb', path: 'a.md' }), T0);
        await k.put(answer('saved', 'Saved', 'z'), T0);
        expect((await k.ofFile('/kb', 'a.md')).map((x) => x.id)).toEqual(['a#two', 'a#one']);
        await k.deleteFile('/kb', 'a.md');
        expect(await k.ofFile('/kb', 'a.md')).toEqual([]);
        expect([...(await k.files('/kb')).keys()]).toEqual(['b.md']);
        expect((await k.list()).map((x) => x.id)).toEqual(['saved']);
      });

      it('knows whether an answer was saved from a ticket', async () => {
        const t = await ticket();
        const other = await ticket({ title: 'Other' });
        await store.knowledge.put(answer('from-ticket', 'Fixed it', 'steps', { ticketId: t.id }), T0);
        expect(await store.knowledge.savedFrom(t.id)).toBe(true);
        expect(await store.knowledge.savedFrom(other.id)).toBe(false);
        expect((await store.knowledge.get('from-ticket'))?.ticketId).toBe(t.id);
      });

      it('rolls answers back with the transaction they were written in', async () => {
        await expect(
          store.tx(async (r) => {
            await r.knowledge.put(answer('a', 'Reset password', 'steps'), T0);
            await r.knowledge.putFile('/kb', { path: 'a.md', mtimeMs: 1, size: 1, hash: 'h', problem: null });
            throw new Error('stop');
          }),
        ).rejects.toThrow('stop');
        expect(await store.knowledge.count()).toBe(0);
        expect(await store.knowledge.roots()).toEqual([]);
      });
    });

    describe('full-text search', () => {
      beforeEach(async () => {
        const k = store.knowledge;
        await k.put(answer('reset-password', 'Reset your password', 'Open settings and choose reset password. The password link expires.', { tags: ['login'] }), T0);
        await k.put(answer('sso-login', 'Login with SSO fails', 'Ask your admin to add you to the SSO group, then log in again.'), T0);
        await k.put(answer('export', 'Export your data', 'Use export in settings to download a csv file.'), T0);
        await k.put(answer('invoices', 'Find your invoices', 'Billing shows every invoice.'), T0);
      });

      it('finds answers sharing any term, best bm25 first, with the same scores on every engine', async () => {
        const hits = await store.answerSearch.search(['password', 'login'], 10);
        expect(hits.map((x) => x.answer.id)).toEqual(['reset-password', 'sso-login']);
        // As FTS5 reports them (a term in half the answers or more weighs 1e-6).
        expect(hits[0]!.bm25).toBeCloseTo(-1.5327479489493183, 12);
        expect(hits[1]!.bm25).toBeCloseTo(-1.5946473376080289e-6, 15);
        expect(hits[0]!.answer.titleTerms).toContain('password');
        const three = await store.answerSearch.search(['your', 'export', 'csv'], 10);
        expect(three.map((x) => x.answer.id)).toEqual(['export', 'invoices', 'reset-password', 'sso-login']);
        expect(three[0]!.bm25).toBeCloseTo(-2.395074956269377, 12);
        expect(three[3]!.bm25).toBeCloseTo(-8.735491753207088e-7, 15);
        const one = await store.answerSearch.search(['settings'], 10);
        expect(one.map((x) => x.answer.id)).toEqual(['export', 'reset-password']);
        expect(one[0]!.bm25).toBeLessThan(one[1]!.bm25);
      });

      it('limits the hits; no terms or no match finds nothing', async () => {
        expect((await store.answerSearch.search(['your'], 2)).length).toBe(2);
        expect(await store.answerSearch.search([], 10)).toEqual([]);
        expect(await store.answerSearch.search(['quantum'], 10)).toEqual([]);
        expect(await store.answerSearch.search(["'"], 10)).toEqual([]);
      });

      it('sees answers changed and removed', async () => {
        await store.knowledge.put(answer('invoices', 'Find your invoices', 'A password is not needed.'), T0 + 1);
        expect((await store.answerSearch.search(['password'], 10)).map((x) => x.answer.id)).toEqual(['reset-password', 'invoices']);
        await store.knowledge.delete('reset-password');
        expect((await store.answerSearch.search(['password'], 10)).map((x) => x.answer.id)).toEqual(['invoices']);
      });
    });

    describe('decisions and offers', () => {
      it('records one decision per ticket', async () => {
        const t = await ticket();
        await store.offers.recordDecision({ ticketId: t.id, offered: true, declined: null, answerId: 'reset-password', score: 0.82, at: T0 });
        await store.offers.recordDecision({ ticketId: t.id, offered: false, declined: 'no_match', answerId: null, score: 0, at: T0 + 1 });
        expect(await store.offers.decision(t.id)).toEqual({ ticketId: t.id, offered: true, declined: null, answerId: 'reset-password', score: 0.82, at: T0 });
        expect(await store.offers.decision(t.id + 100)).toBeNull();
      });

      it('inserts offers (one automatic offer per ticket), lists them and settles them once', async () => {
        const t = await ticket();
        const o = await store.offers.insert(offer(t.id));
        expect(o).toEqual({ ...offer(t.id), id: o.id, decidedBy: null, decidedAt: null });
        await expect(store.offers.insert(offer(t.id, { answerId: 'other' }))).rejects.toThrow();
        const sent = await store.offers.insert(offer(t.id, { via: 'agent', status: 'sent', score: null, explanation: '', offeredBy: 'U_AGENT', expiresAt: null }));
        expect((await store.offers.forTicket(t.id)).map((x) => x.id)).toEqual([o.id, sent.id]);
        expect((await store.offers.autoOffer(t.id))?.id).toBe(o.id);
        expect(await store.offers.autoOffer(t.id + 100)).toBeNull();
        expect(await store.offers.settle(o.id, 'pending', 'solved', 'U1', T0 + 5)).toBe(true);
        expect(await store.offers.settle(o.id, 'pending', 'expired', 'system', T0 + 6)).toBe(false);
        expect(await store.offers.get(o.id)).toMatchObject({ status: 'solved', decidedBy: 'U1', decidedAt: T0 + 5 });
        expect(await store.offers.get(o.id + 100)).toBeNull();
      });

      it('lists pending offers whose wait is over, soonest first', async () => {
        const a = await store.offers.insert(offer((await ticket()).id, { expiresAt: T0 + 3 * H }));
        const b = await store.offers.insert(offer((await ticket()).id, { expiresAt: T0 + H }));
        const c = await store.offers.insert(offer((await ticket()).id, { expiresAt: T0 + 2 * H }));
        await store.offers.insert(offer((await ticket()).id, { expiresAt: T0 + 9 * H }));
        await store.offers.settle(c.id, 'pending', 'need_help', 'U1', T0);
        expect(await store.offers.expiring(T0 + 3 * H)).toEqual([b.id, a.id]);
        expect(await store.offers.expiring(T0 + 3 * H, 1)).toEqual([b.id]);
        expect(await store.offers.expiring(T0)).toEqual([]);
      });

      it('knows whether a ticket was escalated by other than the given rules', async () => {
        const t = await ticket();
        const u = await store.tickets.create(draft({ title: 'Other' }));
        const v = await store.tickets.create(draft({ title: 'Third' }));
        const esc = (ticketId: number, rule: string) =>
          sql`INSERT INTO escalations (ticket_id, rule_id, reason, target, created_at) VALUES (${ticketId}, ${rule}, 'why', 'C_ESC', ${T0})`.execute(store.db);
        await esc(t.id, 'vip');
        await esc(u.id, 'password-cluster');
        expect(await store.offers.escalatedExcept(t.id, ['password-cluster'])).toBe(true);
        expect(await store.offers.escalatedExcept(u.id, ['password-cluster'])).toBe(false);
        expect(await store.offers.escalatedExcept(v.id, [])).toBe(false);
      });

      it('sums the outcomes per answer of the offers made in a period, most used first', async () => {
        const at = (i: number) => T0 + i * H;
        const mk = async (answerId: string, status: NewOffer['status'], via: NewOffer['via'], i: number) =>
          store.offers.insert(offer((await ticket()).id, { answerId, answerTitle: `Title ${answerId}`, status, via, offeredAt: at(i) }));
        await mk('pw', 'solved', 'auto', 1);
        await mk('pw', 'need_help', 'auto', 2);
        await mk('pw', 'expired', 'auto', 3);
        await mk('pw', 'sent', 'agent', 4);
        await mk('inv', 'pending', 'auto', 5);
        await mk('inv', 'solved', 'auto', 6);
        await mk('old', 'solved', 'auto', -5);
        expect(await store.offers.outcomes(T0, T0 + 24 * H)).toEqual([
          { answerId: 'pw', title: 'Title pw', offered: 3, solved: 1, needHelp: 1, expired: 1, pending: 0, sent: 1 },
          { answerId: 'inv', title: 'Title inv', offered: 2, solved: 1, needHelp: 0, expired: 0, pending: 1, sent: 0 },
        ]);
        expect(await store.offers.outcomes(T0 + 100 * H, T0 + 101 * H)).toEqual([]);
      });

      it('counts the requests of a period and lists its documentation gaps, newest first', async () => {
        const at = (i: number) => T0 + i * H;
        const decide = (t: Ticket, offered: boolean, declined: string | null) =>
          store.offers.recordDecision({ ticketId: t.id, offered, declined, answerId: null, score: 0.1, at: t.createdAt });
        const offeredT = await ticket({ createdAt: at(1) });
        await decide(offeredT, true, null);
        const o = await store.offers.insert(offer(offeredT.id, { offeredAt: at(1) }));
        await store.offers.settle(o.id, 'pending', 'solved', 'U1', at(2));
        const gap1 = await ticket({ createdAt: at(2), title: 'CSV export is empty' });
        await decide(gap1, false, 'no_match');
        const gap2 = await ticket({ createdAt: at(3), title: 'Export has no rows', status: 'resolved', resolvedAt: at(4) });
        await decide(gap2, false, 'below_threshold');
        const sentTo = await ticket({ createdAt: at(4) });
        await decide(sentTo, false, 'no_match');
        await store.offers.insert(offer(sentTo.id, { via: 'agent', status: 'sent', offeredAt: at(5), expiresAt: null }));
        const urgent = await ticket({ createdAt: at(5) });
        await decide(urgent, false, 'priority');
        await ticket({ createdAt: at(6) }); // not decided (e.g. from the CLI)
        const gone = await ticket({ createdAt: at(7) });
        await decide(gone, false, 'no_match');
        await store.tickets.update(gone.id, { deleted: true }, at(8));
        await ticket({ createdAt: at(-2) });

        expect(await store.offers.periodCounts(T0, T0 + 24 * H)).toEqual({ requests: 6, decided: 5, offered: 1, deflected: 1 });
        expect(await store.offers.periodCounts(T0 + 100 * H, T0 + 101 * H)).toEqual({ requests: 0, decided: 0, offered: 0, deflected: 0 });
        const reasons = ['no_match', 'below_threshold', 'category', 'ambiguous'];
        const gaps = await store.offers.gapRequests(T0, T0 + 24 * H, reasons, 1000);
        expect(gaps).toEqual([
          { id: gap2.id, key: gap2.key, title: 'Export has no rows', text: gap2.text, status: 'resolved', resolvedAt: at(4) },
          { id: gap1.id, key: gap1.key, title: 'CSV export is empty', text: gap1.text, status: 'new', resolvedAt: null },
        ]);
        expect((await store.offers.gapRequests(T0, T0 + 24 * H, reasons, 1)).map((g) => g.id)).toEqual([gap2.id]);
        expect(await store.offers.gapRequests(T0, T0 + 24 * H, [], 10)).toEqual([]);
      });
    });

    describe('CSAT', () => {
      it('asks, rates (the first answer time stays) and asks again from scratch', async () => {
        const t = await ticket();
        expect(await store.csat.get(t.id)).toBeNull();
        await store.csat.ask(t.id, 'U1', T0);
        expect(await store.csat.get(t.id)).toEqual({ ticketId: t.id, requesterId: 'U1', askedAt: T0, rating: null, answeredAt: null, updatedAt: null });
        await store.csat.rate(t.id, 2, T0 + 10);
        await store.csat.rate(t.id, 5, T0 + 20);
        expect(await store.csat.get(t.id)).toMatchObject({ rating: 5, answeredAt: T0 + 10, updatedAt: T0 + 20 });
        await expect(store.csat.rate(t.id, 6, T0 + 30)).rejects.toThrow();
        await store.csat.ask(t.id, 'U1', T0 + H);
        expect(await store.csat.get(t.id)).toEqual({ ticketId: t.id, requesterId: 'U1', askedAt: T0 + H, rating: null, answeredAt: null, updatedAt: null });
      });

      it('counts the answers of a period, satisfied being 4 or 5, without deleted tickets', async () => {
        const rated = async (rating: number, at: number, deleted = false) => {
          const t = await ticket();
          await store.csat.ask(t.id, 'U1', at - 1);
          await store.csat.rate(t.id, rating, at);
          if (deleted) await store.tickets.update(t.id, { deleted: true }, at);
        };
        await rated(5, T0 + 1);
        await rated(4, T0 + 2);
        await rated(2, T0 + 3);
        await rated(5, T0 + 4, true);
        await rated(5, T0 + 25 * H);
        const unanswered = await ticket();
        await store.csat.ask(unanswered.id, 'U1', T0);
        expect(await store.csat.counts(T0, T0 + 24 * H)).toEqual({ responses: 3, satisfied: 2 });
        expect(await store.csat.counts(T0 + 100 * H, T0 + 101 * H)).toEqual({ responses: 0, satisfied: 0 });
      });
    });
  });
}
