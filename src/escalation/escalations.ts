/**
 * Escalations: raise prompts (at triage for P0/P1, keywords, VIP and clusters; from the sweep for
 * "no owner after N minutes" and SLA breaches) and record what people decide on them. Every
 * prompt is an `escalations` row (one per ticket and rule) written in the same transaction as
 * the outbox row that posts it, so a prompt is never lost or posted twice.
 */
import type { Logger } from 'pino';
import type { EscalationRule, FrontdeskConfig } from '../config/schema.js';
import { InputInvalidError, NotPermittedError } from '../domain/errors.js';
import type { Ticket } from '../domain/types.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Clock } from '../ports/clock.js';
import type { Directory } from '../routing/directory.js';
import { type EscalationTarget, resolveTarget, triageEscalations } from '../routing/escalation.js';
import type { Router } from '../routing/routing.js';
import type { SlaClockName } from '../sla/policy.js';
import type { Db } from '../store/db.js';
import { EscalationRepo } from '../store/escalation-repo.js';
import type { EscalationRecord, EscalationStatus } from '../ports/store-escalation.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { DECISION_TEXT, REASON_TEXT, breachPromptView, triagePromptView } from '../views/escalation-prompt.js';
import type { MessageView } from '../ports/message-view.js';
import { trackersConfigured } from '../handoff/configured.js';
import { distinctiveWords, isSimilar } from './similarity.js';
import { isChitChat } from '../triage/chit-chat.js';
import { shorten } from '../util/text.js';

/** Whether "no owner after N minutes" makes sense: not P4 (trivial) and not chit-chat. */
function needsAnOwnerSoon(t: Ticket): boolean {
  return t.priority !== 'P4' && !isChitChat(t.text);
}

export type { EscalationStatus };
/** An escalation prompt as stored. */
export type EscalationRow = EscalationRecord;

export interface EscalationDeps {
  config: FrontdeskConfig;
  db: Db;
  clock: Clock;
  tickets: TicketService;
  outbox: Outbox;
  router: Router;
  directory: Directory;
  logger?: Logger;
}

/** Rule id under which a breach of a clock is escalated (one prompt per ticket and clock). */
export function breachRuleId(clock: SlaClockName): string {
  return `breach:${clock}`;
}

/**
 * Raising and deciding escalation prompts.
 * @example const esc = new Escalations({ config, db, clock, tickets, outbox, router, directory }); esc.raiseTriagePrompts(ticket.id);
 */
export class Escalations {
  private readonly repo: EscalationRepo;

  constructor(private readonly d: EscalationDeps) {
    this.repo = new EscalationRepo(d.db);
  }

  /** Per-sweep memo of team contacts (null outside a sweep). */
  private contactsMemo: { at: number; byTeam: Map<string, string[]> } | null = null;

  /**
   * Memoise team contacts while `fn` runs (a sweep asks for the same team many times at one
   * instant, and the on-call rotation maths is not free). Outside, every call asks the router,
   * so a change (someone marked away) shows at once even on a frozen clock.
   */
  async withContactsMemo<T>(fn: () => Promise<T>): Promise<T> {
    this.contactsMemo = { at: Number.NaN, byTeam: new Map() };
    try {
      return await fn();
    } finally {
      this.contactsMemo = null;
    }
  }

  /** A team's on-call person, else its mention group, else its members (not away). */
  contacts(team: string, now: number): string[] {
    const memo = this.contactsMemo;
    if (!memo) return this.d.router.fallbackContacts(team, now);
    if (memo.at !== now) {
      memo.at = now;
      memo.byTeam.clear();
    }
    let ids = memo.byTeam.get(team);
    if (!ids) {
      ids = this.d.router.fallbackContacts(team, now);
      memo.byTeam.set(team, ids);
    }
    return [...ids];
  }

  /** One escalation by id, or null. */
  get(id: number): EscalationRow | null {
    return this.repo.get(id);
  }

  /** A ticket's escalations, oldest first. */
  forTicket(ticketId: number): EscalationRow[] {
    return this.repo.forTicket(ticketId);
  }

