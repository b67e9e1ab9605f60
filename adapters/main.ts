/**
 * The server's entry point (`npm start`): load config, have the composition root
 * (adapters/compose.ts) build the core with its features, start whichever chat adapters are
 * configured (Slack, Teams; the local playground when neither is), listen.
 */
import { describeModes } from '../src/audience/placement.js';
import { loadConfig } from '../src/config/load-config.js';
import { describeSupportChannels } from '../src/config/support-channels.js';
import { FrontdeskError } from '../src/domain/errors.js';
import { createLogger } from '../src/logger.js';
import { composeServer } from './compose.js';
import { playgroundClock } from './local/index.js';
import { ADAPTERS } from './registry.js';

async function main(): Promise<void> {
  const env = process.env;
  const logger = createLogger(env);
  const loaded = loadConfig(env);
  const shutdownMs = shutdownTimeoutMs(env);
  const active = ADAPTERS.filter((a) => a.enabled(env));
  // The playground's clock control needs a movable clock; every other setup uses the system clock.
  const { core, config, source, dbPath, ai, trackers } = await composeServer(env, { logger, loaded, clock: playgroundClock(active.map((a) => a.name)) });
  for (const a of active) a.validateEnv?.(env);
  for (const a of active) await a.start(core);
  core.outbox.start(config.scheduler.outboxPollMs);
  const port = env.PORT ? Number(env.PORT) : config.server.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FrontdeskError('frontdesk_config_invalid', `PORT must be a number from 0 to 65535, got "${env.PORT}"`);
  const host = env.HOST ?? config.server.host;
  const { port: actual } = await core.listen(port, host);
  const names = active.map((a) => a.describe(env, { host, port: actual }));
  console.log(
    [
      `frontdesk is running on http://${host}:${actual}  (health: /healthz)`,
      `  config:   ${source ?? 'built-in defaults (no frontdesk.config.yaml)'}`,
      `  database: ${dbPath}${env.DATABASE_URL && /^postgres(ql)?:/i.test(env.DATABASE_URL) ? '  (DATABASE_URL is set, but the bot runs on SQLite until the PostgreSQL switch-over lands: see README "Storage engines")' : ''}`,
      `  support channels: ${describeSupportChannels(config)}`,
      `  trackers: ${trackers ? trackers.join(', ') : 'none (engineering hand-off off: see README "Engineering hand-off")'}`,
      `  AI:       ${ai.ai.enabled ? `Claude (${ai.ai.model})` : (ai.ai.disabledReason ?? 'off')}`,
      `  adapters: ${names.length ? '' : 'none'}`,
      ...names.map((n) => `    - ${n}`),
      '  modes (who sees what):',
      ...describeModes(config).map((m) => `    - ${m}`),
    ].join('\n'),
  );
  for (const m of describeModes(config)) logger.info({ mode: m }, 'support channel mode');
  // Graceful stop: no new requests, in-flight requests, inbox slices and outbox sends finish
  // (at most FRONTDESK_SHUTDOWN_TIMEOUT_MS), the database closes last. A second signal stops at once.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: stopping now without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, timeoutMs: shutdownMs }, 'shutting down: finishing the work in flight');
    const { finishedInTime } = await core.shutdown(shutdownMs);
    logger.info({ finishedInTime }, 'stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** FRONTDESK_SHUTDOWN_TIMEOUT_MS: how long a graceful stop may take (default 10 s). */
function shutdownTimeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env.FRONTDESK_SHUTDOWN_TIMEOUT_MS;
  if (raw === undefined || raw === '') return 10_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0)
    throw new FrontdeskError('frontdesk_config_invalid', `FRONTDESK_SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds (0 or more), got "${raw}", e.g. FRONTDESK_SHUTDOWN_TIMEOUT_MS=10000`);
  return ms;
}

main().catch((e: unknown) => {
  // What to fix, in words; the stack only on request (LOG_LEVEL=debug), for bug reports.
  if (e instanceof FrontdeskError) console.error(`frontdesk could not start:\n${e.message}`);
  else if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') console.error('frontdesk could not start:', e);
  else console.error(`frontdesk could not start: ${e instanceof Error ? e.message : String(e)}\n(run with LOG_LEVEL=debug for the details)`);
  process.exit(1);
});
