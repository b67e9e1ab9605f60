/**
 * The polling fallback for setups whose trackers cannot reach frontdesk's webhooks: the
 * `tracker-poll` job (schedule `trackers.poll`) re-reads linked issues that are not closed,
 * least recently polled first, and applies what changed as the same events a webhook would
 * carry — so a change seen by a webhook and by a poll acts once (HearBack.apply is idempotent).
 * Each issue is read in its own try/catch: a tracker error is logged with what to fix and the
 * other issues are still polled.
 */
import type { Logger } from 'pino';
import type { Clock } from '../ports/clock.js';
import { TrackerError, type TrackerEvent, type TrackerKind, type TrackerPort } from '../ports/tracker-port.js';
import type { Store, StoredIssue } from '../ports/store.js';
import { TRACKER_NAMES } from '../views/fix-update-view.js';
import type { ApplyReport, HearBack } from './hear-back-apply.js';
import { syncTx } from '../store/sync-tx.js';

/** Issues read per run (the least recently polled first, so all get their turn). */
export const POLL_BATCH = 200;
/**
 * Comments are asked for from this long before the last poll: tracker clocks and ours differ,
 * and a comment seen twice is applied once (by its id).
 */
export const COMMENT_OVERLAP_MS = 10 * 60_000;

/** What to fix, per kind of tracker error. */
const FIX: Record<TrackerError['code'], (kind: TrackerKind) => string> = {
  auth: (k) => `check the ${TRACKER_NAMES[k]} credentials (${k === 'github' ? 'GITHUB_TOKEN' : k === 'jira' ? 'JIRA_EMAIL and JIRA_API_TOKEN' : 'LINEAR_API_KEY'}) and that they may read this issue`,
  not_found: () => 'the issue was deleted or moved, or the credentials cannot see it; unlink it from its tickets if it is gone',
  invalid: () => 'the tracker rejected the request; check the trackers block in frontdesk.config.yaml',
  rate_limited: () => 'the tracker is rate limiting frontdesk; it is tried again on the next poll (or make trackers.poll less frequent)',
  unavailable: (k) => `${TRACKER_NAMES[k]} could not be reached; it is tried again on the next poll`,
};

export interface PollResult {
  /** Issues read successfully. */
  issues: number;
  errors: number;
  report: ApplyReport;
}

export interface TrackerPollerDeps {
  hearBack: HearBack;
  /** Where the linked issues are listed from (the store port). */
  store: Pick<Store, 'trackers'>;
  ports: ReadonlyMap<TrackerKind, TrackerPort>;
  clock: Clock;
  logger: Logger;
}

export class TrackerPoller {
  private readonly unconfigured = new Set<TrackerKind>();

  constructor(private readonly d: TrackerPollerDeps) {}

  /**
   * One polling pass over linked, not-closed issues.
   * @example const { issues, report } = await poller.run(); // { issues: 3, errors: 0, report: { states: 1, lines: 2, … } }
   */
  async run(limit = POLL_BATCH): Promise<PollResult> {
    const out: PollResult = { issues: 0, errors: 0, report: { states: 0, comments: 0, lines: 0, prompts: 0, ignored: 0 } };
    // A tracker that says "slow down" is not asked again in this pass (its issues keep their turn).
    const limited = new Set<TrackerKind>();
    for (const issue of await this.d.store.trackers.openForPolling(limit)) {
      if (limited.has(issue.tracker)) continue;
      const port = this.d.ports.get(issue.tracker);
      if (!port) {
        if (!this.unconfigured.has(issue.tracker)) {
          this.unconfigured.add(issue.tracker);
          this.d.logger.warn(
            { job: 'tracker-poll', tracker: issue.tracker, issue: issue.key },
            `tracker poll: tickets are linked to ${TRACKER_NAMES[issue.tracker]} issues but trackers.${issue.tracker} is not configured; add it to frontdesk.config.yaml to hear back from them`,
          );
        }
        continue;
      }
      try {
        const r = await this.pollOne(port, issue);
        out.issues += 1;
        for (const k of Object.keys(r) as (keyof ApplyReport)[]) out.report[k] += r[k];
      } catch (e) {
        out.errors += 1;
        if (e instanceof TrackerError && e.code === 'rate_limited') limited.add(issue.tracker);
        const fix = e instanceof TrackerError ? FIX[e.code](issue.tracker) : 'see the error; it is tried again on the next poll';
        this.d.logger.error(
          { job: 'tracker-poll', tracker: issue.tracker, issue: issue.key, code: e instanceof TrackerError ? e.code : undefined, err: e },
          `tracker poll: could not read ${TRACKER_NAMES[issue.tracker]} ${issue.key}: ${(e as Error).message} — ${fix}`,
        );
      }
    }
    return out;
  }

  /** Read one issue and its new comments; apply them with the poll mark in one transaction. */
  private async pollOne(port: TrackerPort, issue: StoredIssue): Promise<ApplyReport> {
    const since = Math.max(0, (issue.polledAt ?? issue.createdAt) - COMMENT_OVERLAP_MS);
    const startedAt = this.d.clock.now();
    const fresh = await port.getIssue(issue.key);
    const comments = await port.commentsSince(issue.key, since);
    const ref = { tracker: issue.tracker, key: issue.key, url: issue.url };
    const events: TrackerEvent[] = [
      ...comments.map((c): TrackerEvent => ({ id: `poll:${issue.tracker}:${issue.key}:comment:${c.id}`, kind: 'comment', issue: ref, comment: c })),
      { id: `poll:${issue.tracker}:${issue.key}@${fresh.updatedAt}`, kind: 'state', issue: { ...fresh, tracker: issue.tracker, key: issue.key }, actor: null },
    ];
    const db = this.d.hearBack.db;
    return syncTx(db, () => {
      const r = this.d.hearBack.apply(events, 'poll');
      this.d.hearBack.repo.markPolled(issue.id, startedAt);
      return r;
    });
  }
}
