/**
 * Logging: pino (structured JSON, fast, with redaction of secret-looking fields) — chosen over
 * console.* so operators can ship logs anywhere and secrets never reach them.
 */
import { pino, type Logger } from 'pino';

export function createLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  return pino({
    level: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' || env.VITEST ? 'silent' : 'info'),
    base: { app: 'frontdesk' },
    redact: {
      paths: ['token', 'password', 'apiKey', 'secret', '*.token', '*.password', '*.apiKey', '*.secret', 'headers.authorization', '*.headers.authorization'],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
