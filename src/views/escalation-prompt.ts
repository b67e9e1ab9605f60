/**
 * Views for the SLA watcher and escalation prompts: threshold pings (thread and DM), the breach
 * escalation prompt (Take it / Reassign… / Snooze / Add note), the triage-time prompt
 * (Escalate to … / Not needed / Link as one incident) and their forms. Strings only, no logic.
 */
import type { Priority, Ticket } from '../domain/types.js';
import type { SlaClockName } from '../sla/policy.js';
import { formatDuration } from '../util/duration.js';
import { ACTIONS, FORMS } from './action-ids.js';
import { type ActionElement, type Block, type FormView, type MessageView, mention, plain } from '../ports/message-view.js';
import { truncate } from '../util/text.js';

/** A link to a ticket's thread as a stable anchor; adapters turn `#ticket/T-1042` into a permalink. */
export function ticketLink(key: string): string {
  return `[${key}](#ticket/${key})`;
}

export const CLOCK_TEXT: Record<SlaClockName, string> = { first_response: 'first response', resolution: 'resolution' };

/** Snooze choices offered on a breach prompt, in minutes. */
export const SNOOZE_MINUTES = [30, 60, 120] as const;

function mentions(ids: readonly string[]): string {
  return ids.map(mention).join(' ');
}

function pct(f: number): string {
  return `${Math.round(f * 100)}%`;
}

export interface SlaPingInput {
  key: string;
  title: string;
  priority: Priority;
  clock: SlaClockName;
  threshold: number;
  /** Who is pinged (owner, or on-call / team). */
  recipients: readonly string[];
  /** ms until the clock's target; negative once overdue. */
  remainingMs: number;
  /** Why the owner is not the one pinged, if so. */
  routedBecause?: 'unassigned' | 'outside_hours' | 'away' | null;
  /** Team name, when the team is pinged. */
  team: string;
}

const ROUTED_TEXT: Record<'unassigned' | 'outside_hours' | 'away', string> = {
  unassigned: 'no owner yet, so pinging on-call',
  outside_hours: "outside the owner's working hours, so pinging on-call",
  away: 'the owner is away, so pinging on-call',
};

/** The threshold ping posted in the ticket's thread. */
export function slaPingView(p: SlaPingInput): MessageView {
  const who = p.recipients.length ? mentions(p.recipients) : `team **${plain(p.team)}**`;
  const clock = CLOCK_TEXT[p.clock];
  const breach = p.threshold >= 1;
  const line = breach
    ? `:rotating_light: ${who} **${p.key}** ${clock} SLA breached${p.remainingMs < 0 ? ` — overdue by ${formatDuration(-roundMin(p.remainingMs))}` : ''}.`
    : `:hourglass_flowing_sand: ${who} **${p.key}** ${pct(p.threshold)} of the ${clock} SLA used — due in ${formatDuration(roundMin(p.remainingMs))}.`;
  const blocks: Block[] = [{ type: 'text', text: line }];
  if (p.routedBecause) blocks.push({ type: 'context', elements: [ROUTED_TEXT[p.routedBecause]] });
  const text = breach ? `${p.key} ${clock} SLA breached` : `${p.key}: ${pct(p.threshold)} of the ${clock} SLA used`;
  return { text, blocks };
}

/** The direct message sent from the DM threshold on (default 90%) and at breach. */
export function slaDmView(p: SlaPingInput): MessageView {
  const clock = CLOCK_TEXT[p.clock];
  const breach = p.threshold >= 1;
  const head = breach ? `:rotating_light: ${ticketLink(p.key)} (${p.priority}) ${clock} SLA breached.` : `:hourglass_flowing_sand: ${ticketLink(p.key)} (${p.priority}) ${clock} due in ${formatDuration(roundMin(p.remainingMs))}.`;
  return {
    text: breach ? `${p.key} ${clock} SLA breached` : `${p.key} ${clock} due in ${formatDuration(roundMin(p.remainingMs))}`,
    blocks: [
      { type: 'text', text: head },
      { type: 'quote', text: truncate(plain(p.title), 200) },
      ...(p.routedBecause ? [{ type: 'context' as const, elements: [ROUTED_TEXT[p.routedBecause]] }] : []),
    ],
  };
}

