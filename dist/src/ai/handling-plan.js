/**
 * The "Handle Support Ticket" workflow: four stages in order — support specialist (customer need
 * and response), operations lead (handling path, owner, escalation), analyst (resolution checks),
 * product manager (follow-through) — each receiving the ticket and every earlier stage's output.
 * With Claude each stage is one structured call with that stage's persona; without it (or from
 * the first failing stage on) stages are built deterministically from the persona's `stage`
 * template, the category playbook and the ticket. The plan is a proposal for people to act on.
 */
import { z } from 'zod';
import { FrontdeskError } from '../domain/errors.js';
import { blocks, customerBlock, similarBlock, threadBlock, ticketBlock } from './case-data.js';
import { offlineReply, templateVars } from './draft-reply.js';
import { playFor } from './playbook.js';
import { bulletList, numberedList, renderTemplate } from './render-template.js';
/** Persona ids of the four stages, in order. */
export const PLAN_STAGES = ['support-specialist', 'operations-lead', 'analyst', 'product-manager'];
const STAGE_TITLES = {
    'support-specialist': 'Customer need and response',
    'operations-lead': 'Handling path and ownership',
    analyst: 'Resolution checks',
    'product-manager': 'Follow-through',
};
const stage1Schema = z.object({
    customerGoal: z.string().min(1).max(300).describe('what the customer is actually trying to get done'),
    urgency: z.string().min(1).max(200).describe('how urgent, and why, in one line'),
    nextStep: z.string().min(1).max(400),
    expectedOutcome: z.string().min(1).max(400),
    escalationPath: z.string().min(1).max(400),
    responseDraft: z.string().min(1).max(4000).describe('the reply to send the customer now'),
});
const stage2Schema = z.object({
    owner: z.string().min(1).max(120).describe('who owns the ticket now (a role or the owner given in the data)'),
    escalation: z.string().min(1).max(400).describe('trigger → target → timeframe'),
    steps: z.array(z.string().min(1).max(300)).min(1).max(6),
    coordination: z.string().max(400).describe('who else must be told, or "none"'),
});
const stage3Schema = z.object({
    checks: z.array(z.string().min(1).max(300)).min(1).max(5).describe('observable yes/no checks'),
    missingInformation: z.array(z.string().min(1).max(200)).max(3),
});
const stage4Schema = z.object({
    followUps: z
        .array(z.object({
        title: z.string().min(1).max(160),
        kind: z.enum(['product', 'docs', 'process']),
        acceptanceCriteria: z.array(z.string().min(1).max(300)).min(1).max(4),
    }))
        .max(3),
    openQuestions: z.array(z.string().min(1).max(200)).max(3),
});
const STAGE_TASKS = {
    'support-specialist': 'Stage 1 of 4 (support specialist). Work out what the customer is actually trying to solve, how urgent it is, and draft the response they need now: one next step, the expected outcome and the escalation path. Record it with record_stage.',
    'operations-lead': 'Stage 2 of 4 (operations lead). Building on the earlier stage, decide the handling path: one owner, ordered steps, the escalation rule (trigger, target, timeframe) and any coordination. If an owner is given in the data, keep it. Record it with record_stage.',
    analyst: 'Stage 3 of 4 (analyst). Building on the earlier stages, define the smallest set of observable checks that prove the issue is understood and resolved, and note missing information. Record it with record_stage.',
    'product-manager': 'Stage 4 of 4 (product manager). Building on the earlier stages, propose zero to three follow-ups (product, docs or process) with testable acceptance criteria, and list open questions. Record it with record_stage.',
};
/** Throws if a stage persona is missing (call at start-up so a plan never fails on it later). */
export function assertPlanPersonas(personas) {
    const missing = PLAN_STAGES.filter((id) => !personas.has(id));
    if (missing.length)
        throw new FrontdeskError('frontdesk_persona_missing', `Handling plans need the persona file(s) ${missing.map((m) => `${m}.md`).join(', ')} in the personas directory.`);
}
function escalationFor(input) {
    const { ticket } = input;
    const play = playFor(ticket.category);
    if (input.escalateTo)
        return `Escalate to ${input.escalateTo} per the escalation rules; target: ${play.escalationTarget}`;
    switch (ticket.priority) {
        case 'P0':
            return `Now: ${play.escalationTarget}; notify the lead and keep the customer updated until resolved`;
        case 'P1':
            return `Tier 2 within the first-response window; ${play.escalationTarget} if not reproduced or fixed within half the resolution target`;
        default:
            return `Stays with the ${ticket.team} team; escalate to ${play.escalationTarget} on SLA breach or evidence of wider impact`;
    }
}
/** Deterministic stage output from the playbook, the ticket and the persona's `stage` template. */
function offlineStage(id, persona, input) {
    const { ticket } = input;
    const similar = input.similar ?? [];
    const play = playFor(ticket.category);
    const vars = templateVars(ticket, similar, input.firstResponseDue, input.escalated ?? false);
    const resolved = similar.filter((s) => s.resolution?.trim());
    const render = (extra) => {
        const tpl = persona.templates.stage;
        const all = { ...vars, ...extra };
        return tpl
            ? renderTemplate(tpl, all)
            : Object.entries(extra)
                .map(([k, v]) => `${k}:\n${v}`)
                .join('\n');
    };
    switch (id) {
        case 'support-specialist': {
            const draft = offlineReply({ ticket, thread: input.thread ?? [], similar, persona, firstResponseDue: input.firstResponseDue, escalated: input.escalated ?? false });
            return { output: render({}), responseDraft: draft.text };
        }
        case 'operations-lead': {
            const owner = input.owner ?? (ticket.ownerId ? 'the assigned agent' : `${ticket.team} team (unassigned: claim it first)`);
            const escalation = escalationFor(input);
            const steps = [
                ticket.ownerId || input.owner ? `${owner} confirms ownership on the ticket` : `Someone in the ${ticket.team} team claims the ticket`,
                input.firstResponseDue ? `Send the first response by ${input.firstResponseDue}` : 'Send the first response within the SLA',
                ...(ticket.priority === 'P0' ? ['Open or join the incident and link similar open tickets to it'] : []),
                resolved[0] ? `Try the known fix from ${resolved[0].key} first` : `Collect: ${play.diagnostics.slice(0, 2).join('; ')}`,
                ticket.priority === 'P0'
                    ? `Escalate now to ${input.escalateTo ?? play.escalationTarget}`
                    : `If not resolved within the SLA: escalate to ${input.escalateTo ?? play.escalationTarget}`,
                'Confirm the resolution checks, reply to the customer and resolve the ticket',
            ];
            return {
                output: render({ owner, escalation, steps: numberedList(steps) }),
                handlingPath: { owner, escalation, steps },
            };
        }
        case 'analyst': {
            const checks = [...play.resolutionChecks];
            if (resolved[0])
                checks.push(`The fix from ${resolved[0].key} was applied or ruled out`);
            return { output: render({ checks: bulletList(checks) }), checks };
        }
        case 'product-manager': {
            const followUps = [{ title: play.followUp.title, acceptanceCriteria: [...play.followUp.acceptanceCriteria] }];
            if (similar.length >= 2)
                followUps.push({
                    title: `Known-issue entry for "${ticket.title}" (${similar.length + 1} similar tickets)`,
                    acceptanceCriteria: [`The entry links ${[ticket.key, ...similar.map((s) => s.key)].join(', ')}`, 'Support can answer the next one from the entry alone'],
                });
            const text = followUps.map((f) => `- ${f.title}\n${f.acceptanceCriteria.map((a) => `  - [ ] ${a}`).join('\n')}`).join('\n');
            return { output: render({ follow_ups: text }), followUps };
        }
    }
}
/** Call Claude for one stage; null on failure (with the reason). */
async function aiStage(ai, id, persona, input, previous) {
    const { ticket } = input;
    const prev = previous.length
        ? { tag: 'previous_stages', text: previous.map((s, i) => `## Stage ${i + 1}: ${s.title} (${s.persona})\n${s.output}`).join('\n\n') }
        : null;
    const ownerBlock = input.owner ? { tag: 'ticket', text: `current owner: ${input.owner}` } : null;
    const rd = ai.redactor;
    const data = blocks(ticketBlock(ticket, input.firstResponseDue, rd), ownerBlock, customerBlock(ticket, rd), threadBlock(input.thread ?? [], rd), similarBlock(input.similar ?? [], rd), prev);
    const common = {
        ticketId: ticket.id,
        persona,
        instructions: `${STAGE_TASKS[id]}\nWrite for the support team, except responseDraft which is for the customer. The plan is posted in the ticket's thread, which the customer can read: refer to similar tickets by key only, never by title, customer or other details.`,
        data,
        task: `Produce stage ${PLAN_STAGES.indexOf(id) + 1} for ${ticket.key} with record_stage.`,
    };
    const tool = (schema) => ({ name: 'record_stage', description: `Record the ${STAGE_TITLES[id].toLowerCase()} stage of the handling plan.`, schema });
    switch (id) {
        case 'support-specialist': {
            const r = await ai.structured({ ...common, purpose: `plan:${id}`, tool: tool(stage1Schema) });
            if (!r.ok)
                return { ok: false, reason: r.reason };
            const v = r.value;
            return {
                ok: true,
                result: {
                    output: `Customer goal: ${v.customerGoal}\nUrgency: ${v.urgency}\nNext step: ${v.nextStep}\nExpected outcome: ${v.expectedOutcome}\nEscalation path: ${v.escalationPath}`,
                    responseDraft: v.responseDraft.trim(),
                },
            };
        }
        case 'operations-lead': {
            const r = await ai.structured({ ...common, purpose: `plan:${id}`, tool: tool(stage2Schema) });
            if (!r.ok)
                return { ok: false, reason: r.reason };
            const v = r.value;
            const owner = input.owner ?? v.owner;
            return {
                ok: true,
                result: {
                    output: `Owner: ${owner}\nEscalation: ${v.escalation}\nSteps:\n${numberedList(v.steps)}\nCoordination: ${v.coordination || 'none'}`,
                    handlingPath: { owner, escalation: v.escalation, steps: v.steps },
                },
            };
        }
        case 'analyst': {
            const r = await ai.structured({ ...common, purpose: `plan:${id}`, tool: tool(stage3Schema) });
            if (!r.ok)
                return { ok: false, reason: r.reason };
            const v = r.value;
            const missing = v.missingInformation.length ? `\nMissing information:\n${bulletList(v.missingInformation)}` : '';
            return { ok: true, result: { output: `Resolution checks:\n${bulletList(v.checks)}${missing}`, checks: v.checks } };
        }
        case 'product-manager': {
            const r = await ai.structured({ ...common, purpose: `plan:${id}`, tool: tool(stage4Schema) });
            if (!r.ok)
                return { ok: false, reason: r.reason };
            const v = r.value;
            const fu = v.followUps.map((f) => `- [${f.kind}] ${f.title}\n${f.acceptanceCriteria.map((a) => `  - [ ] ${a}`).join('\n')}`).join('\n');
            const qs = v.openQuestions.length ? `\nOpen questions:\n${bulletList(v.openQuestions)}` : '';
            return {
                ok: true,
                result: {
                    output: `Follow-up actions:\n${fu || '- none needed'}${qs}`,
                    followUps: v.followUps.map((f) => ({ title: f.title, acceptanceCriteria: f.acceptanceCriteria })),
                },
            };
        }
    }
}
/**
 * Build the four-stage handling plan. Stages run in order; from the first AI failure on, the
 * remaining stages are built offline (no further calls). Never throws for AI problems.
 *
 * @example
 * assertPlanPersonas(personas); // at start-up
 * const plan = await handlingPlan({ ai, personas }, { ticket, similar, firstResponseDue: '15:00 UTC', owner: 'Dana' });
 * plan.stages.map((s) => s.title) // ['Customer need and response', 'Handling path and ownership', 'Resolution checks', 'Follow-through']
 */
