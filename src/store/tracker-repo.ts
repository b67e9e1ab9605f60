/**
 * Tracker issues and their links to tickets (migration 0015). One row per external issue,
 * shared by every ticket linked to it; the hand-off service writes here in the same transaction
 * as the tickets' timeline events.
 */
import type { IssueRef, TrackerIssue, TrackerKind } from '../ports/tracker-port.js';
import type { Db } from './db.js';

export interface StoredIssue extends TrackerIssue {
  id: number;
  createdBy: string | null;
  createdAt: number;
  polledAt: number | null;
}

export interface IssueLink {
  ticketId: number;
  issueId: number;
  linkedBy: string;
  linkedAt: number;
}

interface Row {
  id: number;
  tracker: TrackerKind;
  issue_key: string;
  url: string;
  title: string;
  state: TrackerIssue['state'];
  state_label: string;
  close_reason: TrackerIssue['closeReason'];
  assignee: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  polled_at: number | null;
}

const toIssue = (r: Row): StoredIssue => ({
  id: r.id,
  tracker: r.tracker,
  key: r.issue_key,
  url: r.url,
  title: r.title,
  state: r.state,
  stateLabel: r.state_label,
  closeReason: r.close_reason,
  assignee: r.assignee,
  updatedAt: r.updated_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  polledAt: r.polled_at,
});

export class TrackerRepo {
  constructor(private readonly db: Db) {}

  /**
   * Insert the issue or refresh its state; returns the stored row. A state older than the one
   * stored (an out-of-order webhook) does not overwrite it.
   */
  upsert(issue: TrackerIssue, at: number, createdBy: string | null = null): StoredIssue {
    const r = this.db
      .prepare<unknown[], Row>(
        `INSERT INTO tracker_issues (tracker, issue_key, url, title, state, state_label, close_reason, assignee, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tracker, issue_key) DO UPDATE SET
           url = excluded.url, title = excluded.title, state = excluded.state, state_label = excluded.state_label,
           close_reason = excluded.close_reason, assignee = excluded.assignee, updated_at = excluded.updated_at
         WHERE excluded.updated_at >= tracker_issues.updated_at
         RETURNING *`,
      )
      .get(issue.tracker, issue.key, issue.url, issue.title, issue.state, issue.stateLabel, issue.closeReason, issue.assignee, createdBy, at, issue.updatedAt);
    return r ? toIssue(r) : (this.find(issue) as StoredIssue);
  }

  find(ref: Pick<IssueRef, 'tracker' | 'key'>): StoredIssue | null {
    const r = this.db.prepare<[string, string], Row>('SELECT * FROM tracker_issues WHERE tracker = ? AND issue_key = ?').get(ref.tracker, ref.key);
    return r ? toIssue(r) : null;
  }

  get(id: number): StoredIssue | null {
    const r = this.db.prepare<[number], Row>('SELECT * FROM tracker_issues WHERE id = ?').get(id);
    return r ? toIssue(r) : null;
  }

