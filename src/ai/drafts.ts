/**
 * Suggested replies: draft one in the channel's persona (one at a time per ticket), store it and
 * record it on the timeline, deliver it to agents where the two-audiences rule puts work, and
 * carry out the agent's decision — send it (as the approving agent, counting as their first
 * response) or discard it — exactly once, however many copies of the draft were clicked.
 */
import type { InteractionResult } from '../commands/interaction-types.js';
import { splitValue } from '../commands/interactions.js';
import type { FrontdeskConfig } from '../config/schema.js';
import { InputInvalidError } from '../domain/errors.js';
import { isOpen } from '../domain/lifecycle.js';
import type { Ticket } from '../domain/types.js';
import type { Clock } from '../ports/clock.js';
import type { MessageView } from '../ports/message-view.js';
import type { Directory } from '../routing/directory.js';
import type { AiRepo, StoredDraft } from '../store/ai-repo.js';
import type { TicketService } from '../tickets/ticket-service.js';
import {
  decidedDraftView,
  draftAlreadyDecided,
  draftingNotice,
  draftNotFound,
  emptyReplyError,
  replyDiscardedNotice,
  replySentNotice,
  ticketClosedForDrafts,
} from '../views/draft-view.js';
import { type DraftSlot, draftView } from '../views/ticket-card.js';
import type { Logger } from 'pino';
import type { AiClient } from './anthropic-client.js';
import type { BackgroundWork } from './background.js';
import { within } from '../util/within.js';
import type { CaseLookup } from './case-lookup.js';
import { draftReply } from './draft-reply.js';
import type { Persona } from './personas.js';

const BOT = 'frontdesk';
/** A draft for an unassigned ticket goes privately to at most this many team members. */
export const MAX_DRAFT_RECIPIENTS = 5;

export interface DraftsDeps {
  config: FrontdeskConfig;
  clock: Clock;
  logger: Logger;
  tickets: TicketService;
  directory: Directory;
  ai: AiClient;
  repo: AiRepo;
  cases: CaseLookup;
  work: BackgroundWork;
  personaFor(t: Ticket): Persona;
  /** How long a click waits for a new draft before answering "on its way". */
  answerWithinMs: number;
}

export class Drafts {
  private readonly drafting = new Map<number, Promise<StoredDraft | null>>();

  constructor(private readonly d: DraftsDeps) {}

  /** The draft as the card and the private copy show it, with the reason it was drafted that way. */
  slotOf(draft: StoredDraft): DraftSlot {
    const ev = this.d.tickets.repo
      .events(draft.ticketId)
      .filter((e) => e.type === 'reply_drafted' && e.data.draftId === draft.id)
      .pop();
    const reason = typeof ev?.data.reason === 'string' ? ev.data.reason : undefined;
    return { id: draft.id, text: draft.text, path: draft.path, sources: draft.sources, suggestions: draft.suggestions, ...(reason ? { reason } : {}) };
  }

  private async makeDraft(ticketId: number, actor: string): Promise<StoredDraft | null> {
    const { tickets, cases, repo, ai, work } = this.d;
    const t = tickets.repo.get(ticketId);
    if (!t || t.deleted || !isOpen(t.status)) return null;
    const persona = this.d.personaFor(t);
    const due = cases.firstResponseDue(t);
    const reply = await draftReply(
      { ai },
      { ticket: t, thread: cases.threadOf(t), similar: cases.similarTo(t), persona, escalated: cases.wasEscalated(t), ...(due ? { firstResponseDue: due } : {}) },
    );
    if (work.closed) return null;
    const saved: { id: number | null } = { id: null };
    tickets.change(t.id, actor, (cur, now) => {
      if (!isOpen(cur.status)) return null;
      const id = repo.saveDraft(cur.id, { persona: persona.id, text: reply.text, sources: reply.sources, suggestions: reply.suggestions, path: reply.path }, now);
      saved.id = id;
      return {
        patch: {},
        events: [{ type: 'reply_drafted', data: { draftId: id, path: reply.path, reason: reply.reason ?? null, persona: persona.id, sources: reply.sources } }],
      };
    });
    return saved.id === null ? null : repo.getDraft(saved.id);
  }

  /** Draft (or re-draft) the suggested reply for a ticket; null when it is closed. One at a time per ticket. */
  draft(ref: string | number, actor = BOT): Promise<StoredDraft | null> {
    const t = this.d.tickets.require(ref);
    const inFlight = this.drafting.get(t.id);
    if (inFlight) return inFlight;
    const p = this.d.work.track(
      (async () => {
        try {
          return await this.makeDraft(t.id, actor);
        } finally {
          this.drafting.delete(t.id);
        }
      })(),
    );
    this.drafting.set(t.id, p);
    return p;
  }

  /** Agents who get a new draft privately: the owner, else the team (at most 5, not away). */
  recipients(t: Ticket): string[] {
    if (t.ownerId) return [t.ownerId];
    const team = this.d.config.teams.find((x) => x.id === t.team);
    return (team?.members ?? []).filter((m) => !this.d.directory.isAway(m)).slice(0, MAX_DRAFT_RECIPIENTS);
  }

