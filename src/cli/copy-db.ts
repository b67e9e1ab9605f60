/**
 * `frontdesk copy-db`: the command line around src/store/copy-db.ts (which does the copying).
 */
import type { Command } from 'commander';
import { copyDb } from '../store/copy-db.js';
import { redactUrl } from '../store/kysely/open-store.js';
import type { CliContext } from './context.js';

export { copyDb };

/**
 * Register `frontdesk copy-db`.
 * @example frontdesk copy-db --from sqlite:./data/frontdesk.db --to postgres://postgres@127.0.0.1:5432/frontdesk
 */
export function registerCopyDbCommand(program: Command, ctx: Pick<CliContext, 'out' | 'app'>): void {
  program
    .command('copy-db')
    .description('copy a SQLite desk (tickets, timelines, outbox, everything) into an empty PostgreSQL database')
    .requiredOption('--from <source>', 'the SQLite desk, e.g. sqlite:./data/frontdesk.db')
    .requiredOption('--to <url>', 'the PostgreSQL database, e.g. postgres://user@host:5432/frontdesk')
    .option('--schema <name>', 'PostgreSQL schema to fill (default: the search_path, usually public)')
    .action(async (o: { from: string; to: string; schema?: string }) => {
      const report = await copyDb({ from: o.from, to: o.to, migrationDirs: ctx.app.migrationDirs, ...(o.schema ? { schema: o.schema } : {}) });
      for (const t of report.tables) ctx.out(`${t.table.padEnd(24)} ${String(t.rows).padStart(8)}`);
      ctx.out(`copied ${report.total} rows in ${report.tables.length} tables to ${redactUrl(o.to)}`);
    });
}
