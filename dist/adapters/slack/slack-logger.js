/**
 * Bridges Bolt's and web-api's logger interface (@slack/logger) to frontdesk's pino logger,
 * so Slack library messages land in the same structured, redacted log stream.
 */
import { LogLevel } from '@slack/bolt';
/**
 * Wrap a pino logger for Bolt / WebClient.
 * @example new App({ logger: slackLogger(core.logger), ... })
 */
export function slackLogger(base) {
    const log = base.child({ component: 'slack' });
    let level = LogLevel.INFO;
    const write = (fn) => (...msg) => {
        const err = msg.find((m) => m instanceof Error);
        const text = msg
            .filter((m) => m !== err)
            .map((m) => (typeof m === 'string' ? m : safeJson(m)))
            .join(' ');
        if (err)
            log[fn]({ err }, text || err.message);
        else
            log[fn](text);
    };
    return {
        debug: write('debug'),
        info: write('info'),
        warn: write('warn'),
        error: write('error'),
        setLevel(l) {
            level = l;
        },
        getLevel: () => level,
        setName() { },
    };
}
function safeJson(v) {
    try {
        return JSON.stringify(v);
    }
    catch {
        return String(v);
    }
}
//# sourceMappingURL=slack-logger.js.map