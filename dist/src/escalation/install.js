import { DigestJob } from '../digest/digest-job.js';
import { registerDigestSubcommand } from '../digest/digest-subcommand.js';
import { SlaSweeper } from '../sla/sweep.js';
import { Escalations } from './escalations.js';
import { registerEscalationHandlers } from './handlers.js';
/** Cron expression of the digest check: every minute (the time of day comes from config and the Clock). */
export const DIGEST_CHECK_CRON = '* * * * *';
const installed = new WeakMap();
/**
 * Install on a core (call once from createCore or the composition root).
 * @example const { sweeper } = installSlaAndDigest(core, { schedule: false }); await sweeper.sweep();
 */
export function installSlaAndDigest(core, opts = {}) {
    const wantJobs = opts.schedule ?? core.env.FRONTDESK_SCHEDULER !== 'off';
    const existing = installed.get(core);
    if (existing) {
        if (wantJobs)
            existing.schedule();
        else
            existing.unschedule();
        return existing;
    }
    const { config, db, clock, logger, tickets, outbox, router, directory, scheduler } = core;
    const escalations = new Escalations({ config, db, clock, tickets, outbox, router, directory, logger });
    const sweeper = new SlaSweeper({ config, db, clock, repo: tickets.repo, outbox, router, directory, escalations, messenger: tickets.messenger, logger }, opts.sweep);
    const digests = new DigestJob({ config, db, clock, outbox, platforms: () => core.adapters, logger });
    // In the creating transaction: a crash can never leave a P0 ticket without its prompt.
    tickets.onCreatedInTransaction((ticket) => {
        escalations.raiseTriagePrompts(ticket.id);
    });
    registerEscalationHandlers(core.interactions, tickets, escalations);
    registerDigestSubcommand(core.commands, { config, db, clock });
    const handle = {
        sweeper,
        escalations,
        digests,
        schedule() {
            const names = scheduler.jobs().map((j) => j.name);
            if (!names.includes('sla-sweep'))
                scheduler.add('sla-sweep', config.scheduler.slaSweep, async () => {
                    const s = await sweeper.sweep();
                    if (s.due > 0 || s.unassignedPrompts > 0)
                        logger.info({ job: 'sla-sweep', ...s }, 'SLA sweep');
                });
            if (!names.includes('digest'))
                scheduler.add('digest', DIGEST_CHECK_CRON, () => {
                    const sent = digests.run();
                    if (sent.length)
                        logger.info({ job: 'digest', sent }, 'digests queued');
                });
        },
        unschedule() {
            scheduler.remove('sla-sweep');
            scheduler.remove('digest');
        },
    };
    installed.set(core, handle);
    if (wantJobs)
        handle.schedule();
    return handle;
}
//# sourceMappingURL=install.js.map