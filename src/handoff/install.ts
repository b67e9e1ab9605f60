/**
 * installHandoff(core, opts): the engineering hand-off wired onto a core — the card's
 * "Escalate to engineering" / "Link to issue…" / "Link all N similar tickets" buttons, the same
 * on triage prompts, `/ticket escalate T-… engineering`, the preview and search forms, the plan
 * follow-ups' "Create issue", linked issues on the card and in `/ticket show`. Without a
 * configured tracker nothing is added to cards and the command says how to set one up.
 * Installing twice returns the same handle.
 */
import type { Core } from '../app.js';
import { type InteractionContext, splitValue } from '../commands/interactions.js';
import { InputInvalidError } from '../domain/errors.js';
import { Escalations } from '../escalation/escalations.js';
import type { TrackerKind } from '../ports/tracker-port.js';
import { ACTIONS, FORMS } from '../views/action-ids.js';
import { notice } from '../views/ticket-views.js';
import { resolveTarget } from '../routing/escalation.js';
import { triagePromptView } from '../views/escalation-prompt.js';
import { checkTrackers, type TrackerCheckResult } from './check-trackers.js';
import { type HandoffTrackers, HandoffService, type PromptMessage } from './handoff.js';

export interface InstallHandoffOptions {
  /** The configured trackers (src/trackers/ createTrackers adapted); null or absent: none configured. */
  trackers?: HandoffTrackers | null;
  /** The escalation prompts' store (cluster prompts' related tickets); default: a reader on the core's database. */
  escalations?: Escalations;
  /** Absolute base URL for the playground's relative links (default FRONTDESK_PUBLIC_URL, else http://localhost:<PORT or server.port>/). */
  publicBase?: string;
  /** How long a tracker call in a click waits before answering "Creating the issue…" (default ANSWER_WITHIN_MS). */
  answerWithinMs?: number;
  /** Check every few minutes for creates interrupted by a stop or an unanswered tracker call (the server sets this). */
  schedule?: boolean;
  /** Read each configured tracker's repository / project / team once, in the background, and log what to fix (the server sets this). */
  checkTrackers?: boolean;
}

/** How often the interrupted-create check runs, and how old a "creating" preview must be to be checked. */
export const RECOVER_CRON = '*/5 * * * *';
export const RECOVER_MIN_AGE_MS = 2 * 60_000;

/** The start-up check of each installed core (tests await it). */
const startupChecks = new WeakMap<HandoffService, Promise<unknown>>();
const trackerChecks = new WeakMap<HandoffService, Promise<TrackerCheckResult[]>>();

/** The start-up probe of the configured trackers (opts.checkTrackers); [] when none ran. */
export function trackerCheck(svc: HandoffService): Promise<TrackerCheckResult[]> {
  return trackerChecks.get(svc) ?? Promise.resolve([]);
}

/** The start-up check for creates interrupted by the last stop (resolves when it is done). */
export function startupCheck(svc: HandoffService): Promise<unknown> {
  return startupChecks.get(svc) ?? Promise.resolve();
}

const installed = new WeakMap<Core, HandoffService>();

const KINDS: readonly TrackerKind[] = ['github', 'jira', 'linear'];

/** "T-1042|17" → ["T-1042", 17]; "T-1042" → ["T-1042", null]. */
function keyAndEscalation(value: string): [string, number | null] {
  const [key, id] = value.split('|');
  if (!key) throw new InputInvalidError(`malformed value "${value.slice(0, 40)}"`);
  const n = id === undefined ? null : Number(id);
  return [key, n !== null && Number.isInteger(n) && n > 0 ? n : null];
}

/**
 * Install on a core.
 * @example const handoff = installHandoff(core, { trackers: fromTrackers(createTrackers(core.config, core.env)) });
 */
