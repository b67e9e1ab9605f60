/**
 * Hear back from issue trackers: what happens to a linked GitHub, Jira or Linear issue reaches
 * every ticket linked to it, in the tickets' INTERNAL threads (never the customer's).
 *
 * - `POST /webhooks/github|jira|linear` (src/handoff/webhook-routes.ts): verified, replay-safe
 *   deliveries, applied before they are acknowledged;
 * - the `tracker-poll` job (src/handoff/poll-trackers.ts): the polling fallback;
 * - both apply events through {@link HearBack} (src/handoff/hear-back-apply.ts): state lines,
 *   engineer comments, and on close a prompt with a drafted customer update;
 * - the prompt's Send to customer / Edit / Dismiss (src/handoff/hear-back-prompts.ts).
 *
 * `installHearBack(core, trackers)` wires it all onto a core.
 */
import type { Core } from '../app.js';
import type { Trackers } from '../trackers/index.js';
import { HearBack } from './hear-back-apply.js';
import { registerFixUpdateHandlers } from './hear-back-prompts.js';
import { TrackerPoller } from './poll-trackers.js';
import { mountTrackerWebhooks } from './webhook-routes.js';

export { type ApplyReport, type EventSource, HearBack, promptId } from './hear-back-apply.js';

/**
 * The trackers hear-back talks to: `createTrackers(config, env)` from src/trackers/index.ts —
 * the configured trackers' clients (polling), webhook readers and webhook secrets.
 */
export type HearBackTrackers = Pick<Trackers, 'ports' | 'webhooks' | 'secrets'>;

/** The installed feature. */
export interface InstalledHearBack {
  hearBack: HearBack;
  poller: TrackerPoller;
  /** Schedule the `tracker-poll` job (idempotent). */
  schedule(): void;
  unschedule(): void;
}

export interface InstallHearBackOptions {
  /** Schedule `tracker-poll` now (default: yes, unless env FRONTDESK_SCHEDULER=off). */
  schedule?: boolean;
}

const installed = new WeakMap<Core, InstalledHearBack>();

/**
 * Install on a core: `POST /webhooks/github|jira|linear`, the fix-update buttons and form, and
 * the `tracker-poll` job on `trackers.poll`. Installing twice returns the same handle.
 * @example const { poller } = installHearBack(core, createTrackers(core.config, core.env), { schedule: false }); await poller.run();
 */
export function installHearBack(core: Core, trackers: HearBackTrackers, opts: InstallHearBackOptions = {}): InstalledHearBack {
  const wantJobs = opts.schedule ?? core.env.FRONTDESK_SCHEDULER !== 'off';
  const existing = installed.get(core);
  if (existing) {
    if (wantJobs) existing.schedule();
    return existing;
  }
  const { db, clock, tickets, logger, scheduler, config } = core;
  const hearBack = new HearBack({ db, clock, tickets, logger });
  const poller = new TrackerPoller({ hearBack, store: core.store, ports: trackers.ports, clock, logger });
  mountTrackerWebhooks(core.http, { hearBack, webhooks: trackers.webhooks, secrets: trackers.secrets, db, clock, logger });
  registerFixUpdateHandlers(core.interactions, tickets);
  const handle: InstalledHearBack = {
    hearBack,
    poller,
    schedule() {
      // Nothing to poll without a configured tracker.
      if (trackers.ports.size === 0) return;
      if (!scheduler.jobs().some((j) => j.name === 'tracker-poll'))
        scheduler.add('tracker-poll', config.trackers.poll, async () => {
          // One replica polls per tick (the others would read the same issues again).
          const led = await core.store.withLeader('tracker-poll', () => poller.run());
          if (!led.ran) return;
          const r = led.value;
          if (r.issues > 0 && (r.report.lines > 0 || r.errors > 0)) logger.info({ job: 'tracker-poll', ...r.report, issues: r.issues, errors: r.errors }, 'tracker poll');
        });
    },
    unschedule() {
      scheduler.remove('tracker-poll');
    },
  };
  installed.set(core, handle);
  if (wantJobs) handle.schedule();
  return handle;
}
