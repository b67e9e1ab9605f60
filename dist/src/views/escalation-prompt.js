import { formatDuration } from '../util/duration.js';
import { ACTIONS, FORMS } from './action-ids.js';
import { mention, plain, truncate } from './message-view.js';
/** A link to a ticket's thread as a stable anchor; adapters turn `#ticket/T-1042` into a permalink. */
export function ticketLink(key) {
    return `[${key}](#ticket/${key})`;
}
export const CLOCK_TEXT = { first_response: 'first response', resolution: 'resolution' };
/** Snooze choices offered on a breach prompt, in minutes. */
export const SNOOZE_MINUTES = [30, 60, 120];
function mentions(ids) {
    return ids.map(mention).join(' ');
}
function pct(f) {
    return `${Math.round(f * 100)}%`;
}
const ROUTED_TEXT = {
    unassigned: 'no owner yet, so pinging on-call',
    outside_hours: "outside the owner's working hours, so pinging on-call",
    away: 'the owner is away, so pinging on-call',
};
/** The threshold ping posted in the ticket's thread. */
export function slaPingView(p) {
    const who = p.recipients.length ? mentions(p.recipients) : `team **${plain(p.team)}**`;
    const clock = CLOCK_TEXT[p.clock];
    const breach = p.threshold >= 1;
    const line = breach
        ? `:rotating_light: ${who} **${p.key}** ${clock} SLA breached${p.remainingMs < 0 ? ` — overdue by ${formatDuration(-roundMin(p.remainingMs))}` : ''}.`
        : `:hourglass_flowing_sand: ${who} **${p.key}** ${pct(p.threshold)} of the ${clock} SLA used — due in ${formatDuration(roundMin(p.remainingMs))}.`;
    const blocks = [{ type: 'text', text: line }];
    if (p.routedBecause)
        blocks.push({ type: 'context', elements: [ROUTED_TEXT[p.routedBecause]] });
    const text = breach ? `${p.key} ${clock} SLA breached` : `${p.key}: ${pct(p.threshold)} of the ${clock} SLA used`;
    return { text, blocks };
}
/** The direct message sent from the DM threshold on (default 90%) and at breach. */
export function slaDmView(p) {
    const clock = CLOCK_TEXT[p.clock];
    const breach = p.threshold >= 1;
    const head = breach ? `:rotating_light: ${ticketLink(p.key)} (${p.priority}) ${clock} SLA breached.` : `:hourglass_flowing_sand: ${ticketLink(p.key)} (${p.priority}) ${clock} due in ${formatDuration(roundMin(p.remainingMs))}.`;
    return {
        text: breach ? `${p.key} ${clock} SLA breached` : `${p.key} ${clock} due in ${formatDuration(roundMin(p.remainingMs))}`,
        blocks: [
            { type: 'text', text: head },
            { type: 'quote', text: truncate(plain(p.title), 200) },
            ...(p.routedBecause ? [{ type: 'context', elements: [ROUTED_TEXT[p.routedBecause]] }] : []),
        ],
    };
}
/** Whole minutes once a duration is a minute or more (pings do not need seconds). */
function roundMin(ms) {
    return Math.abs(ms) >= 60_000 ? Math.trunc(ms / 60_000) * 60_000 : ms;
}
/** Action value for prompt buttons: "T-1042|17" (ticket key | escalation id). */
export function promptValue(key, escalationId, extra) {
    return extra === undefined ? `${key}|${escalationId}` : `${key}|${escalationId}|${extra}`;
}
/** The escalation prompt posted in the thread when an SLA is breached. */
export function breachPromptView(p) {
    const who = p.mentionIds.length ? `${mentions(p.mentionIds)} (${plain(p.targetName)})` : `**${plain(p.targetName)}**`;
    const blocks = [
        { type: 'text', text: `:rotating_light: **Escalation** — ${p.key} missed its ${CLOCK_TEXT[p.clock]} SLA. ${who}, can you help?` },
    ];
    if (p.timeframeMs)
        blocks.push({ type: 'context', elements: [`Expected to act within ${formatDuration(p.timeframeMs)}.`] });
    const v = (extra) => promptValue(p.key, p.escalationId, extra);
    const elements = [
        { type: 'button', actionId: ACTIONS.escalationTake, label: 'Take it', value: v(), style: 'primary' },
        { type: 'button', actionId: ACTIONS.escalationReassign, label: 'Reassign…', value: v() },
        {
            type: 'select',
            actionId: ACTIONS.escalationSnooze,
            placeholder: 'Snooze…',
            options: SNOOZE_MINUTES.map((m) => ({ label: `Snooze ${formatDuration(m * 60_000)}`, value: v(m) })),
        },
        { type: 'button', actionId: ACTIONS.escalationNote, label: 'Add note', value: v() },
    ];
    blocks.push({ type: 'actions', blockId: `breach-${p.escalationId}`, elements });
    if (p.lastDecision)
        blocks.push({ type: 'context', elements: [p.lastDecision] });
    return { text: `Escalation: ${p.key} missed its ${CLOCK_TEXT[p.clock]} SLA`, blocks };
}
/** The prompt posted at triage time (P0/P1, keywords, VIP, no owner, cluster). */
export function triagePromptView(p) {
    const cluster = (p.related?.length ?? 0) > 0;
    const blocks = [
        {
            type: 'text',
            text: `:warning: **Escalate ${p.key}?** ${p.reasons.map(plain).join('; ')}. Suggested: **${plain(p.targetName)}**${p.mentionIds.length ? ` (${mentions(p.mentionIds)})` : ''}.`,
        },
    ];
    if (cluster)
        blocks.push({
            type: 'text',
            text: `Similar tickets in the same window — likely one incident:\n${p.related.slice(0, 8).map((r) => `• ${ticketLink(r.key)} ${plain(truncate(r.title, 80, '…'))}`).join('\n')}`,
        });
    if (p.decided)
        blocks.push({ type: 'context', elements: [p.decided] });
    else {
        const v = promptValue(p.key, p.escalationId);
        const elements = [
            { type: 'button', actionId: ACTIONS.escalationAccept, label: truncate(`Escalate to ${p.targetName}`, 75, '…'), value: v, style: 'danger' },
            { type: 'button', actionId: ACTIONS.escalationDecline, label: 'Not needed', value: v },
        ];
        if (cluster)
            elements.push({ type: 'button', actionId: ACTIONS.escalationLinkIncident, label: 'Link as one incident', value: v, style: 'primary' });
        blocks.push({ type: 'actions', blockId: `triage-${p.escalationId}`, elements });
    }
    return { text: `Escalate ${p.key}? ${p.reasons.join('; ')}`, blocks };
}
/** Why a prompt was raised (stored with the escalation and shown on the prompt and timeline). */
export const REASON_TEXT = {
    cluster: (n, minutes) => `${n} similar tickets in ${minutes} minutes — likely an incident`,
    unassigned: (minutes) => `no owner after ${minutes} minutes`,
    breach: (clock) => `${CLOCK_TEXT[clock]} SLA breached`,
};
/** Timeline-style lines shown on a prompt after a decision. */
export const DECISION_TEXT = {
    accepted: (by, target) => `${mention(by)} escalated to ${plain(target)}.`,
    declined: (by) => `${mention(by)} decided no escalation is needed.`,
    linked: (by, incident, n) => `${mention(by)} linked ${n} tickets as incident ${plain(incident)}.`,
    took: (by) => `${mention(by)} took it.`,
    reassigned: (by, to) => `${mention(by)} reassigned it to ${mention(to)}.`,
    snoozed: (by, minutes) => `${mention(by)} snoozed SLA pings for ${formatDuration(minutes * 60_000)}.`,
    noted: (by) => `${mention(by)} added a note.`,
    alreadyDecided: (key, status) => `This escalation for ${key} was already ${status}.`,
};
/** The "Reassign…" form. */
export function reassignForm(key, escalationId, current) {
    return {
        formId: FORMS.reassign,
        title: truncate(`Reassign ${key}`, 24, '…'),
        submitLabel: 'Reassign',
        state: promptValue(key, escalationId),
        fields: [{ type: 'user', id: 'owner', label: 'New owner', ...(current ? { initial: current } : {}) }],
    };
}
/** The "Add note" form. */
export function addNoteForm(key, escalationId) {
    return {
        formId: FORMS.addNote,
        title: truncate(`Note on ${key}`, 24, '…'),
        submitLabel: 'Add note',
        state: promptValue(key, escalationId),
        fields: [{ type: 'text', id: 'note', label: 'Note (internal)', multiline: true, maxLength: 3000 }],
    };
}
/** Confirmation texts shown only to the person who clicked. */
export const PROMPT_REPLY = {
    took: (key) => `You own ${key} now.`,
    reassigned: (key, to) => `${key} is now assigned to ${mention(to)}.`,
    snoozed: (key, minutes) => `SLA pings for ${key} are snoozed for ${formatDuration(minutes * 60_000)}.`,
    noted: (key) => `Note added to ${key}.`,
    accepted: (key, target) => `${key} escalated to ${plain(target)}.`,
    declined: (key) => `Noted: no escalation for ${key}.`,
    linked: (incident, keys) => `Linked ${keys.join(', ')} as ${plain(incident)}.`,
    needOwner: 'Pick the new owner.',
    needNote: 'Write the note first.',
    badSnooze: (m) => `"${m}" is not a snooze length I offer (30, 60 or 120 minutes).`,
};
/** Used for timeline entries and logs. */
export function ticketSummary(t) {
    return `${t.key} ${t.priority} ${truncate(t.title, 60, '…')}`;
}
//# sourceMappingURL=escalation-prompt.js.map