  /**
   * The people to mention for a target: a tier's members who are not away, a team's on-call
   * (or group, or members), a single user; when a tier has nobody, the ticket team's on-call.
   */
  mentionsFor(target: EscalationTarget, t: Ticket, now: number, notify: readonly string[] = []): string[] {
    const { config, directory } = this.d;
    let ids: string[];
    if (config.teams.some((x) => x.id === target.id)) ids = this.contacts(target.id, now);
    else ids = target.members.filter((m) => !directory.isAway(m));
    if (ids.length === 0) ids = this.contacts(t.team, now);
    return [...new Set([...ids, ...notify])];
  }

  /** Target for a breach: the rule's tier, or the next tier up when the ticket was escalated before. */
  breachTarget(rule: EscalationRule | undefined, t: Ticket): EscalationTarget {
    const { config } = this.d;
    const tiers = config.escalation.tiers;
    const done = this.repo.escalatedCount(t.id);
    const ruleIdx = rule ? tiers.findIndex((x) => x.id === rule.escalateTo) : 0;
    if (rule && ruleIdx < 0) return resolveTarget(config, rule.escalateTo);
    const tier = tiers[Math.min(Math.max(ruleIdx, done), tiers.length - 1)];
    return tier ? resolveTarget(config, tier.id) : { id: 'leads', name: 'Leads', members: config.leads };
  }

  /** Insert a prompt row; null when this ticket already has one for the rule. Call inside a transaction. */
  private insert(t: Ticket, ruleId: string, reason: string, target: string, related: string[], now: number): number | null {
    return this.repo.insert({ ticketId: t.id, ruleId, reason, target, related, createdAt: now });
  }

  /**
   * Queue a prompt where agents work the ticket: its internal thread in triage mode; in inline
   * mode a DM to the people it mentions (a DM, not an ephemeral, so its buttons can update it).
   * Never the requester's thread. Call inside a transaction.
   */
  postInThread(t: Ticket, view: MessageView, idempotencyKey: string, to: readonly string[] = []): void {
    this.d.tickets.messenger.send(t, view, { purpose: 'work', key: idempotencyKey, dm: true, to });
  }

  private isVip(t: Ticket): boolean {
    const { config } = this.d;
    return (
      t.signals.some((s) => s.source === 'vip') || config.vipCustomers.includes(t.requesterId) || config.channels.some((c) => c.id === t.channelId && c.vip)
    );
  }

  /**
   * Prompts for a freshly opened ticket: P0/P1, keywords and VIP rules (grouped by target, one
   * prompt each) and the cluster rule (N similar tickets within M minutes). Returns the ids raised.
   */
  raiseTriagePrompts(ticketId: number): number[] {
    const { db, config, clock, tickets } = this.d;
    const raised: number[] = [];
    db.transaction(() => {
      const t = tickets.repo.get(ticketId);
      if (!t || t.deleted || t.status === 'resolved' || t.status === 'closed') return;
      const now = clock.now();
      const byTarget = new Map<string, { rules: EscalationRule[]; reasons: string[]; target: EscalationTarget }>();
      for (const m of triageEscalations(config, t, { vip: this.isVip(t) })) {
        const g = byTarget.get(m.target.id) ?? { rules: [], reasons: [], target: m.target };
        g.rules.push(m.rule);
        g.reasons.push(m.reason);
        byTarget.set(m.target.id, g);
      }
      for (const g of byTarget.values()) {
        // One row per rule (the matrix's exactly-once key); the prompt hangs off the first.
        const ids = g.rules.map((r, i) => this.insert(t, r.id, g.reasons[i]!, g.target.id, [], now));
        const first = ids[0];
        if (first === null || first === undefined) continue;
        const notify = g.rules.flatMap((r) => r.notify);
        const mentionIds = this.mentionsFor(g.target, t, now, notify);
        const view = triagePromptView({ key: t.key, escalationId: first, reasons: g.reasons, targetName: g.target.name, mentionIds, engineering: trackersConfigured(config) });
        this.postInThread(t, view, `esc:${t.id}:${first}`, mentionIds);
        raised.push(first);
      }
      for (const rule of config.escalation.rules.filter((r) => r.trigger === 'cluster')) {
        const id = this.raiseCluster(rule, t, now);
        if (id !== null) raised.push(id);
      }
    }).immediate();
    return raised;
  }

