/**
 * Migrations come from more than one folder (the core's and the local playground's, merged by
 * the composition root). An existing database must upgrade in place: the same versions, names,
 * order and schema_migrations record as when all migrations lived in src/store/migrations, and a
 * database with every version recorded opens without running anything. Shipped migrations are
 * never edited: their bytes are pinned here.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_MIGRATION_DIRS, openAppDatabase } from '../../adapters/compose.js';
import { LOCAL_MIGRATIONS_DIR } from '../../adapters/local/playground-store.js';
import { CORE_MIGRATIONS_DIR, listMigrations, migrate, openDatabase } from '../../src/store/db.js';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Every migration shipped so far: its folder and the sha256 of its bytes. */
const SHIPPED: Record<string, { dir: string; sha256: string }> = {
  '0001_initial.sql': { dir: CORE_MIGRATIONS_DIR, sha256: '7d80a1d534b40946390b3b946a7f52eb9b707f6aa6ae731ba490d06b91fa713f' },
  '0002_sla_digest.sql': { dir: CORE_MIGRATIONS_DIR, sha256: '84a946d1aa2519b940a7f66c674016af30a2c07e0697698a8bff9418e4ea3d28' },
  '0003_local_playground.sql': { dir: LOCAL_MIGRATIONS_DIR, sha256: '24e5547f80c5e51793b57d1cedb4cf354e946ef492d95ea4d1ea1522790cf215' },
  '0004_inbox.sql': { dir: CORE_MIGRATIONS_DIR, sha256: '3dabfb9895647a332a023f430b574bc3f0b21fcec09a1bddf063af871105b0f3' },
  '0006_outbox_delivery.sql': { dir: CORE_MIGRATIONS_DIR, sha256: '3a90af1094bc62554ab9e5f17e0d95cf854a1884f8c2156a942c97d21998713f' },
  '0010_two_audiences.sql': { dir: CORE_MIGRATIONS_DIR, sha256: '8afcc8ed94ccffdf47fafa329b4e573409e6f62211cf077c9744dd5bbd3235f8' },
  '0011_csat.sql': { dir: CORE_MIGRATIONS_DIR, sha256: '6370bd02108906c49802d3031ecbea4493526bee9bd19f149f2cbf5160551608' },
  '0012_knowledge.sql': { dir: CORE_MIGRATIONS_DIR, sha256: 'd8b6dab6fc920b3364d4f3fb741c61d6ee00454a221824ce02b420d2205f8ce3' },
  '0014_knowledge_offers.sql': { dir: CORE_MIGRATIONS_DIR, sha256: 'ca76da5dc10832c21d0c3f070e2a78c845e022c498822c30e96986819abff8a8' },
  '0015_tracker_links.sql': { dir: CORE_MIGRATIONS_DIR, sha256: '976de2724ed509e706b52eb82b04eb63550c625c772e23861e997d17f86462d9' },
};

const tempDir = () => mkdtempSync(join(tmpdir(), 'frontdesk-migrations-'));

/** The layout before the playground's migration moved: every migration file in one folder. */
function oneFolderLayout(): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  for (const m of listMigrations(APP_MIGRATION_DIRS)) copyFileSync(m.file, join(dir, basename(m.file)));
  return dir;
}

const recorded = (db: ReturnType<typeof openDatabase>) => db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();

describe('migrations from several folders', () => {
  it('every shipped migration is still there, unchanged, in its folder', () => {
    const byFile = new Map(listMigrations(APP_MIGRATION_DIRS).map((m) => [basename(m.file), m]));
    for (const [file, want] of Object.entries(SHIPPED)) {
      const m = byFile.get(file);
      expect(m, file).toBeDefined();
      expect(join(want.dir, file)).toBe(m!.file);
      expect(sha256(m!.file), `${file} was edited after it shipped; add a new migration instead`).toBe(want.sha256);
    }
  });

  it('merges the folders into one sequence by version (0003 from the playground between 0002 and 0004)', () => {
    const all = listMigrations(APP_MIGRATION_DIRS).map((m) => m.version);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(0, 4)).toEqual([1, 2, 3, 4]);
    // Applied in that order.
    const fresh = openDatabase(':memory:', { migrate: false });
    expect(migrate(fresh, APP_MIGRATION_DIRS)).toEqual(all);
    fresh.close();
    // The core's folder alone no longer has the playground's tables.
    expect(listMigrations().map((m) => m.version)).not.toContain(3);
  });

  it('a database made with every migration in one folder opens without running anything, its record unchanged', () => {
    const path = join(tempDir(), 'old.db');
    const old = openDatabase(path, { migrationDirs: [oneFolderLayout()] });
    const before = recorded(old);
    const version = old.pragma('user_version', { simple: true });
    old.close();
    const db = openAppDatabase(path, { migrate: false });
    try {
      expect(migrate(db, APP_MIGRATION_DIRS)).toEqual([]);
      expect(recorded(db)).toEqual(before);
      expect(db.pragma('user_version', { simple: true })).toBe(version);
      // The playground's tables are the ones the old layout made.
      expect(db.prepare("SELECT value FROM local_revisions WHERE name = 'rev'").get()).toEqual({ value: 0 });
    } finally {
      db.close();
    }
  });

  it('a fresh database gets the same record as the one-folder layout gave, in the same order', () => {
    const dir = tempDir();
    const a = openDatabase(join(dir, 'a.db'), { migrationDirs: [oneFolderLayout()] });
    const b = openAppDatabase(join(dir, 'b.db'));
    try {
      expect(recorded(b)).toEqual(recorded(a));
      const schema = (db: typeof a) => db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
      expect(schema(b)).toEqual(schema(a));
    } finally {
      a.close();
      b.close();
    }
  });

  it('an older database (up to 0004, one-folder layout) upgrades in place with only the later versions', () => {
    const path = join(tempDir(), 'v4.db');
    const early = join(tempDir(), 'early');
    mkdirSync(early);
    for (const m of listMigrations(APP_MIGRATION_DIRS).filter((x) => x.version <= 4)) copyFileSync(m.file, join(early, basename(m.file)));
    openDatabase(path, { migrationDirs: [early] }).close();
    const db = openAppDatabase(path, { migrate: false });
    try {
      const later = listMigrations(APP_MIGRATION_DIRS)
        .map((m) => m.version)
        .filter((v) => v > 4);
      expect(migrate(db, APP_MIGRATION_DIRS)).toEqual(later);
    } finally {
      db.close();
    }
  });

  it('refuses two migrations with the same version in different folders, naming both files', () => {
    const dir = join(tempDir(), 'clash');
    mkdirSync(dir);
    copyFileSync(join(LOCAL_MIGRATIONS_DIR, '0003_local_playground.sql'), join(dir, '0004_clash.sql'));
    expect(() => listMigrations([CORE_MIGRATIONS_DIR, dir])).toThrow(/two migrations have version 4: .*0004_inbox\.sql and .*0004_clash\.sql/);
  });
});
