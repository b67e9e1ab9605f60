import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { DatabaseError } from '../../src/domain/errors.js';
import { LATEST_SCHEMA_VERSION, listMigrations, openDatabase } from '../../src/store/db.js';

const hash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'frontdesk-store-'));
  });

  it('applies numbered migrations in order and records them', () => {
    const path = join(dir, 'sub', 'fd.db');
    const db = openDatabase(path);
    const versions = listMigrations().map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION());
    const rows = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    expect(rows.map((r) => r.version)).toEqual(versions);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    // Opening again applies nothing new.
    const again = openDatabase(path);
    expect((again.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(versions.length);
    again.close();
  });

  it('refuses a database from a newer schema version and leaves it untouched', () => {
    const path = join(dir, 'newer.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE x (a)');
    raw.pragma('user_version = 9999');
    raw.close();
    const before = hash(path);
    expect(() => openDatabase(path)).toThrow(DatabaseError);
    try {
      openDatabase(path);
    } catch (e) {
      expect((e as DatabaseError).code).toBe('frontdesk_db_too_new');
      expect((e as Error).message).toMatch(/schema version 9999.*upgrade frontdesk/s);
    }
    expect(hash(path)).toBe(before);
  });

  it('refuses a corrupt file and leaves it untouched', () => {
    const path = join(dir, 'corrupt.db');
    writeFileSync(path, 'this is not a database at all, just some text that happens to be here'.repeat(100));
    const before = hash(path);
    expect(() => openDatabase(path)).toThrow(/not a SQLite database.*left untouched/s);
    expect(hash(path)).toBe(before);
  });

  it('refuses a SQLite file with a damaged body and leaves it untouched', () => {
    const path = join(dir, 'damaged.db');
    const db = openDatabase(path);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const buf = readFileSync(path);
    buf.fill(0xab, 100, 4096 * 2);
    writeFileSync(path, buf);
    const before = hash(path);
    expect(() => openDatabase(path)).toThrow(DatabaseError);
    expect(hash(path)).toBe(before);
  });

  it('says clearly when the database is locked by another process', () => {
    const path = join(dir, 'locked.db');
    openDatabase(path).close();
    const other = new Database(path);
    other.exec('BEGIN EXCLUSIVE');
    let err: unknown;
    try {
      const db = openDatabase(path);
      db.pragma('busy_timeout = 0');
      db.prepare("INSERT INTO counters (name, value) VALUES ('x', 1)").run();
    } catch (e) {
      err = e;
    }
    other.exec('ROLLBACK');
    other.close();
    expect(err).toBeDefined();
    expect(String((err as Error).message)).toMatch(/locked/i);
  });

  it('applies a migration missing from the record even when a higher number already ran', () => {
    const path = join(dir, 'gap.db');
    const raw = new Database(path);
    const [first, ...rest] = listMigrations();
    raw.exec(first!.sql);
    raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(first!.version, first!.name);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION()}`);
    raw.close();
    const db = openDatabase(path);
    const recorded = (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    expect(recorded).toEqual([first!.version, ...rest.map((m) => m.version)]);
    db.close();
  });

  it('allows :memory:', () => {
    const db = openDatabase(':memory:');
    expect(db.prepare("SELECT value FROM counters WHERE name = 'ticket'").get()).toEqual({ value: 1000 });
    db.close();
  });
});