/** Whole minutes once a duration is a minute or more (pings do not need seconds). */
function roundMin(ms: number): number {
  return Math.abs(ms) >= 60_000 ? Math.trunc(ms / 60_000) * 60_000 : ms;
}

export interface BreachPromptInput {
  key: string;
  clock: SlaClockName;
  escalationId: number;
  targetName: string;
  /** People mentioned: the target's members or on-call, plus `notify`. */
  mentionIds: readonly string[];
  timeframeMs?: number | null;
  /** Last decision, shown once someone has acted. */
  lastDecision?: string | null;
}

/** Action value for prompt buttons: "T-1042|17" (ticket key | escalation id). */
export function promptValue(key: string, escalationId: number, extra?: string | number): string {
  return extra === undefined ? `${key}|${escalationId}` : `${key}|${escalationId}|${extra}`;
}

/** The escalation prompt posted in the thread when an SLA is breached. */
export function breachPromptView(p: BreachPromptInput): MessageView {
  const who = p.mentionIds.length ? `${mentions(p.mentionIds)} (${plain(p.targetName)})` : `**${plain(p.targetName)}**`;
  const blocks: Block[] = [
    { type: 'text', text: `:rotating_light: **Escalation** — ${p.key} missed its ${CLOCK_TEXT[p.clock]} SLA. ${who}, can you help?` },
  ];
  if (p.timeframeMs) blocks.push({ type: 'context', elements: [`Expected to act within ${formatDuration(p.timeframeMs)}.`] });
  const v = (extra?: string | number) => promptValue(p.key, p.escalationId, extra);
  const elements: ActionElement[] = [
    { type: 'button', actionId: ACTIONS.escalationTake, label: 'Take it', value: v(), style: 'primary' },
    { type: 'button', actionId: ACTIONS.escalationReassign, label: 'Reassign…', value: v() },
    {
      type: 'select',
      actionId: ACTIONS.escalationSnooze,
      placeholder: 'Snooze…',
      options: SNOOZE_MINUTES.map((m) => ({ label: `Snooze ${formatDuration(m * 60_000)}`, value: v(m) })),
    },
    { type: 'button', actionId: ACTIONS.escalationNote, label: 'Add note', value: v() },
  ];
  blocks.push({ type: 'actions', blockId: `breach-${p.escalationId}`, elements });
  if (p.lastDecision) blocks.push({ type: 'context', elements: [p.lastDecision] });
  return { text: `Escalation: ${p.key} missed its ${CLOCK_TEXT[p.clock]} SLA`, blocks };
}

export interface TriagePromptInput {
  key: string;
  escalationId: number;
  reasons: readonly string[];
  targetName: string;
  mentionIds: readonly string[];
  /** Similar tickets (cluster prompts). */
  related?: readonly { key: string; title: string }[];
  /** Set once decided: the prompt is shown without buttons. */
  decided?: string | null;
  /** An issue tracker is configured: offer "Escalate to engineering" (and, on a cluster, "Link all N similar tickets"). */
  engineering?: boolean;
}

/** The prompt posted at triage time (P0/P1, keywords, VIP, no owner, cluster). */
export function triagePromptView(p: TriagePromptInput): MessageView {
  const cluster = (p.related?.length ?? 0) > 0;
  const blocks: Block[] = [
    {
      type: 'text',
      text: `:warning: **Escalate ${p.key}?** ${p.reasons.map(plain).join('; ')}. Suggested: **${plain(p.targetName)}**${p.mentionIds.length ? ` (${mentions(p.mentionIds)})` : ''}.`,
    },
  ];
  if (cluster)
    blocks.push({
      type: 'text',
      text: `Similar tickets in the same window — likely one incident:\n${p.related!.slice(0, 8).map((r) => `• ${ticketLink(r.key)} ${plain(truncate(r.title, 80, '…'))}`).join('\n')}`,
    });
  if (p.decided) blocks.push({ type: 'context', elements: [p.decided] });
  else {
    const v = promptValue(p.key, p.escalationId);
    const elements: ActionElement[] = [
      { type: 'button', actionId: ACTIONS.escalationAccept, label: truncate(`Escalate to ${p.targetName}`, 75, '…'), value: v, style: 'danger' },
      { type: 'button', actionId: ACTIONS.escalationDecline, label: 'Not needed', value: v },
    ];
    if (cluster) elements.push({ type: 'button', actionId: ACTIONS.escalationLinkIncident, label: 'Link as one incident', value: v, style: 'primary' });
    if (p.engineering) {
      elements.push({ type: 'button', actionId: ACTIONS.handoffEscalate, label: 'Escalate to engineering', value: v });
      if (cluster) elements.push({ type: 'button', actionId: ACTIONS.handoffLinkSimilar, label: `Link all ${p.related!.length + 1} similar tickets`, value: v });
    }
    blocks.push({ type: 'actions', blockId: `triage-${p.escalationId}`, elements });
  }
  return { text: `Escalate ${p.key}? ${p.reasons.join('; ')}`, blocks };
}

