/**
 * The start-up check of the configured trackers: each tracker's default place (and each
 * `trackers.routes` project) is read once through its port, so a refused token or a typo'd
 * repository / project / team shows in the log at start instead of at the first Create. Runs in
 * the background; a failure is a warning naming what to fix (the TrackerError's message, which
 * names the variable and the setting, never a secret), a success one info line per place.
 */
import type { Logger } from 'pino';
import type { FrontdeskConfig } from '../config/schema.js';
import { TrackerError, type TrackerKind } from '../ports/tracker-port.js';
import type { HandoffTrackers } from './handoff.js';

export interface TrackerCheckResult {
  tracker: TrackerKind;
  project: string;
  /** null when the tracker answered; else what to fix. */
  problem: string | null;
}

const NAMES: Record<TrackerKind, string> = { github: 'GitHub', jira: 'Jira', linear: 'Linear' };

/** Probe each configured place once; logs and returns the outcome (never throws). */
export async function checkTrackers(config: Pick<FrontdeskConfig, 'trackers'>, trackers: HandoffTrackers, logger: Logger): Promise<TrackerCheckResult[]> {
  const places = new Map<string, { tracker: TrackerKind; project: string }>();
  const add = (tracker: TrackerKind, project: string) => places.set(`${tracker}\u0000${project}`, { tracker, project });
  for (const c of trackers.choices()) add(c.tracker, c.target.project);
  for (const r of config.trackers.routes) if (r.project !== undefined && trackers.port(r.tracker)) add(r.tracker, r.project);
  const out: TrackerCheckResult[] = [];
  for (const { tracker, project } of places.values()) {
    const port = trackers.port(tracker);
    if (!port?.check) continue;
    try {
      await port.check(project);
      logger.info({ tracker, project }, `engineering hand-off: ${NAMES[tracker]} ${project} is reachable with the configured token`);
      out.push({ tracker, project, problem: null });
    } catch (e) {
      // Only the message: a client's error object may carry the request (and its credentials).
      const problem = e instanceof TrackerError ? e.message : `${NAMES[tracker]} check failed: ${e instanceof Error ? e.message : String(e)}`;
      logger.warn({ tracker, project }, `engineering hand-off: ${NAMES[tracker]} ${project} cannot be used yet: ${problem}`);
      out.push({ tracker, project, problem });
    }
  }
  return out;
}
