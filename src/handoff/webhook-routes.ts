/**
 * `POST /webhooks/github`, `/webhooks/jira` and `/webhooks/linear`: tracker deliveries, checked
 * and applied before they are acknowledged.
 *
 * - the raw body bytes are read here (express.raw) and the signature is checked over them with
 *   the vendor's secret from the environment (GITHUB_WEBHOOK_SECRET, JIRA_WEBHOOK_SECRET,
 *   LINEAR_WEBHOOK_SECRET): no secret → 503 saying which variable to set (logged once); a bad or
 *   missing signature → 401 with the reason; a body that is not JSON → 400;
 * - a delivery frontdesk does not act on (a ping, another event type) → 202, nothing stored;
 * - otherwise the delivery id is recorded in `seen_requests` (platform `github`/`jira`/`linear`)
 *   in the SAME transaction as the changes it causes, and only then answered 200. The same
 *   delivery again → 200 `{ duplicate: true }` and nothing happens twice. If the store fails the
 *   answer is 503 and the tracker delivers again.
 */
import { createHash } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../ports/clock.js';
import type { TrackerKind, TrackerWebhook } from '../ports/tracker-port.js';
import type { Db } from '../store/db.js';
import { InboxRepo } from '../store/inbox-repo.js';
import { TRACKER_NAMES } from '../views/fix-update-view.js';
import type { HearBack } from './hear-back-apply.js';
import { syncTx } from '../store/sync-tx.js';

/** The environment variable holding each vendor's webhook secret. */
export const WEBHOOK_SECRET_ENV: Record<TrackerKind, string> = {
  github: 'GITHUB_WEBHOOK_SECRET',
  jira: 'JIRA_WEBHOOK_SECRET',
  linear: 'LINEAR_WEBHOOK_SECRET',
};

/** URL path of each vendor's webhook. */
export const WEBHOOK_PATHS: Record<TrackerKind, string> = {
  github: '/webhooks/github',
  jira: '/webhooks/jira',
  linear: '/webhooks/linear',
};

/** Stable codes in the JSON answers. */
export const WEBHOOK_ERRORS = {
  notConfigured: 'frontdesk_tracker_not_configured',
  secretMissing: 'frontdesk_webhook_secret_missing',
  unsigned: 'frontdesk_webhook_signature_invalid',
  invalid: 'frontdesk_webhook_payload_invalid',
  tooLarge: 'frontdesk_webhook_payload_too_large',
  unavailable: 'frontdesk_store_unavailable',
} as const;

/** Largest delivery accepted (GitHub caps payloads at 25 MB, but issue events are a few kB). */
export const MAX_WEBHOOK_BYTES = '2mb';

export interface WebhookRouteDeps {
  hearBack: HearBack;
  webhooks: ReadonlyMap<TrackerKind, TrackerWebhook>;
  /** Webhook secret per configured tracker (from GITHUB_WEBHOOK_SECRET, …; undefined when unset). */
  secrets: ReadonlyMap<TrackerKind, string | undefined>;
  db: Db;
  clock: Clock;
  logger: Logger;
}

/**
 * Mount the three webhook routes on the core's HTTP app.
 * @example mountTrackerWebhooks(core.http, { hearBack, webhooks: trackers.webhooks, secrets: trackers.secrets, db: core.db, clock: core.clock, logger: core.logger });
 */
