/**
 * installAi(core): wires the AI layer into the product. Personas are validated at start-up (a bad
 * file stops it, naming the file and field). After a ticket is created — never blocking creation —
 * AI triage may adjust category/priority under the fixed combine rules, then a suggested reply is
 * drafted in the channel's persona, stored, announced on the card ("ready") and delivered privately
 * to the owner or the team. Send / Edit / Discard / Regenerate / "Suggested reply" buttons, the
 * `/ticket plan` command, the card's Plan button and the plan's "Create ticket" follow-up buttons
 * are registered here. The model only proposes text and fields: every action is taken by a person
 * or by this deterministic code. Without an API key everything runs on the offline path.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { splitValue } from '../commands/interactions.js';
import { FrontdeskError, InputInvalidError } from '../domain/errors.js';
import { snapshotPolicy, slaState } from '../sla/policy.js';
import { AiRepo } from '../store/ai-repo.js';
import { isOpen } from '../tickets/lifecycle.js';
import { ACTIONS, FORMS } from '../views/action-ids.js';
import { decidedDraftView, draftAlreadyDecided, draftingNotice, draftNotFound, editDraftForm, emptyReplyError, replyDiscardedNotice, replySentNotice, ticketClosedForDrafts, } from '../views/draft-view.js';
import { followUpCreatedNotice, followUpExistsNotice, followUpNotFound, followUpTicketText, planComingNotice, planPostedNotice, planView, } from '../views/plan-view.js';
import { draftView } from '../views/ticket-card.js';
import { aiTriage, combineTriage } from './ai-triage.js';
import { createAiClient } from './anthropic-client.js';
import { groundingNote } from './case-data.js';
import { draftReply } from './draft-reply.js';
import { assertPlanPersonas, handlingPlan } from './handling-plan.js';
import { loadPersonas } from './personas.js';
const BOT = 'frontdesk';
/** A draft for an unassigned ticket goes privately to at most this many team members. */
export const MAX_DRAFT_RECIPIENTS = 5;
/** Similar resolved tickets a draft or plan is grounded in. */
const SIMILAR_LIMIT = 3;
/** Default for {@link InstallAiOptions.answerWithinMs}. */
export const ANSWER_WITHIN_MS = 2_500;
/** The value of `p` if it settles within `ms`, else `{ done: false }` (p keeps running). */
async function within(p, ms) {
    let timer;
    const late = new Promise((resolve) => {
        timer = setTimeout(() => resolve({ done: false }), ms);
        timer.unref?.();
    });
    try {
        return await Promise.race([p.then((value) => ({ done: true, value })), late]);
    }
    finally {
        clearTimeout(timer);
    }
}
const installed = new WeakMap();
/** The personas shipped with frontdesk (prompts/ at the package root). */
export const SHIPPED_PERSONAS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));
/**
 * Where personas are read from: the configured directory (relative to the working directory);
 * the default `prompts` falls back to the shipped personas when the working directory has none.
 */
export function personasDirFor(config) {
    const dir = config.personas.dir;
    return dir === 'prompts' && !existsSync(dir) ? SHIPPED_PERSONAS_DIR : dir;
}
/**
 * Load the persona files and check that the plan stages, `personas.default` and every channel's
 * `persona` exist. Throws a FrontdeskError naming the file and field (or the config field).
 * @example loadAndCheckPersonas(config, 'prompts').get('support-specialist')!.name // 'Support Specialist'
 */
