/**
 * The known-answers feature as one handle: the knowledge base, the matcher, and a refresh of
 * the configured folders. `installKnowledge(core)` adds it to a running core: folders are read
 * at start and re-checked on the `knowledge-refresh` schedule, and `/ticket answer` is
 * registered. Phase 2 (offering answers in the customer's thread) calls `decideFor` from the
 * ticket flow; nothing here posts anything.
 */
import cron from 'node-cron';
import type { Core } from '../app.js';
import { registerAnswerSubcommand } from '../commands/answer-command.js';
import type { FrontdeskConfig } from '../config/schema.js';
import { ConfigInvalidError, FrontdeskError } from '../domain/errors.js';
import type { Priority } from '../domain/types.js';
import type { Clock } from '../ports/clock.js';
import type { Db } from '../store/db.js';
import { KnowledgeBase, type SyncReport } from './knowledge-base.js';
import { AnswerMatcher, type MatchDecision, triageFacts } from './match.js';

export interface Knowledge {
  kb: KnowledgeBase;
  matcher: AnswerMatcher;
  /** Re-read the configured folders (only changed files). A missing folder is a problem in its report. */
  refresh(): SyncReport[];
  /**
   * Decide for a request and its triage (category, priority): the security flag comes from
   * the category and the escalation keywords.
   * @example knowledge.decideFor(ticket.text, ticket) // { offer, answer, explanation, … }
   */
  decideFor(text: string, triage: { category: string; priority: Priority }): MatchDecision;
}

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
  /** Schedule the refresh job (default: yes, unless env FRONTDESK_SCHEDULER=off). */
  schedule?: boolean;
}

const installed = new WeakMap<Core, Knowledge>();

function logReports(core: Core, reports: SyncReport[]): void {
  for (const r of reports) {
    if (r.added.length || r.updated.length || r.removed.length)
      core.logger.info({ job: 'knowledge-refresh', folder: r.root, added: r.added.length, updated: r.updated.length, removed: r.removed.length }, 'known answers refreshed');
    for (const p of r.problems) core.logger.error({ job: 'knowledge-refresh', file: p.file }, `known answers: ${p.message}`);
  }
}

/**
 * Install on a core: read the folders now, schedule `knowledge-refresh`, register `/ticket answer`.
 * Installing twice returns the same handle.
 * @example const knowledge = installKnowledge(core);
 */
export function installKnowledge(core: Core, opts: InstallKnowledgeOptions = {}): Knowledge {
  const existing = installed.get(core);
  if (existing) return existing;
  const knowledge = createKnowledge(core.config, core.db, core.clock);
  installed.set(core, knowledge);
  logReports(core, knowledge.refresh());
  registerAnswerSubcommand(core.commands, { kb: knowledge.kb, tickets: core.tickets });
  const wantJobs = opts.schedule ?? core.env.FRONTDESK_SCHEDULER !== 'off';
  if (wantJobs && core.config.knowledge.paths.length > 0) core.scheduler.add('knowledge-refresh', core.config.knowledge.refresh, () => logReports(core, knowledge.refresh()));
  return knowledge;
}
