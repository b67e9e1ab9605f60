/** The knowledge base: folder refresh by mtime/size then hash, saved answers, answers from resolved tickets. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputInvalidError } from '../../src/domain/errors.js';
import { type TestCore, makeTestCore } from '../helpers/core.js';
import { createKnowledge } from '../../src/knowledge/install.js';
import { FIXTURE_DIR, makeKnowledge, scratchFolder } from './helpers.js';

describe('folder answers', () => {
  let folder: ReturnType<typeof scratchFolder>;
  beforeEach(() => {
    folder = scratchFolder();
  });
  afterEach(() => folder.cleanup());

  it('reads the fixture folder: one answer per file, two for the file with sections, all searchable', () => {
    const { knowledge } = makeKnowledge();
    const r = knowledge.kb.syncFolder(FIXTURE_DIR);
    expect(r.problems).toEqual([]);
    expect(r.files).toBe(17);
    expect(r.added).toHaveLength(18);
    expect(r.added).toContain('2fa#lost-your-phone-or-authenticator-app');
    const a = knowledge.kb.get('invoices')!;
    expect(a).toMatchObject({ title: 'Download invoices and receipts', category: 'billing', source: 'folder', path: 'billing/invoices.md' });
    expect(knowledge.matcher.candidates('where are my receipts')[0]!.answer.id).toBe('invoices');
  });

  it('answers indexed by an older normaliser are re-indexed when the feature starts', () => {
    const { knowledge, db, config, clock } = makeKnowledge();
    knowledge.kb.syncFolder(FIXTURE_DIR);
    const fresh = db.prepare<[], { id: string; terms: string; title_terms: string }>('SELECT id, terms, title_terms FROM knowledge_answers ORDER BY id').all();
    // Terms an older terms.ts might have stored (other stems): nothing the request's terms meet.
    db.prepare("UPDATE knowledge_answers SET terms = 'deleting accounts', title_terms = 'deleting accounts' WHERE id = 'delete-account'").run();
    expect(knowledge.matcher.candidates('close my account')[0]?.answer.id).not.toBe('delete-account');
    const again = createKnowledge(config, db, clock);
    expect(db.prepare<[], { id: string; terms: string; title_terms: string }>('SELECT id, terms, title_terms FROM knowledge_answers ORDER BY id').all()).toEqual(fresh);
    expect(again.matcher.candidates('close my account')[0]!.answer.id).toBe('delete-account');
    expect(again.kb.repo.reindex()).toBe(0); // nothing left to change
  });

  it('re-reads only changed files, removes answers of deleted files, and is idempotent', () => {
    const { knowledge, db } = makeKnowledge();
    folder.write('a.md', '# Alpha\nFirst text.');
    folder.write('b.md', '# Beta\nSecond text.');
    expect(knowledge.kb.syncFolder(folder.dir).added.sort()).toEqual(['a', 'b']);
    const version = knowledge.kb.repo.version();
    const again = knowledge.kb.syncFolder(folder.dir);
    expect([again.added, again.updated, again.removed]).toEqual([[], [], []]);
    expect(knowledge.kb.repo.version()).toBe(version);

    folder.write('a.md', '# Alpha\nFirst text, edited.');
    rmSync(join(folder.dir, 'b.md'));
    const r = knowledge.kb.syncFolder(folder.dir);
    expect(r).toMatchObject({ added: [], updated: ['a'], removed: ['b'] });
    expect(knowledge.kb.get('a')!.body).toBe('First text, edited.');
    expect(knowledge.kb.get('b')).toBeNull();
    // The FTS index follows (the removed answer is gone, the edited one is found by its new words).
    expect(knowledge.matcher.candidates('second text').map((c) => c.answer.id)).not.toContain('b');
    expect(knowledge.matcher.candidates('edited').map((c) => c.answer.id)).toEqual(['a']);
    expect(db.prepare("SELECT count(*) AS n FROM knowledge_fts WHERE knowledge_fts MATCH 'second'").get()).toEqual({ n: 0 });
  });

  it('a touched file with the same content changes nothing', () => {
    const { knowledge } = makeKnowledge();
    folder.write('a.md', '# Alpha\nSame.');
    knowledge.kb.syncFolder(folder.dir);
    const v = knowledge.kb.repo.version();
    folder.write('a.md', '# Alpha\nSame.');
    const r = knowledge.kb.syncFolder(folder.dir);
    expect([r.added, r.updated, r.removed]).toEqual([[], [], []]);
    expect(knowledge.kb.repo.version()).toBe(v);
  });

  it('a file that turns bad is reported and keeps its previous answers; fixing it applies the fix', () => {
    const { knowledge } = makeKnowledge();
    folder.write('a.md', '---\ncategory: billing\n---\n# Alpha\nGood text.');
    knowledge.kb.syncFolder(folder.dir);
    folder.write('a.md', '---\ncategory: nonsense_cat\n---\n# Alpha\nNew text.');
    const r = knowledge.kb.syncFolder(folder.dir);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toContain('unknown category "nonsense_cat"');
    expect(knowledge.kb.get('a')!.body).toBe('Good text.');
    // Reported again on the next refresh (the file did not change), still not lost.
    expect(knowledge.kb.syncFolder(folder.dir).problems).toHaveLength(1);
    folder.write('a.md', '---\ncategory: access\n---\n# Alpha\nNew text.');
    const fixed = knowledge.kb.syncFolder(folder.dir);
    expect(fixed.problems).toEqual([]);
    expect(knowledge.kb.get('a')).toMatchObject({ body: 'New text.', category: 'access' });
  });

  it('refuses an id another file already uses, naming both', () => {
    const { knowledge } = makeKnowledge();
    folder.write('a.md', '---\nid: shared\n---\nOne.');
    folder.write('b.md', '---\nid: shared\n---\nTwo.');
    const r = knowledge.kb.syncFolder(folder.dir);
    expect(r.added).toEqual(['shared']);
    expect(r.problems[0]!.file).toContain('b.md');
    expect(r.problems[0]!.message).toContain('the id "shared" is already used by');
  });

  it('a missing folder is a clear error; refresh() reports it instead of throwing', () => {
    const { knowledge } = makeKnowledge();
    expect(() => knowledge.kb.syncFolder(join(folder.dir, 'nope'))).toThrow(/does not exist or is not a directory/);
    const { config, db, clock } = makeKnowledge({ knowledge: { paths: [join(folder.dir, 'nope')] } });
    const reports = createKnowledge(config, db, clock).refresh();
    expect(reports[0]!.problems[0]!.message).toContain('does not exist');
  });

  it('folder answers cannot be removed from chat or the CLI (the file is the source)', () => {
    const { knowledge } = makeKnowledge();
    folder.write('a.md', 'Text.');
    knowledge.kb.syncFolder(folder.dir);
    expect(() => knowledge.kb.remove('a')).toThrow(/delete or edit that file instead/);
    expect(knowledge.kb.get('a')).not.toBeNull();
  });
});

describe('saved answers', () => {
  it('saves with a unique slug id, refuses mentions, unknown categories and taken ids, and removes', () => {
    const { knowledge } = makeKnowledge();
    const a = knowledge.kb.save({ title: 'Reset a locked account', body: 'Wait 15 minutes, then sign in again.', category: 'access', by: 'U_AGENT1' });
    expect(a).toMatchObject({ id: 'reset-a-locked-account', source: 'saved', createdBy: 'U_AGENT1', category: 'access' });
    expect(knowledge.kb.save({ title: 'Reset a locked account', body: 'Other text.', by: 'U_AGENT1' }).id).toBe('reset-a-locked-account-2');
    expect(() => knowledge.kb.save({ title: 'X', body: 'ask <@U123>', by: 'U_AGENT1' })).toThrow(/leave out @mentions/);
    expect(() => knowledge.kb.save({ title: 'X', body: 'y', category: 'nope', by: 'U_AGENT1' })).toThrow(/unknown category "nope"/);
    expect(() => knowledge.kb.save({ title: 'X', body: 'y', id: 'reset-a-locked-account', by: 'U_AGENT1' })).toThrow(/already an answer/);
    expect(knowledge.kb.remove('reset-a-locked-account').title).toBe('Reset a locked account');
    expect(knowledge.kb.get('reset-a-locked-account')).toBeNull();
    expect(() => knowledge.kb.remove('reset-a-locked-account')).toThrow(InputInvalidError);
  });
});

describe('answers saved from a resolved ticket', () => {
  let t: TestCore;
  beforeEach(() => {
    t = makeTestCore();
  });
  afterEach(async () => {
    await t.core.close();
  });

  function ticket(text: string) {
    const res = t.core.tickets.open({ platform: 'local', channelId: 'support', requesterId: 'U_CUST', text, force: true });
    return res.ticket!;
  }

  it("stores the agent's resolution note under the agent's title, never the customer's text", () => {
    const k = createKnowledge(t.core.config, t.core.db, t.clock);
    const tk = ticket('Hi, jane here from Acme, my invoice PDF download button does nothing in Safari');
    t.core.tickets.resolve(tk.key, 'U_AGENT1', 'Safari blocks the pop-up: allow pop-ups for the app, then press Download PDF again.');
    const fresh = t.core.tickets.require(tk.key);
    const a = k.kb.saveFromTicket(fresh, t.core.tickets.repo.events(tk.id), { title: 'Invoice download does nothing in Safari', by: 'U_AGENT1' });
    expect(a).toMatchObject({ title: 'Invoice download does nothing in Safari', ticketId: tk.id, source: 'saved', category: fresh.category });
    expect(a.body).toBe('Safari blocks the pop-up: allow pop-ups for the app, then press Download PDF again.');
    expect(JSON.stringify(k.kb.get(a.id))).not.toContain('jane');
  });

  it('refuses an open ticket, a ticket resolved without a note, and a note with personal data', () => {
    const k = createKnowledge(t.core.config, t.core.db, t.clock);
    const open = ticket('Export button is greyed out');
    const ev = (key: string) => t.core.tickets.repo.events(t.core.tickets.require(key).id);
    expect(() => k.kb.saveFromTicket(t.core.tickets.require(open.key), ev(open.key), { title: 'T', by: 'U_AGENT1' })).toThrow(/is not resolved yet/);
    t.core.tickets.resolve(open.key, 'U_AGENT1');
    expect(() => k.kb.saveFromTicket(t.core.tickets.require(open.key), ev(open.key), { title: 'T', by: 'U_AGENT1' })).toThrow(/has no resolution note/);
    const pii = ticket('Cannot log in');
    t.core.tickets.resolve(pii.key, 'U_AGENT1', 'Reset the password for jane.doe@acme.example and sent it over.');
    expect(() => k.kb.saveFromTicket(t.core.tickets.require(pii.key), ev(pii.key), { title: 'Locked out', by: 'U_AGENT1' })).toThrow(/contains email details/);
    expect(k.kb.list()).toEqual([]);
  });
});

describe('the sample folder shipped for the playground (examples/knowledge)', () => {
  it('reads without problems and answers the demo question about API rate limits', () => {
    const { knowledge } = makeKnowledge();
    const r = knowledge.kb.syncFolder(new URL('../../examples/knowledge/', import.meta.url).pathname);
    expect(r.problems).toEqual([]);
    expect(r.added).toContain('billing#download-invoices-and-receipts');
    const d = knowledge.decideFor('Where can I find the API rate limits for the reporting endpoints? We are planning a nightly sync.', { category: 'question', priority: 'P3' });
    expect(d.answer?.id).toBe('api-rate-limits');
    expect(d.offer).toBe(true);
  });
});