export async function handlingPlan(deps, input) {
    assertPlanPersonas(deps.personas);
    const stages = [];
    const results = [];
    let aiAvailable = Boolean(deps.ai?.enabled);
    let reason = aiAvailable ? undefined : 'disabled';
    for (const id of PLAN_STAGES) {
        const persona = deps.personas.get(id);
        let result = null;
        let path = 'offline';
        if (aiAvailable && deps.ai) {
            const r = await aiStage(deps.ai, id, persona, input, stages);
            if (r.ok) {
                result = r.result;
                path = 'ai';
            }
            else {
                aiAvailable = false;
                reason = `${id}: ${r.reason}`;
            }
        }
        result ??= offlineStage(id, persona, input);
        results.push(result);
        stages.push({ persona: id, title: STAGE_TITLES[id], output: result.output, path });
    }
    const [s1, s2, s3, s4] = results;
    const plan = {
        stages,
        responseDraft: s1.responseDraft ?? '',
        handlingPath: s2.handlingPath ?? { owner: input.owner ?? `${input.ticket.team} team`, escalation: escalationFor(input), steps: [] },
        resolutionChecks: s3.checks ?? [],
        followUps: s4.followUps ?? [],
        path: stages.every((s) => s.path === 'ai') ? 'ai' : 'offline',
    };
    if (reason)
        plan.reason = reason;
    return plan;
}
//# sourceMappingURL=handling-plan.js.map