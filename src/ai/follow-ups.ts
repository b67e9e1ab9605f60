/**
 * A handling plan's follow-ups: "Create ticket" opens the follow-up as a ticket of its own (once
 * per plan and follow-up, however often it is clicked) and notes it on the source ticket. A
 * follow-up is internal work, so it gets no suggested reply: `opening` is true while one is
 * being opened, and the after-creation hook skips the draft then.
 */
import type { InteractionContext, InteractionResult } from '../commands/interaction-types.js';
import { splitValue } from '../commands/interactions.js';
import { InputInvalidError } from '../domain/errors.js';
import type { AiRepo } from '../store/ai-repo.js';
import type { TicketService } from '../tickets/ticket-service.js';
import { followUpCreatedNotice, followUpExistsNotice, followUpNotFound, followUpTicketText } from '../views/plan-view.js';
import type { StoredPlanBody } from './plans.js';

export class FollowUps {
  private openingFollowUp = false;

  constructor(private readonly d: { tickets: TicketService; repo: AiRepo }) {}

  /** True while a plan follow-up ticket is being opened (it gets no suggested reply). */
  get opening(): boolean {
    return this.openingFollowUp;
  }

  /** "planId|index" → open that follow-up as a ticket, or say it already exists. */
  create(value: string, ctx: InteractionContext): InteractionResult {
    const { tickets, repo } = this.d;
    const [planText, indexText] = splitValue(value);
    const stored = /^\d+$/.test(planText) ? repo.getPlan<StoredPlanBody>(Number(planText)) : null;
    const index = /^\d+$/.test(indexText) ? Number(indexText) : -1;
    const followUp = stored?.plan.followUps?.[index];
    if (!stored || !followUp) throw new InputInvalidError(followUpNotFound());
    const source = tickets.require(stored.ticketId);
    const already = () => {
      const note = tickets.repo.events(source.id).find((e) => {
        const f = e.data.followUp as { planId?: number; index?: number } | undefined;
        return e.type === 'note' && f?.planId === stored.id && f.index === index;
      });
      const f = note?.data.followUp as { key?: string } | undefined;
      return { ephemeral: followUpExistsNotice(f?.key ?? null, source) };
    };
    this.openingFollowUp = true;
    let res: ReturnType<typeof tickets.open>;
    try {
      res = tickets.open({
        platform: source.platform,
        channelId: source.channelId,
        requesterId: ctx.userId,
        text: followUpTicketText(source, followUp),
        force: true,
        createdBy: ctx.userId,
        eventId: `follow-up:${stored.id}:${index}`,
      });
    } finally {
      this.openingFollowUp = false;
    }
    if (res.outcome !== 'created') return already();
    const created = res.ticket;
    tickets.change(source.id, ctx.userId, () => ({
      patch: {},
      events: [{ type: 'note', data: { text: `Follow-up ${created.key}: ${followUp.title}`, followUp: { planId: stored.id, index, key: created.key } } }],
    }));
    return { ephemeral: followUpCreatedNotice(created, source) };
  }
}
