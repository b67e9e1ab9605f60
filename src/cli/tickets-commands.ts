/** `frontdesk tickets list|show`, `migrate`, `backup`. */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { InputInvalidError } from '../domain/errors.js';
import { STATUSES, type TicketStatus } from '../domain/types.js';
import { slaState } from '../sla/policy.js';
import { migrate, openDatabase, schemaVersion } from '../store/db.js';
import { isPostgresUrl, openStore } from '../store/kysely/open-store.js';
import { toPlainText } from '../ports/message-view.js';
import { ticketDetailView } from '../views/ticket-views.js';
import type { CliContext } from './context.js';

function pad(s: string, n: number): string {
  return s.length >= n ? `${s.slice(0, n - 1)}…` : s + ' '.repeat(n - s.length);
}

export function registerTicketsCommands(program: Command, ctx: CliContext): void {
  const tickets = program.command('tickets').description('list and inspect tickets');
  tickets
    .command('list')
    .description('list tickets (newest first within priority)')
    .option('--status <status>', `only this status (${STATUSES.join(', ')}) or "open"`)
    .option('--from <date>', 'created on or after (YYYY-MM-DD, desk time zone)')
    .option('--to <date>', 'created before (YYYY-MM-DD)')
    .option('--limit <n>', 'at most this many', '200')
    .option('--json', 'print JSON')
    .option('--database-url <url>', 'read a PostgreSQL desk (postgres://…) instead of the SQLite one')
    .option('--schema <name>', 'with --database-url: the PostgreSQL schema')
    .action(async (o: { status?: string; from?: string; to?: string; limit: string; json?: boolean; databaseUrl?: string; schema?: string }) => {
      if (o.status && o.status !== 'open' && !STATUSES.includes(o.status as TicketStatus))
        throw new InputInvalidError(`--status must be one of ${STATUSES.join(', ')} or open; got "${o.status}"`);
      const toMs = (d: string | undefined, name: string) => {
        if (!d) return undefined;
        const ms = DateTime.fromISO(d, { zone: ctx.config.timezone }).startOf('day').toMillis();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(ms)) throw new InputInvalidError(`${name} must be a date like 2026-11-23; got "${d}"`);
        return ms;
      };
      const store = await ctx.getStore(o.databaseUrl, o.schema);
      const list = await store.tickets.list({
        status: o.status && o.status !== 'open' ? (o.status as TicketStatus) : undefined,
        open: o.status === 'open' || undefined,
        createdFrom: toMs(o.from, '--from'),
        createdTo: toMs(o.to, '--to'),
        limit: Number(o.limit) || 200,
      });
      if (o.json) {
        ctx.out(JSON.stringify(list.map((t) => ({ key: t.key, status: t.status, priority: t.priority, category: t.category, owner: t.ownerId, team: t.team, title: t.title, created_at: new Date(t.createdAt).toISOString(), platform: t.platform, channel: t.channelId }))));
        return;
      }
      if (list.length === 0) {
        ctx.out('No tickets match.');
        return;
      }
      const now = ctx.clock.now();
      ctx.out(`${pad('ID', 9)}${pad('PRI', 4)}${pad('STATUS', 21)}${pad('CATEGORY', 16)}${pad('OWNER', 14)}${pad('SLA', 30)}TITLE`);
      for (const t of list) {
        const s = slaState(t, now);
        const c = t.firstResponseAt === null ? s.firstResponse : s.resolution;
        ctx.out(`${pad(t.key, 9)}${pad(t.priority, 4)}${pad(t.status, 21)}${pad(t.category, 16)}${pad(t.ownerId ?? '-', 14)}${pad(c.state, 30)}${t.title}`);
      }
      ctx.out(`${list.length} ticket(s)`);
    });
  tickets
    .command('show')
    .description('one ticket with its timeline')
    .argument('<id>', 'ticket id, e.g. T-1042')
    .option('--json', 'print JSON')
    .option('--database-url <url>', 'read a PostgreSQL desk (postgres://…) instead of the SQLite one')
    .option('--schema <name>', 'with --database-url: the PostgreSQL schema')
    .action(async (id: string, o: { json?: boolean; databaseUrl?: string; schema?: string }) => {
      const store = await ctx.getStore(o.databaseUrl, o.schema);
      const t = await store.tickets.getByKey(id);
      if (!t) throw new InputInvalidError(`No ticket ${id}. Ticket ids look like T-1042; see \`frontdesk tickets list\`.`);
      const events = await store.tickets.events(t.id);
      if (o.json) {
        ctx.out(JSON.stringify({ ...t, sla_state: slaState(t, ctx.clock.now()), timeline: events, messages: await store.tickets.messages(t.id) }, null, 2));
        return;
      }
      const view = ticketDetailView(t, events, ctx.clock.now(), ctx.config.timezone);
      for (const b of view.blocks) {
        if (b.type === 'header' || b.type === 'text' || b.type === 'quote') ctx.out(toPlainText(b.text));
        else if (b.type === 'fields') for (const f of b.fields) ctx.out(`${pad(`${f.label}:`, 16)}${toPlainText(f.value)}`);
        else if (b.type === 'context') ctx.out(b.elements.map((e) => toPlainText(e)).join(' · '));
        else if (b.type === 'divider') ctx.out('—'.repeat(40));
      }
    });
  program
    .command('migrate')
    .description('apply pending database migrations')
    .option('--database-url <url>', 'migrate this PostgreSQL database instead (postgres://…; the bot itself still runs on SQLite, see README "Storage engines")')
    .option('--schema <name>', 'with --database-url: the PostgreSQL schema (default: the search_path, usually public)')
    .action(async (o: { databaseUrl?: string; schema?: string }) => {
      const url = o.databaseUrl;
      if (url) {
        if (!isPostgresUrl(url)) throw new InputInvalidError(`--database-url takes a PostgreSQL URL (postgres://user@host:5432/db), got "${url}"`);
        const store = await openStore(url, o.schema ? { schema: o.schema } : {});
        try {
          const v = await store.schemaVersion();
          ctx.out(store.migrated.length ? `applied migrations ${store.migrated.join(', ')}; schema version ${v}` : `database is up to date (schema version ${v})`);
        } finally {
          await store.close();
        }
        return;
      }
      const db = openDatabase(ctx.dbPath, { migrate: false, migrationDirs: ctx.app.migrationDirs });
      try {
        const applied = migrate(db, ctx.app.migrationDirs);
        const v = schemaVersion(db);
        ctx.out(applied.length ? `applied migrations ${applied.join(', ')}; schema version ${v}` : `database is up to date (schema version ${v})`);
      } finally {
        db.close();
      }
    });
  program
    .command('backup')
    .description('online backup of the database to FILE (safe while the bot runs)')
    .argument('<file>', 'where to write the copy')
    .option('--force', 'overwrite FILE if it exists')
    .action(async (file: string, o: { force?: boolean }) => {
      if (existsSync(file) && !o.force) throw new InputInvalidError(`${file} exists; pass --force to overwrite it`);
      const dir = dirname(resolve(file));
      if (!existsSync(dir)) throw new InputInvalidError(`cannot write the backup to ${file}: the folder ${dir} does not exist. Create it first (mkdir -p ${dir}) or choose another path.`);
      if (!statSync(dir).isDirectory()) throw new InputInvalidError(`cannot write the backup to ${file}: ${dir} is a file, not a folder. Choose another path.`);
      const db = ctx.getDb();
      try {
        await db.backup(file);
      } catch (e) {
        throw new InputInvalidError(`could not write the backup to ${file}: ${(e as Error).message}. Check that the folder is writable and has free space.`);
      }
      ctx.out(`backed up ${ctx.dbPath} to ${file}`);
    });
}
