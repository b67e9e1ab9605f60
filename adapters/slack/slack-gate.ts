/**
 * The gate in front of Bolt on POST /slack/events (HTTP mode). It reads the raw body once,
 * checks the signature and timestamp, and then:
 * - malformed but correctly signed requests get 400 at once with the reason (logged once);
 *   Bolt would answer 500 (and Slack would retry) or hang 3 s;
 * - Events API events are written to the durable inbox (group-committed) and only then
 *   answered 200; Bolt processes them later from the inbox. A re-delivery of a stored
 *   event_id is answered 200 without a second row;
 * - a second delivery of the same signed request (same signature) within the replay window is
 *   rejected with 409, remembered in the store so a restart does not forget; a command or
 *   interaction delivered again under a new signature (same trigger_id / action_ts) is acked
 *   without running again;
 * - everything else (slash commands, interactivity, url_verification) goes on to Bolt, which
 *   reuses the body read here (req.rawBody).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Inbox } from '../../src/inbound/inbox.js';
import type { Logger } from '../../src/logger.js';
import type { Metrics } from '../../src/metrics.js';
import type { SeenKey } from '../../src/store/inbox-repo.js';
import { classifySlackRequest } from './validate-payload.js';

/** Slack's replay window: requests timestamped further from now (either way) are refused. */
export const MAX_CLOCK_SKEW_SEC = 5 * 60;

export interface SlackGateOptions {
  signingSecret: string;
  inbox: Inbox;
  logger: Logger;
  /** Slash commands with listeners (others get 400, not a 3 s wait). */
  commands: readonly string[];
  /** Message/global shortcut callback ids with listeners. */
  shortcuts: readonly string[];
  /** Modal callback ids with listeners. */
  viewCallback: RegExp;
  /** Wall clock (ms) for the timestamp window. */
  now?: () => number;
  /** Records the time to answer each request (frontdesk_ack_duration_seconds). */
  metrics?: Pick<Metrics, 'ackSeconds'>;
}

/** Stable codes in 4xx answers. */
export const GATE_ERRORS = {
  invalid: 'frontdesk_slack_payload_invalid',
  replayed: 'frontdesk_slack_request_replayed',
  unsigned: 'frontdesk_slack_signature_invalid',
  unavailable: 'frontdesk_store_unavailable',
} as const;

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function signatureOk(secret: string, ts: string, raw: Buffer, signature: string): boolean {
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${ts}:`).update(raw).digest('hex')}`);
  const got = Buffer.from(signature);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/**
 * The gate's middleware chain (raw body, then the checks).
 * @example router.use('/slack/events', ...slackGate({ signingSecret, inbox, logger, commands: ['/ticket'], shortcuts: [], viewCallback: /^form\./ }));
 */
export function slackGate(o: SlackGateOptions): RequestHandler[] {
  const now = o.now ?? Date.now;
  const reject = (res: Response, status: number, code: string, message: string, log: Record<string, unknown>) => {
    o.logger.warn({ ...log, status, code }, `slack: rejected a request: ${message}`);
    res.status(status).json({ ok: false, error: code, message });
  };
  const gate: RequestHandler = async (req, res, next) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const ts = header(req, 'x-slack-request-timestamp') ?? '';
    const signature = header(req, 'x-slack-signature') ?? '';
    const tsNum = Number(ts);
    if (!ts || !Number.isInteger(tsNum) || !signature) return reject(res, 401, GATE_ERRORS.unsigned, 'missing or malformed x-slack-signature / x-slack-request-timestamp', {});
    if (Math.abs(Math.floor(now() / 1000) - tsNum) > MAX_CLOCK_SKEW_SEC)
      return reject(res, 401, GATE_ERRORS.unsigned, 'request timestamp is more than 5 minutes from this machine\'s clock (stale, or check the clock)', {});
    if (!signatureOk(o.signingSecret, ts, raw, signature)) return reject(res, 401, GATE_ERRORS.unsigned, 'signature does not match SLACK_SIGNING_SECRET', {});

    const c = classifySlackRequest(raw.toString('utf8'), header(req, 'content-type'), o.commands);
    if (!c.ok) return reject(res, 400, GATE_ERRORS.invalid, c.reason, { bytes: raw.length });
    const r = c.request;
    const sigKey: SeenKey = { platform: 'slack', key: `sig:${signature}`, at: tsNum * 1000 };

    if (r.kind === 'event') {
      const retryNum = Number(header(req, 'x-slack-retry-num') ?? 0) || 0;
      try {
        const outcome = await o.inbox.accept({
          platform: 'slack',
          deliveryId: r.eventId,
          payload: raw.toString('utf8'),
          retryNum,
          receivedAt: now(),
          // A Slack retry (x-slack-retry-num) is acked even if it were signed identically; the event_id de-duplicates it.
          seen: retryNum ? [] : [sigKey],
        });
        if (outcome === 'replayed') return reject(res, 409, GATE_ERRORS.replayed, 'this signed request was already delivered (replay)', { eventId: r.eventId });
        res.status(200).end();
      } catch {
        // Not stored, so not acknowledged: Slack delivers it again.
        reject(res, 503, GATE_ERRORS.unavailable, 'the event could not be stored; Slack will retry', { eventId: r.eventId });
      }
      return;
    }
    if (r.kind === 'other_callback') {
      res.status(200).end();
      return;
    }
    if (r.kind === 'interactive') {
      if (!r.handled) {
        res.status(200).end(); // e.g. view_closed: nothing to do, and no 3 s wait
        return;
      }
      if (r.type === 'message_action' && !o.shortcuts.includes(String(r.body.callback_id)))
        return reject(res, 400, GATE_ERRORS.invalid, `unknown shortcut callback_id "${String(r.body.callback_id).slice(0, 60)}"`, {});
      if (r.type === 'view_submission' && !o.viewCallback.test(String((r.body.view as { callback_id?: string }).callback_id)))
        return reject(res, 400, GATE_ERRORS.invalid, 'unknown modal callback_id', {});
    }
    if (r.kind === 'command' || r.kind === 'interactive') {
      const deliveryKey = r.kind === 'command' ? (r.triggerId ? `command:${r.triggerId}` : null) : r.replayKey;
      const keys: SeenKey[] = [sigKey, ...(deliveryKey ? [{ platform: 'slack', key: deliveryKey, at: tsNum * 1000 }] : [])];
      let seen: SeenKey[];
      try {
        seen = o.inbox.repo.rememberKeys(keys);
      } catch {
        return reject(res, 503, GATE_ERRORS.unavailable, 'the request could not be recorded; try again', {});
      }
      if (seen.some((k) => k.key === sigKey.key)) return reject(res, 409, GATE_ERRORS.replayed, 'this signed request was already delivered (replay)', { kind: r.kind });
      if (seen.length) {
        o.logger.info({ key: deliveryKey }, 'slack: the same command or interaction arrived again; acknowledged without running it twice');
        res.status(200).end();
        return;
      }
    }
    (req as Request & { rawBody?: Buffer }).rawBody = raw;
    next();
  };
  // Timed from arrival (before the body is read) to the answer, whoever gives it (here or Bolt).
  const timed: RequestHandler = (_req, res, next) => {
    const end = o.metrics?.ackSeconds.startTimer({ platform: 'slack' });
    if (end) res.once('finish', () => end());
    next();
  };
  return [timed, express.raw({ type: () => true, limit: '2mb' }), gate];
}