export function loadAndCheckPersonas(config, dir) {
    const personas = loadPersonas(dir);
    assertPlanPersonas(personas);
    const known = [...personas.keys()].join(', ');
    const needed = [
        { field: 'personas.default', id: config.personas.default },
        ...config.channels.flatMap((c, i) => (c.persona ? [{ field: `channels[${i}].persona (${c.id})`, id: c.persona }] : [])),
    ];
    for (const n of needed)
        if (!personas.has(n.id))
            throw new FrontdeskError('frontdesk_config_invalid', `${n.field}: there is no persona "${n.id}" in ${dir} (found: ${known}). Add ${n.id}.md there or use one of those ids.`);
    return personas;
}
/**
 * Install the AI features on a core (once; a second call returns the same handle). Call it from
 * the composition root before adapters start, so a bad persona file stops start-up.
 *
 * @example
 * const core = createCore({ config, db, env });
 * const aiFeatures = installAi(core); // throws FrontdeskError for a broken persona file
 * // tests: open a ticket, then `await aiFeatures.idle()` and look at the drafts/outbox.
 */
export function installAi(core, opts = {}) {
    const existing = installed.get(core);
    if (existing)
        return existing;
    const { config, db, clock, logger, tickets, directory, commands, interactions } = core;
    const answerWithinMs = opts.answerWithinMs ?? ANSWER_WITHIN_MS;
    const personas = loadAndCheckPersonas(config, opts.personasDir ?? personasDirFor(config));
    const repo = new AiRepo(db);
    const aiLogger = { info: (o, m) => logger.info(o, m), warn: (o, m) => logger.warn(o, m) };
    const ai = createAiClient({ config, env: core.env, repo, clock, logger: aiLogger });
    if (ai.enabled)
        logger.info({ model: ai.model }, 'AI features on: suggested replies, handling plans and AI triage use Claude');
    else
        logger.info({ reason: ai.disabledReason }, 'AI features offline: suggested replies and plans use the persona templates');
    let closed = false;
    core.onClose(() => {
        closed = true;
    });
    const running = new Set();
    const drafting = new Map();
    /** Set while a plan follow-up ticket is being opened: it gets no suggested reply (it is internal). */
    let openingFollowUp = false;
    function track(p) {
        running.add(p);
        p.then(() => running.delete(p), () => running.delete(p));
        return p;
    }
    function personaFor(t) {
        const id = config.channels.find((c) => c.id === t.channelId)?.persona ?? config.personas.default;
        return personas.get(id) ?? personas.get(config.personas.default);
    }
    // ------------------------------------------------------------ case data
    function threadOf(t) {
        return tickets.repo
            .messages(t.id)
            .filter((m) => !m.deleted && m.messageId !== t.sourceMessageId)
            .map((m) => ({ role: m.authorRole, text: m.text }));
    }
    /**
     * What the team learned from a resolved ticket: the note written when resolving it, scrubbed of
     * names and identifiers. Never that ticket's messages or the replies sent to its customer.
     */
    function resolutionOf(s) {
        const events = tickets.repo.events(s.id);
        const resolvedAt = events.filter((e) => e.type === 'status_changed' && e.data.to === 'resolved').pop();
        if (!resolvedAt)
            return null;
        // The resolution note for that resolution (the form, or `/ticket resolve ID note`); older
        // tickets: a note written together with the resolution.
        const note = events.filter((e) => e.type === 'resolution_note' && e.at >= resolvedAt.at).pop() ??
            events.find((e) => e.type === 'note' && e.at === resolvedAt.at && e.actor === resolvedAt.actor);
        if (typeof note?.data.text !== 'string' || !note.data.text.trim())
            return null;
        const people = [s.requesterId, s.ownerId, resolvedAt.actor, ...tickets.repo.messages(s.id).map((m) => m.authorId)].filter((id) => Boolean(id));
        const names = [s.requesterName, ...people, ...people.map((id) => directory.nameOf(id))];
        return groundingNote(note.data.text, names, ai.redactor) || null;
    }
    /** Whether someone really escalated the ticket (or linked it to an incident): drafts only claim it then. */
    function wasEscalated(t) {
        return t.incidentKey !== null || tickets.repo.events(t.id).some((e) => e.type === 'escalated');
    }
    /** Resolved tickets that look alike: key, category and resolution note only (no titles, no messages). */
    function similarTo(t) {
        return tickets.repo
            .similar(t.text, { resolvedOnly: true, limit: SIMILAR_LIMIT, excludeId: t.id })
            .map((s) => ({ key: s.key, category: s.category, resolution: resolutionOf(s) }));
    }
    /** "Mon 23 Nov, 14:00 UTC" in the desk time zone, while the first response is still due. */
    function firstResponseDue(t) {
        if (t.firstResponseAt !== null)
            return undefined;
        const due = slaState(t, clock.now()).firstResponse.dueAt;
        return due === null ? undefined : DateTime.fromMillis(due, { zone: config.timezone }).toFormat('ccc d LLL, HH:mm ZZZZ');
    }
    // ------------------------------------------------------------ drafts
    function slotOf(d) {
        const ev = tickets.repo
            .events(d.ticketId)
            .filter((e) => e.type === 'reply_drafted' && e.data.draftId === d.id)
            .pop();
        const reason = typeof ev?.data.reason === 'string' ? ev.data.reason : undefined;
        return { id: d.id, text: d.text, path: d.path, sources: d.sources, suggestions: d.suggestions, ...(reason ? { reason } : {}) };
    }
    async function makeDraft(ticketId, actor) {
        const t = tickets.repo.get(ticketId);
        if (!t || t.deleted || !isOpen(t.status))
            return null;
        const persona = personaFor(t);
        const due = firstResponseDue(t);
        const reply = await draftReply({ ai }, { ticket: t, thread: threadOf(t), similar: similarTo(t), persona, escalated: wasEscalated(t), ...(due ? { firstResponseDue: due } : {}) });
        if (closed)
            return null;
        const saved = { id: null };
        tickets.change(t.id, actor, (cur, now) => {
            if (!isOpen(cur.status))
                return null;
            const id = repo.saveDraft(cur.id, { persona: persona.id, text: reply.text, sources: reply.sources, suggestions: reply.suggestions, path: reply.path }, now);
            saved.id = id;
            return {
                patch: {},
                events: [{ type: 'reply_drafted', data: { draftId: id, path: reply.path, reason: reply.reason ?? null, persona: persona.id, sources: reply.sources } }],
            };
        });
        return saved.id === null ? null : repo.getDraft(saved.id);
    }
    function draft(ref, actor = BOT) {
        const t = tickets.require(ref);
        const inFlight = drafting.get(t.id);
        if (inFlight)
            return inFlight;
        const p = track((async () => {
            try {
                return await makeDraft(t.id, actor);
            }
            finally {
                drafting.delete(t.id);
            }
        })());
        drafting.set(t.id, p);
        return p;
    }
    /** Agents who get a new draft privately: the owner, else the team (at most 5, not away). */
    function recipients(t) {
        if (t.ownerId)
            return [t.ownerId];
        const team = config.teams.find((x) => x.id === t.team);
        return (team?.members ?? []).filter((m) => !directory.isAway(m)).slice(0, MAX_DRAFT_RECIPIENTS);
    }
    /**
     * Deliver a draft to agents where the two-audiences rule puts work: the ticket's internal
     * thread in triage mode (once per draft), else privately to each user (once per user and draft).
     */
    function deliver(t, d, users) {
        if (t.platform === 'cli' || d.status !== 'pending')
            return;
        tickets.messenger.send(t, draftView(t, slotOf(d)), { purpose: 'work', key: `draft-private:${d.id}`, to: users });
    }
    // ------------------------------------------------------------ AI triage
    /** Ask Claude for a triage proposal and apply it under combineTriage's rules (not an agent correction). */
    async function applyAiTriage(t0) {
        if (!ai.enabled)
            return;
        const r = await aiTriage({ ai, config }, { ticketId: t0.id, title: t0.title, text: t0.text });
        if (!r.ok || closed)
            return;
        const proposal = r.value;
        tickets.change(t0.id, BOT, (cur) => {
            if (!isOpen(cur.status))
                return null;
            const base = cur.signals.filter((s) => s.source !== 'ai');
            // A person changed it meanwhile, or set it when creating the ticket: theirs stands.
            const priorityByPerson = cur.priority !== t0.priority || base.some((s) => s.kind === 'priority' && s.source === 'agent');
            const categoryByPerson = cur.category !== t0.category || base.some((s) => s.kind === 'category' && s.source === 'agent');
            const combined = combineTriage({ category: cur.category, priority: cur.priority, signals: base }, { ...proposal, ...(priorityByPerson ? { priority: cur.priority } : {}), ...(categoryByPerson ? { category: cur.category } : {}) });
            const signals = [...combined.signals];
            if (priorityByPerson && proposal.priority !== cur.priority)
                signals.push({ kind: 'ai', source: 'ai', value: proposal.priority, label: `AI proposes ${proposal.priority}; kept ${cur.priority} (set by a person)` });
            if (categoryByPerson && proposal.category !== cur.category)
                signals.push({ kind: 'ai', source: 'ai', value: proposal.category, label: `AI suggests category "${proposal.category}"; kept "${cur.category}" (set by a person)` });
            const patch = {};
            const events = [];
            if (combined.priority !== cur.priority) {
                patch.priority = combined.priority;
                patch.sla = snapshotPolicy(config, combined.priority, { team: cur.team });
                events.push({ type: 'priority_changed', data: { from: cur.priority, to: combined.priority, source: 'ai' } });
            }
            if (combined.category !== cur.category) {
                patch.category = combined.category;
                events.push({ type: 'category_changed', data: { from: cur.category, to: combined.category, source: 'ai' } });
            }
            const newSignals = signals.length > base.length;
            if (!newSignals && events.length === 0)
                return null;
            patch.signals = signals;
            return { patch, events };
        });
    }
    // ------------------------------------------------------------ after creation
    async function afterCreate(t, suggestReply) {
        try {
            await applyAiTriage(t);
        }
        catch (e) {
            logger.error({ err: e, ticket: t.key }, 'AI triage after creation failed; the offline triage stands');
        }
        if (!suggestReply || closed)
            return;
        const d = await draft(t.id);
        if (!d || closed)
            return;
        const cur = tickets.repo.get(t.id);
        if (cur)
            deliver(cur, d, recipients(cur));
    }
    tickets.onChange((c) => {
        if (closed)
            return;
        if (c.kind === 'created') {
            const suggestReply = !openingFollowUp;
            void track(afterCreate(c.ticket, suggestReply)).catch((e) => {
                if (!closed)
                    logger.error({ err: e, ticket: c.ticket.key }, 'suggested reply after creation failed');
            });
            return;
        }
        // An agent took the ticket while a draft is pending: they get it privately too.
        if (c.events.includes('assigned') && c.ticket.ownerId) {
            const d = repo.latestDraft(c.ticket.id);
            if (d?.status === 'pending')
                deliver(c.ticket, d, [c.ticket.ownerId]);
        }
    });
    // ------------------------------------------------------------ draft buttons and form
    function draftFromValue(value) {
        const [key, idText] = splitValue(value);
        const t = tickets.require(key);
        const d = /^\d+$/.test(idText) ? repo.getDraft(Number(idText)) : null;
        if (!d || d.ticketId !== t.id)
            throw new InputInvalidError(draftNotFound(value));
        return { t, d };
    }
    /** The draft's copy after its decision (no buttons; who and when). */
    function decidedCopy(t, d) {
        return decidedDraftView(t, d, config.timezone, (id) => directory.nameOf(id));
    }
    /** A click on a copy of a draft that was decided meanwhile: say so privately and update that copy. */
    function alreadyDecided(t, d) {
        const cur = repo.getDraft(d.id) ?? d;
        return { ephemeral: draftAlreadyDecided(t, cur, config.timezone, (id) => directory.nameOf(id)), replace: decidedCopy(t, cur) };
    }
    /** Post the approved text in the thread as the bot, mark the first response, record who approved it. */
    function send(t, d, text, userId) {
        const clean = text.trim();
        if (!clean)
            throw new InputInvalidError(emptyReplyError());
        const edited = clean !== d.text.trim();
        let decided = true;
        db.transaction(() => {
            if (!repo.decideDraft(d.id, 'sent', userId, clock.now())) {
                decided = false;
                return;
            }
            // Posted in the customer's thread in the approving agent's name; counts as their response.
            tickets.replyToCustomer(t.id, userId, clean, 'suggested_reply', `draft-sent:${d.id}`, [
                { type: 'reply_sent', data: { draftId: d.id, path: d.path, edited, approvedBy: userId, text: clean } },
            ]);
        })();
        if (!decided)
            return alreadyDecided(t, d);
        return { ephemeral: replySentNotice(t, edited), replace: decidedCopy(t, repo.getDraft(d.id) ?? d) };
    }
    interactions.onAction(ACTIONS.draftSend, (value, ctx) => {
        const { t, d } = draftFromValue(value);
        return send(t, d, d.text, ctx.userId);
    });
    interactions.onAction(ACTIONS.draftEdit, (value) => {
        const { t, d } = draftFromValue(value);
        if (d.status !== 'pending')
            return alreadyDecided(t, d);
        return { form: editDraftForm(t, d) };
    });
    interactions.onForm(FORMS.editDraft, (state, values, ctx) => {
        const { t, d } = draftFromValue(state);
        // A form has no draft copy to replace: only the answer goes back.
        return { ephemeral: send(t, d, values.text ?? '', ctx.userId).ephemeral };
    });
    interactions.onAction(ACTIONS.draftDiscard, (value, ctx) => {
        const { t, d } = draftFromValue(value);
        let decided = true;
        db.transaction(() => {
            if (!repo.decideDraft(d.id, 'discarded', ctx.userId, clock.now())) {
                decided = false;
                return;
            }
            tickets.change(t.id, ctx.userId, () => ({ patch: {}, events: [{ type: 'reply_discarded', data: { draftId: d.id, path: d.path } }] }));
        })();
        if (!decided)
            return alreadyDecided(t, d);
        return { ephemeral: replyDiscardedNotice(t), replace: decidedCopy(t, repo.getDraft(d.id) ?? d) };
    });
    /** Draft anew and show the result to the clicker (privately through the outbox if it takes long). */
    async function redraftFor(t, userId) {
        if (!isOpen(t.status))
            return { ephemeral: ticketClosedForDrafts(t) };
        const pending = draft(t.id, userId);
        const r = await within(pending, answerWithinMs);
        if (!r.done) {
            void track(pending)
                .then((nd) => {
                const cur = nd && !closed ? tickets.repo.get(t.id) : null;
                if (nd && cur)
                    deliver(cur, nd, [userId]);
            })
                .catch((e) => logger.error({ err: e, ticket: t.key }, 'suggested reply failed'));
            return { ephemeral: draftingNotice(t) };
        }
        if (!r.value)
            return { ephemeral: ticketClosedForDrafts(tickets.require(t.id)) };
        return { ephemeral: draftView(tickets.require(t.id), slotOf(r.value)) };
    }
    interactions.onAction(ACTIONS.draftRegenerate, (value, ctx) => redraftFor(draftFromValue(value).t, ctx.userId));
    interactions.onAction(ACTIONS.draftShow, (key, ctx) => {
        const t = tickets.require(key);
        const d = repo.latestDraft(t.id);
        if (d?.status === 'pending')
            return { ephemeral: draftView(t, slotOf(d)) };
        return redraftFor(t, ctx.userId);
    });
    // ------------------------------------------------------------ handling plan
    /** Build, store and post a plan (tracked, so idle() waits for the post). */
    function plan(ref, actor) {
        const t = tickets.require(ref);
        return track(buildAndPostPlan(t, actor));
    }
    async function buildAndPostPlan(t, actor) {
        const ownerName = t.ownerId ? directory.nameOf(t.ownerId) : null;
        const due = firstResponseDue(t);
        const built = await handlingPlan({ ai, personas }, {
            ticket: t,
            thread: threadOf(t),
            similar: similarTo(t),
            escalated: wasEscalated(t),
            ...(due ? { firstResponseDue: due } : {}),
            // Only a real display name goes to the model, never a platform id.
            ...(ownerName && ownerName !== t.ownerId ? { owner: ownerName } : {}),
        });
        if (closed)
            throw new FrontdeskError('frontdesk_shutting_down', `The handling plan for ${t.key} was not posted: frontdesk is shutting down.`);
        const planId = db.transaction(() => {
            const cur = tickets.require(t.id);
            const id = repo.savePlan(cur.id, built, actor, clock.now());
            tickets.change(cur.id, actor, () => ({
                patch: {},
                events: [{ type: 'plan_created', data: { planId: id, path: built.path, reason: built.reason ?? null, followUps: built.followUps.length } }],
            }));
            // Agents only: the internal thread in triage mode, else privately to whoever asked.
            tickets.messenger.send(cur, planView(cur, built, { planId: id, requestedBy: actor }), {
                purpose: 'work',
                key: `plan-post:${id}`,
                ...(directory.isAgent(actor) ? { to: [actor] } : {}),
            });
            return id;
        })();
        return { planId, plan: built };
    }
    commands.register({
        name: 'plan',
        usage: 'plan ID',
        summary: 'four-stage handling plan (customer need, handling path, checks, follow-ups), posted in the thread',
        agentOnly: true,
        run: async (args, ctx) => {
            if (!args[0])
                throw new InputInvalidError('Which ticket? Give its id, e.g. `plan T-1042`.');
            return { view: await planFor(args[0], ctx.userId), visibility: 'ephemeral' };
        },
    });
    interactions.onAction(ACTIONS.plan, async (key, ctx) => ({ ephemeral: await planFor(key, ctx.userId) }));
    /** Build and post a plan; answer "posted" — or "on its way" if the model takes long. */
    async function planFor(ref, userId) {
        const t = tickets.require(ref);
        const pending = plan(t.id, userId);
        const r = await within(pending, answerWithinMs);
        if (r.done)
            return planPostedNotice(t);
        void pending.catch((e) => logger.error({ err: e, ticket: t.key }, 'handling plan failed'));
        return planComingNotice(t);
    }
    interactions.onAction(ACTIONS.followUpCreate, (value, ctx) => {
        const [planText, indexText] = splitValue(value);
        const stored = /^\d+$/.test(planText) ? repo.getPlan(Number(planText)) : null;
        const index = /^\d+$/.test(indexText) ? Number(indexText) : -1;
        const followUp = stored?.plan.followUps?.[index];
        if (!stored || !followUp)
            throw new InputInvalidError(followUpNotFound());
        const source = tickets.require(stored.ticketId);
        const already = () => {
            const note = tickets.repo.events(source.id).find((e) => {
                const f = e.data.followUp;
                return e.type === 'note' && f?.planId === stored.id && f.index === index;
            });
            const f = note?.data.followUp;
            return { ephemeral: followUpExistsNotice(f?.key ?? null, source) };
        };
        openingFollowUp = true;
        let res;
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
        }
        finally {
            openingFollowUp = false;
        }
        if (res.outcome !== 'created')
            return already();
        const created = res.ticket;
        tickets.change(source.id, ctx.userId, () => ({
            patch: {},
            events: [{ type: 'note', data: { text: `Follow-up ${created.key}: ${followUp.title}`, followUp: { planId: stored.id, index, key: created.key } } }],
        }));
        return { ephemeral: followUpCreatedNotice(created, source) };
    });
    const features = {
        ai,
        repo,
        personas,
        personaFor,
        draft,
        plan,
        async idle() {
            while (running.size > 0)
                await Promise.allSettled([...running]);
        },
    };
    installed.set(core, features);
    return features;
}
//# sourceMappingURL=install.js.map