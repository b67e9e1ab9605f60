/**
 * installSlaAndDigest(core): the SLA watcher, escalation prompts and leads' digest, wired onto a
 * core — the 'sla-sweep' and 'digest' scheduler jobs, the ticket-change listener that raises
 * triage-time escalation prompts, the prompt and digest buttons and forms, and the `/ticket
 * digest` subcommand. Installing twice on one core returns the same handle.
 */
import type { Core } from '../app.js';
import { DigestJob } from '../digest/digest-job.js';
import { registerDigestSubcommand } from '../digest/digest-subcommand.js';
import { SlaSweeper, type SweepOptions } from '../sla/sweep.js';
import { Escalations } from './escalations.js';
import { registerEscalationHandlers } from './handlers.js';

export interface SlaAndDigest {
  sweeper: SlaSweeper;
  escalations: Escalations;
  digests: DigestJob;
  /** Schedule the 'sla-sweep' and 'digest' jobs (idempotent). */
  schedule(): void;
  /** Remove both jobs. */
  unschedule(): void;
}

export interface InstallOptions {
  /**
   * Schedule the jobs now (default: yes, unless env FRONTDESK_SCHEDULER=off). Tests pass false
   * and call `sweeper.sweep()` / `digests.run()` after moving the ManualClock.
   */
  schedule?: boolean;
  sweep?: SweepOptions;
}

/** Cron expression of the digest check: every minute (the time of day comes from config and the Clock). */
export const DIGEST_CHECK_CRON = '* * * * *';

const installed = new WeakMap<Core, SlaAndDigest>();

/**
 * Install on a core (call once from createCore or the composition root).
 * @example const { sweeper } = installSlaAndDigest(core, { schedule: false }); await sweeper.sweep();
 */
export function installSlaAndDigest(core: Core, opts: InstallOptions = {}): SlaAndDigest {
  const wantJobs = opts.schedule ?? core.env.FRONTDESK_SCHEDULER !== 'off';
  const existing = installed.get(core);
  if (existing) {
    if (wantJobs) existing.schedule();
    else existing.unschedule();
    return existing;
  }
  const { config, db, clock, logger, tickets, outbox, router, directory, scheduler } = core;
  const escalations = new Escalations({ config, db, clock, tickets, outbox, router, directory, logger });
  const sweeper = new SlaSweeper(
    { config, db, clock, repo: tickets.repo, outbox, router, directory, escalations, messenger: tickets.messenger, logger, metrics: core.metrics },
    opts.sweep,
  );
  const digests = new DigestJob({ config, db, clock, outbox, platforms: () => core.adapters, logger });

  // In the creating transaction: a crash can never leave a P0 ticket without its prompt.
  tickets.onCreatedInTransaction((ticket) => {
    escalations.raiseTriagePrompts(ticket.id);
  });
  registerEscalationHandlers(core.interactions, tickets, escalations);
  registerDigestSubcommand(core.commands, { config, db, clock });

  const handle: SlaAndDigest = {
    sweeper,
    escalations,
    digests,
    schedule() {
      const names = scheduler.jobs().map((j) => j.name);
      if (!names.includes('sla-sweep'))
        scheduler.add('sla-sweep', config.scheduler.slaSweep, async () => {
          const s = await sweeper.sweep();
          if (s.due > 0 || s.unassignedPrompts > 0) logger.info({ job: 'sla-sweep', ...s }, 'SLA sweep');
        });
      if (!names.includes('digest'))
        scheduler.add('digest', DIGEST_CHECK_CRON, () => {
          const sent = digests.run();
          if (sent.length) logger.info({ job: 'digest', sent }, 'digests queued');
        });
    },
    unschedule() {
      scheduler.remove('sla-sweep');
      scheduler.remove('digest');
    },
  };
  installed.set(core, handle);
  if (wantJobs) handle.schedule();
  return handle;
}
