/**
 * Applying tracker news to linked tickets (see src/handoff/hear-back.ts for the feature): a state
 * change is stored (TrackerRepo.upsert), put on each linked ticket's timeline (`tracker_state`)
 * and said as one line in its internal thread, with a card refresh; an engineer's comment (not
 * frontdesk's own) is shortened and posted internally (`tracker_comment`); a close raises the
 * fix-update prompt with a drafted customer update (`fix_update_prompted`).
 *
 * Idempotent: a state is applied only when it is newer than and different from the stored one, a
 * comment only once per ticket (by its id), so a webhook and a poll of the same change act once.
 */
import { cardChannelOf } from '../audience/placement.js';
import type { Ticket } from '../domain/types.js';
import type { IssueRef, TrackerComment, TrackerEvent, TrackerIssue } from '../ports/tracker-port.js';
import type { Clock } from '../ports/clock.js';
import type { Db } from '../store/db.js';
import { type StoredIssue, TrackerRepo } from '../store/tracker-repo.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { commentLineView, type FixUpdatePrompt, fixUpdateDraft, fixUpdatePromptView, stateLineView } from '../views/fix-update-view.js';
import type { Logger } from 'pino';
import { syncTx } from '../store/sync-tx.js';

/** Where an event came from (recorded on the timeline). */
export type EventSource = 'webhook' | 'poll';

/** What applying events did (tests, logs, the webhook's answer). */
export interface ApplyReport {
  /** State changes applied (per issue, not per ticket). */
  states: number;
  comments: number;
  /** Ticket lines queued (state and comment lines over all linked tickets). */
  lines: number;
  /** Fix-update prompts raised. */
  prompts: number;
  /** Events about issues no ticket is linked to, stale or repeated states, bot comments. */
  ignored: number;
}

const emptyReport = (): ApplyReport => ({ states: 0, comments: 0, lines: 0, prompts: 0, ignored: 0 });

/** Actor recorded on the timeline for tracker news: the bot (webhook) or the scheduler (polling); who did it on the tracker is in the data. */
const ACTOR: Record<EventSource, string> = { webhook: 'frontdesk', poll: 'system' };

/** A prompt's id: the issue row and the tracker's update time of the close (a re-close is a new prompt). */
export function promptId(issueId: number, updatedAt: number): string {
  return `${issueId}.${updatedAt}`;
}

export interface HearBackDeps {
  db: Db;
  clock: Clock;
  tickets: TicketService;
  logger: Logger;
}

export class HearBack {
  readonly repo: TrackerRepo;

  constructor(private readonly d: HearBackDeps) {
    this.repo = new TrackerRepo(d.db);
  }

  get db(): Db {
    return this.d.db;
  }

  /**
   * Apply events in ONE transaction (joined with the caller's, e.g. the webhook's replay record).
   * Idempotent: applying the same events again changes nothing and says nothing.
   * @example hearBack.apply([{ id: 'd1', kind: 'state', issue, actor: 'octocat' }], 'webhook') // { states: 1, lines: 2, prompts: 2, … }
   */
  apply(events: readonly TrackerEvent[], via: EventSource): ApplyReport {
    const report = emptyReport();
    syncTx(this.d.db, () => {
      for (const ev of events) {
        if (ev.kind === 'state') this.applyState(ev.issue, ev.actor, ev.id, via, report);
        else this.applyComment(ev.issue, ev.comment, ev.id, via, report);
      }
    });
    return report;
  }

  /** Tickets linked to an issue that still exist (deleted ones are skipped). */
  private linkedTickets(issue: StoredIssue): Ticket[] {
    return this.repo
      .ticketsOf(issue.id)
      .map((id) => this.d.tickets.repo.get(id))
      .filter((t): t is Ticket => Boolean(t && !t.deleted));
  }

