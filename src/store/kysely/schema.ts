/**
 * Kysely table types for the tables the store port reads and writes (the same columns on both
 * engines; see src/store/migrations and src/store/migrations-pg). Epoch-ms BIGINTs come back as
 * JS numbers (the pg pool parses int8), flags are INTEGER 0/1 on both engines. JSON columns are
 * TEXT on SQLite and JSONB on PostgreSQL: written as JSON text, read back as text or as a parsed
 * value, so rows go through `fromJson`.
 */
import type { ColumnType, Generated } from 'kysely';

/** A JSON column: written as JSON text; read as text (SQLite) or already parsed (PostgreSQL JSONB). */
export type Json = ColumnType<unknown, string, string>;

export interface TicketsTable {
  id: Generated<number>;
  key: string;
  platform: string;
  channel_id: string;
  source_message_id: string | null;
  thread_id: string | null;
  card_message_id: string | null;
  requester_id: string;
  requester_name: string | null;
  title: string;
  text: string;
  category: string;
  priority: string;
  status: string;
  owner_id: string | null;
  team: string;
  signals: Json;
  attachments: Json;
  sla: Json;
  created_at: number;
  updated_at: number;
  first_response_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  paused_ms: Generated<number>;
  paused_since: number | null;
  snoozed_until: number | null;
  incident_key: string | null;
  deleted: Generated<number>;
  next_sla_check_at: number | null;
  reopened_count: Generated<number>;
  triage_channel_id: string | null;
  source_link: string | null;
  ack_message_id: string | null;
}

export interface TicketEventsTable {
  id: Generated<number>;
  ticket_id: number;
  type: string;
  actor: string;
  at: number;
  data: Json;
}

export interface MessagesTable {
  id: Generated<number>;
  ticket_id: number;
  platform: string;
  channel_id: string;
  message_id: string;
  author_id: string;
  author_role: string;
  text: string;
  at: number;
  edited_at: number | null;
  deleted: Generated<number>;
}

export interface InboundEventsTable {
  platform: string;
  event_id: string;
  at: number;
}

export interface InboxTable {
  id: Generated<number>;
  platform: string;
  delivery_id: string;
  payload: string;
  retry_num: Generated<number>;
  received_at: number;
  status: Generated<string>;
  attempts: Generated<number>;
  last_error: string | null;
  processed_at: number | null;
  result: string | null;
}

export interface SeenRequestsTable {
  platform: string;
  key: string;
  at: number;
}

export interface OutboxTable {
  id: Generated<number>;
  idempotency_key: string;
  platform: string;
  channel_id: string;
  kind: string;
  payload: string;
  ticket_id: number | null;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: number;
  created_at: number;
  sent_at: number | null;
  result: string | null;
  last_error: string | null;
  first_attempt_at: number | null;
  unsure: Generated<number>;
}

export interface TrackerIssuesTable {
  id: Generated<number>;
  tracker: string;
  issue_key: string;
  url: string;
  title: string;
  state: string;
  state_label: string;
  close_reason: string | null;
  assignee: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  polled_at: number | null;
}

