/**
 * Handling plans: build the four-stage plan for a ticket (customer need, handling path, checks,
 * follow-ups), store it, record it on the timeline and post it to agents only — in one
 * transaction — and answer a click or command "posted", or "on its way" when the model takes long.
 */
import type { Logger } from 'pino';
import type { FrontdeskConfig } from '../config/schema.js';
import { FrontdeskError } from '../domain/errors.js';
import type { Ticket } from '../domain/types.js';
import { trackersConfigured } from '../handoff/configured.js';
import type { Clock } from '../ports/clock.js';
import type { MessageView } from '../ports/message-view.js';
import type { Directory } from '../routing/directory.js';
import type { AiRepo } from '../store/ai-repo.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { planComingNotice, planPostedNotice, planView } from '../views/plan-view.js';
import type { AiClient } from './anthropic-client.js';
import type { BackgroundWork } from './background.js';
import { within } from '../util/within.js';
import type { CaseLookup } from './case-lookup.js';
import { type HandlingPlan, handlingPlan } from './handling-plan.js';
import type { Persona } from './personas.js';

/** The plan as stored (plans.stages): the HandlingPlan itself. */
export type StoredPlanBody = HandlingPlan;

export interface PlansDeps {
  config: FrontdeskConfig;
  clock: Clock;
  logger: Logger;
  tickets: TicketService;
  directory: Directory;
  ai: AiClient;
  repo: AiRepo;
  personas: Map<string, Persona>;
  cases: CaseLookup;
  work: BackgroundWork;
  /** How long a click or command waits for the plan before answering "on its way". */
  answerWithinMs: number;
}

export class Plans {
  constructor(private readonly d: PlansDeps) {}

  /** Build, store and post a plan (tracked, so idle() waits for the post). */
  plan(ref: string | number, actor: string): Promise<{ planId: number; plan: HandlingPlan }> {
    const t = this.d.tickets.require(ref);
    return this.d.work.track(this.buildAndPost(t, actor));
  }

  private async buildAndPost(t: Ticket, actor: string): Promise<{ planId: number; plan: HandlingPlan }> {
    const { ai, personas, cases, directory, tickets, repo, clock, config } = this.d;
    const ownerName = t.ownerId ? directory.nameOf(t.ownerId) : null;
    const due = cases.firstResponseDue(t);
    const built = await handlingPlan(
      { ai, personas },
      {
        ticket: t,
        thread: cases.threadOf(t),
        similar: cases.similarTo(t),
        escalated: cases.wasEscalated(t),
        ...(due ? { firstResponseDue: due } : {}),
        // Only a real display name goes to the model, never a platform id.
        ...(ownerName && ownerName !== t.ownerId ? { owner: ownerName } : {}),
      },
    );
    if (this.d.work.closed) throw new FrontdeskError('frontdesk_shutting_down', `The handling plan for ${t.key} was not posted: frontdesk is shutting down.`);
    // Stored, on the timeline and posted in one transaction (a gone ticket rolls it all back).
    const planId = repo.savePlanThen(t.id, built satisfies StoredPlanBody, actor, clock.now(), (id) => {
      const cur = tickets.require(t.id);
      tickets.change(cur.id, actor, () => ({
        patch: {},
        events: [{ type: 'plan_created', data: { planId: id, path: built.path, reason: built.reason ?? null, followUps: built.followUps.length } }],
      }));
      // Agents only: the internal thread in triage mode, else privately to whoever asked.
      tickets.messenger.send(cur, planView(cur, built, { planId: id, requestedBy: actor, createIssue: trackersConfigured(config) }), {
        purpose: 'work',
        key: `plan-post:${id}`,
        ...(directory.isAgent(actor) ? { to: [actor] } : {}),
      });
    });
    return { planId, plan: built };
  }

  /** Build and post a plan; answer "posted" — or "on its way" if the model takes long. */
  async planFor(ref: string, userId: string): Promise<MessageView> {
    const t = this.d.tickets.require(ref);
    const pending = this.plan(t.id, userId);
    const r = await within(pending, this.d.answerWithinMs);
    if (r.done) return planPostedNotice(t);
    void pending.catch((e: unknown) => this.d.logger.error({ err: e, ticket: t.key }, 'handling plan failed'));
    return planComingNotice(t);
  }
}
