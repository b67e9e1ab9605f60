/** Tracker issues and their links to tickets (migration 0015) as typed Kysely queries. */
import type { Kysely, Selectable } from 'kysely';
import type { StoredIssue, TrackerRepository } from '../../ports/store.js';
import type { IssueRef, TrackerIssue, TrackerKind } from '../../ports/tracker-port.js';
import { changed } from './inbox.js';
import type { StoreDb, TrackerIssuesTable } from './schema.js';

const toIssue = (r: Selectable<TrackerIssuesTable>): StoredIssue => ({
  id: r.id,
  tracker: r.tracker as TrackerKind,
  key: r.issue_key,
  url: r.url,
  title: r.title,
  state: r.state as TrackerIssue['state'],
  stateLabel: r.state_label,
  closeReason: r.close_reason as TrackerIssue['closeReason'],
  assignee: r.assignee,
  updatedAt: r.updated_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  polledAt: r.polled_at,
});

export class KyselyTrackerRepository implements TrackerRepository {
  constructor(private readonly db: Kysely<StoreDb>) {}

  async upsert(issue: TrackerIssue, at: number, createdBy: string | null = null): Promise<StoredIssue> {
    const r = await this.db
      .insertInto('tracker_issues')
      .values({
        tracker: issue.tracker,
        issue_key: issue.key,
        url: issue.url,
        title: issue.title,
        state: issue.state,
        state_label: issue.stateLabel,
        close_reason: issue.closeReason,
        assignee: issue.assignee,
        created_by: createdBy,
        created_at: at,
        updated_at: issue.updatedAt,
      })
      .onConflict((oc) =>
        oc
          .columns(['tracker', 'issue_key'])
          .doUpdateSet((eb) => ({
            url: eb.ref('excluded.url'),
            title: eb.ref('excluded.title'),
            state: eb.ref('excluded.state'),
            state_label: eb.ref('excluded.state_label'),
            close_reason: eb.ref('excluded.close_reason'),
            assignee: eb.ref('excluded.assignee'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where((eb) => eb('excluded.updated_at', '>=', eb.ref('tracker_issues.updated_at'))),
      )
      .returningAll()
      .executeTakeFirst();
    if (r) return toIssue(r);
    const kept = await this.find(issue);
    if (!kept) throw new Error(`tracker issue ${issue.tracker} ${issue.key} vanished during an upsert`);
    return kept;
  }

  async find(ref: Pick<IssueRef, 'tracker' | 'key'>): Promise<StoredIssue | null> {
    const r = await this.db.selectFrom('tracker_issues').selectAll().where('tracker', '=', ref.tracker).where('issue_key', '=', ref.key).executeTakeFirst();
    return r ? toIssue(r) : null;
  }

  async get(id: number): Promise<StoredIssue | null> {
    const r = await this.db.selectFrom('tracker_issues').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toIssue(r) : null;
  }

  async link(ticketId: number, issueId: number, by: string, at: number): Promise<boolean> {
    const r = await this.db
      .insertInto('ticket_issue_links')
      .values({ ticket_id: ticketId, issue_id: issueId, linked_by: by, linked_at: at })
      .onConflict((oc) => oc.columns(['ticket_id', 'issue_id']).doNothing())
      .executeTakeFirst();
    return changed(r) > 0;
  }

  async unlink(ticketId: number, issueId: number): Promise<boolean> {
    const r = await this.db.deleteFrom('ticket_issue_links').where('ticket_id', '=', ticketId).where('issue_id', '=', issueId).executeTakeFirst();
    return changed(r) > 0;
  }

  async issuesOf(ticketId: number): Promise<(StoredIssue & { linkedBy: string; linkedAt: number })[]> {
    const rows = await this.db
      .selectFrom('ticket_issue_links as l')
      .innerJoin('tracker_issues as i', 'i.id', 'l.issue_id')
      .selectAll('i')
      .select(['l.linked_by', 'l.linked_at'])
      .where('l.ticket_id', '=', ticketId)
      .orderBy('l.linked_at')
      .orderBy('i.id')
      .execute();
    return rows.map((r) => ({ ...toIssue(r), linkedBy: r.linked_by, linkedAt: r.linked_at }));
  }

  async ticketsOf(issueId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('ticket_issue_links')
      .select('ticket_id')
      .where('issue_id', '=', issueId)
      .orderBy('linked_at')
      .orderBy('ticket_id')
      .execute();
    return rows.map((r) => r.ticket_id);
  }

  async openForPolling(limit: number): Promise<StoredIssue[]> {
    const rows = await this.db
      .selectFrom('tracker_issues as i')
      .selectAll('i')
      .where('i.state', '<>', 'closed')
      .where(({ exists, selectFrom }) => exists(selectFrom('ticket_issue_links as l').select('l.issue_id').whereRef('l.issue_id', '=', 'i.id')))
      .orderBy((eb) => eb.fn.coalesce('i.polled_at', eb.lit(0)))
      .orderBy('i.id')
      .limit(limit)
      .execute();
    return rows.map(toIssue);
  }

  async markPolled(id: number, at: number): Promise<void> {
    await this.db.updateTable('tracker_issues').set({ polled_at: at }).where('id', '=', id).execute();
  }
}
