/**
 * installSlaAndDigest(core): the SLA watcher, escalation prompts and leads' digest, wired onto a
 * core — the 'sla-sweep', 'digest' and 'retention' scheduler jobs (each on one replica per tick:
 * the store's leader lock), the ticket-change listener that raises triage-time escalation
 * prompts, the prompt and digest buttons and forms, and the `/ticket digest` subcommand.
 * Installing twice on one core returns the same handle.
 */
import type { Core } from '../app.js';
import { DigestJob } from '../digest/digest-job.js';
import { registerDigestSubcommand } from '../digest/digest-subcommand.js';
import { RetentionJob } from '../scheduler/retention.js';
import { SlaSweeper, type SweepOptions } from '../sla/sweep.js';
import { Escalations } from './escalations.js';
import { registerEscalationHandlers } from './handlers.js';

export interface SlaAndDigest {
  sweeper: SlaSweeper;
  escalations: Escalations;
  digests: DigestJob;
  retention: RetentionJob;
  /** Schedule the 'sla-sweep', 'digest' and 'retention' jobs (idempotent). */
  schedule(): void;
  /** Remove the three jobs. */
  unschedule(): void;
}

export interface InstallOptions {
  /**
   * Schedule the jobs now (default: yes, unless env FRONTDESK_SCHEDULER=off). Tests pass false
   * and call `sweeper.sweep()` / `digests.run()` / `retention.run()` after moving the ManualClock.
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
  const { config, db, store, clock, logger, tickets, outbox, router, directory, scheduler } = core;
  const escalations = new Escalations({ config, db, clock, tickets, outbox, router, directory, logger });
  const sweeper = new SlaSweeper(
    { config, db, clock, repo: tickets.repo, outbox, router, directory, escalations, messenger: tickets.messenger, logger, metrics: core.metrics },
    opts.sweep,
  );
  const digests = new DigestJob({ config, store, db, clock, outbox, platforms: () => core.adapters, logger });
  const retention = new RetentionJob({ config, store, clock, logger });

  // In the creating transaction: a crash can never leave a P0 ticket without its prompt.
  tickets.onCreatedInTransaction((ticket) => {
    escalations.raiseTriagePrompts(ticket.id);
  });
  registerEscalationHandlers(core.interactions, tickets, escalations);
  registerDigestSubcommand(core.commands, { config, store, db, clock });

  const handle: SlaAndDigest = {
    sweeper,
    escalations,
    digests,
    retention,
    schedule() {
      const names = scheduler.jobs().map((j) => j.name);
      // { leader: true }: with several replicas on one database, one of them runs each tick.
      if (!names.includes('sla-sweep'))
        scheduler.add(
          'sla-sweep',
          config.scheduler.slaSweep,
          async () => {
            const s = await sweeper.sweep();
            if (s.due > 0 || s.unassignedPrompts > 0) logger.info({ job: 'sla-sweep', ...s }, 'SLA sweep');
          },
          { leader: true },
        );
      if (!names.includes('digest'))
        scheduler.add(
          'digest',
          DIGEST_CHECK_CRON,
          async () => {
            const sent = await digests.run();
            if (sent.length) logger.info({ job: 'digest', sent }, 'digests queued');
          },
          { leader: true },
        );
      if (!names.includes('retention')) scheduler.add('retention', config.retention.schedule, () => retention.run(), { leader: true });
    },
    unschedule() {
      scheduler.remove('sla-sweep');
      scheduler.remove('digest');
      scheduler.remove('retention');
    },
  };
  installed.set(core, handle);
  if (wantJobs) handle.schedule();
  return handle;
}
