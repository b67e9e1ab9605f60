/** Core domain vocabulary shared by every part of frontdesk. Platform-neutral. */
export const PRIORITIES = ['P0', 'P1', 'P2', 'P3', 'P4'];
export const STATUSES = [
    'new',
    'triaged',
    'acknowledged',
    'in_progress',
    'waiting_on_customer',
    'resolved',
    'closed',
];
/** Statuses in which a ticket still needs work (SLA clocks may run). */
export const OPEN_STATUSES = ['new', 'triaged', 'acknowledged', 'in_progress', 'waiting_on_customer'];
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
];
export const PLATFORMS = ['slack', 'teams', 'local', 'cli'];
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
];
//# sourceMappingURL=types.js.map