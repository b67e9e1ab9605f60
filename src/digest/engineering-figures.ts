/**
 * "Waiting on engineering" for the leads' digest: open tickets whose linked issue is still open
 * in the tracker (GitHub, Jira, Linear), oldest hand-off first, with how long they have waited.
 */
import type { Db } from '../store/db.js';
import { TrackerRepo } from '../store/tracker-repo.js';

export interface WaitingItem {
  key: string;
  priority: string;
  /** "GitHub acme/app#12" parts. */
  tracker: string;
  issueKey: string;
  url: string;
  /** The tracker's own state name ("open", "In Review"). */
  stateLabel: string;
  /** ms since the ticket was first linked to an open issue. */
  waitingMs: number;
}

export interface EngineeringFigures {
  count: number;
  items: WaitingItem[];
}

/** Shown at most (the count is the whole number). */
const MAX_ITEMS = 8;

/**
 * The digest's figures, or null when no open ticket waits on an issue.
 * @example buildEngineeringFigures(db, now) // { count: 2, items: [{ key: 'T-1042', issueKey: 'acme/app#12', waitingMs: 172800000, … }] }
 */
export function buildEngineeringFigures(db: Db, now: number): EngineeringFigures | null {
  const all = new TrackerRepo(db).waitingOnEngineering(500);
  if (all.length === 0) return null;
  return {
    count: all.length,
    items: all.slice(0, MAX_ITEMS).map((w) => ({
      key: w.ticketKey,
      priority: w.priority,
      tracker: w.issue.tracker,
      issueKey: w.issue.key,
      url: w.issue.url,
      stateLabel: w.issue.stateLabel,
      waitingMs: Math.max(0, now - w.linkedAt),
    })),
  };
}
