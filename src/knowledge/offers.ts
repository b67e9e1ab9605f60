/**
 * Answer before paging: when a new request matches a known answer confidently, the customer's
 * thread gets the answer with "✅ That solved it" / "🙋 I still need help" — in the transaction
 * that creates the ticket. While the offer waits (`knowledge.offerTimeout`), SLA pings and
 * "no owner" prompts for the ticket are held (its `snoozed_until`); its due times do not move,
 * because the SLA clock runs from the original request. Solved → the ticket resolves with the
 * outcome *deflected* (its own outcome, not an agent's resolution); still need help or no reply
 * in time → the normal flow goes on. Agents see the offer and why on the card, plus suggested
 * answers they can send in their own name ("Send answer", a first response).
 */
import type { Logger } from 'pino';
import type { FrontdeskConfig } from '../config/schema.js';
import { redact } from '../ai/redact.js';
import { InputInvalidError, NotPermittedError } from '../domain/errors.js';
import type { Ticket, TicketEventType } from '../domain/types.js';
import type { Clock } from '../ports/clock.js';
import type { TicketPatch } from '../store/ticket-repo.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { isOpen } from '../domain/lifecycle.js';
import { deflectionChange } from '../tickets/resolution-outcome.js';
import { pauseDuration } from '../sla/policy.js';
import { formatDuration } from '../util/duration.js';
import type { Block } from '../ports/message-view.js';
import { mention, plain } from '../ports/message-view.js';
import { knowledgeCardBlocks, offerDecidedView, offerView, sentAnswerText } from '../views/knowledge-views.js';
import type { Knowledge } from './knowledge.js';
import { resolutionNote } from './knowledge-base.js';
import type { Answer, Offer, OfferStatus } from '../ports/store-knowledge.js';
import { OffersRepo } from '../store/offers-repo.js';

/** Suggestions on the card need at least this score (below it they are noise). */
export const SUGGESTION_FLOOR = 0.4;

/** Where the clicked offer message is (to replace its buttons with the outcome). */
export interface ClickedMessage {
  channelId?: string;
  messageId?: string;
}

export interface OffersDeps {
  config: FrontdeskConfig;
  clock: Clock;
  tickets: TicketService;
  knowledge: Knowledge;
  logger?: Logger;
}

/** The bot's actor id on the timeline. */
const BOT = 'frontdesk';

/**
 * Known answers in the ticket flow.
 * @example
 * const offers = new KnowledgeOffers({ config, clock, tickets, knowledge });
 * tickets.onCreatedInTransaction((t) => offers.atCreation(t));
 */
export class KnowledgeOffers {
  readonly repo: OffersRepo;
  private readonly clusterRules: string[];

  constructor(private readonly d: OffersDeps) {
    this.repo = new OffersRepo(d.tickets.repo.db);
    this.clusterRules = d.config.escalation.rules.filter((r) => r.trigger === 'cluster').map((r) => r.id);
  }

  /**
   * Decide for a new ticket and, when confident, offer the answer in the customer's thread and
   * hold paging until the offer expires. Call inside the creating transaction. Records the
   * decision either way (the digest's documentation gaps come from it).
   */
  atCreation(t: Ticket): Offer | null {
    if (t.platform === 'cli') return null;
    const { config, clock, tickets, knowledge } = this.d;
    const now = clock.now();
    const decision = knowledge.decideFor(t.text, t);
    let declined: string | null = decision.declined;
    if (decision.offer && !config.knowledge.offer) declined = 'off';
    // A triage-time escalation (VIP, keywords, a cluster) means people are needed now.
    else if (decision.offer && this.repo.escalated(t.id, this.clusterRules)) declined = 'escalated';
    const offer = decision.offer && declined === null && decision.answer !== null;
    this.repo.recordDecision({ ticketId: t.id, offered: offer, declined, answerId: decision.answer?.id ?? null, score: decision.score, at: now });
    if (!offer || !decision.answer) return null;
    const a = decision.answer;
    const expiresAt = now + config.knowledge.offerTimeout;
    const o = this.repo.insert({
      ticketId: t.id,
      answerId: a.id,
      answerTitle: a.title,
      via: 'auto',
      score: decision.score,
      explanation: decision.explanation,
      status: 'pending',
      offeredBy: BOT,
      offeredAt: now,
      expiresAt,
    });
    // Hold pings and "no owner" prompts while the customer reads; due times stay as they are.
    const held = tickets.repo.update(t.id, { snoozedUntil: Math.max(expiresAt, t.snoozedUntil ?? 0) }, now);
    tickets.repo.appendEvent(t.id, 'answer_offered', BOT, now, {
      offer: o.id,
      answer: a.id,
      title: a.title,
      score: decision.score,
      threshold: decision.threshold,
      explanation: decision.explanation,
      expiresAt,
    });
    tickets.messenger.send(held, offerView(t, a, o.id), { purpose: 'line', key: `knowledge-offer:${o.id}` });
    return o;
  }