export interface TicketIssueLinksTable {
  ticket_id: number;
  issue_id: number;
  linked_by: string;
  linked_at: number;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

// ─── routing, directory, conversation references, rate limits ───

export interface RoutingStateTable {
  team: string;
  last_member: string | null;
  updated_at: number;
  picks: Generated<number>;
}

export interface DirectoryGroupMembersTable {
  grp: string;
  user_id: string;
  updated_at: number;
}

/** Conversation references, the directory cache and form state (platform 'form-state', 'handoff-preview'). */
export interface ConversationRefsTable {
  platform: string;
  key: string;
  /** Text on both engines (JSON for form state). */
  reference: string;
  updated_at: number;
}

export interface RateLimitsTable {
  key: string;
  tat: number;
}

// ─── known answers and CSAT (src/ports/store-knowledge.ts; migrations 0011, 0012, 0014) ───────

export interface KnowledgeAnswersTable {
  seq: Generated<number>;
  id: string;
  title: string;
  body: string;
  category: string | null;
  tags: Generated<string>;
  terms: Generated<string>;
  title_terms: Generated<string>;
  source: string;
  root: string | null;
  path: string | null;
  ticket_id: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface KnowledgeFilesTable {
  root: string;
  path: string;
  mtime_ms: number;
  size: number;
  hash: string;
  problem: string | null;
}

export interface KnowledgeDecisionsTable {
  ticket_id: number;
  offered: number;
  declined: string | null;
  answer_id: string | null;
  score: Generated<number>;
  at: number;
}

export interface KnowledgeOffersTable {
  id: Generated<number>;
  ticket_id: number;
  answer_id: string;
  answer_title: string;
  via: string;
  score: number | null;
  explanation: Generated<string>;
  status: string;
  offered_by: string;
  offered_at: number;
  expires_at: number | null;
  decided_by: string | null;
  decided_at: number | null;
}

export interface CsatSurveysTable {
  ticket_id: number;
  requester_id: string;
  asked_at: number;
  rating: number | null;
  answered_at: number | null;
  updated_at: number | null;
}

// ─── AI domain (src/ports/store-ai.ts): model calls, drafts, plans, training examples, AI tasks ───

export interface AiCallsTable {
  id: Generated<number>;
  at: number;
  purpose: string;
  model: string;
  ticket_id: number | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  latency_ms: number;
  outcome: string;
}

export interface DraftsTable {
  id: Generated<number>;
  ticket_id: number;
  persona: string;
  text: string;
  sources: string;
  suggestions: string;
  path: string;
  status: Generated<string>;
  created_at: number;
  decided_by: string | null;
  decided_at: number | null;
}

export interface PlansTable {
  id: Generated<number>;
  ticket_id: number;
  stages: string;
  path: string;
  created_at: number;
  created_by: string;
}

export interface TrainingExamplesTable {
  id: Generated<number>;
  text: string;
  category: string | null;
  priority: string | null;
  source: string;
  ticket_id: number | null;
  created_at: number;
}

export interface AiTasksTable {
  id: Generated<number>;
  kind: string;
  ticket_id: number | null;
  idempotency_key: string;
  payload: Generated<string>;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: number;
  token: Generated<number>;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  done_at: number | null;
}

export interface StoreDb {
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  messages: MessagesTable;
  inbound_events: InboundEventsTable;
  inbox: InboxTable;
  seen_requests: SeenRequestsTable;
  outbox: OutboxTable;
  tracker_issues: TrackerIssuesTable;
  ticket_issue_links: TicketIssueLinksTable;
  counters: CountersTable;
  schema_migrations: SchemaMigrationsTable;
  // routing, directory, conversation references, rate limits (migrations 0001 and 0018)
  routing_state: RoutingStateTable;
  directory_group_members: DirectoryGroupMembersTable;
  conversation_refs: ConversationRefsTable;
  rate_limits: RateLimitsTable;
  // known answers and CSAT
  knowledge_answers: KnowledgeAnswersTable;
  knowledge_files: KnowledgeFilesTable;
  knowledge_decisions: KnowledgeDecisionsTable;
  knowledge_offers: KnowledgeOffersTable;
  csat_surveys: CsatSurveysTable;
  // AI domain
  ai_calls: AiCallsTable;
  drafts: DraftsTable;
  plans: PlansTable;
  training_examples: TrainingExamplesTable;
  ai_tasks: AiTasksTable;
  // escalations, SLA pings, digests (src/store/kysely/escalation.ts)
  escalations: EscalationsTable;
  sla_pings: SlaPingsTable;
  digests_sent: DigestsSentTable;
}

// ─── escalations, SLA pings, digests (src/store/kysely/escalation.ts) ──────────────────────────

export interface EscalationsTable {
  id: Generated<number>;
  ticket_id: number;
  rule_id: string;
  reason: string;
  target: string;
  /** JSON text on both engines. */
  related: Generated<string>;
  status: Generated<string>;
  created_at: number;
  decided_by: string | null;
  decided_at: number | null;
}

export interface SlaPingsTable {
  ticket_id: number;
  clock: string;
  threshold: number;
  at: number;
  outcome: string;
}

export interface DigestsSentTable {
  channel_id: string;
  kind: string;
  period: string;
  at: number;
}

/** Parse a JSON column read from either engine. */
export function fromJson<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}
