import { ManualClock } from '../../src/ports/clock.js';
import { mountPlayground } from './server.js';
/** Is the playground on for this environment? */
export function playgroundEnabled(env) {
    if (env.FRONTDESK_PLAYGROUND === '0')
        return false;
    if (env.FRONTDESK_PLAYGROUND === '1')
        return true;
    return !env.SLACK_BOT_TOKEN && !env.MICROSOFT_APP_ID;
}
/**
 * The clock the core should run on: a movable clock (starting now, at real speed) when the
 * playground runs, so its clock control can jump and speed up time; otherwise undefined
 * (the system clock). Called by adapters/main.ts before the core is built.
 * @example const clock = playgroundClock(active.map((a) => a.name));
 */
export function playgroundClock(activeAdapters) {
    return activeAdapters.includes(localAdapter.name) ? new ManualClock(Date.now(), 1) : undefined;
}
export const localAdapter = {
    name: 'local',
    enabled: playgroundEnabled,
    async start(core) {
        mountPlayground(core);
    },
    describe(_env, where) {
        const host = where.host === '0.0.0.0' || where.host === '::' ? 'localhost' : where.host;
        return `local playground: http://${host}:${where.port}/  (a local development surface; no Slack or Teams needed)`;
    },
};
//# sourceMappingURL=index.js.map