  /** The offer a customer clicked on, checked: it exists and they are the one who asked. */
  private clicked(offerId: string, userId: string): { o: Offer; t: Ticket } {
    const o = /^\d+$/.test(offerId) ? this.repo.get(Number(offerId)) : null;
    if (!o) throw new InputInvalidError('That answer is no longer on record. Reply in the thread and a person will help.');
    const t = this.d.tickets.require(o.ticketId);
    if (t.requesterId !== userId) throw new NotPermittedError(`Only the person who asked (${t.key}) can answer this. To get help yourself, post your own question in the channel.`);
    return { o, t };
  }

  /** Replace the clicked offer's buttons with the outcome (only in the requester's own channel). */
  private settleMessage(t: Ticket, o: Offer, outcome: 'solved' | 'need_help', where: ClickedMessage): void {
    if (t.platform === 'cli' || !where.messageId || where.channelId !== t.channelId) return;
    const a = this.d.knowledge.kb.get(o.answerId) ?? { title: o.answerTitle, body: '' };
    this.d.tickets.outbox.enqueue({
      platform: t.platform,
      ticketId: t.id,
      idempotencyKey: `knowledge-offer-decided:${o.id}:${outcome}`,
      payload: { kind: 'update', channelId: where.channelId, messageId: where.messageId, view: offerDecidedView(t, a, outcome) },
    });
  }

  /**
   * "✅ That solved it": the ticket resolves as deflected (no agent resolution, no first
   * response). Refused once an agent has answered: then it is theirs to close.
   * @returns what the customer is told privately, if anything.
   */
  solved(offerId: string, userId: string, where: ClickedMessage = {}): string | null {
    const { o, t } = this.clicked(offerId, userId);
    if (o.status === 'solved') return 'You told us already — glad it helped!';
    if (!isOpen(t.status)) return `${t.key} is already closed. Post a new message if you need anything else.`;
    if (t.firstResponseAt !== null) return `Thanks! A member of our team is already on ${t.key}: tell them in the thread and they will close it.`;
    let done = false;
    this.d.tickets.change(t.id, userId, (cur, now) => {
      if (!isOpen(cur.status) || !this.repo.settle(o.id, o.status, 'solved', userId, now)) return null;
      done = true;
      this.settleMessage(cur, o, 'solved', where);
      const patch: TicketPatch = { status: 'resolved', resolvedAt: now, snoozedUntil: null };
      if (cur.status === 'waiting_on_customer' && cur.pausedSince !== null) {
        patch.pausedMs = cur.pausedMs + pauseDuration(cur.sla, cur.pausedSince, now);
        patch.pausedSince = null;
      }
      return {
        patch,
        events: [
          { type: 'answer_feedback' as TicketEventType, data: { offer: o.id, answer: o.answerId, outcome: 'solved', via: o.via } },
          { type: 'status_changed' as TicketEventType, data: deflectionChange(cur.status, o.answerId) },
        ],
        threadLine: `✅ ${cur.key} is resolved as deflected: the customer said the known answer **${plain(o.answerTitle)}** solved it.`,
      };
    });
    return done ? null : 'Thanks — we have it.';
  }

  /** "🙋 I still need help": the normal flow goes on now (pings and prompts no longer held). */
  needHelp(offerId: string, userId: string, where: ClickedMessage = {}): string | null {
    const { o, t } = this.clicked(offerId, userId);
    if (o.status !== 'pending' && o.status !== 'expired') return `Thanks — ${t.key} is with our support team.`;
    this.toNormalFlow(t, o, 'need_help', userId, where);
    return null;
  }

  /**
   * Offers whose wait is over: the normal flow goes on (a line in the internal thread; the SLA
   * sweep then pings as usual). Each offer in its own transaction. Returns how many expired.
   * @example offers.expire() // after clock.advance(config.knowledge.offerTimeout)
   */
  expire(now = this.d.clock.now()): number {
    let n = 0;
    for (const id of this.repo.expiring(now)) {
      try {
        const o = this.repo.get(id);
        if (o?.status !== 'pending') continue;
        const t = this.d.tickets.repo.get(o.ticketId);
        if (!t) continue;
        this.toNormalFlow(t, o, 'expired', 'system', {});
        n++;
      } catch (e) {
        this.d.logger?.error({ err: e, offer: id }, 'knowledge offer expiry failed for one offer; continuing');
      }
    }
    return n;
  }

