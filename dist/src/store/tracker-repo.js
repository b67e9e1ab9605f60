const toIssue = (r) => ({
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
    db;
    constructor(db) {
        this.db = db;
    }
    /**
     * Insert the issue or refresh its state; returns the stored row. A state older than the one
     * stored (an out-of-order webhook) does not overwrite it.
     */
    upsert(issue, at, createdBy = null) {
        const r = this.db
            .prepare(`INSERT INTO tracker_issues (tracker, issue_key, url, title, state, state_label, close_reason, assignee, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tracker, issue_key) DO UPDATE SET
           url = excluded.url, title = excluded.title, state = excluded.state, state_label = excluded.state_label,
           close_reason = excluded.close_reason, assignee = excluded.assignee, updated_at = excluded.updated_at
         WHERE excluded.updated_at >= tracker_issues.updated_at
         RETURNING *`)
            .get(issue.tracker, issue.key, issue.url, issue.title, issue.state, issue.stateLabel, issue.closeReason, issue.assignee, createdBy, at, issue.updatedAt);
        return r ? toIssue(r) : this.find(issue);
    }
    find(ref) {
        const r = this.db.prepare('SELECT * FROM tracker_issues WHERE tracker = ? AND issue_key = ?').get(ref.tracker, ref.key);
        return r ? toIssue(r) : null;
    }
    get(id) {
        const r = this.db.prepare('SELECT * FROM tracker_issues WHERE id = ?').get(id);
        return r ? toIssue(r) : null;
    }
    /** Link a ticket to an issue; false when it was already linked. */
    link(ticketId, issueId, by, at) {
        return this.db.prepare('INSERT OR IGNORE INTO ticket_issue_links (ticket_id, issue_id, linked_by, linked_at) VALUES (?, ?, ?, ?)').run(ticketId, issueId, by, at).changes > 0;
    }
    unlink(ticketId, issueId) {
        return this.db.prepare('DELETE FROM ticket_issue_links WHERE ticket_id = ? AND issue_id = ?').run(ticketId, issueId).changes > 0;
    }
    /** Issues linked to a ticket, oldest link first. */
    issuesOf(ticketId) {
        return this.db
            .prepare(`SELECT i.*, l.linked_by, l.linked_at FROM ticket_issue_links l JOIN tracker_issues i ON i.id = l.issue_id
         WHERE l.ticket_id = ? ORDER BY l.linked_at, i.id`)
            .all(ticketId)
            .map((r) => ({ ...toIssue(r), linkedBy: r.linked_by, linkedAt: r.linked_at }));
    }
    /** Ticket ids linked to an issue. */
    ticketsOf(issueId) {
        return this.db
            .prepare('SELECT ticket_id FROM ticket_issue_links WHERE issue_id = ? ORDER BY linked_at, ticket_id')
            .all(issueId)
            .map((r) => r.ticket_id);
    }
    /** Linked issues not closed, least recently polled first (the polling fallback's work list). */
    openForPolling(limit) {
        return this.db
            .prepare(`SELECT * FROM tracker_issues i WHERE state <> 'closed' AND EXISTS (SELECT 1 FROM ticket_issue_links l WHERE l.issue_id = i.id)
         ORDER BY COALESCE(polled_at, 0), id LIMIT ?`)
            .all(limit)
            .map(toIssue);
    }
    markPolled(id, at) {
        this.db.prepare('UPDATE tracker_issues SET polled_at = ? WHERE id = ?').run(at, id);
    }
}
//# sourceMappingURL=tracker-repo.js.map