  /** Link a ticket to an issue; false when it was already linked. */
  link(ticketId: number, issueId: number, by: string, at: number): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO ticket_issue_links (ticket_id, issue_id, linked_by, linked_at) VALUES (?, ?, ?, ?)').run(ticketId, issueId, by, at).changes > 0;
  }

  unlink(ticketId: number, issueId: number): boolean {
    return this.db.prepare('DELETE FROM ticket_issue_links WHERE ticket_id = ? AND issue_id = ?').run(ticketId, issueId).changes > 0;
  }

  /** Issues linked to a ticket, oldest link first. */
  issuesOf(ticketId: number): (StoredIssue & { linkedBy: string; linkedAt: number })[] {
    return this.db
      .prepare<[number], Row & { linked_by: string; linked_at: number }>(
        `SELECT i.*, l.linked_by, l.linked_at FROM ticket_issue_links l JOIN tracker_issues i ON i.id = l.issue_id
         WHERE l.ticket_id = ? ORDER BY l.linked_at, i.id`,
      )
      .all(ticketId)
      .map((r) => ({ ...toIssue(r), linkedBy: r.linked_by, linkedAt: r.linked_at }));
  }

  /** Ticket ids linked to an issue. */
  ticketsOf(issueId: number): number[] {
    return this.db
      .prepare<[number], { ticket_id: number }>('SELECT ticket_id FROM ticket_issue_links WHERE issue_id = ? ORDER BY linked_at, ticket_id')
      .all(issueId)
      .map((r) => r.ticket_id);
  }

  /** Linked issues not closed, least recently polled first (the polling fallback's work list). */
  openForPolling(limit: number): StoredIssue[] {
    return this.db
      .prepare<[number], Row>(
        `SELECT * FROM tracker_issues i WHERE state <> 'closed' AND EXISTS (SELECT 1 FROM ticket_issue_links l WHERE l.issue_id = i.id)
         ORDER BY COALESCE(polled_at, 0), id LIMIT ?`,
      )
      .all(limit)
      .map(toIssue);
  }

  markPolled(id: number, at: number): void {
    this.db.prepare('UPDATE tracker_issues SET polled_at = ? WHERE id = ?').run(at, id);
  }

  /**
   * Open tickets that wait on an open linked issue (the digest's "waiting on engineering"), oldest
   * link first: the ticket, the issue, and when the ticket was first linked to an open issue.
   */
  waitingOnEngineering(limit = 50): { ticketId: number; ticketKey: string; priority: string; issue: StoredIssue; linkedAt: number }[] {
    return this.db
      .prepare<[number], Row & { ticket_id: number; ticket_key: string; priority: string; linked_at: number }>(
        `SELECT i.*, t.id AS ticket_id, t.key AS ticket_key, t.priority AS priority, MIN(l.linked_at) AS linked_at
         FROM ticket_issue_links l JOIN tracker_issues i ON i.id = l.issue_id JOIN tickets t ON t.id = l.ticket_id
         WHERE i.state <> 'closed' AND t.deleted = 0 AND t.status NOT IN ('resolved','closed')
         GROUP BY t.id ORDER BY linked_at, t.id LIMIT ?`,
      )
      .all(limit)
      .map((r) => ({ ticketId: r.ticket_id, ticketKey: r.ticket_key, priority: r.priority, issue: toIssue(r), linkedAt: r.linked_at }));
  }

  // A preview of an issue (the form an agent submits) is remembered between opening and
  // submitting, so a double submit creates one issue. Kept in conversation_refs (form state).

  /** Remember a preview's state under `key`. */
  savePreview(key: string, state: object, at: number): void {
    this.db
      .prepare("INSERT OR REPLACE INTO conversation_refs (platform, key, reference, updated_at) VALUES ('handoff-preview', ?, ?, ?)")
      .run(key, JSON.stringify({ ...state, status: 'open' }), at);
  }

  /** A remembered preview (with its `status`: open, creating or created), or null. */
  preview<T extends object>(key: string): (T & { status: 'open' | 'creating' | 'created'; issueKey?: string }) | null {
    const r = this.db.prepare<[string], { reference: string }>("SELECT reference FROM conversation_refs WHERE platform = 'handoff-preview' AND key = ?").get(key);
    return r ? (JSON.parse(r.reference) as T & { status: 'open' | 'creating' | 'created'; issueKey?: string }) : null;
  }

  /** Keep an agent's edits with an open preview (after the tracker refused it), so a retry starts from them. */
  keepPreviewEdits(key: string, edits: object, at: number): void {
    this.db
      .prepare("UPDATE conversation_refs SET reference = json_set(reference, '$.edits', json(?)), updated_at = ? WHERE platform = 'handoff-preview' AND key = ?")
      .run(JSON.stringify(edits), at, key);
  }

  /** The newest open preview with kept edits whose key starts with `prefix`, made by `by`. */
  openPreviewWithEdits<T extends object>(prefix: string, by: string): { key: string; state: T } | null {
    const r = this.db
      .prepare<[string, string], { key: string; reference: string }>(
        `SELECT key, reference FROM conversation_refs WHERE platform = 'handoff-preview' AND key LIKE ? || '%'
         AND json_extract(reference, '$.status') = 'open' AND json_extract(reference, '$.by') = ? AND json_extract(reference, '$.edits') IS NOT NULL
         ORDER BY updated_at DESC LIMIT 1`,
      )
      .get(prefix, by);
    return r ? { key: r.key, state: JSON.parse(r.reference) as T } : null;
  }

  /** Move a preview from `from` to `to` status; false when it was not in `from` (someone else got there first). */
  movePreview(key: string, from: 'open' | 'creating', to: 'open' | 'creating' | 'created', at: number, issueKey?: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE conversation_refs SET reference = json_set(reference, '$.status', ?, '$.issueKey', ?), updated_at = ?
           WHERE platform = 'handoff-preview' AND key = ? AND json_extract(reference, '$.status') = ?`,
        )
        .run(to, issueKey ?? null, at, key, from).changes > 0
    );
  }

  /**
   * Durably mark an open preview "creating" with what is about to be sent to the tracker (its
   * hand-off ref is in the issue body), before the tracker call: after a crash the issue is found
   * by that ref and adopted instead of created twice. False when it was not open.
   */
  beginCreate(key: string, pending: object, at: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE conversation_refs SET reference = json_set(reference, '$.status', 'creating', '$.pending', json(?)), updated_at = ?
           WHERE platform = 'handoff-preview' AND key = ? AND json_extract(reference, '$.status') = 'open'`,
        )
        .run(JSON.stringify(pending), at, key).changes > 0
    );
  }

  /** Previews left "creating" (a crash or an unsure tracker answer), last touched at or before `before`, oldest first. */
  creatingPreviews<T extends object>(before: number, limit = 20): { key: string; updatedAt: number; state: T }[] {
    return this.db
      .prepare<[number, number], { key: string; reference: string; updated_at: number }>(
        `SELECT key, reference, updated_at FROM conversation_refs WHERE platform = 'handoff-preview'
         AND json_extract(reference, '$.status') = 'creating' AND updated_at <= ? ORDER BY updated_at LIMIT ?`,
      )
      .all(before, limit)
      .map((r) => ({ key: r.key, updatedAt: r.updated_at, state: JSON.parse(r.reference) as T }));
  }

  /** Touch a "creating" preview (a recovery check found nothing yet), so the next check waits its turn. */
  touchCreating(key: string, at: number): void {
    this.db.prepare("UPDATE conversation_refs SET updated_at = ? WHERE platform = 'handoff-preview' AND key = ? AND json_extract(reference, '$.status') = 'creating'").run(at, key);
  }
}
