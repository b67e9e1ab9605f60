/**
 * `frontdesk demo` (also `npm run demo`): seed the local playground with about 50 varied
 * support messages over the last few simulated hours — tickets of every priority, greetings
 * that stay messages, agents' replies and reactions, resolved tickets, SLA warnings, breaches
 * and a leads' digest — in the same database `npm start` serves.
 */
import type { Command } from 'commander';
import { createCore } from '../../../src/app.js';
import { PlaygroundChatPort } from '../playground-chat-port.js';
import { applyPlaygroundDefaults } from '../playground-defaults.js';
import { PlaygroundStore } from '../playground-store.js';
import { DEFAULT_DEMO_FILE, loadDemoSteps, seedDemo } from './seed-demo.js';
import { InputInvalidError } from '../../../src/domain/errors.js';
import { installSlaAndDigest } from '../../../src/escalation/install.js';
import { createLogger } from '../../../src/logger.js';
import { ManualClock } from '../../../src/ports/clock.js';
import { formatDuration } from '../../../src/util/duration.js';
import type { CliContext } from '../../../src/cli/context.js';

const SEEDED_SETTING = 'demo.seededAt';

/**
 * Register `frontdesk demo`.
 * @example registerDemoCommand(program, ctx) // then: frontdesk demo [--force] [--file my-demo.jsonl]
 */
export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description(
      'seed the local playground with ~50 support messages over the last few hours (a busy queue, SLA breaches, a digest); then run `npm start` and open the playground',
    )
    .option('--force', 'seed another round even if the demo was seeded before')
    .option('--file <path>', 'a JSON Lines file of demo steps (see adapters/local/demo/seed-demo.ts for the format)', DEFAULT_DEMO_FILE)
    .action(async (o: { force?: boolean; file: string }) => {
      const steps = loadDemoSteps(o.file);
      const db = ctx.getDb();
      const store = new PlaygroundStore(db);
      const before = store.setting(SEEDED_SETTING);
      if (before && !o.force)
        throw new InputInvalidError(
          `the demo was already seeded into ${ctx.dbPath} (${new Date(Number(before)).toISOString()}). Run \`frontdesk demo --force\` to add another round, or point FRONTDESK_DB at a fresh file.`,
        );
      // Line the simulated hours up with the playground's clock (it may have been moved ahead).
      const now = ctx.clock.now();
      const clock = new ManualClock(now, 0);
      const logger = createLogger({ ...ctx.env, LOG_LEVEL: ctx.env.LOG_LEVEL ?? 'warn' });
      const core = createCore({ config: ctx.config, db, clock, env: ctx.env, logger });
      try {
        const port = new PlaygroundChatPort({ store, clock });
        core.registerPort(port);
        applyPlaygroundDefaults(core, store);
        const sla = installSlaAndDigest(core, { schedule: false });
        const r = await seedDemo({ core, store, port, clock, sla }, steps, { now });
        store.setSetting(SEEDED_SETTING, String(ctx.wallClock.now()));
        ctx.out(
          [
            `Seeded the local playground in ${ctx.dbPath}:`,
            `  ${r.messages} messages over the last ${formatDuration(r.to - r.from)} (simulated), ${r.ticketsOpened} tickets (${r.resolved} resolved), ${r.leftAlone} greetings and thanks left as plain messages`,
            `  ${r.breaches} SLA breach(es) with escalation prompts${r.digest ? `, the leads' digest${r.digest.preview ? ' (a preview of today so far)' : ''} in #${r.digest.channel}` : ''}`,
            'Now run `npm start` and open the playground (http://127.0.0.1:3000 by default). `frontdesk tickets list` shows the same tickets.',
          ].join('\n'),
        );
      } finally {
        // Let outbox kicks scheduled by the last writes run before the database closes.
        await new Promise((r) => setImmediate(r));
        await core.close();
      }
    });
}
