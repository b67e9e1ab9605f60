/**
 * The group-commit queue: items run later, in order, many per commit; a failing item rolls
 * back alone (its savepoint) while the others in the same batch are kept.
 */
import { describe, expect, it } from 'vitest';
import { IngestQueue } from '../../adapters/slack/ingest-queue.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/db.js';

describe('IngestQueue', () => {
  it('runs queued items on the next turn, in order, and isolates a failing item', async () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (v TEXT NOT NULL)');
    const q = new IngestQueue(db, createLogger({ LOG_LEVEL: 'silent' }), undefined, 256, 60_000); // no time budget: a loaded machine must not split the batch
    const insert = (v: string) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
    q.push({ label: {}, run: () => insert('a') });
    q.push({
      label: {},
      run: () => {
        insert('half-written');
        throw new Error('boom');
      },
    });
    q.push({ label: {}, run: () => insert('c') });
    expect(q.size).toBe(3);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    await new Promise((r) => setImmediate(r));
    expect(q.size).toBe(0);
    expect(db.prepare('SELECT v FROM t ORDER BY rowid').all()).toEqual([{ v: 'a' }, { v: 'c' }]);
    db.close();
  });

  it('splits a backlog into several commits and flush(true) drains everything', () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (v INTEGER NOT NULL)');
    const q = new IngestQueue(db, createLogger({ LOG_LEVEL: 'silent' }), undefined, 10, 60_000);
    for (let i = 0; i < 35; i++) q.push({ label: {}, run: () => db.prepare('INSERT INTO t (v) VALUES (?)').run(i) });
    q.flush();
    expect(q.size).toBe(25);
    q.flush(true);
    expect(q.size).toBe(0);
    expect(db.prepare('SELECT count(*) AS n, sum(v) AS s FROM t').get()).toEqual({ n: 35, s: (34 * 35) / 2 });
    db.close();
  });
});
