/**
 * AI triage after a ticket is created: ask Claude for a proposal and apply it under
 * combineTriage's fixed rules. What a person set (when creating the ticket or meanwhile) stands;
 * the AI's differing view is kept as a signal. Never an agent correction.
 */
import type { FrontdeskConfig } from '../config/schema.js';
import { isOpen } from '../domain/lifecycle.js';
import type { Signal, Ticket, TicketEventType } from '../domain/types.js';
import { snapshotPolicy } from '../sla/policy.js';
import type { TicketPatch } from '../store/ticket-repo.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { aiTriage, combineTriage } from './ai-triage.js';
import type { AiClient } from './anthropic-client.js';
import type { BackgroundWork } from './background.js';

const BOT = 'frontdesk';

export interface AiTriageDeps {
  ai: AiClient;
  config: FrontdeskConfig;
  tickets: TicketService;
  work: BackgroundWork;
}

/** Ask Claude for a triage proposal and apply it under combineTriage's rules (not an agent correction). */
export async function applyAiTriage({ ai, config, tickets, work }: AiTriageDeps, t0: Ticket): Promise<void> {
  if (!ai.enabled) return;
  const r = await aiTriage({ ai, config }, { ticketId: t0.id, title: t0.title, text: t0.text });
  if (!r.ok || work.closed) return;
  const proposal = r.value;
  tickets.change(t0.id, BOT, (cur) => {
    if (!isOpen(cur.status)) return null;
    const base = cur.signals.filter((s) => s.source !== 'ai');
    // A person changed it meanwhile, or set it when creating the ticket: theirs stands.
    const priorityByPerson = cur.priority !== t0.priority || base.some((s) => s.kind === 'priority' && s.source === 'agent');
    const categoryByPerson = cur.category !== t0.category || base.some((s) => s.kind === 'category' && s.source === 'agent');
    const combined = combineTriage(
      { category: cur.category, priority: cur.priority, signals: base },
      { ...proposal, ...(priorityByPerson ? { priority: cur.priority } : {}), ...(categoryByPerson ? { category: cur.category } : {}) },
    );
    const signals: Signal[] = [...combined.signals];
    if (priorityByPerson && proposal.priority !== cur.priority)
      signals.push({ kind: 'ai', source: 'ai', value: proposal.priority, label: `AI proposes ${proposal.priority}; kept ${cur.priority} (set by a person)` });
    if (categoryByPerson && proposal.category !== cur.category)
      signals.push({ kind: 'ai', source: 'ai', value: proposal.category, label: `AI suggests category "${proposal.category}"; kept "${cur.category}" (set by a person)` });
    const patch: TicketPatch = {};
    const events: { type: TicketEventType; data: Record<string, unknown> }[] = [];
    if (combined.priority !== cur.priority) {
      patch.priority = combined.priority;
      patch.sla = snapshotPolicy(config, combined.priority, { team: cur.team });
      events.push({ type: 'priority_changed', data: { from: cur.priority, to: combined.priority, source: 'ai' } });
    }
    if (combined.category !== cur.category) {
      patch.category = combined.category;
      events.push({ type: 'category_changed', data: { from: cur.category, to: combined.category, source: 'ai' } });
    }
    const newSignals = signals.length > base.length;
    if (!newSignals && events.length === 0) return null;
    patch.signals = signals;
    return { patch, events };
  });
}