  /** Similar tickets created within the rule's window (most similar first). */
  similarRecent(t: Ticket, windowMs: number, now: number): Ticket[] {
    const words = distinctiveWords(`${t.title}\n${t.text}`);
    return this.d.tickets.repo
      .similar(shorten(`${t.title} ${t.text}`, 2000, ''), { since: now - windowMs, excludeId: t.id, limit: 25 })
      .filter((c) => !c.deleted && isSimilar(words, distinctiveWords(`${c.title}\n${c.text}`)));
  }

  private raiseCluster(rule: EscalationRule, t: Ticket, now: number): number | null {
    const windowMs = (rule.windowMinutes ?? 30) * 60_000;
    const count = rule.count ?? 3;
    const related = this.similarRecent(t, windowMs, now);
    if (related.length + 1 < count) return null;
    // One prompt per cluster: if a related ticket was already prompted in this window, stay quiet.
    if (related.some((r) => this.repo.hasClusterPromptSince(r.id, now - windowMs))) return null;
    const target = resolveTarget(this.d.config, rule.escalateTo);
    const reason = REASON_TEXT.cluster(related.length + 1, rule.windowMinutes ?? 30);
    const id = this.insert(t, rule.id, reason, target.id, related.map((r) => r.key), now);
    if (id === null) return null;
    const mentionIds = this.mentionsFor(target, t, now, rule.notify);
    const view = triagePromptView({
      key: t.key,
      escalationId: id,
      reasons: [reason],
      targetName: target.name,
      mentionIds,
      related: related.map((r) => ({ key: r.key, title: r.title })),
      engineering: trackersConfigured(this.d.config),
    });
    this.postInThread(t, view, `esc:${t.id}:${id}`, mentionIds);
    return id;
  }

  /**
   * "No owner after N minutes": prompt for open tickets that are still unassigned (not paused,
   * not snoozed, not P4, not chit-chat such as a thank-you). Each ticket in its own transaction. Returns how many prompts were raised.
   */
  raiseUnassigned(now: number, limit = 1000): number {
    const { db, config, tickets, logger } = this.d;
    let n = 0;
    for (const rule of config.escalation.rules.filter((r) => r.trigger === 'unassigned')) {
      const cutoff = now - (rule.afterMinutes ?? 30) * 60_000;
      for (const id of this.repo.unassignedWithout(rule.id, cutoff, limit)) {
        try {
          db.transaction(() => {
            const t = tickets.repo.get(id);
            if (!t || t.ownerId !== null || (t.snoozedUntil !== null && t.snoozedUntil > now)) return;
            // A P4 or a thank-you needs no owner in 30 minutes: no escalation prompt for it.
            if (!needsAnOwnerSoon(t)) return;
            const target = resolveTarget(config, rule.escalateTo);
            const reason = REASON_TEXT.unassigned(rule.afterMinutes ?? 30);
            const escId = this.insert(t, rule.id, reason, target.id, [], now);
            if (escId === null) return;
            const mentionIds = this.mentionsFor(target, t, now, rule.notify);
            const view = triagePromptView({ key: t.key, escalationId: escId, reasons: [reason], targetName: target.name, mentionIds, engineering: trackersConfigured(config) });
            this.postInThread(t, view, `esc:${t.id}:${escId}`, mentionIds);
            n++;
          }).immediate();
        } catch (e) {
          logger?.error({ err: e, ticketId: id, rule: rule.id }, 'unassigned escalation failed for one ticket; continuing');
        }
      }
    }
    return n;
  }

  /**
   * Escalate a breach: record it (event + escalations row) and post the escalation prompt that
   * mentions the next tier / on-call. Call INSIDE the sweep's transaction for the ticket.
   * Returns the escalation id, or null when this clock's breach was already escalated.
   */
  raiseBreach(t: Ticket, clock: SlaClockName, now: number): number | null {
    const { config, tickets } = this.d;
    const rule = config.escalation.rules.find((r) => r.trigger === 'breach');
    if (!rule) return null;
    const target = this.breachTarget(rule, t);
    const id = this.insert(t, breachRuleId(clock), REASON_TEXT.breach(clock), target.id, [], now);
    if (id === null) return null;
    const mentionIds = this.mentionsFor(target, t, now, rule.notify);
    tickets.repo.appendEvent(t.id, 'escalated', 'system', now, { to: target.id, reason: REASON_TEXT.breach(clock), rule: rule.id, escalation: id, mentioned: mentionIds });
    const view = breachPromptView({ key: t.key, clock, escalationId: id, targetName: target.name, mentionIds, timeframeMs: rule.timeframe ?? null });
    this.postInThread(t, view, `esc:${t.id}:${id}`, mentionIds);
    return id;
  }

