/**
 * installAi(core): wires the AI layer into the product. Personas are validated at start-up (a bad
 * file stops it, naming the file and field; persona-setup.ts). After a ticket is created — never
 * blocking creation — AI triage may adjust category/priority under the fixed combine rules
 * (triage-merge.ts), then a suggested reply is drafted in the channel's persona, stored, announced
 * on the card ("ready") and delivered privately to the owner or the team (drafts.ts). That work is
 * durable: a task row enqueued in the ticket's creation transaction, run by a worker that claims
 * due tasks with a lease (after-create.ts, task-worker.ts), so a crash after the ticket's commit
 * does not lose it and several replicas never run it twice at once. The buttons,
 * form and `/ticket plan` command are in handlers.ts; plans in plans.ts, their follow-up tickets in
 * follow-ups.ts. The model only proposes text and fields: every action is taken by a person or by
 * deterministic code. Without an API key everything runs on the offline path.
 */
import type { Core } from '../app.js';
import type { Ticket } from '../domain/types.js';
import { AiRepo, type StoredDraft } from '../store/ai-repo.js';
import { runAfterCreateTask, triageTask } from './after-create.js';
import { type AiClient, type AiLogger, createAiClient } from './anthropic-client.js';
import { BackgroundWork } from './background.js';
import { CaseLookup } from './case-lookup.js';
import { Drafts } from './drafts.js';
import { FollowUps } from './follow-ups.js';
import { registerAiHandlers } from './handlers.js';
import type { HandlingPlan } from './handling-plan.js';
import { loadAndCheckPersonas, personaFor, personasDirFor } from './persona-setup.js';
import type { Persona } from './personas.js';
import { Plans } from './plans.js';
import { AiTaskWorker } from './task-worker.js';

export { MAX_DRAFT_RECIPIENTS } from './drafts.js';
export { loadAndCheckPersonas, personasDirFor, SHIPPED_PERSONAS_DIR } from './persona-setup.js';

/** What installAi adds to a core. */
export interface AiFeatures {
  readonly ai: AiClient;
  readonly repo: AiRepo;
  readonly personas: ReadonlyMap<string, Persona>;
  /** The persona for suggested replies in the ticket's channel. */
  personaFor(t: Ticket): Persona;
  /** Draft (or re-draft) the suggested reply for a ticket; null when it is closed. */
  draft(ref: string | number, actor?: string): Promise<StoredDraft | null>;
  /** Build, store and post the handling plan of a ticket. */
  plan(ref: string | number, actor: string): Promise<{ planId: number; plan: HandlingPlan }>;
  /**
   * Resolves once nothing runnable now is still running: AI tasks due now (AI triage and the
   * first draft after creation), drafts and plans started so far. Tasks waiting out a retry
   * backoff, or held under another process's live lease, are not waited for.
   */
  idle(): Promise<void>;
}

export interface InstallAiOptions {
  /** Persona directory (default: `personasDirFor(config)`). */
  personasDir?: string;
  /**
   * How long a button or command waits for a plan or a new draft before answering "on its way"
   * (Teams wants an invoke answered within seconds). The work finishes in the background: a plan
   * is posted in the thread, a draft is sent privately to whoever asked. Default 2,500 ms.
   */
  answerWithinMs?: number;
  /**
   * Durable AI tasks: how long a claimed task is this process's before another may take it over
   * (default 10 minutes, longer than a model call with its retries), how many run at once
   * (default 4) and the poll interval for retries and taken-over tasks (default 5 s; 0 = none).
   */
  tasks?: { leaseMs?: number; concurrency?: number; pollMs?: number };
}

/** Default for {@link InstallAiOptions.answerWithinMs}. */
export const ANSWER_WITHIN_MS = 2_500;

const installed = new WeakMap<Core, AiFeatures>();

/**
 * Install the AI features on a core (once; a second call returns the same handle). Call it from
 * the composition root before adapters start, so a bad persona file stops start-up.
 *
 * @example
 * const core = createCore({ config, db, env });
 * const aiFeatures = installAi(core); // throws FrontdeskError for a broken persona file
 * // tests: open a ticket, then `await aiFeatures.idle()` and look at the drafts/outbox.
 */
export function installAi(core: Core, opts: InstallAiOptions = {}): AiFeatures {
  const existing = installed.get(core);
  if (existing) return existing;
  const { config, db, clock, logger, tickets, directory, commands, interactions } = core;
  const answerWithinMs = opts.answerWithinMs ?? ANSWER_WITHIN_MS;
  const personas = loadAndCheckPersonas(config, opts.personasDir ?? personasDirFor(config));
  const repo = new AiRepo(db);
  const aiLogger: AiLogger = { info: (o, m) => logger.info(o, m), warn: (o, m) => logger.warn(o, m) };
  const ai = createAiClient({ config, env: core.env, repo, clock, logger: aiLogger, metrics: core.metrics });
  if (ai.enabled) logger.info({ model: ai.model }, 'AI features on: suggested replies, handling plans and AI triage use Claude');
  else logger.info({ reason: ai.disabledReason }, 'AI features offline: suggested replies and plans use the persona templates');

  const work = new BackgroundWork();
  const personaOf = (t: Ticket): Persona => personaFor(config, personas, t);
  const cases = new CaseLookup({ config, clock, tickets, directory, redactor: ai.redactor });
  const drafts = new Drafts({ config, clock, logger, tickets, directory, ai, repo, cases, work, personaFor: personaOf, answerWithinMs });
  const plans = new Plans({ config, clock, logger, tickets, directory, ai, repo, personas, cases, work, answerWithinMs });
  const followUps = new FollowUps({ tickets, repo });

  // After creation: AI triage, then a suggested reply for the owner or the team — durable tasks
  // claimed through the store port (the worker) and run in this process or any replica.
  const worker = new AiTaskWorker({
    store: core.store,
    clock,
    logger,
    work,
    run: (task) => runAfterCreateTask({ ai, config, store: core.store, tickets, drafts, work, logger }, task),
    ...opts.tasks,
  });
  core.onClose(() => {
    work.closed = true;
    worker.stop();
  });
  // In the creation transaction: the ticket and its AI work commit together or not at all.
  // A plan's follow-up is internal work: no suggested reply.
  tickets.onCreatedInTransaction((t) => {
    repo.enqueueTask(triageTask(t, !followUps.opening));
  });

  tickets.onChange((c) => {
    if (work.closed) return;
    if (c.kind === 'created') {
      worker.kick();
      return;
    }
    // An agent took the ticket while a draft is pending: they get it privately too.
    if (c.events.includes('assigned') && c.ticket.ownerId) {
      const d = repo.latestDraft(c.ticket.id);
      if (d?.status === 'pending') drafts.deliver(c.ticket, d, [c.ticket.ownerId]);
    }
  });
  // Tasks a stopped process left behind (pending, or running under a lease that ran out) run now.
  worker.start();

  registerAiHandlers(interactions, commands, { drafts, plans, followUps });

  const features: AiFeatures = {
    ai,
    repo,
    personas,
    personaFor: personaOf,
    draft: (ref, actor) => drafts.draft(ref, actor),
    plan: (ref, actor) => plans.plan(ref, actor),
    idle: () => work.idle(),
  };
  installed.set(core, features);
  return features;
}
