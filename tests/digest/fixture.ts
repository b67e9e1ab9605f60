/**
 * A small desk history, written through the real use cases with a ManualClock, whose digest
 * numbers were worked out by hand (see the expectations in build-digest.test.ts):
 *
 * Sunday 22 Nov 2026 (UTC)             Monday 23 Nov 2026 (UTC)
 *  S1 P3 question  10:00, reply 10:30,   T1 P0 outage   08:00 reply 08:20 resolved 10:00  "Checkout … 502 …"
 *     resolved 11:00                     T2 P0 outage   09:00 reply 10:30 (late) — open     "Checkout … 502 …"
 *  S2 P3 bug       15:00, reply 15:30,   T3 P1 bug      10:00 reply 11:00 resolved 13:00  "502 … checkout …"
 *     resolved 16:00                     T4 P2 bug      12:00 reply 13:00 — open
 *  S3 P2 question  20:00 (reply Mon      T6 P3 access   14:00 reply 14:30 resolved 15:00, reopened 16:00
 *     09:00, resolved Mon 11:00)         T5 P1 billing  20:00, no owner, no reply — open
 */
import { AiRepo } from '../../src/store/ai-repo.js';
import type { Priority, Ticket } from '../../src/domain/types.js';
import { AGENT2, CHANNEL, CUSTOMER, type Desk, OWNER } from '../sla-watcher/helpers.js';

export interface Fixture {
  S1: Ticket;
  S2: Ticket;
  S3: Ticket;
  T1: Ticket;
  T2: Ticket;
  T3: Ticket;
  T4: Ticket;
  T5: Ticket;
  T6: Ticket;
}

/** Write the history into `d` (events in time order). `day` shifts nothing: dates are fixed. */
export function seedFixture(d: Desk): Fixture {
  const at = (iso: string) => d.clock.set(Date.parse(iso));
  let n = 0;
  const open = (when: string, text: string, priority: Priority, category: string, owner: string | null): Ticket => {
    at(when);
    n += 1;
    const res = d.core.tickets.open({
      platform: 'slack',
      channelId: CHANNEL,
      sourceMessageId: `1795000000.${String(n).padStart(6, '0')}`,
      requesterId: CUSTOMER,
      text,
      force: true,
      overrides: { priority, category, ownerId: owner },
    });
    return res.ticket!;
  };
  const reply = (when: string, t: Ticket, who: string) => {
    at(when);
    d.core.tickets.recordReply({ platform: 'slack', channelId: CHANNEL, threadId: t.threadId!, messageId: `r-${t.id}-${when}`, authorId: who, text: 'Looking into it now.' });
  };
  const resolve = (when: string, t: Ticket, who: string) => {
    at(when);
    d.core.tickets.resolve(t.key, who);
  };

  const S1 = open('2026-11-22T10:00:00Z', 'How do I export my invoices?', 'P3', 'question', OWNER);
  reply('2026-11-22T10:30:00Z', S1, OWNER);
  resolve('2026-11-22T11:00:00Z', S1, OWNER);
  const S2 = open('2026-11-22T15:00:00Z', 'The profile page crashes when saving', 'P3', 'bug', AGENT2);
  reply('2026-11-22T15:30:00Z', S2, AGENT2);
  resolve('2026-11-22T16:00:00Z', S2, AGENT2);
  const S3 = open('2026-11-22T20:00:00Z', 'Where do I change the billing email?', 'P2', 'question', AGENT2);
  new AiRepo(d.db).recordCall({ at: Date.parse('2026-11-22T20:00:00Z'), purpose: 'triage', model: 'm', ticketId: S3.id, inputTokens: 500, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0, latencyMs: 400, outcome: 'ok' });

  const T1 = open('2026-11-23T08:00:00Z', 'Checkout fails with a 502 error for all customers', 'P0', 'outage', OWNER);
  reply('2026-11-23T08:20:00Z', T1, OWNER);
  const T2 = open('2026-11-23T09:00:00Z', 'Checkout fails again with 502 error for customers', 'P0', 'outage', OWNER);
  reply('2026-11-23T09:00:00Z', S3, AGENT2);
  resolve('2026-11-23T10:00:00Z', T1, OWNER);
  const T3 = open('2026-11-23T10:00:00Z', '502 error on checkout fails for some customers', 'P1', 'bug', AGENT2);
  reply('2026-11-23T10:30:00Z', T2, OWNER);
  reply('2026-11-23T11:00:00Z', T3, AGENT2);
  resolve('2026-11-23T11:00:00Z', S3, AGENT2);
  const T4 = open('2026-11-23T12:00:00Z', 'Export to PDF cuts off the last page', 'P2', 'bug', AGENT2);
  new AiRepo(d.db).recordCall({ at: Date.parse('2026-11-23T12:00:00Z'), purpose: 'draft_reply', model: 'm', ticketId: T4.id, inputTokens: 1000, outputTokens: 200, cacheReadTokens: 3000, cacheWriteTokens: 0, latencyMs: 900, outcome: 'ok' });
  resolve('2026-11-23T13:00:00Z', T3, AGENT2);
  reply('2026-11-23T13:00:00Z', T4, AGENT2);
  const T6 = open('2026-11-23T14:00:00Z', 'Cannot invite a new teammate to the workspace', 'P3', 'access', OWNER);
  reply('2026-11-23T14:30:00Z', T6, OWNER);
  resolve('2026-11-23T15:00:00Z', T6, OWNER);
  at('2026-11-23T16:00:00Z');
  d.core.tickets.reopen(T6.key, OWNER);
  const T5 = open('2026-11-23T20:00:00Z', 'We were charged twice this month', 'P1', 'billing', null);
  return { S1, S2, S3, T1, T2, T3, T4, T5, T6 };
}