/** Why a prompt was raised (stored with the escalation and shown on the prompt and timeline). */
export const REASON_TEXT = {
  cluster: (n: number, minutes: number) => `${n} similar tickets in ${minutes} minutes — likely an incident`,
  unassigned: (minutes: number) => `no owner after ${minutes} minutes`,
  breach: (clock: SlaClockName) => `${CLOCK_TEXT[clock]} SLA breached`,
} as const;

/** Timeline-style lines shown on a prompt after a decision. */
export const DECISION_TEXT = {
  accepted: (by: string, target: string) => `${mention(by)} escalated to ${plain(target)}.`,
  declined: (by: string) => `${mention(by)} decided no escalation is needed.`,
  linked: (by: string, incident: string, n: number) => `${mention(by)} linked ${n} tickets as incident ${plain(incident)}.`,
  took: (by: string) => `${mention(by)} took it.`,
  reassigned: (by: string, to: string) => `${mention(by)} reassigned it to ${mention(to)}.`,
  snoozed: (by: string, minutes: number) => `${mention(by)} snoozed SLA pings for ${formatDuration(minutes * 60_000)}.`,
  noted: (by: string) => `${mention(by)} added a note.`,
  alreadyDecided: (key: string, status: string) => `This escalation for ${key} was already ${status}.`,
} as const;

/** The "Reassign…" form. */
export function reassignForm(key: string, escalationId: number, current: string | null): FormView {
  return {
    formId: FORMS.reassign,
    title: truncate(`Reassign ${key}`, 24, '…'),
    submitLabel: 'Reassign',
    state: promptValue(key, escalationId),
    fields: [{ type: 'user', id: 'owner', label: 'New owner', ...(current ? { initial: current } : {}) }],
  };
}

/** The "Add note" form. */
export function addNoteForm(key: string, escalationId: number): FormView {
  return {
    formId: FORMS.addNote,
    title: truncate(`Note on ${key}`, 24, '…'),
    submitLabel: 'Add note',
    state: promptValue(key, escalationId),
    fields: [{ type: 'text', id: 'note', label: 'Note (internal)', multiline: true, maxLength: 3000 }],
  };
}

/** Confirmation texts shown only to the person who clicked. */
export const PROMPT_REPLY = {
  took: (key: string) => `You own ${key} now.`,
  reassigned: (key: string, to: string) => `${key} is now assigned to ${mention(to)}.`,
  snoozed: (key: string, minutes: number) => `SLA pings for ${key} are snoozed for ${formatDuration(minutes * 60_000)}.`,
  noted: (key: string) => `Note added to ${key}.`,
  accepted: (key: string, target: string) => `${key} escalated to ${plain(target)}.`,
  declined: (key: string) => `Noted: no escalation for ${key}.`,
  linked: (incident: string, keys: readonly string[]) => `Linked ${keys.join(', ')} as ${plain(incident)}.`,
  needOwner: 'Pick the new owner.',
  needNote: 'Write the note first.',
  badSnooze: (m: string) => `"${m}" is not a snooze length I offer (30, 60 or 120 minutes).`,
} as const;

/** Used for timeline entries and logs. */
export function ticketSummary(t: Pick<Ticket, 'key' | 'priority' | 'title'>): string {
  return `${t.key} ${t.priority} ${truncate(t.title, 60, '…')}`;
}
