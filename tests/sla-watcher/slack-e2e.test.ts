/**
 * End to end through the Slack adapter against the fake Slack Web API, in triage mode: a request
 * becomes a P0 ticket whose escalation prompt appears in its internal thread (the card's thread
 * in the triage channel); SLA pings arrive in that thread with a
 * mention (and by DM from 90%); the breach prompt's buttons work; the digest and `/ticket
 * digest` arrive; and through a 10-minute outage (500s, 429s, a timeout, then Slack saying
 * service_unavailable) every ping, prompt and digest arrives exactly once after recovery.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { blockText } from '../fakes/fake-slack.js';
import { ManualClock } from '../../src/ports/clock.js';
import type { OutboxRow } from '../../src/outbox/outbox.js';
import { blockAction, message, nextTs, sendCommand, sendEvent, sendInteraction, until } from '../slack/support.js';
import { AGENT2, LEAD, MIN, ONCALL, OWNER, TIER2, TRIAGE } from './helpers.js';
import { type SlackDesk, startSlackDesk } from './slack-harness.js';

let h: SlackDesk | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const desk = {
  teams: [{ id: 'support', name: 'Support', members: [OWNER], routing: 'round_robin', onCall: { rotation: [ONCALL], every: 'week', startsAt: '2026-01-05' } }],
  digest: { channels: ['C0LEADS'], time: '09:02' },
};

// biome-ignore lint/suspicious/noExplicitAny: Block Kit arrives as free-form JSON
const actionIds = (blocks: any[]): string[] => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: { action_id: string }) => e.action_id));

async function openP0(x: SlackDesk, channel: string, text: string, waitForCard = true) {
  const ts = nextTs();
  await sendEvent(x, message({ ts, text, channel }));
  const t = await until(() => x.core.tickets.repo.findBySource('slack', channel, ts), 'ticket');
  expect(t.priority).toBe('P0');
  // The desk is in triage mode: the card is a new message in the triage channel; its thread is the internal thread.
  const cardTs = waitForCard ? await until(() => x.core.tickets.repo.get(t.id)?.cardMessageId, 'card posted in the triage channel') : null;
  return { ts, t, cardTs };
}

describe('through the Slack adapter', () => {
  it('prompts at triage, pings in the thread and by DM, escalates on breach, and posts the digest', async () => {
    const start = Date.parse('2026-11-24T08:00:00Z'); // a Tuesday
    h = await startSlackDesk({ start, config: desk });
    const x = h;
    const { t, cardTs } = await openP0(x, 'C0SUPPORT', 'sev1: production is down for all users, checkout returns 502');
    expect(t.ownerId).toBe(OWNER);
    const ts = cardTs!;

    // Triage-time prompt in the thread: Escalate to Tier 2 / Not needed.
    const prompt = await x.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && blockText(c.args.blocks).includes(`Escalate ${t.key}?`));
    expect(prompt.args.thread_ts).toBe(ts);
    expect(blockText(prompt.args.blocks)).toContain(`<@${TIER2}>`);
    expect(actionIds(prompt.args.blocks)).toEqual(['escalation.accept', 'escalation.decline']);
    const promptTs = await until(() => x.core.db.prepare<[], { r: string }>("SELECT result AS r FROM outbox WHERE idempotency_key LIKE 'esc:%' AND status = 'sent'").get()?.r, 'prompt sent');
    const accept = prompt.args.blocks.find((b: { type: string }) => b.type === 'actions').elements[0].value as string;
    await sendInteraction(x, blockAction(x, { actionId: 'escalation.accept', value: accept, messageTs: JSON.parse(promptTs).messageId, threadTs: ts, user: AGENT2, channel: TRIAGE }));
    const decided = await x.fake.waitFor((c) => c.method === 'chat.update' && c.outcome === 'ok' && blockText(c.args.blocks).includes('escalated to Tier 2'));
    expect(decided.args.ts).toBe(JSON.parse(promptTs).messageId);
    expect(actionIds(decided.args.blocks)).toEqual([]);
    await x.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && c.args.thread_ts === ts && String(c.args.text).includes('escalated to'));
    expect(x.core.tickets.repo.events(t.id).filter((e) => e.type === 'escalated').map((e) => e.actor)).toEqual([AGENT2]);

    // 50%: a thread ping with a mention of the owner.
    x.clock.set(start + 30 * MIN);
    await x.sla.sweeper.sweep();
    const half = await x.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && blockText(c.args.blocks).includes('50% of the first response SLA used'));
    expect(half.args).toMatchObject({ channel: TRIAGE, thread_ts: ts });
    expect(blockText(half.args.blocks)).toContain(`<@${OWNER}>`);

    // Breach: thread ping + DM (conversations.open) + the breach prompt with its buttons.
    x.clock.set(start + 61 * MIN);
    await x.sla.sweeper.sweep();
    const breach = await x.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && blockText(c.args.blocks).includes('Escalation'));
    expect(breach.args.thread_ts).toBe(ts);
    expect(actionIds(breach.args.blocks)).toEqual(['escalation.take', 'escalation.reassign', 'escalation.snooze', 'escalation.note']);
    expect(breach.args.blocks.find((b: { type: string }) => b.type === 'actions').elements[2].type).toBe('static_select');
    await x.fake.waitFor((c) => c.method === 'conversations.open' && c.args.users === OWNER);
    await x.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && c.args.channel === `D${OWNER}` && String(c.args.text).includes('SLA breached'));

    const breachTs = await until(
      () => x.core.db.prepare<[], { r: string }>("SELECT result AS r FROM outbox WHERE idempotency_key LIKE 'esc:%' AND status = 'sent' ORDER BY id DESC").get()?.r,
      'breach prompt sent',
    );
    const take = breach.args.blocks.find((b: { type: string }) => b.type === 'actions').elements[0].value as string;
    await sendInteraction(x, blockAction(x, { actionId: 'escalation.take', value: take, messageTs: JSON.parse(breachTs).messageId, threadTs: ts, user: AGENT2, channel: TRIAGE }));
    await x.fake.waitFor((c) => c.method === 'chat.update' && c.outcome === 'ok' && blockText(c.args.blocks).includes('took it'));
    expect(x.core.tickets.repo.get(t.id)!.ownerId).toBe(AGENT2);
    const snooze = breach.args.blocks.find((b: { type: string }) => b.type === 'actions').elements[2].options[0].value as string;
    await sendInteraction(x, blockAction(x, { actionId: 'escalation.snooze', selected: snooze, messageTs: JSON.parse(breachTs).messageId, threadTs: ts, user: AGENT2, channel: TRIAGE }));
    await until(() => x.core.tickets.repo.get(t.id)!.snoozedUntil === start + 91 * MIN, 'snoozed 30 min');

    // The digest at 09:02 in the leads' channel, once.
    x.clock.set(Date.parse('2026-11-24T09:02:00Z'));
    expect(await x.sla.digests.run()).toEqual([{ channel: 'C0LEADS', kind: 'daily', date: '2026-11-24' }]);
    expect(await x.sla.digests.run()).toEqual([]);
    const digest = await x.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok' && c.args.channel === 'C0LEADS');
    expect(digest.args.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Daily digest · Tue 24 Nov · covers Mon 23 Nov' } });
    expect(blockText(digest.args.blocks)).toContain('Open now');

    // /ticket digest: an ephemeral preview through response_url.
    await sendCommand(x as never, 'digest', { user: LEAD, responseId: 'dg' });
    const preview = await x.fake.waitFor((c) => c.method === 'response_url' && c.args.url === '/response/dg');
    expect(preview.args.response_type).toBe('ephemeral');
    expect(blockText(preview.args.blocks)).toContain('Preview — only you can see this.');
  });

  it('a 10-minute outage (500, 429, timeout, service_unavailable) loses no ping, prompt or digest and sends none twice', async () => {
    const start = Date.parse('2026-11-24T08:35:00Z');
    const wire = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
    let down = false;
    let refused = 0;
    let n = 0;
    const delivered: { channel: string; thread_ts?: string; text: string }[] = [];
    h = await startSlackDesk({
      start,
      wire,
      timeoutMs: 300,
      config: desk,
      beforeStart: (f) => {
        f.on('chat.postMessage', (args) => {
          if (down) {
            refused++;
            return { ok: false, error: 'service_unavailable' };
          }
          n += 1;
          const ts = `1900000000.${String(n).padStart(6, '0')}`;
          delivered.push({ channel: String(args.channel), thread_ts: args.thread_ts, text: String(args.text) });
          return { ok: true, channel: args.channel, ts };
        });
        f.on('chat.update', (args) => {
          if (!down) return { ok: true, channel: args.channel, ts: args.ts };
          refused++;
          return { ok: false, error: 'service_unavailable' };
        });
      },
    });
    const x = h;
    const pending = () => x.core.db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending','sending')").get()!.n;
    // The outbox's per-channel rate limit (1 message/s for Slack) runs on real time, so the loops
    // leave real gaps between attempts; retries and Retry-After run on the injected `wire` clock.
    const drainUntilQuiet = async (what: string) => {
      for (let i = 0; i < 150 && pending() > 0; i++) {
        wire.advance(10_000);
        await x.core.outbox.drain();
        if (pending() > 0) await new Promise((r) => setTimeout(r, 200));
      }
      expect(pending(), what).toBe(0);
    };

    const a = await openP0(x, 'C0SUPPORT', 'sev1: the whole API is down, every request returns 503', false);
    x.clock.set(Date.parse('2026-11-24T08:06:00Z'));
    const b = await openP0(x, 'C0OTHER', 'sev1: production is down for all users in EU', false);
    x.clock.set(Date.parse('2026-11-24T09:00:00Z'));
    await drainUntilQuiet('cards and prompts before the outage');
    const before = delivered.length;
    a.cardTs = x.core.tickets.repo.get(a.t.id)!.cardMessageId;
    b.cardTs = x.core.tickets.repo.get(b.t.id)!.cardMessageId;

    // Slack goes down for 10 minutes: HTTP 500s, then 429s, one hanging request, then ok:false service_unavailable.
    down = true;
    x.fake.failNext('*', { kind: 'server_error', status: 500 }, 2);
    x.fake.failNext('*', { kind: 'rate_limited', retryAfterSec: 20 }, 2);
    x.fake.failNext('chat.postMessage', { kind: 'hang' });
    for (let step = 0; step < 5; step++) {
      x.clock.advance(2 * MIN);
      wire.advance(2 * MIN);
      await x.sla.sweeper.sweep();
      await x.sla.digests.run();
      await x.core.outbox.drain();
      await new Promise((r) => setTimeout(r, 1100));
    }
    expect(delivered.length).toBe(before); // nothing got through
    const outcomes = new Set(x.fake.calls.map((c) => c.outcome));
    expect(outcomes).toContain('server_error');
    expect(outcomes).toContain('rate_limited');
    expect(outcomes).toContain('hang');
    expect(refused).toBeGreaterThan(0);
    expect(pending()).toBeGreaterThan(0);

    // Recovery.
    down = false;
    await drainUntilQuiet('everything after recovery');
    const rows = x.core.db.prepare<[], OutboxRow>('SELECT * FROM outbox ORDER BY id').all();
    expect(rows.filter((r) => r.status !== 'sent').map((r) => `${r.idempotency_key}:${r.status}:${r.last_error}`)).toEqual([]);

    // Exactly once: every post/DM row's text arrived once, nothing else arrived twice.
    const seen = delivered.slice(before).map((m) => `${m.channel}|${m.thread_ts ?? ''}|${m.text}`);
    expect(new Set(seen).size).toBe(seen.length);
    const sent = delivered.slice(before);
    const one = (pred: (m: (typeof sent)[number]) => boolean, what: string) => expect(sent.filter(pred).length, what).toBe(1);
    one((m) => m.channel === TRIAGE && m.thread_ts === a.cardTs && m.text.includes('50% of the first response SLA used'), 'A 50% ping');
    one((m) => m.channel === TRIAGE && m.thread_ts === b.cardTs && m.text.includes('first response SLA breached'), 'B breach ping');
    one((m) => m.channel === TRIAGE && m.thread_ts === b.cardTs && m.text.includes('Escalation'), 'B breach prompt');
    one((m) => m.channel === `D${OWNER}` && m.text.includes('SLA breached'), 'B breach DM');
    one((m) => m.channel === 'C0LEADS', 'the digest');
    // 90% for B came during the outage too (DM + thread), once each.
    expect(sent.filter((m) => m.text.includes(`${b.t.key} first response due in`)).length).toBe(1);
    // The triage channel's queue was tried during the outage and retried after it.
    expect(Math.max(...rows.filter((r) => r.channel_id === TRIAGE).map((r) => r.attempts))).toBeGreaterThan(1);
  });
});
