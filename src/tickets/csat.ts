/**
 * Resolution and customer satisfaction (CSAT).
 *
 * - When a ticket leaves the open statuses (resolved, or closed while open), the requester gets
 *   a resolution message in their own thread — the ticket's source thread, the customer's place
 *   in both modes — asking how we did (1–5) with a "Still broken" button. It is queued in the
 *   same transaction as the resolution. Not asked when CSAT is off, for CLI tickets, or when
 *   the requester is an agent, nor after a deflection (the customer's "✅ That solved it" on a
 *   known answer: no agent's work to rate — see resolution-outcome.ts).
 * - Only the requester may answer; one answer per ticket, changeable for
 *   `csat.changeWindowHours` (default 24 h) after the first answer, on the injected Clock. A
 *   reopen followed by a new resolution asks again (a fresh survey). Every rating goes on the
 *   timeline (`csat_rated`).
 * - "Still broken" reopens the ticket in the requester's name.
 * - The resolving agent is asked for an optional resolution note (a form; closing it skips),
 *   stored on the timeline as `resolution_note` — internal, never sent to the customer.
 */
import { InputInvalidError } from '../domain/errors.js';
import type { Ticket } from '../domain/types.js';
import type { InteractionRegistry, InteractionResult } from '../commands/interaction-types.js';
import { CsatRepo } from '../store/csat-repo.js';
import { cleanText } from '../util/text.js';
import { ACTIONS, FORMS } from '../views/action-ids.js';
import {
  alreadyOpenView,
  csatClosedView,
  csatNotRequesterView,
  csatNotAskedView,
  csatNotResolvedView,
  csatQuestionView,
  csatThanksView,
  resolutionNoteForm,
  resolutionNotePromptView,
  stillBrokenView,
} from '../views/csat-view.js';
import type { MessageView } from '../ports/message-view.js';
import { notice } from '../views/ticket-views.js';
import { isOpen } from '../domain/lifecycle.js';
import { resolvedByDeflection } from './resolution-outcome.js';
import type { TicketService } from './ticket-service.js';

const H = 3_600_000;
/** Longest resolution note kept. */
export const RESOLUTION_NOTE_MAX = 1000;

/** Does acting on `t` mean acting on a ticket someone else owns? */
export function isOthersTicket(t: Ticket, actor: string): boolean {
  return t.ownerId !== null && t.ownerId !== actor;
}

export class CsatService {
  readonly repo: CsatRepo;

  constructor(private readonly svc: TicketService) {
    this.repo = new CsatRepo(svc.repo.db);
  }

  private get windowMs(): number {
    return this.svc.config.csat.changeWindowHours * H;
  }

  /** Should the requester of `t` be asked? */
  shouldAsk(t: Ticket): boolean {
    return this.svc.config.csat.enabled && t.platform !== 'cli' && !this.svc.directory.isAgent(t.requesterId);
  }

  /**
   * Ask the requester to rate the resolution: a fresh survey and the question in their thread.
   * Call inside the resolving transaction.
   */
  ask(t: Ticket, now: number): void {
    if (!this.shouldAsk(t)) return;
    // The n-th time this ticket is asked (a reopened ticket is asked again, maybe in the same ms).
    const round = this.svc.repo.events(t.id).filter((e) => e.type === 'csat_asked').length + 1;
    this.repo.ask(t.id, t.requesterId, now);
    this.svc.repo.appendEvent(t.id, 'csat_asked', 'frontdesk', now, { requester: t.requesterId, round });
    // A customer view: the two-audiences rule puts it in the requester's thread, in both modes.
    this.svc.messenger.send(t, csatQuestionView(t, this.svc.config.csat.changeWindowHours), { purpose: 'line', key: `csat-ask:${t.id}:${round}` });
  }

