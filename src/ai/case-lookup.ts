/**
 * The case data a draft or plan is grounded in, read from the ticket store: the thread (without
 * the opening message), resolved tickets that look alike (key, category and scrubbed resolution
 * note only), whether the ticket was really escalated, and when the first response is due.
 */
import { DateTime } from 'luxon';
import type { FrontdeskConfig } from '../config/schema.js';
import type { Ticket } from '../domain/types.js';
import type { Clock } from '../ports/clock.js';
import type { Directory } from '../routing/directory.js';
import { slaState } from '../sla/policy.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { groundingNote, type SimilarTicket, type ThreadMessage } from './case-data.js';
import type { Redactor } from './redact.js';

/** Similar resolved tickets a draft or plan is grounded in. */
const SIMILAR_LIMIT = 3;

export interface CaseLookupDeps {
  config: FrontdeskConfig;
  clock: Clock;
  tickets: TicketService;
  directory: Directory;
  /** Scrubs names and identifiers from resolution notes (the AI client's redactor). */
  redactor: Redactor;
}

export class CaseLookup {
  constructor(private readonly d: CaseLookupDeps) {}

  /** The ticket's thread after the opening message, as roles and text. */
  threadOf(t: Ticket): ThreadMessage[] {
    return this.d.tickets.repo
      .messages(t.id)
      .filter((m) => !m.deleted && m.messageId !== t.sourceMessageId)
      .map((m) => ({ role: m.authorRole, text: m.text }));
  }

  /**
   * What the team learned from a resolved ticket: the note written when resolving it, scrubbed of
   * names and identifiers. Never that ticket's messages or the replies sent to its customer.
   */
  resolutionOf(s: Ticket): string | null {
    const { tickets, directory, redactor } = this.d;
    const events = tickets.repo.events(s.id);
    const resolvedAt = events.filter((e) => e.type === 'status_changed' && e.data.to === 'resolved').pop();
    if (!resolvedAt) return null;
    // The resolution note for that resolution (the form, or `/ticket resolve ID note`); older
    // tickets: a note written together with the resolution.
    const note =
      events.filter((e) => e.type === 'resolution_note' && e.at >= resolvedAt.at).pop() ??
      events.find((e) => e.type === 'note' && e.at === resolvedAt.at && e.actor === resolvedAt.actor);
    if (typeof note?.data.text !== 'string' || !note.data.text.trim()) return null;
    const people = [s.requesterId, s.ownerId, resolvedAt.actor, ...tickets.repo.messages(s.id).map((m) => m.authorId)].filter((id): id is string => Boolean(id));
    const names = [s.requesterName, ...people, ...people.map((id) => directory.nameOf(id))];
    return groundingNote(note.data.text, names, redactor) || null;
  }

  /** Whether someone really escalated the ticket (or linked it to an incident): drafts only claim it then. */
  wasEscalated(t: Ticket): boolean {
    return t.incidentKey !== null || this.d.tickets.repo.events(t.id).some((e) => e.type === 'escalated');
  }

  /** Resolved tickets that look alike: key, category and resolution note only (no titles, no messages). */
  similarTo(t: Ticket): SimilarTicket[] {
    return this.d.tickets.repo
      .similar(t.text, { resolvedOnly: true, limit: SIMILAR_LIMIT, excludeId: t.id })
      .map((s) => ({ key: s.key, category: s.category, resolution: this.resolutionOf(s) }));
  }

  /** "Mon 23 Nov, 14:00 UTC" in the desk time zone, while the first response is still due. */
  firstResponseDue(t: Ticket): string | undefined {
    if (t.firstResponseAt !== null) return undefined;
    const due = slaState(t, this.d.clock.now()).firstResponse.dueAt;
    return due === null ? undefined : DateTime.fromMillis(due, { zone: this.d.config.timezone }).toFormat('ccc d LLL, HH:mm ZZZZ');
  }
}
