/**
 * Express middleware in front of Bolt's receiver: Bolt rejects signed requests whose
 * timestamp is more than 5 minutes old but accepts ones from the future, which would let a
 * captured request be replayed later. This rejects timestamps more than 5 minutes ahead
 * (and missing or malformed ones) with 401.
 */
import type { RequestHandler } from 'express';
import type { Logger } from '../../src/logger.js';

export const MAX_CLOCK_SKEW_SEC = 5 * 60;

/**
 * @example router.use('/slack/events', rejectFutureTimestamps(logger));
 */
export function rejectFutureTimestamps(logger: Logger, now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const header = req.headers['x-slack-request-timestamp'];
    const ts = Number(Array.isArray(header) ? header[0] : header);
    if (!header || !Number.isFinite(ts)) {
      logger.warn({ path: req.path }, 'slack: rejected a request without a valid x-slack-request-timestamp (401)');
      res.status(401).send();
      return;
    }
    const skew = ts - Math.floor(now() / 1000);
    if (skew > MAX_CLOCK_SKEW_SEC) {
      logger.warn({ path: req.path, aheadSec: skew }, 'slack: rejected a request timestamped more than 5 minutes in the future (401); check this machine\'s clock');
      res.status(401).send();
      return;
    }
    next();
  };
}