  /**
   * Deliver a draft to agents where the two-audiences rule puts work: the ticket's internal
   * thread in triage mode (once per draft), else privately to each user (once per user and draft).
   */
  deliver(t: Ticket, draft: StoredDraft, users: readonly string[]): void {
    if (t.platform === 'cli' || draft.status !== 'pending') return;
    this.d.tickets.messenger.send(t, draftView(t, this.slotOf(draft)), { purpose: 'work', key: `draft-private:${draft.id}`, to: users });
  }

  /** "T-1042|17" → the ticket and its draft; a clear error when they do not belong together. */
  fromValue(value: string): { t: Ticket; d: StoredDraft } {
    const [key, idText] = splitValue(value);
    const t = this.d.tickets.require(key);
    const d = /^\d+$/.test(idText) ? this.d.repo.getDraft(Number(idText)) : null;
    if (!d || d.ticketId !== t.id) throw new InputInvalidError(draftNotFound(value));
    return { t, d };
  }

  /** The draft's copy after its decision (no buttons; who and when). */
  decidedCopy(t: Ticket, draft: StoredDraft): MessageView {
    return decidedDraftView(t, draft, this.d.config.timezone, (id) => this.d.directory.nameOf(id));
  }

  /** A click on a copy of a draft that was decided meanwhile: say so privately and update that copy. */
  alreadyDecided(t: Ticket, draft: StoredDraft): InteractionResult {
    const cur = this.d.repo.getDraft(draft.id) ?? draft;
    return { ephemeral: draftAlreadyDecided(t, cur, this.d.config.timezone, (id) => this.d.directory.nameOf(id)), replace: this.decidedCopy(t, cur) };
  }

  /** Post the approved text in the thread as the bot, mark the first response, record who approved it. */
  send(t: Ticket, draft: StoredDraft, text: string, userId: string): InteractionResult {
    const { repo, clock, tickets } = this.d;
    const clean = text.trim();
    if (!clean) throw new InputInvalidError(emptyReplyError());
    const edited = clean !== draft.text.trim();
    // Decided once, and the reply queued in the same transaction.
    const decided = repo.decideDraftThen(draft.id, 'sent', userId, clock.now(), () => {
      // Posted in the customer's thread in the approving agent's name; counts as their response.
      tickets.replyToCustomer(t.id, userId, clean, 'suggested_reply', `draft-sent:${draft.id}`, [
        { type: 'reply_sent', data: { draftId: draft.id, path: draft.path, edited, approvedBy: userId, text: clean } },
      ]);
    });
    if (!decided) return this.alreadyDecided(t, draft);
    return { ephemeral: replySentNotice(t, edited), replace: this.decidedCopy(t, repo.getDraft(draft.id) ?? draft) };
  }

  /** Discard the draft (once), recorded on the timeline. */
  discard(t: Ticket, draft: StoredDraft, userId: string): InteractionResult {
    const { repo, clock, tickets } = this.d;
    const decided = repo.decideDraftThen(draft.id, 'discarded', userId, clock.now(), () => {
      tickets.change(t.id, userId, () => ({ patch: {}, events: [{ type: 'reply_discarded', data: { draftId: draft.id, path: draft.path } }] }));
    });
    if (!decided) return this.alreadyDecided(t, draft);
    return { ephemeral: replyDiscardedNotice(t), replace: this.decidedCopy(t, repo.getDraft(draft.id) ?? draft) };
  }

  /** Draft anew and show the result to the clicker (privately through the outbox if it takes long). */
  async redraftFor(t: Ticket, userId: string): Promise<{ ephemeral: MessageView }> {
    const { tickets, work, logger } = this.d;
    if (!isOpen(t.status)) return { ephemeral: ticketClosedForDrafts(t) };
    const pending = this.draft(t.id, userId);
    const r = await within(pending, this.d.answerWithinMs);
    if (!r.done) {
      void work
        .track(pending)
        .then((nd) => {
          const cur = nd && !work.closed ? tickets.repo.get(t.id) : null;
          if (nd && cur) this.deliver(cur, nd, [userId]);
        })
        .catch((e: unknown) => logger.error({ err: e, ticket: t.key }, 'suggested reply failed'));
      return { ephemeral: draftingNotice(t) };
    }
    if (!r.value) return { ephemeral: ticketClosedForDrafts(tickets.require(t.id)) };
    return { ephemeral: draftView(tickets.require(t.id), this.slotOf(r.value)) };
  }

  /** The pending draft for whoever asked, or a new one. */
  showFor(key: string, userId: string): InteractionResult | Promise<InteractionResult> {
    const t = this.d.tickets.require(key);
    const d = this.d.repo.latestDraft(t.id);
    if (d?.status === 'pending') return { ephemeral: draftView(t, this.slotOf(d)) };
    return this.redraftFor(t, userId);
  }
}
