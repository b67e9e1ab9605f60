/**
 * TrackerPort: the engineering hand-off's view of an issue tracker (GitHub Issues, Jira Cloud,
 * Linear). The core speaks only this; each vendor's implementation lives in src/trackers/ and
 * talks to the vendor through its maintained client library. Everything a tracker holds is
 * internal: nothing read from a tracker is shown to a customer unless an agent sends it.
 */
import type { Priority } from '../domain/types.js';

export type TrackerKind = 'github' | 'jira' | 'linear';

/** The tracker's state of an issue, reduced to what the ticket flow acts on. */
export type IssueState = 'open' | 'in_progress' | 'closed';

/** How a closed issue was closed (GitHub state_reason, Jira resolution, Linear state type). */
export type CloseReason = 'completed' | 'not_planned' | null;

/** Identifies an issue across trackers: `owner/repo#12` (GitHub), `OPS-12` (Jira), `ENG-42` (Linear). */
export interface IssueRef {
  tracker: TrackerKind;
  key: string;
  url: string;
}

export interface TrackerIssue extends IssueRef {
  title: string;
  state: IssueState;
  /** The tracker's own name of the state ("In Review", "open", "Done"). */
  stateLabel: string;
  closeReason: CloseReason;
  /** Display name or login of the assignee, when the tracker says. */
  assignee: string | null;
  /** Epoch ms of the tracker's last update. */
  updatedAt: number;
}

/** Where a new issue goes, resolved from config (trackers.routes) before calling the port. */
export interface IssueTarget {
  /** GitHub `owner/repo`; Jira project key; Linear team key (or id). */
  project: string;
  labels: string[];
  /** Jira issue type name (e.g. "Bug"); ignored by the others. */
  issueType?: string;
}

export interface NewIssue {
  target: IssueTarget;
  title: string;
  /** Markdown body (already redacted and approved by the agent in the preview). */
  body: string;
  priority: Priority;
}

export interface TrackerComment {
  id: string;
  author: string;
  body: string;
  /** Epoch ms. */
  at: number;
  /** True when the comment was written by frontdesk itself (not echoed back as news). */
  byBot: boolean;
}

/**
 * Something that happened to an issue, from a webhook or from polling. `id` is stable for the
 * same happening (delivery id, or issue key + updated time when polling) so it is applied once.
 */
export type TrackerEvent =
  | { id: string; kind: 'state'; issue: TrackerIssue; actor: string | null }
  | { id: string; kind: 'comment'; issue: IssueRef; comment: TrackerComment };

export interface TrackerPort {
  readonly kind: TrackerKind;
  /** Create an issue; returns it with its key and URL. */
  createIssue(input: NewIssue): Promise<TrackerIssue>;
  /** Read one issue's current state (polling fallback, card refresh). */
  getIssue(key: string): Promise<TrackerIssue>;
  /** Find open or recent issues by text, for "Link to existing issue" (at most `limit`). */
  searchIssues(query: string, opts?: { project?: string; limit?: number }): Promise<TrackerIssue[]>;
  /** Add a comment (e.g. "another customer reports this: <internal link>"). */
  addComment(key: string, body: string): Promise<TrackerComment>;
  /** Attach a link back to the internal ticket thread (Jira remote link, Linear attachment, GitHub comment). */
  addLink(key: string, link: { url: string; title: string }): Promise<void>;
  /** Comments newer than `since` (epoch ms), oldest first (polling fallback). */
  commentsSince(key: string, since: number): Promise<TrackerComment[]>;
  /**
   * Optional: the issue whose body contains `marker` (a hand-off ref, see src/handoff/), found
   * exactly and without waiting for a search index; null when none. Without it the hand-off
   * searches for the ref and checks the title.
   */
  findByMarker?(marker: string, opts?: { project?: string }): Promise<TrackerIssue | null>;
  /**
   * Optional: one cheap authenticated read of `project` (repository, project key, team), made
   * once after start so a refused token or a typo'd project is found before the first Create.
   * Resolves when the token may read it; otherwise throws a TrackerError saying what to fix.
   */
  check?(project: string): Promise<void>;
}

/** Verifies and reads one vendor's webhook deliveries (HTTP layer stays in the core). */
export interface TrackerWebhook {
  readonly kind: TrackerKind;
  /**
   * Check the delivery's signature against the shared secret over the raw body bytes.
   * Returns null when valid, else a short reason ("missing X-Hub-Signature-256 header", "signature mismatch").
   */
  verify(headers: Record<string, string | string[] | undefined>, rawBody: Buffer, secret: string): string | null;
  /** A stable id of the delivery for replay protection (X-GitHub-Delivery, Linear webhookId+timestamp, Jira …). */
  deliveryId(headers: Record<string, string | string[] | undefined>, body: unknown): string | null;
  /** The happenings in a verified delivery; [] for kinds frontdesk does not act on. */
  parse(headers: Record<string, string | string[] | undefined>, body: unknown): TrackerEvent[];
}

/** Error from a tracker call, with what to fix (bad token, unknown project, rate limited). */
export class TrackerError extends Error {
  constructor(
    readonly tracker: TrackerKind,
    readonly code: 'auth' | 'not_found' | 'invalid' | 'rate_limited' | 'unavailable',
    message: string,
    /** For `rate_limited`: how long the tracker asked us to wait, when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TrackerError';
  }
}
