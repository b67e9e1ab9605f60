/**
 * The composition root: load config, open the database, build the core, start whichever
 * chat adapters are configured (Slack, Teams; the local playground when neither is), listen.
 * `npm start` runs this file.
 */
import { installAi } from '../src/ai/install.js';
import { describeModes } from '../src/audience/placement.js';
import { installSlaAndDigest } from '../src/escalation/install.js';
import { installKnowledge } from '../src/knowledge/install.js';
import { createCore } from '../src/app.js';
import { loadConfig } from '../src/config/load-config.js';
import { FrontdeskError } from '../src/domain/errors.js';
import { createLogger } from '../src/logger.js';
import { describeSupportChannels } from '../src/demo/playground-defaults.js';
import { databasePath, openDatabase } from '../src/store/db.js';
import { playgroundClock } from './local/index.js';
import { ADAPTERS } from './registry.js';
async function main() {
    const env = process.env;
    const logger = createLogger(env);
    const { config, source } = loadConfig(env);
    const dbPath = databasePath(env);
    const db = openDatabase(dbPath);
    const active = ADAPTERS.filter((a) => a.enabled(env));
    // The playground's clock control needs a movable clock; every other setup uses the system clock.
    const core = createCore({ config, db, env, logger, clock: playgroundClock(active.map((a) => a.name)) });
    // Suggested replies, handling plans, AI triage; a broken persona file stops start-up here.
    const aiFeatures = installAi(core);
    // The SLA watcher, escalation prompts and the leads' digest (scheduled node-cron jobs).
    installSlaAndDigest(core);
    // Known answers: offered before agents are paged, suggested on cards, gaps in the digest.
    installKnowledge(core);
    for (const a of active)
        a.validateEnv?.(env);
    for (const a of active)
        await a.start(core);
    core.outbox.start(config.scheduler.outboxPollMs);
    const port = env.PORT ? Number(env.PORT) : config.server.port;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new FrontdeskError('frontdesk_config_invalid', `PORT must be a number from 0 to 65535, got "${env.PORT}"`);
    const host = env.HOST ?? config.server.host;
    const { port: actual } = await core.listen(port, host);
    const names = active.map((a) => a.describe(env, { host, port: actual }));
    console.log([
        `frontdesk is running on http://${host}:${actual}  (health: /healthz)`,
        `  config:   ${source ?? 'built-in defaults (no frontdesk.config.yaml)'}`,
        `  database: ${dbPath}`,
        `  support channels: ${describeSupportChannels(config)}`,
        `  AI:       ${aiFeatures.ai.enabled ? `Claude (${aiFeatures.ai.model})` : (aiFeatures.ai.disabledReason ?? 'off')}`,
        `  adapters: ${names.length ? '' : 'none'}`,
        ...names.map((n) => `    - ${n}`),
        '  modes (who sees what):',
        ...describeModes(config).map((m) => `    - ${m}`),
    ].join('\n'));
    for (const m of describeModes(config))
        logger.info({ mode: m }, 'support channel mode');
    const stop = async (signal) => {
        logger.info({ signal }, 'shutting down');
        await core.close();
        process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
}
main().catch((e) => {
    // What to fix, in words; the stack only on request (LOG_LEVEL=debug), for bug reports.
    if (e instanceof FrontdeskError)
        console.error(`frontdesk could not start:\n${e.message}`);
    else if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace')
        console.error('frontdesk could not start:', e);
    else
        console.error(`frontdesk could not start: ${e instanceof Error ? e.message : String(e)}\n(run with LOG_LEVEL=debug for the details)`);
    process.exit(1);
});
//# sourceMappingURL=main.js.map