/**
 * The retention job: cut-offs from config `retention.*` (wall time for the outbox and inbox,
 * the desk's Clock for inbound ids and form state), pruned through the store port.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { RetentionJob, retentionCutoffs } from '../../src/scheduler/retention.js';
import { type Desk, H, MIN, MON, deskConfigRaw, makeDesk } from './helpers.js';

const DAY = 24 * H;
let d: Desk | undefined;
afterEach(async () => {
  await d?.close();
  d = undefined;
});

describe('retention job', () => {
  it('derives its cut-offs from the config (defaults: 30 days of sent outbox rows, 1 h of processed deliveries, 7 days of ids and forms, 15 min of replay keys)', () => {
    const r = parseConfig(deskConfigRaw()).retention;
    expect(r).toEqual({ schedule: '*/10 * * * *', sentOutboxDays: 30, processedInboxHours: 1, inboundIdDays: 7, replayMinutes: 15, formStateDays: 7 });
    expect(retentionCutoffs(r, { wall: MON, desk: MON + H })).toEqual({
      before: MON - H,
      outboxBefore: MON - 30 * DAY,
      seenBefore: MON - 15 * MIN,
      inboundEventsBefore: MON + H - 7 * DAY,
      formsBefore: MON + H - 7 * DAY,
    });
  });

  it('prunes what is older than the settings and keeps the rest', async () => {
    d = makeDesk({ config: { retention: { sentOutboxDays: 2, formStateDays: 1 } } });
    const db = d.db;
    db.prepare("INSERT INTO outbox (idempotency_key, platform, channel_id, kind, payload, status, created_at, next_attempt_at, sent_at) VALUES ('old', 'slack', 'C1', 'post', '{}', 'sent', ?, ?, ?)").run(MON - 3 * DAY, MON - 3 * DAY, MON - 3 * DAY);
    db.prepare("INSERT INTO outbox (idempotency_key, platform, channel_id, kind, payload, status, created_at, next_attempt_at, sent_at) VALUES ('new', 'slack', 'C1', 'post', '{}', 'sent', ?, ?, ?)").run(MON - DAY, MON - DAY, MON - DAY);
    db.prepare("INSERT INTO inbound_events (platform, event_id, at) VALUES ('slack', 'Ev-old', ?), ('slack', 'Ev-new', ?)").run(MON - 8 * DAY, MON - DAY);
    db.prepare("INSERT INTO seen_requests (platform, key, at) VALUES ('slack', 'k-old', ?), ('slack', 'k-new', ?)").run(MON - 20 * MIN, MON - 5 * MIN);
    db.prepare("INSERT INTO conversation_refs (platform, key, reference, updated_at) VALUES ('form-state', 'ct-old', '{}', ?), ('form-state', 'ct-new', '{}', ?)").run(MON - 2 * DAY, MON - H);
    const job = new RetentionJob({ config: d.core.config, store: d.core.store, clock: d.clock, wall: () => MON });
    expect(await job.run()).toEqual({ outbox: 1, inbox: 0, seen: 1, inboundEvents: 1, rateLimits: 0, aiTasks: 0, forms: 1 });
    expect(await job.run()).toEqual({ outbox: 0, inbox: 0, seen: 0, inboundEvents: 0, rateLimits: 0, aiTasks: 0, forms: 0 });
    const keys = (sql: string) => db.prepare<[], { k: string }>(sql).all().map((r) => r.k);
    expect(keys('SELECT idempotency_key AS k FROM outbox')).toEqual(['new']);
    expect(keys('SELECT event_id AS k FROM inbound_events')).toEqual(['Ev-new']);
    expect(keys("SELECT key AS k FROM conversation_refs WHERE platform = 'form-state'")).toEqual(['ct-new']);
  });
});
