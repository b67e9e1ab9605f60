/**
 * The known-answers feature as one handle: the knowledge base, the matcher, and a refresh of
 * the configured folders. `installKnowledge(core)` adds it to a running core: folders are read
 * at start and re-checked on the `knowledge-refresh` schedule, `/ticket answer` is registered,
 * and known answers join the ticket flow (src/knowledge/offers.ts): offered to the customer at
 * creation, listed on the internal card, expired on the `knowledge-offers` schedule.
 */
import cron from 'node-cron';
import type { Core } from '../app.js';
import { registerAnswerSubcommand } from '../commands/answer-command.js';
import type { FrontdeskConfig } from '../config/schema.js';
import { ConfigInvalidError, FrontdeskError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { Db } from '../store/db.js';
import { KnowledgeBase, type SyncReport } from './knowledge-base.js';
import { registerKnowledgeHandlers } from './handlers.js';
import { AnswerMatcher, triageFacts } from './match.js';
import type { Knowledge } from './knowledge.js';
import { KnowledgeOffers } from './offers.js';

export type { Knowledge } from './knowledge.js';

/** Check the knowledge block against the rest of the config (category names). */
export function checkKnowledgeConfig(config: FrontdeskConfig): void {
  const problems: string[] = [];
  if (!cron.validate(config.knowledge.refresh)) problems.push(`knowledge.refresh: "${config.knowledge.refresh}" is not a cron expression (5 or 6 fields, e.g. "*/5 * * * *")`);
  for (const c of Object.keys(config.knowledge.match.categoryThresholds))
    if (!config.categories.includes(c)) problems.push(`knowledge.match.categoryThresholds: unknown category "${c}"; known categories: ${config.categories.join(', ')}`);
  for (const c of config.knowledge.match.neutralCategories)
    if (!config.categories.includes(c)) problems.push(`knowledge.match.neutralCategories: unknown category "${c}"; known categories: ${config.categories.join(', ')}`);
  if (problems.length) throw new ConfigInvalidError(problems, 'the configuration');
}

/**
 * Build the feature on a database (the CLI and tests use this directly).
 * @example const k = createKnowledge(config, db, clock); k.refresh(); k.decideFor('How do I reset my password?', { category: 'access', priority: 'P3' })
 */
export function createKnowledge(config: FrontdeskConfig, db: Db, clock: Clock): Knowledge {
  checkKnowledgeConfig(config);
  const kb = new KnowledgeBase(db, { clock, categories: config.categories });
  // Answers indexed by an older normaliser (other stems or synonyms) are brought up to date.
  kb.repo.reindex();
  const matcher = new AnswerMatcher(kb.repo, config.knowledge.match);
  return {
    kb,
    matcher,
    refresh() {
      return config.knowledge.paths.map((p) => {
        try {
          return kb.syncFolder(p);
        } catch (e) {
          if (!(e instanceof FrontdeskError)) throw e;
          return { root: p, files: 0, added: [], updated: [], removed: [], problems: [{ file: p, message: e.message }] };
        }
      });
    },
    decideFor(text, triage) {
      return matcher.decide(text, triageFacts(config, text, triage));
    },
  };
}

export interface InstallKnowledgeOptions {
  /** Schedule the refresh and offer-expiry jobs (default: yes, unless env FRONTDESK_SCHEDULER=off). */
  schedule?: boolean;
}

/** The feature as installed on a core: the knowledge base plus its place in the ticket flow. */
export interface InstalledKnowledge extends Knowledge {
  offers: KnowledgeOffers;
  /**
   * Re-read the folders now and make sure the jobs run (after the configuration gained folders,
   * e.g. the playground's default `examples/knowledge`).
   */
  resync(): SyncReport[];
}

/** Cron expression of the offer-expiry check: every minute (the timeout itself comes from the Clock). */
export const OFFER_EXPIRY_CRON = '* * * * *';

const installed = new WeakMap<Core, InstalledKnowledge>();

function logReports(core: Core, reports: SyncReport[]): void {
  for (const r of reports) {
    if (r.added.length || r.updated.length || r.removed.length)
      core.logger.info({ job: 'knowledge-refresh', folder: r.root, added: r.added.length, updated: r.updated.length, removed: r.removed.length }, 'known answers refreshed');
    for (const p of r.problems) core.logger.error({ job: 'knowledge-refresh', file: p.file }, `known answers: ${p.message}`);
  }
}

/**
 * Install on a core: read the folders now, schedule `knowledge-refresh` and `knowledge-offers`,
 * register `/ticket answer`, offer answers to new requests (in the creating transaction, after
 * the escalation hooks), add the known-answers section to cards and register its buttons.
 * Installing twice returns the same handle.
 * @example const knowledge = installKnowledge(core);
 */
export function installKnowledge(core: Core, opts: InstallKnowledgeOptions = {}): InstalledKnowledge {
  const existing = installed.get(core);
  if (existing) return existing;
  const base = createKnowledge(core.config, core.db, core.clock);
  const offers = new KnowledgeOffers({ config: core.config, clock: core.clock, tickets: core.tickets, knowledge: base, logger: core.logger });
  const wantJobs = opts.schedule ?? core.env.FRONTDESK_SCHEDULER !== 'off';
  const schedule = () => {
    if (!wantJobs) return;
    const names = core.scheduler.jobs().map((j) => j.name);
    if (core.config.knowledge.paths.length > 0 && !names.includes('knowledge-refresh'))
      core.scheduler.add('knowledge-refresh', core.config.knowledge.refresh, () => logReports(core, base.refresh()), { leader: true });
    if (!names.includes('knowledge-offers'))
      core.scheduler.add('knowledge-offers', OFFER_EXPIRY_CRON, () => {
        const n = offers.expire();
        if (n > 0) core.logger.info({ job: 'knowledge-offers', expired: n }, 'offered answers expired: back in the normal flow');
      }, { leader: true });
  };
  const knowledge: InstalledKnowledge = {
    ...base,
    offers,
    resync() {
      const reports = base.refresh();
      logReports(core, reports);
      schedule();
      return reports;
    },
  };
  installed.set(core, knowledge);
  logReports(core, base.refresh());
  registerAnswerSubcommand(core.commands, { kb: base.kb, tickets: core.tickets });
  core.tickets.onCreatedInTransaction((ticket) => {
    offers.atCreation(ticket);
  });
  core.tickets.addCardSection((ticket) => offers.cardSection(ticket));
  registerKnowledgeHandlers(core.interactions, core.tickets, offers);
  schedule();
  return knowledge;
}
