/**
 * Ticket lists, the agents' queue view and the next escalation tier: used by the /ticket
 * commands, the buttons (interactions) and the Home, below all three.
 */
import { PRIORITIES, type Ticket } from '../domain/types.js';
import type { Block, MessageView } from '../ports/message-view.js';
import { resolveTarget } from '../routing/escalation.js';
import { slaState } from '../sla/policy.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { ticketLine, ticketRowActions } from '../views/ticket-views.js';

/** The next tier on the escalation ladder for a ticket (tier2 → tier3 → executive). */
export function nextTier(svc: TicketService, t: Ticket): { id: string; name: string; members: string[] } {
  const tiers = svc.config.escalation.tiers;
  const done = svc.repo.events(t.id).filter((e) => e.type === 'escalated').length;
  const tier = tiers[Math.min(done, tiers.length - 1)];
  return tier ? resolveTarget(svc.config, tier.id) : { id: 'leads', name: 'Leads', members: svc.config.leads };
}

/** Ticket lists for `list` and queue views. */
export function listTickets(svc: TicketService, which: string, userId: string): { title: string; tickets: Ticket[] } {
  const now = svc.clock.now();
  switch (which) {
    case 'mine':
      return { title: 'Your open tickets', tickets: svc.repo.list({ open: true, ownerId: userId }) };
    case 'unassigned':
      return { title: 'Unassigned open tickets', tickets: svc.repo.list({ open: true, ownerId: null }) };
    case 'breaching': {
      const horizon = 4 * 3_600_000;
      const tickets = svc.repo.list({ open: true, limit: 10_000 }).filter((t) => {
        const s = slaState(t, now);
        return [s.firstResponse, s.resolution].some((c) => c.state === 'breached' || (c.state === 'running' && c.remainingMs <= horizon));
      });
      return { title: 'Breached or breaching within 4h', tickets };
    }
    default:
      return { title: 'Open tickets', tickets: svc.repo.list({ open: true }) };
  }
}

/** My tickets, the team queue by priority, and at-risk tickets (App Home, playground queue). */
export function queueView(svc: TicketService, userId: string): MessageView {
  const now = svc.clock.now();
  const blocks: Block[] = [{ type: 'header', text: 'frontdesk · your support queue' }];
  const section = (title: string, tickets: Ticket[], empty: string) => {
    blocks.push({ type: 'text', text: `**${title}** (${tickets.length})` });
    if (tickets.length === 0) blocks.push({ type: 'context', elements: [empty] });
    for (const t of tickets.slice(0, 8)) {
      blocks.push({ type: 'text', text: ticketLine(t, now) });
      blocks.push(ticketRowActions(t));
    }
    blocks.push({ type: 'divider' });
  };
  section('My open tickets', svc.repo.list({ open: true, ownerId: userId }), 'Nothing assigned to you.');
  const open = svc.repo.list({ open: true, limit: 10_000 });
  const byPriority = PRIORITIES.map((p) => `${p}: ${open.filter((t) => t.priority === p).length}`).join(' · ');
  blocks.push({ type: 'text', text: `**Team queue by priority** — ${byPriority}` });
  section('Unassigned, most urgent first', open.filter((t) => !t.ownerId), 'Every open ticket has an owner.');
  section('At risk: breaching in the next 4 hours', listTickets(svc, 'breaching', userId).tickets, 'Nothing at risk.');
  return { text: 'Your support queue', blocks: blocks.slice(0, 95) };
}

