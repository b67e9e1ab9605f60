/**
 * Request verification (signature, stale and future timestamps) and delivery through the
 * outbox against a misbehaving fake Slack (429 with Retry-After, 500, hanging requests,
 * ok:false): retried, never lost, never doubled, permanent errors not retried.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../src/outbox/outbox.js';
import { blockText } from '../fakes/fake-slack.js';
import { CHANNEL, type Harness, message, nextTs, post, sendEvent, startHarness, until, closeAll } from './support.js';

let h: Harness;
afterEach(closeAll);

const now = () => Math.floor(Date.now() / 1000);

describe('request verification', () => {
  it('rejects bad signatures, stale and future timestamps with 401 and opens no ticket', async () => {
    h = await startHarness();
    const body = (text: string) => JSON.stringify({ type: 'event_callback', team_id: 'T0TEAM', event_id: `Ev-${text}`, event: message({ text }) });
    expect((await post(h.url, body('forged signature for the billing page'), 'application/json', { signature: 'v0=deadbeef' })).status).toBe(401);
    expect((await post(h.url, body('signed with another secret for billing'), 'application/json', { secret: 'wrong' })).status).toBe(401);
    expect((await post(h.url, body('ten minutes old request about billing'), 'application/json', { timestamp: now() - 600 })).status).toBe(401);
    expect((await post(h.url, body('ten minutes ahead request about billing'), 'application/json', { timestamp: now() + 600 })).status).toBe(401);
    const noTs = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-slack-signature': 'v0=x' }, body: body('no timestamp') });
    expect(noTs.status).toBe(401);
    // Within the 5-minute window either way is fine.
    expect((await post(h.url, body('four minutes ahead but the export is broken'), 'application/json', { timestamp: now() + 240 })).status).toBe(200);
    await until(() => h.core.tickets.repo.list({ limit: 10 }).length === 1, 'the one valid request');
    expect(h.core.tickets.repo.list({ limit: 10 }).map((t) => t.title)).toEqual(['four minutes ahead but the export is broken']);
  });

  it('answers the url_verification challenge', async () => {
    h = await startHarness();
    const res = await post(h.url, JSON.stringify({ type: 'url_verification', token: 't', challenge: 'chal-123' }), 'application/json');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'chal-123' });
  });
});

describe('delivery through the outbox', () => {
  const cardRow = (x: Harness) => x.core.db.prepare<[], OutboxRow>("SELECT * FROM outbox WHERE kind = 'card' ORDER BY id LIMIT 1").get();

  async function ticketWithFailingCard(x: Harness, failure: Parameters<Harness['fake']['failNext']>[1]) {
    x.fake.failNext('chat.postMessage', failure);
    const ts = nextTs();
    await sendEvent(x, message({ ts, text: 'Single sign-on fails for new accounts in our org' }));
    return ts;
  }

  it('honours 429 Retry-After and then posts the card exactly once', async () => {
    h = await startHarness();
    const ts = await ticketWithFailingCard(h, { kind: 'rate_limited', retryAfterSec: 1 });
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok', 8000);
    const posts = h.fake.callsOf('chat.postMessage');
    expect(posts.map((c) => c.outcome)).toEqual(['rate_limited', 'ok']);
    expect(posts[1]!.args.thread_ts).toBe(ts);
    const row = await until(() => (cardRow(h!)?.status === 'sent' ? cardRow(h!) : null), 'card row sent');
    expect(row.attempts).toBe(2);
    expect(row.last_error).toMatch(/rate-limited.*retry after 1s/);
  });

  it('retries after a 500 and after a hanging request (timeout), never doubling the card', async () => {
    h = await startHarness({ timeoutMs: 300 });
    h.fake.failNext('chat.postMessage', { kind: 'server_error', status: 500 });
    h.fake.failNext('chat.postMessage', { kind: 'hang' });
    await sendEvent(h, message({ text: 'Webhooks are delivered twice to our endpoint since yesterday' }));
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.outcome === 'ok', 10_000);
    expect(h.fake.callsOf('chat.postMessage').map((c) => c.outcome)).toEqual(['server_error', 'hang', 'ok']);
    const row = await until(() => (cardRow(h!)?.status === 'sent' ? cardRow(h!) : null), 'card row sent');
    expect(row.attempts).toBe(3);
    expect(h.core.tickets.repo.list({ limit: 5 })[0]!.cardMessageId).toBeTruthy();
  });

  it('does not retry a permanent error (ok:false) and keeps the ticket', async () => {
    h = await startHarness();
    await ticketWithFailingCard(h, { kind: 'ok_false', error: 'not_in_channel' });
    const row = await until(() => (cardRow(h!)?.status === 'failed' ? cardRow(h!) : null), 'card row failed');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('not_in_channel');
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
    expect(h.core.tickets.repo.list({ limit: 5 })).toHaveLength(1);
  });

  it('sends at most one message per second per channel, in order (the port declares the rate)', async () => {
    h = await startHarness();
    expect(h.slack.port.ratePerChannelPerSec).toBe(1);
    const ts = nextTs();
    await sendEvent(h, message({ ts, text: 'The audit log is missing entries from last week' }));
    const t = await until(() => h.core.tickets.repo.findBySource('slack', CHANNEL, ts), 'ticket');
    await until(() => h.core.tickets.repo.get(t.id)?.cardMessageId, 'card');
    h.core.tickets.assign(t.key, 'U0AGENT', 'U0AGENT');
    h.core.tickets.resolve(t.key, 'U0AGENT');
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && String(c.args.text).includes('resolved by'), 8000);
    const lines = h.fake.callsOf('chat.postMessage').map((c) => String(c.args.text));
    expect(lines.findIndex((l) => l.includes('took'))).toBeLessThan(lines.findIndex((l) => l.includes('resolved by')));
    const upd = await h.fake.waitFor((c) => c.method === 'chat.update' && blockText(c.args.blocks).includes('Resolved'), 8000);
    expect(upd.args.ts).toBe(h.core.tickets.repo.get(t.id)!.cardMessageId);
  });
});
