/**
 * `frontdesk copy-db`: a demo desk seeded by the real `frontdesk demo` command into SQLite is
 * copied into a fresh PostgreSQL schema; every table arrives with the same row count, tickets,
 * timelines and outbox rows read back the same through the store port on both engines, ids are
 * kept and sequences continue after them, and a non-empty target is refused untouched.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliContext } from '../../adapters/compose.js';
import { registerDemoCommand } from '../../adapters/local/demo/demo-command.js';
import type { CliContext } from '../../src/cli/context.js';
import { copyDb, registerCopyDbCommand } from '../../src/cli/copy-db.js';
import { registerTicketsCommands } from '../../src/cli/tickets-commands.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openStore } from '../../src/store/kysely/open-store.js';
import { draft } from '../contract/store-contract.js';
import { createTestSchema, pgAvailable } from './pg.js';

const WEDNESDAY = Date.parse('2026-11-25T15:00:00Z');

async function run(register: (p: Command, ctx: CliContext) => void, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  const out: string[] = [];
  const ctx = createCliContext(env, (s) => out.push(s), new ManualClock(WEDNESDAY, 0));
  const program = new Command().exitOverride();
  register(program, ctx);
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    await ctx.close();
  }
  return out.join('\n');
}

describe('copy-db refuses what it cannot do, before touching anything', () => {
  it('needs an existing SQLite desk and a PostgreSQL target', async () => {
    await expect(copyDb({ from: 'sqlite:./no/such/desk.db', to: 'postgres://127.0.0.1/x' })).rejects.toThrow(/no SQLite database at \.\/no\/such\/desk\.db/);
    await expect(copyDb({ from: 'sqlite:./x.db', to: './other.db' })).rejects.toThrow(/copies TO PostgreSQL/);
    await expect(copyDb({ from: 'postgres://127.0.0.1/a', to: 'postgres://127.0.0.1/b' })).rejects.toThrow(/copies FROM a SQLite desk/);
  });
});

if (pgAvailable()) {
  describe('copy-db: a demo desk from SQLite to PostgreSQL', () => {
    let dir: string;
    let dbPath: string;
    let target: Awaited<ReturnType<typeof createTestSchema>>;
    let cliOut: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'fd-copy-'));
      dbPath = join(dir, 'frontdesk.db');
      writeFileSync(join(dir, 'config.json'), '{}');
      const env = { FRONTDESK_DB: dbPath, FRONTDESK_CONFIG: join(dir, 'config.json'), LOG_LEVEL: 'silent' };
      await run(registerDemoCommand, env, ['demo']);
      target = await createTestSchema();
      cliOut = await run(registerCopyDbCommand, env, ['copy-db', '--from', `sqlite:${dbPath}`, '--to', target.url, '--schema', target.schema]);
    }, 120_000);

    afterAll(async () => {
      await target?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('copies every table with the same row count and reports the counts', async () => {
      const src = new Database(dbPath, { readonly: true });
      const tables = src
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' AND name <> 'schema_migrations' ORDER BY name",
        )
        .all()
        .map((r) => r.name);
      const c = new pg.Client({ connectionString: target.url, options: `-c search_path=${target.schema}` });
      await c.connect();
      try {
        let nonEmpty = 0;
        for (const t of tables) {
          const n = (src.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
          const m = Number((await c.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
          expect({ table: t, rows: m }).toEqual({ table: t, rows: n });
          if (n > 0) nonEmpty += 1;
          if (n > 0) expect(cliOut).toMatch(new RegExp(`${t}\\s+${n}\\n`));
        }
        expect(nonEmpty).toBeGreaterThanOrEqual(8);
        const total = (src.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
        expect(total).toBeGreaterThanOrEqual(20);
        expect(cliOut).toMatch(/copied \d+ rows in \d+ tables to postgres:\/\//);
      } finally {
        await c.end();
        src.close();
      }
    });

    it('reads the same tickets, timelines, conversations and outbox rows through the store port on both engines', async () => {
      const a = await openStore(dbPath);
      const b = await openStore(target.url, { schema: target.schema });
      try {
        const ta = await a.tickets.list({ limit: 10_000 });
        const tb = await b.tickets.list({ limit: 10_000 });
        expect(tb).toEqual(ta);
        for (const t of ta.slice(0, 5)) {
          expect(await b.tickets.events(t.id)).toEqual(await a.tickets.events(t.id));
          expect(await b.tickets.messages(t.id)).toEqual(await a.tickets.messages(t.id));
          expect(await b.tickets.getByKey(t.key)).toEqual(await a.tickets.getByKey(t.key));
        }
        expect(await b.outbox.stats()).toEqual(await a.outbox.stats());
        expect(await b.outbox.get(1)).toEqual(await a.outbox.get(1));
        expect(await b.schemaVersion()).toBe(await a.schemaVersion());
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('`frontdesk tickets list|show --database-url` print the same on PostgreSQL as on the SQLite desk', async () => {
      const sqliteEnv = { FRONTDESK_DB: dbPath, FRONTDESK_CONFIG: join(dir, 'config.json'), LOG_LEVEL: 'silent' };
      const onPg = ['--database-url', target.url, '--schema', target.schema];
      const listed = await run(registerTicketsCommands, sqliteEnv, ['tickets', 'list', '--json']);
      expect(JSON.parse(listed).length).toBeGreaterThan(5);
      expect(await run(registerTicketsCommands, sqliteEnv, ['tickets', 'list', '--json', ...onPg])).toBe(listed);
      expect(await run(registerTicketsCommands, sqliteEnv, ['tickets', 'list', '--status', 'open', ...onPg])).toBe(await run(registerTicketsCommands, sqliteEnv, ['tickets', 'list', '--status', 'open']));
      const key = (JSON.parse(listed) as { key: string }[])[0]!.key;
      const shown = await run(registerTicketsCommands, sqliteEnv, ['tickets', 'show', key]);
      expect(shown).toContain(key);
      expect(await run(registerTicketsCommands, sqliteEnv, ['tickets', 'show', key, ...onPg])).toBe(shown);
      // The same JSON (PostgreSQL's JSONB keeps an object's keys in its own order).
      expect(JSON.parse(await run(registerTicketsCommands, sqliteEnv, ['tickets', 'show', key, '--json', ...onPg]))).toEqual(JSON.parse(await run(registerTicketsCommands, sqliteEnv, ['tickets', 'show', key, '--json'])));
      await expect(run(registerTicketsCommands, sqliteEnv, ['tickets', 'list', '--database-url', './x.db'])).rejects.toThrow(/takes a PostgreSQL URL/);
    });

    it('continues keys and ids after the copied ones, and the timeline stays append-only', async () => {
      const a = await openStore(dbPath);
      const b = await openStore(target.url, { schema: target.schema });
      try {
        const last = (await a.tickets.list({ limit: 10_000 })).reduce((m, t) => (t.id > m.id ? t : m));
        const created = await b.tickets.create(draft({ sourceMessageId: 'after-copy' }));
        expect(created.id).toBe(last.id + 1);
        expect(created.key).toBe(`T-${Number(last.key.slice(2)) + 1}`);
        await b.tickets.appendEvent(created.id, 'created', 'cli', WEDNESDAY);
        await expect(b.db.deleteFrom('ticket_events').execute()).rejects.toThrow(/append-only/);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('refuses a target that is not empty, and writes nothing', async () => {
      const c = new pg.Client({ connectionString: target.url, options: `-c search_path=${target.schema}` });
      await c.connect();
      const before = Number((await c.query('SELECT count(*) AS n FROM tickets')).rows[0].n);
      await expect(copyDb({ from: `sqlite:${dbPath}`, to: target.url, schema: target.schema })).rejects.toThrow(/target is not empty \(\w+ has \d+ rows\)/);
      expect(Number((await c.query('SELECT count(*) AS n FROM tickets')).rows[0].n)).toBe(before);
      await c.end();
    });
  });
}


if (pgAvailable())
  describe('copy-db with a row PostgreSQL cannot hold', () => {
    it('names the table and rows, and writes nothing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fd-copy-nul-'));
      const s = await createTestSchema();
      try {
        const lite = await openStore(join(dir, 'desk.db'));
        await lite.tickets.create(draft({ text: 'fine' }));
        await lite.tickets.create(draft({ text: 'pasted a NUL \u0000 from a terminal' }));
        await lite.close();
        await expect(copyDb({ from: join(dir, 'desk.db'), to: s.url, schema: s.schema })).rejects.toThrow(/table tickets, rows 1–2: .*nothing was written/);
        const c = new pg.Client({ connectionString: s.url, options: `-c search_path=${s.schema}` });
        await c.connect();
        expect(Number((await c.query('SELECT count(*) AS n FROM tickets')).rows[0].n)).toBe(0);
        expect((await c.query("SELECT value FROM counters WHERE name = 'ticket'")).rows[0].value).toBe('1000');
        await c.end();
      } finally {
        await s.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

if (pgAvailable())
  describe('frontdesk migrate --database-url', () => {
    it('migrates a PostgreSQL schema once and then finds it up to date', async () => {
      const s = await createTestSchema();
      try {
        const env = { FRONTDESK_DB: ':memory:', FRONTDESK_CONFIG: '', LOG_LEVEL: 'silent' };
        const first = await run(registerTicketsCommands, env, ['migrate', '--database-url', s.url, '--schema', s.schema]);
        expect(first).toMatch(/^applied migrations 1, 2, 3, 4, 6, 10, .*; schema version \d+$/);
        expect(await run(registerTicketsCommands, env, ['migrate', '--database-url', s.url, '--schema', s.schema])).toMatch(/^database is up to date \(schema version \d+\)$/);
        await expect(run(registerTicketsCommands, env, ['migrate', '--database-url', './x.db'])).rejects.toThrow(/takes a PostgreSQL URL/);
      } finally {
        await s.drop();
      }
    });
  });