  /**
   * The requester's answer (1–5). Returns the private answer for whoever clicked: thanks, or why
   * nothing was recorded (not the requester, ticket open again, change window over).
   */
  rate(ref: string, rating: number, userId: string): MessageView {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new InputInvalidError(`a rating is a whole number from 1 to 5, got "${rating}"`);
    const clock = this.svc.clock;
    // Synchronous for now: the rating, its event and the card refresh commit together.
    return this.repo.tx((): MessageView => {
      const t = this.svc.require(ref);
      if (userId !== t.requesterId) return csatNotRequesterView(t);
      const s = this.repo.get(t.id);
      if (isOpen(t.status)) return csatNotResolvedView(t);
      if (!s) return csatNotAskedView(t);
      const now = clock.now();
      if (s.answeredAt !== null && now - s.answeredAt >= this.windowMs) return csatClosedView(t, s.rating);
      const changed = s.rating !== null;
      if (s.rating !== rating) {
        this.repo.rate(t.id, rating, now);
        this.svc.repo.appendEvent(t.id, 'csat_rated', userId, now, { rating, previous: s.rating });
        this.svc.announce(t);
      }
      return csatThanksView(t, rating, changed, (s.answeredAt ?? now) + this.windowMs, this.svc.config.timezone);
    });
  }

  /** "Still broken": the requester reopens the ticket. */
  stillBroken(ref: string, userId: string): MessageView {
    const t = this.svc.require(ref);
    if (userId !== t.requesterId) return csatNotRequesterView(t);
    if (isOpen(t.status)) return alreadyOpenView(t);
    const out = this.svc.reopen(t.key, userId);
    return stillBrokenView(out);
  }
}

/** Store the resolving agent's note on the timeline (internal; empty text stores nothing). */
export function recordResolutionNote(svc: TicketService, ref: string, text: string, actor: string): Ticket {
  const clean = cleanText(text, RESOLUTION_NOTE_MAX).text.trim();
  return svc.change(ref, actor, (t) => {
    if (isOpen(t.status)) throw new InputInvalidError(`${t.key} is not resolved, so it has no resolution note. Use \`note ${t.key} TEXT\` for an internal note.`);
    if (!clean) return null;
    return { patch: {}, events: [{ type: 'resolution_note', data: { text: clean } }] };
  });
}

/**
 * Resolve and ask the resolving agent for the note: a form when the platform can open one from
 * this interaction, otherwise a private prompt with a button that opens it.
 */
export function resolveAndAskForNote(svc: TicketService, ref: string, actor: string, ctx: { trigger?: string }): InteractionResult {
  const t = svc.resolve(ref, actor);
  return ctx.trigger ? { form: resolutionNoteForm(t) } : { ephemeral: resolutionNotePromptView(t) };
}

/**
 * Queue the resolution-note prompt for an agent who resolved without a form handle (✅): only
 * they see it, in the ticket's internal thread (triage mode) or the requester's thread (inline).
 */
export function promptForResolutionNote(svc: TicketService, t: Ticket, userId: string): void {
  svc.messenger.sendToAgent(t, resolutionNotePromptView(t), userId, `note-prompt:${t.id}:${userId}:${t.resolvedAt ?? svc.clock.now()}:${svc.repo.events(t.id).length}`);
}

/**
 * Wire resolution notes and CSAT: the question on every resolution (in its transaction), the
 * customer's buttons (open to everyone; the core checks who the requester is) and the note form.
 */
export function installCsat(svc: TicketService, ix: InteractionRegistry): CsatService {
  const csat = new CsatService(svc);
  svc.onChangedInTransaction((before, after) => {
    // The change's events are on the timeline already: a deflection is not asked (one rule).
    if (isOpen(before.status) && !isOpen(after.status) && !resolvedByDeflection(svc.repo.events(after.id))) csat.ask(after, svc.clock.now());
  });
  ix.onAction(
    ACTIONS.csatRate,
    (value, ctx) => {
      const i = value.lastIndexOf('|');
      if (i < 0) throw new InputInvalidError(`malformed rating "${value.slice(0, 40)}"`);
      return { ephemeral: csat.rate(value.slice(0, i), Number(value.slice(i + 1)), ctx.userId) };
    },
    { agentOnly: false },
  );
  ix.onAction(ACTIONS.csatStillBroken, (key, ctx) => ({ ephemeral: csat.stillBroken(key, ctx.userId) }), { agentOnly: false });
  ix.onAction(ACTIONS.resolutionNote, (key) => ({ form: resolutionNoteForm(svc.require(key)) }));
  ix.onForm(FORMS.resolutionNote, (key, values, ctx) => {
    const text = (values.note ?? '').trim();
    if (!text) return {};
    const t = recordResolutionNote(svc, key, text, ctx.userId);
    return { ephemeral: notice(`Resolution note saved on ${t.key}. Thanks — the next person will find it.`) };
  });
  return csat;
}