  private applyState(next: TrackerIssue, actor: string | null, eventId: string, via: EventSource, report: ApplyReport): void {
    const stored = this.repo.find(next);
    if (!stored || next.updatedAt < stored.updatedAt) {
      report.ignored += 1;
      return;
    }
    const changed =
      stored.state !== next.state ||
      stored.stateLabel.toLowerCase() !== next.stateLabel.toLowerCase() ||
      (next.state === 'closed' && stored.closeReason !== next.closeReason);
    const now = this.d.clock.now();
    const issue = this.repo.upsert(next, now);
    if (!changed) {
      report.ignored += 1;
      return;
    }
    report.states += 1;
    const { tickets } = this.d;
    for (const t of this.linkedTickets(issue)) {
      tickets.repo.appendEvent(t.id, 'tracker_state', ACTOR[via], now, {
        tracker: issue.tracker,
        issue: issue.key,
        url: issue.url,
        from: stored.stateLabel,
        to: issue.stateLabel,
        state: issue.state,
        closeReason: issue.state === 'closed' ? issue.closeReason : null,
        by: actor,
        via,
        eventId,
      });
      // The card shows linked issues with their state: refresh it.
      if (t.platform !== 'cli') tickets.outbox.enqueueCardUpdate(t.platform, t.id, cardChannelOf(t));
      tickets.messenger.send(t, stateLineView(t, { issue, actor }), { purpose: 'work', key: `tracker-state:${t.id}:${issue.id}:${issue.updatedAt}:${issue.state}` });
      report.lines += 1;
      if (issue.state === 'closed' && stored.state !== 'closed') {
        this.prompt(t, issue, now, via);
        report.prompts += 1;
      }
    }
  }

  /** Raise the fix-update prompt for one ticket (inside the transaction). */
  private prompt(t: Ticket, issue: StoredIssue, now: number, via: EventSource): void {
    const id = promptId(issue.id, issue.updatedAt);
    const p: FixUpdatePrompt = {
      prompt: id,
      issue: { tracker: issue.tracker, key: issue.key, url: issue.url, stateLabel: issue.stateLabel },
      reason: issue.closeReason,
      draft: fixUpdateDraft(t, issue.closeReason),
      ownerId: t.ownerId,
    };
    const { tickets } = this.d;
    tickets.repo.appendEvent(t.id, 'fix_update_prompted', ACTOR[via], now, {
      prompt: id,
      tracker: issue.tracker,
      issue: issue.key,
      url: issue.url,
      reason: issue.closeReason,
      draft: p.draft,
      to: t.ownerId,
    });
    // Triage mode: in the internal thread (mentioning the owner). Inline mode: a DM to the owner,
    // else the team (a DM, not an ephemeral, so its buttons can replace it once decided).
    tickets.messenger.send(t, fixUpdatePromptView(t, p), { purpose: 'work', key: `fix-update:${t.id}:${id}`, dm: true, ...(t.ownerId ? { to: [t.ownerId] } : {}) });
  }

  private applyComment(ref: IssueRef, c: TrackerComment, eventId: string, via: EventSource, report: ApplyReport): void {
    const issue = this.repo.find(ref);
    if (!issue || c.byBot) {
      report.ignored += 1;
      return;
    }
    const now = this.d.clock.now();
    const { tickets } = this.d;
    let any = false;
    for (const t of this.linkedTickets(issue)) {
      const seen = tickets.repo
        .events(t.id)
        .some((e) => e.type === 'tracker_comment' && e.data.tracker === issue.tracker && e.data.issue === issue.key && e.data.commentId === c.id);
      if (seen) continue;
      tickets.repo.appendEvent(t.id, 'tracker_comment', ACTOR[via], now, {
        tracker: issue.tracker,
        issue: issue.key,
        url: issue.url,
        commentId: c.id,
        author: c.author,
        at: c.at,
        via,
        eventId,
      });
      tickets.messenger.send(t, commentLineView(t, issue, c.author, c.body), { purpose: 'work', key: `tracker-comment:${t.id}:${issue.id}:${c.id}` });
      report.lines += 1;
      any = true;
    }
    if (any) report.comments += 1;
    else report.ignored += 1;
  }
}