  private toNormalFlow(t: Ticket, o: Offer, to: Extract<OfferStatus, 'need_help' | 'expired'>, actor: string, where: ClickedMessage): void {
    const { tickets, config } = this.d;
    tickets.change(t.id, actor, (cur, now) => {
      if (!this.repo.settle(o.id, o.status, to, actor, now)) return null;
      if (to === 'need_help') this.settleMessage(cur, o, 'need_help', where);
      const events = [{ type: 'answer_feedback' as TicketEventType, data: { offer: o.id, answer: o.answerId, outcome: to, via: o.via } }];
      // Already answered by a person, or closed: just keep the record.
      if (!isOpen(cur.status) || cur.firstResponseAt !== null || o.status !== 'pending') return { patch: {}, events };
      const who = cur.ownerId ? mention(cur.ownerId) : `team ${plain(cur.team)}`;
      const why =
        to === 'need_help'
          ? `the customer still needs help after the known answer **${plain(o.answerTitle)}**`
          : `no reply from the customer within ${formatDuration(config.knowledge.offerTimeout)} to the known answer **${plain(o.answerTitle)}**`;
      return {
        patch: cur.snoozedUntil !== null && cur.snoozedUntil <= (o.expiresAt ?? 0) ? { snoozedUntil: null } : {},
        events,
        threadLine: `🙋 ${cur.key}: ${why} — over to ${who}.`,
      };
    });
  }

  /**
   * "Send answer" on the card: the known answer goes to the customer in the agent's name (a
   * first response), recorded as an agent offer. One transaction.
   */
  send(ticketRef: string, answerId: string, agentId: string): Ticket {
    const { tickets, knowledge } = this.d;
    const a = knowledge.kb.get(answerId);
    if (!a) throw new InputInvalidError(`There is no known answer "${answerId}" any more; list them with \`/ticket answer list\`.`);
    const t = tickets.require(ticketRef);
    if (this.repo.forTicket(t.id).some((o) => o.via === 'agent' && o.answerId === a.id))
      throw new InputInvalidError(`"${a.title}" was already sent to the customer of ${t.key}.`);
    return this.repo.tx(() => {
      const now = this.d.clock.now();
      const o = this.repo.insert({ ticketId: t.id, answerId: a.id, answerTitle: a.title, via: 'agent', score: null, explanation: '', status: 'sent', offeredBy: agentId, offeredAt: now, expiresAt: null });
      return tickets.replyToCustomer(t.key, agentId, sentAnswerText(a), 'known_answer', `knowledge-send:${o.id}`, [
        { type: 'answer_sent', data: { offer: o.id, answer: a.id, title: a.title } },
      ]);
    });
  }

  /** The resolution note to pre-fill the save form with (the team's words). */
  noteOf(t: Ticket): string {
    return resolutionNote(this.d.tickets.repo.events(t.id))?.text ?? '';
  }

  /**
   * Save an answer an agent wrote from a ticket (the save form): refused when it carries
   * personal data or secrets, since other customers will read it.
   */
  saveFromForm(ticketRef: string, values: Record<string, string>, agentId: string): Answer {
    const { tickets, knowledge } = this.d;
    const t = tickets.require(ticketRef);
    const body = values.body ?? '';
    const found = redact(`${values.title ?? ''}\n${body}`);
    if (found.total > 0)
      throw new InputInvalidError(`The answer contains ${Object.keys(found.counts).join(', ')} details, which must not reach other customers. Take them out and save again.`);
    const tags = (values.tags ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return this.repo.tx(() => {
      const a = knowledge.kb.save({ title: values.title ?? '', body, category: values.category || null, tags, by: agentId, ticketId: t.id });
      tickets.change(t.id, agentId, () => ({ patch: {}, events: [{ type: 'answer_saved', data: { answer: a.id, title: a.title } }] }));
      return a;
    });
  }

  /** The card's known-answers section for a ticket. */
  cardSection(t: Ticket): Block[] {
    const { config, knowledge } = this.d;
    const offers = this.repo.forTicket(t.id);
    const open = isOpen(t.status);
    const deflected = offers.some((o) => o.status === 'solved');
    const pending = offers.some((o) => o.status === 'pending');
    let suggestions: { answer: Answer; score: number }[] = [];
    if (open && !pending && config.knowledge.suggestions > 0) {
      const sent = new Set(offers.filter((o) => o.via === 'agent').map((o) => o.answerId));
      suggestions = knowledge.matcher
        .candidates(t.text, config.knowledge.suggestions + sent.size)
        .filter((c) => c.score >= SUGGESTION_FLOOR && !sent.has(c.answer.id))
        .slice(0, config.knowledge.suggestions);
    }
    return knowledgeCardBlocks(t, {
      offers,
      suggestions,
      open,
      canSave: !open && !deflected && !knowledge.kb.repo.savedFrom(t.id),
      timezone: config.timezone,
      offerTimeoutMs: config.knowledge.offerTimeout,
    });
  }
}