export function installHandoff(core: Core, opts: InstallHandoffOptions = {}): HandoffService {
  const existing = installed.get(core);
  if (existing) return existing;
  const { config, db, clock, tickets, outbox, router, directory, logger, interactions, commands } = core;
  const escalations = opts.escalations ?? new Escalations({ config, db, clock, tickets, outbox, router, directory, logger });
  const svc = new HandoffService({
    config,
    tickets,
    trackers: opts.trackers ?? null,
    logger,
    // The port `npm start` listens on: PORT wins over server.port (as in adapters/main.ts).
    publicBase: opts.publicBase ?? core.env.FRONTDESK_PUBLIC_URL ?? `http://localhost:${core.env.PORT || config.server.port}/`,
    ...(opts.answerWithinMs !== undefined ? { answerWithinMs: opts.answerWithinMs } : {}),
    promptRelated: (ticketId, escalationId) => {
      const row = escalations.get(escalationId);
      return row && row.ticketId === ticketId ? row.related : null;
    },
    promptActed: (ticketId, escalationId, by, decided, prompt) => {
      const row = escalations.get(escalationId);
      if (!row || row.ticketId !== ticketId) return;
      escalations.markActed(row, 'accepted', by);
      const t = tickets.repo.get(ticketId);
      if (!prompt || !t || t.platform === 'cli') return;
      // The prompt shows the decision in place (as its own buttons do), without buttons.
      const view = triagePromptView({
        key: t.key,
        escalationId: row.id,
        reasons: escalations.promptGroup(row).map((r) => r.reason),
        targetName: resolveTarget(config, row.target).name,
        mentionIds: [],
        related: row.related.map((k) => ({ key: k, title: tickets.repo.getByKey(k)?.title ?? '' })),
        decided,
      });
      outbox.enqueue({ platform: t.platform, ticketId: t.id, idempotencyKey: `esc-update:${row.id}:handoff:${clock.now()}`, payload: { kind: 'update', channelId: prompt.channelId, messageId: prompt.messageId, view } });
    },
  });
  installed.set(core, svc);

  // A create interrupted by the last stop (tracker called, link not stored): find its issue and link it.
  const recover = (minAgeMs: number) =>
    svc.recoverInterrupted({ minAgeMs }).then((r) => {
      if (r.adopted.length || r.reopened.length) logger.info({ adopted: r.adopted, reopened: r.reopened }, 'engineering hand-off: interrupted creates settled');
    });
  startupChecks.set(
    svc,
    recover(0).catch((e: unknown) => logger.warn({ err: e }, 'engineering hand-off: the start-up check of interrupted creates failed')),
  );
  // A refused token or a typo'd repository/project/team: a warning at start, not at the first Create.
  if (opts.checkTrackers && opts.trackers) trackerChecks.set(svc, checkTrackers(config, opts.trackers, logger));
  if (opts.schedule && svc.enabled) core.scheduler.add('handoff-recover', RECOVER_CRON, () => core.store.withLeader('handoff-recover', () => recover(RECOVER_MIN_AGE_MS)));

  tickets.addCardSection((t) => svc.cardSection(t));
  tickets.addDetailSection((t) => svc.detailSection(t));

  // `/ticket escalate T-… engineering` opens the preview; anything else is the tiered escalation.
  const escalate = commands.get('escalate');
  if (escalate)
    commands.register({
      ...escalate,
      run: async (args, ctx, raw) => {
        if (args.length === 2 && args[1]!.toLowerCase() === 'engineering' && svc.enabled) {
          const t = tickets.require(args[0]!);
          const r = await svc.escalate(t.key, ctx.userId);
          if (!r.form) return { view: r.ephemeral!, visibility: 'ephemeral' };
          return { view: notice(`Preview of the engineering issue for ${t.key}: check it, then **Create issue**.`), visibility: 'ephemeral', form: r.form };
        }
        return escalate.run(args, ctx, raw);
      },
    });

  commands.register({
    name: 'unlink',
    usage: 'unlink ID ISSUE',
    summary: 'remove a ticket’s link to an engineering issue (e.g. `unlink T-1042 acme/app#12`)',
    agentOnly: true,
    run: ([id, issue], ctx) => {
      if (!id || !issue) throw new InputInvalidError('Which ticket and issue? e.g. `unlink T-1042 acme/app#12`.');
      return { view: svc.unlink(id, issue, ctx.userId), visibility: 'ephemeral' };
    },
  });

  /** The clicked prompt message, when the platform says which it was. */
  const promptOf = (ctx: InteractionContext): PromptMessage | null => (ctx.channelId && ctx.messageId ? { channelId: ctx.channelId, messageId: ctx.messageId } : null);
  interactions.onAction(ACTIONS.handoffEscalate, async (value, ctx) => {
    const [key, escalationId] = keyAndEscalation(value);
    return svc.escalate(key, ctx.userId, { escalationId, prompt: promptOf(ctx) });
  });
  interactions.onForm(FORMS.handoffPreview, async (state, values, ctx) => ({ ephemeral: await svc.submitPreview(state, values, ctx.userId) }));
  interactions.onAction(ACTIONS.handoffLink, (key) => ({ form: svc.searchForm(key) }));
  interactions.onForm(FORMS.handoffSearch, async (key, values, ctx) => ({ ephemeral: await svc.search(key, values.query ?? '', ctx.userId) }));
  interactions.onAction(ACTIONS.handoffPick, async (value, ctx) => {
    const [key, rest] = splitValue(value);
    const [kind, issueKey] = splitValue(rest);
    if (!KINDS.includes(kind as TrackerKind) || !issueKey) throw new InputInvalidError(`malformed value "${value.slice(0, 60)}"`);
    return { ephemeral: await svc.linkExisting([key], { tracker: kind as TrackerKind, key: issueKey }, ctx.userId, 'search') };
  });
  interactions.onAction(ACTIONS.handoffLinkSimilar, async (value, ctx) => {
    const [key, escalationId] = keyAndEscalation(value);
    return svc.linkSimilar(key, ctx.userId, escalationId, promptOf(ctx));
  });
  interactions.onAction(ACTIONS.followUpIssue, async (value, ctx) => {
    const [plan, index] = splitValue(value);
    if (!/^\d+$/.test(plan) || !/^\d+$/.test(index)) throw new InputInvalidError(`malformed value "${value.slice(0, 40)}"`);
    return { ephemeral: await svc.createFromFollowUp(Number(plan), Number(index), ctx.userId) };
  });
  return svc;
}
