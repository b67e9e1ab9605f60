/**
 * Suggested replies for agents. With Claude: the persona's prompt, grounded in the ticket, its
 * thread and similar resolved tickets, naming the tickets it drew on. Without a key, over budget
 * or on any failure: the persona's `reply` fallback template filled from the ticket, the category
 * playbook and the similar tickets. A draft is always a proposal; an agent sends it.
 */
import { z } from 'zod';
import { blocks, customerBlock, similarBlock, threadBlock, ticketBlock } from './case-data.js';
import { playFor } from './playbook.js';
import { bulletList, renderTemplate } from './render-template.js';
export const draftReplySchema = z.object({
    reply: z.string().min(1).max(4000).describe('the reply text the agent may send, in the persona voice'),
    sources: z.array(z.string()).max(5).describe('keys of the similar tickets the reply relies on; empty if none'),
    suggestions: z.array(z.string().min(1).max(300)).min(1).max(2).describe('one or two proactive suggestions for the agent'),
});
const INSTRUCTIONS = `Task: draft the next reply to the customer for a human agent to review, in the voice of the persona above. Use the record_reply tool.
- Ground every statement in the ticket, thread or similar tickets. If a similar ticket's resolution applies, use it and list its key in sources; never list a key that is not in <similar_tickets>. The reply must not mention other tickets' keys, titles or customers.
- Give one clear next step, the expected outcome and the escalation path. Use only deadlines given in the data.
- Do not sign with a name and do not claim to be a person.
- suggestions: one or two short, concrete things the agent could do beyond the reply (e.g. link a doc, check for related tickets).`;
/** Similar tickets that have a recorded resolution (the only ones worth citing). */
function resolvedSimilar(similar) {
    return similar.filter((s) => s.resolution?.trim()).slice(0, 3);
}
/** Template variables for a ticket (shared with the handling plan). */
export function templateVars(ticket, similar, firstResponseDue, escalated = false) {
    const play = playFor(ticket.category);
    const resolved = resolvedSimilar(similar);
    return {
        key: ticket.key,
        title: ticket.title,
        category: ticket.category.replace(/_/g, ' '),
        priority: ticket.priority,
        team: ticket.team,
        requester: ticket.requesterName?.trim() || 'there',
        first_response_due: firstResponseDue,
        // Say only what is true: "raised with the on-call team" only after someone did.
        next_step: capitalise(escalated && play.nextStepEscalated ? play.nextStepEscalated : play.nextStep),
        expected_outcome: play.expectedOutcome,
        escalation_path: play.escalationPath,
        // Customer-safe: what worked, without other tickets' keys or titles.
        similar: bulletList(resolved.map((s) => s.resolution.trim())),
        // Internal: with keys and titles, for agents and plans.
        // Keys and fixes only: plans that use this are posted in the customer-visible thread.
        similar_tickets: bulletList(resolved.map((s) => `${s.key}: ${s.resolution.trim()}`)),
        diagnostics: bulletList(play.diagnostics),
        customer_goal: `${play.customerGoal} — "${ticket.title}"`,
        owner: ticket.ownerId ? 'the assigned agent' : `the ${ticket.team} team`,
        checks: bulletList(play.resolutionChecks),
    };
}
function capitalise(s) {
    return s.charAt(0).toUpperCase() + s.slice(1);
}
/**
 * The offline draft: the persona's `reply` template, the playbook and similar tickets. Deterministic.
 *
 * @example
 * offlineReply({ ticket, thread: [], similar: [], persona }).text.startsWith('Hi ') // true
 */
export function offlineReply(input, reason = 'disabled') {
    const play = playFor(input.ticket.category);
    const resolved = resolvedSimilar(input.similar);
    const template = input.persona.templates.reply ?? '';
    const text = renderTemplate(template, templateVars(input.ticket, input.similar, input.firstResponseDue, input.escalated ?? false));
    const suggestions = [];
    if (resolved[0])
        suggestions.push(`Check that the fix from ${resolved[0].key} still applies before sending.`);
    for (const s of play.suggestions)
        if (suggestions.length < 2)
            suggestions.push(s);
    const usesSimilar = /\{\{\s*similar(_tickets)?\s*\}\}/.test(template);
    return { text, sources: usesSimilar ? resolved.map((s) => s.key) : [], suggestions, path: 'offline', reason };
}
/**
 * Draft a reply: Claude when available, the persona's fallback template otherwise. Never throws
 * for AI problems and never waits longer than the client's timeout and retries.
 *
 * @example
 * const d = await draftReply({ ai }, { ticket, thread, similar, persona: personas.get('support-specialist')!, firstResponseDue: '15:00 UTC' });
 * post(d.text, d.sources, d.suggestions, d.path === 'offline' ? `offline: ${d.reason}` : 'AI draft');
 */
export async function draftReply(deps, input) {
    if (!deps.ai?.enabled)
        return offlineReply(input, 'disabled');
    const known = new Set(input.similar.map((s) => s.key));
    const rd = deps.ai.redactor;
    const r = await deps.ai.structured({
        purpose: 'draft_reply',
        ticketId: input.ticket.id,
        persona: input.persona,
        instructions: INSTRUCTIONS,
        data: blocks(ticketBlock(input.ticket, input.firstResponseDue, rd), customerBlock(input.ticket, rd), threadBlock(input.thread, rd), similarBlock(input.similar, rd)),
        task: `Draft the reply for ${input.ticket.key} with record_reply.`,
        tool: { name: 'record_reply', description: 'Record the drafted reply, its sources and suggestions for the agent.', schema: draftReplySchema },
        validate: (v) => (v.reply.trim() === '' ? 'empty reply' : null),
    });
    if (!r.ok)
        return offlineReply(input, r.reason);
    return {
        text: r.value.reply.trim(),
        sources: [...new Set(r.value.sources.filter((k) => known.has(k)))],
        suggestions: r.value.suggestions.map((s) => s.trim()).slice(0, 2),
        path: 'ai',
    };
}
//# sourceMappingURL=draft-reply.js.map