/**
 * Bridges Bolt's and web-api's logger interface (@slack/logger) to frontdesk's pino logger,
 * so Slack library messages land in the same structured, redacted log stream.
 */
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';

/**
 * Wrap a pino logger for Bolt / WebClient.
 * @example new App({ logger: slackLogger(core.logger), ... })
 */
export function slackLogger(base: Logger): SlackLogger {
  const log = base.child({ component: 'slack' });
  let level: LogLevel = LogLevel.INFO;
  const write = (fn: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => {
    const err = msg.find((m): m is Error => m instanceof Error);
    const text = msg
      .filter((m) => m !== err)
      .map((m) => (typeof m === 'string' ? m : safeJson(m)))
      .join(' ');
    if (err) log[fn]({ err }, text || err.message);
    else log[fn](text);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel(l: LogLevel) {
      level = l;
    },
    getLevel: () => level,
    setName() {},
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
