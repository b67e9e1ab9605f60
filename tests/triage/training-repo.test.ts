/** TrainingRepo on a real SQLite database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { TrainingRepo } from '../../src/store/training-repo.js';

describe('TrainingRepo', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('adds, counts and reads back examples in order', () => {
    const db = openDatabase(':memory:');
    const repo = new TrainingRepo(db);
    expect(repo.count()).toBe(0);
    const id = repo.add({ text: 'charged twice', category: 'billing', priority: 'P2', source: 'correction' }, 1000);
    repo.add({ text: 'slow page', priority: 'P3', source: 'import' }, 2000);
    expect(id).toBeGreaterThan(0);
    expect(repo.count()).toBe(2);
    expect([...repo.all()]).toEqual([
      { id, text: 'charged twice', category: 'billing', priority: 'P2', source: 'correction', ticketId: null, createdAt: 1000 },
      { id: id + 1, text: 'slow page', category: null, priority: 'P3', source: 'import', ticketId: null, createdAt: 2000 },
    ]);
    expect(repo.recent(1).map((e) => e.text)).toEqual(['slow page']);
    db.close();
  });

  it('addMany stores everything in one transaction, or nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-training-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'fd.db'));
    const repo = new TrainingRepo(db);
    const progress: number[] = [];
    const n = repo.addMany(
      Array.from({ length: 2500 }, (_, i) => ({ text: `example ${i}`, category: 'bug', source: 'import' })),
      5,
      (done) => progress.push(done),
    );
    expect(n).toBe(2500);
    expect(progress).toEqual([1000, 2000, 2500]);
    expect(repo.count()).toBe(2500);
    // a row that violates a constraint (text NOT NULL) rolls the whole batch back
    const bad = [{ text: 'fine', source: 'import' }, { text: null as unknown as string, source: 'import' }];
    expect(() => repo.addMany(bad, 6)).toThrow();
    expect(repo.count()).toBe(2500);
    db.close();
  });
});