export function mountTrackerWebhooks(http: Express, d: WebhookRouteDeps): void {
  const seen = new InboxRepo(d.db);
  const warnedNoSecret = new Set<TrackerKind>();

  const answer = (res: Response, kind: TrackerKind, status: number, code: string, message: string, log: Record<string, unknown> = {}) => {
    d.logger.warn({ tracker: kind, status, code, ...log }, `${kind} webhook: rejected a delivery: ${message}`);
    res.status(status).json({ ok: false, error: code, message });
  };

  const handle = (kind: TrackerKind) => (req: Request, res: Response) => {
    const name = TRACKER_NAMES[kind];
    const webhook = d.webhooks.get(kind);
    if (!webhook)
      return answer(res, kind, 404, WEBHOOK_ERRORS.notConfigured, `${name} is not set up in this frontdesk: add a trackers.${kind} block to frontdesk.config.yaml (see README, "Engineering hand-off").`);
    const envName = WEBHOOK_SECRET_ENV[kind];
    const secret = d.secrets.get(kind);
    if (!secret) {
      const message = `${envName} is not set, so ${name} deliveries cannot be verified: set it to the secret configured on the ${name} webhook and restart frontdesk.`;
      if (!warnedNoSecret.has(kind)) {
        warnedNoSecret.add(kind);
        d.logger.error({ tracker: kind, code: WEBHOOK_ERRORS.secretMissing }, message);
      }
      res.status(503).json({ ok: false, error: WEBHOOK_ERRORS.secretMissing, message });
      return;
    }
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const headers = req.headers as Record<string, string | string[] | undefined>;
    let reason: string | null;
    try {
      reason = webhook.verify(headers, raw, secret);
    } catch (e) {
      reason = `the signature could not be checked (${(e as Error).message})`;
    }
    if (reason) return answer(res, kind, 401, WEBHOOK_ERRORS.unsigned, `${reason} (check that ${envName} matches the secret on the ${name} webhook)`);

    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return answer(res, kind, 400, WEBHOOK_ERRORS.invalid, `the body is not JSON (${raw.length} bytes); set the ${name} webhook's content type to application/json`);
    }
    let events: ReturnType<TrackerWebhook['parse']>;
    try {
      events = webhook.parse(headers, body);
    } catch (e) {
      return answer(res, kind, 400, WEBHOOK_ERRORS.invalid, `the delivery could not be read: ${(e as Error).message}`);
    }
    if (events.length === 0) {
      res.status(202).json({ ok: true, ignored: true, message: `nothing frontdesk acts on in this ${name} delivery` });
      return;
    }
    // Without a vendor delivery id, the exact bytes identify the delivery (a replay is identical).
    const id = (webhook.deliveryId(headers, body) ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`).slice(0, 200);
    let outcome: 'duplicate' | ReturnType<HearBack['apply']>;
    try {
      outcome = syncTx(d.db, () => {
        if (seen.rememberKeys([{ platform: kind, key: `delivery:${id}`, at: d.clock.now() }]).length > 0) return 'duplicate' as const;
        return d.hearBack.apply(events, 'webhook');
      });
    } catch (e) {
      d.logger.error({ tracker: kind, err: e, delivery: id }, `${kind} webhook: the delivery could not be stored; ${name} will deliver it again`);
      res.status(503).json({ ok: false, error: WEBHOOK_ERRORS.unavailable, message: `the delivery could not be stored; ${name} will deliver it again` });
      return;
    }
    if (outcome === 'duplicate') {
      d.logger.info({ tracker: kind, delivery: id }, `${kind} webhook: delivery seen before; acknowledged without applying it again`);
      res.status(200).json({ ok: true, duplicate: true });
      return;
    }
    if (outcome.lines > 0) d.logger.info({ tracker: kind, delivery: id, ...outcome }, `${kind} webhook applied`);
    res.status(200).json({ ok: true, ...outcome });
  };

  const tooLarge = (kind: TrackerKind) => (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (e?.type === 'entity.too.large') return answer(res, kind, 413, WEBHOOK_ERRORS.tooLarge, `the delivery is larger than ${MAX_WEBHOOK_BYTES}`);
    if (e?.status && e.status >= 400 && e.status < 500) return answer(res, kind, e.status, WEBHOOK_ERRORS.invalid, 'the body could not be read');
    next(err);
  };

  for (const kind of Object.keys(WEBHOOK_PATHS) as TrackerKind[])
    http.post(WEBHOOK_PATHS[kind], express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }), handle(kind), tooLarge(kind));
}
