/** Core domain vocabulary shared by every part of frontdesk. Platform-neutral. */

export const PRIORITIES = ['P0', 'P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const STATUSES = [
  'new',
  'triaged',
  'acknowledged',
  'in_progress',
  'waiting_on_customer',
  'resolved',
  'closed',
] as const;
export type TicketStatus = (typeof STATUSES)[number];

/** Statuses in which a ticket still needs work (SLA clocks may run). */
export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'triaged', 'acknowledged', 'in_progress', 'waiting_on_customer'];

export const DEFAULT_CATEGORIES = [
  'outage',
  'bug',
  'access',
  'billing',
  'performance',
  'data',
  'security',
  'feature_request',
  'question',
  'other',
] as const;

export const PLATFORMS = ['slack', 'teams', 'local', 'cli'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** One reason behind a triage decision, shown on the card so people can see *why*. */
export interface Signal {
  /** What the signal speaks to. */
  kind: 'category' | 'priority' | 'request' | 'escalation' | 'ai';
  /** Short human label, e.g. `matched "all users"`. */
  label: string;
  /** Where it came from: a rule id, 'learner', 'tier', 'vip', 'ai', 'agent'. */
  source: string;
  /** Value it points to, e.g. 'P0' or 'outage'. */
  value?: string;
  weight?: number;
  /** A person's change (source 'agent'): who made it. */
  by?: string;
  /** A person's change: the value it replaced. */
  from?: string;
  /** A person's change: the value triage had given, before anyone changed it. */
  triaged?: string;
}

export interface Attachment {
  kind: 'file' | 'link';
  name: string;
  url: string;
}

/** The SLA policy frozen onto a ticket when it opens, so later config edits do not move its deadlines. */
export interface SlaSnapshot {
  policy: string;
  priority: Priority;
  firstResponseMs: number;
  resolutionMs: number;
  /** null = calendar time (24x7). */
  businessHours: BusinessHoursSnapshot | null;
  thresholds: number[];
}

export interface BusinessHoursSnapshot {
  timezone: string;
  /** ISO weekdays 1 (Mon) .. 7 (Sun). */
  days: number[];
  /** "HH:MM" local. If end <= start the window runs across midnight. */
  start: string;
  end: string;
  /** ISO dates "YYYY-MM-DD" in the zone. */
  holidays: string[];
}

export interface Ticket {
  id: number;
  /** Short human id, e.g. T-1042. */
  key: string;
  platform: Platform;
  channelId: string;
  /** Platform id of the message the ticket came from (Slack ts, Teams activity id). */
  sourceMessageId: string | null;
  /** Thread the conversation about the ticket lives in (usually = sourceMessageId). */
  threadId: string | null;
  /** Platform id of the ticket card message once posted. */
  cardMessageId: string | null;
  requesterId: string;
  requesterName: string | null;
  title: string;
  text: string;
  category: string;
  priority: Priority;
  status: TicketStatus;
  ownerId: string | null;
  team: string;
  signals: Signal[];
  attachments: Attachment[];
  sla: SlaSnapshot;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  /** Policy-time (ms) the resolution clock spent paused, accumulated over finished pauses. */
  pausedMs: number;
  /** When the current pause began (epoch ms), or null if running. */
  pausedSince: number | null;
  snoozedUntil: number | null;
  incidentKey: string | null;
  deleted: boolean;
  /**
   * The private triage channel this ticket is worked in (its card is posted there and the
   * card's thread is the ticket's internal thread); null/absent = inline mode. Fixed at open.
   */
  triageChannelId?: string | null;
  /** Link to the customer's message, shown on a card in the triage channel. */
  sourceLink?: string | null;
  /** The acknowledgement posted in the customer's thread (triage mode). */
  ackMessageId?: string | null;
}

export const EVENT_TYPES = [
  'created',
  'triaged',
  'assigned',
  'unassigned',
  'priority_changed',
  'category_changed',
  'status_changed',
  'replied',
  'first_response',
  'escalated',
  'escalation_declined',
  'sla_warned',
  'sla_breached',
  'snoozed',
  'note',
  'reopened',
  'message_edited',
  'message_deleted',
  'linked_incident',
  'reply_drafted',
  'reply_sent',
  'reply_discarded',
  'plan_created',
  'answer_offered',
  'answer_feedback',
  'answer_sent',
  'answer_saved',
  /** What the team learned, written by the resolving agent (internal). */
  'resolution_note',
  /** The customer was asked to rate the resolution. */
  'csat_asked',
  /** The requester's satisfaction rating (1–5), or a change of it. */
  'csat_rated',
  /** Linked to an engineering issue (created from the ticket, or an existing one). Internal. */
  'tracker_linked',
  /** An engineering issue link was removed. Internal. */
  'tracker_unlinked',
  /** Hear back: a linked tracker issue changed state (webhook or polling). */
  'tracker_state',
  /** Hear back: an engineer commented on a linked tracker issue. */
  'tracker_comment',
  /** Hear back: a linked issue was closed and agents were prompted with a drafted customer update. */
  'fix_update_prompted',
  /** The drafted customer update was sent (the reply itself is a `replied` event). */
  'fix_update_sent',
  /** The drafted customer update was dismissed: the customer was not told. */
  'fix_update_dismissed',
] as const;
export type TicketEventType = (typeof EVENT_TYPES)[number];

export interface TicketEvent {
  id: number;
  ticketId: number;
  type: TicketEventType;
  /** User id, 'frontdesk' for the bot, 'system' for the scheduler, 'cli' for the terminal. */
  actor: string;
  at: number;
  data: Record<string, unknown>;
}

/** An actor in a use case: who did it, and what the config says they are. */
export interface Actor {
  id: string;
  name?: string;
  platform: Platform;
}