  // ------------------------------------------------------------------ decisions

  /** The rows one triage prompt stands for (priority/keyword/VIP rules raised together for one target). */
  promptGroup(esc: EscalationRow): EscalationRow[] {
    const groupable = new Set(this.d.config.escalation.rules.filter((r) => ['priority', 'keywords', 'vip'].includes(r.trigger)).map((r) => r.id));
    if (!groupable.has(esc.ruleId)) return [esc];
    return this.forTicket(esc.ticketId).filter((r) => groupable.has(r.ruleId) && r.target === esc.target && r.createdAt === esc.createdAt);
  }

  /** Load an escalation for a button on ticket `key`, or explain why not. */
  requireFor(key: string, escalationId: number): { esc: EscalationRow; ticket: Ticket } {
    const ticket = this.d.tickets.require(key);
    const esc = this.get(escalationId);
    if (!esc || esc.ticketId !== ticket.id) throw new InputInvalidError(`That escalation prompt does not belong to ${ticket.key} any more.`);
    return { esc, ticket };
  }

  private decide(esc: EscalationRow, status: Exclude<EscalationStatus, 'open'>, by: string): void {
    const now = this.d.clock.now();
    const ok = this.repo.decide(esc.id, status, by, now);
    if (!ok) {
      const cur = this.get(esc.id);
      const ticket = this.d.tickets.repo.get(esc.ticketId);
      throw new NotPermittedError(DECISION_TEXT.alreadyDecided(ticket?.key ?? `ticket ${esc.ticketId}`, cur?.status ?? 'decided'));
    }
    // Rules raised together for the same target share one prompt: one decision covers them all.
    for (const r of this.promptGroup(esc)) if (r.id !== esc.id) this.repo.decide(r.id, status, by, now);
  }

  /** "Escalate to …": escalate the ticket to the prompt's target. */
  accept(key: string, escalationId: number, by: string): { ticket: Ticket; target: EscalationTarget } {
    const { esc, ticket } = this.requireFor(key, escalationId);
    const target = resolveTarget(this.d.config, esc.target);
    let out = ticket;
    this.d.db.transaction(() => {
      this.decide(esc, 'accepted', by);
      // Mention the right people (on-call for a team target), not only the static member list.
      const members = this.mentionsFor(target, ticket, this.d.clock.now());
      out = this.d.tickets.escalate(ticket.key, by, { ...target, members }, esc.reason);
    })();
    return { ticket: out, target };
  }

  /** "Not needed": recorded on the timeline. */
  decline(key: string, escalationId: number, by: string): Ticket {
    const { esc, ticket } = this.requireFor(key, escalationId);
    let out = ticket;
    this.d.db.transaction(() => {
      this.decide(esc, 'declined', by);
      out = this.d.tickets.change(ticket.key, by, () => ({
        patch: {},
        events: [{ type: 'escalation_declined', data: { escalation: esc.id, rule: esc.ruleId, target: esc.target, reason: esc.reason } }],
      }));
    })();
    return out;
  }

  /** "Link as one incident": the ticket and its similar tickets share an incident key. */
  linkIncident(key: string, escalationId: number, by: string): { incident: string; keys: string[] } {
    const { esc, ticket } = this.requireFor(key, escalationId);
    const keys = [ticket.key, ...esc.related.filter((k) => k !== ticket.key)];
    let incident = '';
    this.d.db.transaction(() => {
      this.decide(esc, 'linked', by);
      incident = this.d.tickets.linkIncident(keys, by);
    })();
    return { incident, keys };
  }

  /** Record a decision on a breach prompt without closing it (take, reassign, snooze, note). */
  markActed(esc: EscalationRow, status: 'accepted' | 'open', by: string): void {
    if (status === 'accepted' && esc.status === 'open') this.repo.decide(esc.id, 'accepted', by, this.d.clock.now());
  }
}
