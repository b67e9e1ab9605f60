/**
 * Logging: pino (structured JSON, fast, with redaction of secret-looking fields) — chosen over
 * console.* so operators can ship logs anywhere and secrets never reach them.
 */
import { pino } from 'pino';
export function createLogger(env = process.env) {
    return pino({
        level: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' || env.VITEST ? 'silent' : 'info'),
        base: { app: 'frontdesk' },
        redact: {
            paths: ['token', 'password', 'apiKey', 'secret', '*.token', '*.password', '*.apiKey', '*.secret', 'headers.authorization', '*.headers.authorization'],
            censor: '[redacted]',
        },
    });
}
//# sourceMappingURL=logger.js.map