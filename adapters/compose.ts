/**
 * The composition root: the one place that knows the whole app. It builds it for both entry
 * points — the server (`npm start`, adapters/main.ts) and the command line (`frontdesk`,
 * adapters/cli.ts) — so src/ never imports adapters/:
 * - the database, with every migration folder (the core's and the local playground's);
 * - the server's core with all its features (AI, SLA and digest, engineering hand-off, known
 *   answers), in the order the features expect (loaded only by the server: the tracker clients
 *   and the AI SDK would double the command line's start-up time);
 * - the CLI's context (the same database, the playground's clock offset) and the adapters'
 *   commands (`frontdesk demo`).
 */
import type { Logger } from 'pino';
import type { AiFeatures } from '../src/ai/install.js';
import { type Core, createCore } from '../src/app.js';
import { CliContext, type CliApp } from '../src/cli/context.js';
import type { RegisterCommands } from '../src/cli/main.js';
import { type LoadedConfig, loadConfig } from '../src/config/load-config.js';
import type { FrontdeskConfig } from '../src/config/schema.js';
import { installSlaAndDigest, type SlaAndDigest } from '../src/escalation/install.js';
import type { Clock } from '../src/ports/clock.js';
import { CORE_MIGRATIONS_DIR, type Db, type OpenOptions, databasePath, openDatabase } from '../src/store/db.js';
import { registerDemoCommand } from './local/demo/demo-command.js';
import { playgroundAheadMs } from './local/playground-defaults.js';
import { LOCAL_MIGRATIONS_DIR, PlaygroundStore } from './local/playground-store.js';

/** Every migration folder of the app; versions form one sequence across them. */
export const APP_MIGRATION_DIRS: readonly string[] = [CORE_MIGRATIONS_DIR, LOCAL_MIGRATIONS_DIR];

/**
 * Open the app's database (':memory:' allowed) with all its migrations.
 * @example const db = openAppDatabase(databasePath(process.env));
 */
export function openAppDatabase(path: string, opts: Omit<OpenOptions, 'migrationDirs'> = {}): Db {
  return openDatabase(path, { ...opts, migrationDirs: APP_MIGRATION_DIRS });
}

/** What the command line needs from the app. */
export const CLI_APP: CliApp = {
  migrationDirs: APP_MIGRATION_DIRS,
  clockAheadMs: (db) => playgroundAheadMs(new PlaygroundStore(db)),
};

/** Commands the adapters add to `frontdesk` (after `digest` in the help). */
export const CLI_COMMANDS: readonly RegisterCommands[] = [registerDemoCommand];

/**
 * The CLI's context for this app (same arguments as CliContext's, without the app).
 * @example await runCli(['tickets', 'list'], createCliContext(env, (s) => lines.push(s)), CLI_COMMANDS)
 */
export function createCliContext(env?: NodeJS.ProcessEnv, out?: (s: string) => void, wallClock?: Clock): CliContext {
  return new CliContext(env, out, wallClock, CLI_APP);
}

export interface ServerApp {
  core: Core;
  config: FrontdeskConfig;
  /** The config file read, or null for the built-in defaults. */
  source: string | null;
  dbPath: string;
  ai: AiFeatures;
  sla: SlaAndDigest;
  /** Names of the configured trackers, or null when the engineering hand-off is off. */
  trackers: string[] | null;
}

/**
 * Build the server's core with every feature installed (no adapter started, nothing listening).
 * Throws a FrontdeskError for what must be fixed first (config, a persona file, a tracker token).
 * @example const app = await composeServer(process.env, { logger, clock: playgroundClock(['local']) });
 */
export async function composeServer(env: NodeJS.ProcessEnv, opts: { logger: Logger; clock?: Clock | undefined; loaded?: LoadedConfig }): Promise<ServerApp> {
  const [{ installAi }, { trackersConfigured }, { installHearBack }, { installHandoff }, { fromTrackers }, { installKnowledge }, { createTrackers }] = await Promise.all([
    import('../src/ai/install.js'),
    import('../src/handoff/configured.js'),
    import('../src/handoff/hear-back.js'),
    import('../src/handoff/install.js'),
    import('../src/handoff/targets.js'),
    import('../src/knowledge/install.js'),
    import('../src/trackers/index.js'),
  ]);
  const { config, source } = opts.loaded ?? loadConfig(env);
  const dbPath = databasePath(env);
  const db = openAppDatabase(dbPath);
  const core = createCore({ config, db, env, logger: opts.logger, ...(opts.clock ? { clock: opts.clock } : {}) });
  core.metrics.collectProcessMetrics();
  // Suggested replies, handling plans, AI triage; a broken persona file stops start-up here.
  const ai = installAi(core);
  // The SLA watcher, escalation prompts and the leads' digest (scheduled node-cron jobs).
  const sla = installSlaAndDigest(core);
  // The engineering hand-off (GitHub Issues, Jira, Linear): a configured tracker without its
  // token stops start-up here, naming the missing variable; a refused token or an unknown
  // repository/project/team is logged as a warning soon after (checked in the background).
  const trackers = trackersConfigured(config) ? createTrackers(config, env, { source: source ?? undefined }) : null;
  installHandoff(core, { trackers: trackers ? fromTrackers(config, trackers) : null, escalations: sla.escalations, schedule: true, checkTrackers: true });
  // Hearing back: POST /webhooks/github|jira|linear and the 'tracker-poll' job (webhooks answer 404 "not set up" without trackers).
  installHearBack(core, trackers ?? { ports: new Map(), webhooks: new Map(), secrets: new Map() });
  // Known answers: offered before agents are paged, suggested on cards, gaps in the digest.
  installKnowledge(core);
  return { core, config, source: source ?? null, dbPath, ai, sla, trackers: trackers ? [...trackers.ports.keys()] : null };
}
