/**
 * The AI work after a ticket is created, as durable tasks (rows in `ai_tasks`, see task-worker.ts):
 *  - 'triage' (enqueued in the ticket's creation transaction): AI triage may adjust category and
 *    priority under the fixed combine rules; then, unless the ticket is a plan's follow-up, it
 *    enqueues the 'draft' task — in the transaction that marks it done;
 *  - 'draft': the first suggested reply, drafted in the channel's persona, stored, announced on
 *    the card and delivered privately to the owner or the team.
 * A task may run again after a crash (its lease ran out before it was marked done), so both are
 * idempotent: triage is skipped when the AI's view is already on the ticket, and the draft task
 * drafts only when the ticket has no draft yet (it still delivers, which the outbox dedupes).
 */
import type { Logger } from 'pino';
import type { FrontdeskConfig } from '../config/schema.js';
import type { Priority } from '../domain/types.js';
import type { Store } from '../ports/store.js';
import type { AiTaskEnqueue, ClaimedAiTask } from '../ports/store-ai.js';
import type { TicketService } from '../tickets/ticket-service.js';
import type { AiClient } from './anthropic-client.js';
import type { BackgroundWork } from './background.js';
import type { Drafts } from './drafts.js';
import type { TaskOutcome } from './task-worker.js';
import { applyAiTriage } from './triage-merge.js';

/** What a triage task carries: the ticket's triage when it was created, and whether to draft. */
export interface TriageTaskPayload {
  category: string;
  priority: Priority;
  suggestReply: boolean;
}

/** The triage task of a new ticket (enqueued in its creation transaction). */
export function triageTask(t: { id: number; category: string; priority: Priority; createdAt: number }, suggestReply: boolean): AiTaskEnqueue {
  const payload: TriageTaskPayload = { category: t.category, priority: t.priority, suggestReply };
  return { kind: 'triage', ticketId: t.id, idempotencyKey: `ai-triage:${t.id}`, payload: JSON.stringify(payload), createdAt: t.createdAt };
}

export interface AfterCreateDeps {
  ai: AiClient;
  config: FrontdeskConfig;
  store: Store;
  tickets: TicketService;
  drafts: Drafts;
  work: BackgroundWork;
  logger: Logger;
}

/** Run one claimed task of either kind. */
export async function runAfterCreateTask(d: AfterCreateDeps, task: ClaimedAiTask): Promise<TaskOutcome> {
  if (task.ticketId === null) return 'done';
  switch (task.kind) {
    case 'triage':
      return runTriage(d, task, task.ticketId);
    case 'draft':
      return runDraft(d, task.ticketId);
    default:
      d.logger.warn({ task: task.idempotencyKey, kind: task.kind }, 'unknown AI task kind; marked done');
      return 'done';
  }
}

async function runTriage(d: AfterCreateDeps, task: ClaimedAiTask, ticketId: number): Promise<TaskOutcome> {
  const { ai, config, tickets, work, logger } = d;
  const p = JSON.parse(task.payload) as TriageTaskPayload;
  const t = tickets.repo.get(ticketId);
  if (!t) return 'done';
  // Already applied by an earlier run of this task (the AI's view is a signal on the ticket).
  if (!t.signals.some((s) => s.source === 'ai')) {
    try {
      // Compared with the triage at creation: what a person changed since then stands.
      await applyAiTriage({ ai, config, tickets, work }, { ...t, category: p.category, priority: p.priority });
    } catch (e) {
      logger.error({ err: e, ticket: t.key }, 'AI triage after creation failed; the offline triage stands');
    }
  }
  if (work.closed) return 'abandoned';
  if (!p.suggestReply) return 'done';
  // The first suggested reply, enqueued in the transaction that marks this task done.
  return { next: [{ kind: 'draft', ticketId, idempotencyKey: `ai-draft:${ticketId}`, payload: '{}' }] };
}

async function runDraft(d: AfterCreateDeps, ticketId: number): Promise<TaskOutcome> {
  const { tickets, drafts, work, store } = d;
  const existing = await store.ai.latestDraft(ticketId);
  const draft = existing ?? (await drafts.draft(ticketId));
  if (work.closed) return 'abandoned';
  if (!draft) return 'done';
  const cur = tickets.repo.get(ticketId);
  if (cur) drafts.deliver(cur, draft, drafts.recipients(cur));
  return 'done';
}
