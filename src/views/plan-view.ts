/**
 * The four-stage handling plan as posted in a ticket's thread: customer need and response draft,
 * handling path (owner, escalation, steps), resolution checks, and follow-up actions — each with a
 * "Create ticket" button whose value is `<planId>|<index>` (the follow-up itself is stored with
 * the plan, so the value stays tiny). Model and template text is shown literally (quotes, plain()).
 */
import type { HandlingPlan, PlanStage } from '../ai/handling-plan.js';
import type { FollowUp } from '../ai/playbook.js';
import type { Ticket } from '../domain/types.js';
import { ACTIONS } from './action-ids.js';
import type { Block, MessageView } from '../ports/message-view.js';
import { mention, plain } from '../ports/message-view.js';
import { truncate } from '../util/text.js';
import { notice } from './ticket-views.js';

const QUOTE_CHARS = 2_800;

export interface PlanViewOptions {
  /** Stored plan id (follow-up buttons reference it). */
  planId: number;
  /** Who asked for the plan. */
  requestedBy: string;
  /** An issue tracker is configured: each follow-up also gets "Create issue" (the engineering hand-off). */
  createIssue?: boolean;
}

function pathLabel(path: 'ai' | 'offline', reason?: string): string {
  return path === 'ai' ? 'drafted by Claude' : `offline playbook${reason ? ` (${plain(reason)})` : ''}`;
}

function stageHeading(n: number, s: PlanStage): Block[] {
  return [
    { type: 'text', text: `**${n}. ${plain(s.title)}** · ${plain(s.persona.replace(/-/g, ' '))}` },
    { type: 'context', elements: [pathLabel(s.path)] },
  ];
}

/** The value of a follow-up's "Create ticket" button. */
export function followUpValue(planId: number, index: number): string {
  return `${planId}|${index}`;
}

/**
 * Render a handling plan for the ticket thread.
 * @example planView(t, plan, { planId: 7, requestedBy: 'U1' }).blocks[0] // { type: 'header', text: 'Handling plan · T-1042' }
 */
export function planView(t: Ticket, plan: HandlingPlan, opts: PlanViewOptions): MessageView {
  const [s1, s2, s3, s4] = plan.stages;
  const blocks: Block[] = [
    { type: 'header', text: `Handling plan · ${t.key}` },
    {
      type: 'context',
      elements: [`${plan.stages.length} stages · ${pathLabel(plan.path, plan.reason)} · requested by ${mention(opts.requestedBy)}`, 'A proposal for the support team: people decide and act.'],
    },
  ];
  if (s1) {
    blocks.push(...stageHeading(1, s1), { type: 'quote', text: truncate(s1.output, QUOTE_CHARS) });
    if (plan.responseDraft) blocks.push({ type: 'text', text: '**Response draft**' }, { type: 'quote', text: truncate(plan.responseDraft, QUOTE_CHARS) });
    blocks.push({ type: 'divider' });
  }
  if (s2) {
    const hp = plan.handlingPath;
    blocks.push(...stageHeading(2, s2), {
      type: 'fields',
      fields: [
        { label: 'Owner', value: t.ownerId ? mention(t.ownerId) : plain(hp.owner) },
        { label: 'Escalation', value: plain(truncate(hp.escalation, 500)) },
      ],
    });
    if (hp.steps.length) blocks.push({ type: 'text', text: truncate(hp.steps.map((s, i) => `${i + 1}. ${plain(s)}`).join('\n'), QUOTE_CHARS) });
    blocks.push({ type: 'divider' });
  }
  if (s3) {
    blocks.push(...stageHeading(3, s3));
    blocks.push(
      plan.resolutionChecks.length
        ? { type: 'text', text: truncate(plan.resolutionChecks.map((c) => `• ${plain(c)}`).join('\n'), QUOTE_CHARS) }
        : { type: 'context', elements: ['No checks proposed.'] },
    );
    blocks.push({ type: 'divider' });
  }
  if (s4) {
    blocks.push(...stageHeading(4, s4));
    if (plan.followUps.length === 0) blocks.push({ type: 'context', elements: ['No follow-up actions needed.'] });
    plan.followUps.slice(0, 5).forEach((f, i) => {
      blocks.push({ type: 'text', text: followUpText(f) });
      blocks.push({
        type: 'actions',
        blockId: `follow-up-${i}`,
        elements: [
          { type: 'button', actionId: ACTIONS.followUpCreate, label: 'Create ticket', value: followUpValue(opts.planId, i) },
          ...(opts.createIssue ? [{ type: 'button' as const, actionId: ACTIONS.followUpIssue, label: 'Create issue', value: followUpValue(opts.planId, i) }] : []),
        ],
      });
    });
  }
  return { text: `Handling plan for ${t.key}: ${plan.stages.map((s) => s.title).join(' → ')}`, blocks };
}

function followUpText(f: FollowUp): string {
  const criteria = f.acceptanceCriteria.map((a) => `   ☐ ${plain(a)}`).join('\n');
  return truncate(`**${plain(f.title)}**${criteria ? `\n${criteria}` : ''}`, QUOTE_CHARS);
}

/** The text of the ticket a follow-up button opens. */
export function followUpTicketText(source: Ticket, f: FollowUp): string {
  const criteria = f.acceptanceCriteria.map((a) => `- [ ] ${a}`).join('\n');
  return `${f.title}\n\nFollow-up from ${source.key} (handling plan).${criteria ? `\nAcceptance criteria:\n${criteria}` : ''}`;
}

/** The ephemeral answer to `/ticket plan` and the card's Plan button. */
export function planPostedNotice(t: Ticket): MessageView {
  return notice(t.triageChannelId ? `Plan posted in the internal thread of **${t.key}**.` : `Plan for **${t.key}** sent to you privately (agents only).`);
}

/** When the plan takes longer than a button may wait. */
export function planComingNotice(t: Ticket): MessageView {
  return notice(
    `Building the handling plan for **${t.key}** (four stages)… ${t.triageChannelId ? 'it will be posted in the internal thread.' : 'it will be sent to you privately.'}`,
  );
}

export function followUpCreatedNotice(created: Ticket, source: Ticket): MessageView {
  return notice(`Opened **${created.key}** as a follow-up of **${source.key}**: ${plain(truncate(created.title, 120, '…'))}`);
}

export function followUpExistsNotice(key: string | null, source: Ticket): MessageView {
  return notice(key ? `That follow-up of **${source.key}** is already **${plain(key)}**.` : `That follow-up of **${source.key}** was already created.`);
}

export function followUpNotFound(): string {
  return 'That follow-up is no longer available. Run `/ticket plan ID` again for a fresh plan.';
}
