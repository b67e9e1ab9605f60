/**
 * GET /metrics after driving real work: signed Slack events through the real Bolt app and the
 * fake Slack (ingest, ack latency, deliveries sent and retried, outbox backlog, tickets by
 * status), an SLA sweep on a ManualClock (duration, pings), and model calls against the fake
 * Anthropic server (calls, tokens, failures). Values are read from the Prometheus text a
 * scraper would get.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AiClient } from '../../src/ai/anthropic-client.js';
import { Metrics } from '../../src/metrics.js';
import { AiRepo } from '../../src/store/ai-repo.js';
import { openDatabase } from '../../src/store/db.js';
import { ManualClock } from '../../src/ports/clock.js';
import { FakeAnthropic, reply } from '../fakes/fake-anthropic.js';
import { API_KEY, NOW, testConfig } from '../ai/helpers.js';
import { MIN, MON, makeDesk } from '../sla-watcher/helpers.js';
import { makeTestCore } from '../helpers/core.js';
import { CHANNEL, closeAll, message, nextTs, sendEvent, settle, startHarness, until } from '../slack/support.js';
import { z } from 'zod';

afterEach(closeAll);

type Samples = Map<string, number>;

/** Parse the text exposition into `name{label="v",…}` → value (labels sorted by name). */
function parse(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels = [...(m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((l) => `${l[1]}="${l[2]}"`).sort();
    out.set(labels.length ? `${m[1]}{${labels.join(',')}}` : m[1]!, Number(m[3]));
  }
  return out;
}

async function scrape(base: string): Promise<{ samples: Samples; contentType: string }> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  return { samples: parse(await res.text()), contentType: res.headers.get('content-type') ?? '' };
}

describe('GET /metrics', () => {
  it('counts Slack events, acks, deliveries (sent and retried), the outbox backlog and tickets by status', async () => {
    const h = await startHarness();
    const base = h.url.replace(/\/slack\/events$/, '');
    const before = await scrape(base);
    expect(before.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(before.samples.get('frontdesk_outbox_depth')).toBe(0);
    expect(before.samples.get('frontdesk_tickets{status="new"}')).toBe(0);

    // One card post fails with a 500 first: the outbox retries it.
    h.fake.failNext('chat.postMessage', { kind: 'server_error' });
    const ts = nextTs();
    expect((await sendEvent(h, message({ ts, text: 'Checkout fails with error 502 for every customer' }), { eventId: 'EvM1' })).status).toBe(200);
    // Slack's retry of the same event: acknowledged, recognised as a duplicate.
    expect((await sendEvent(h, message({ ts, text: 'Checkout fails with error 502 for every customer' }), { eventId: 'EvM1', retryNum: 1 })).status).toBe(200);
    expect((await sendEvent(h, message({ text: 'The invoice PDF download button does nothing' }), { eventId: 'EvM2' })).status).toBe(200);
    await until(() => h.core.tickets.repo.list({ limit: 10 }).length === 2 && h.core.outbox.stats().pending === undefined && h.core.outbox.stats().sending === undefined, 'both tickets delivered', 10_000);
    await settle(h);

    const { samples } = await scrape(base);
    expect(samples.get('frontdesk_events_ingested_total{outcome="stored",platform="slack"}')).toBe(2);
    expect(samples.get('frontdesk_events_ingested_total{outcome="duplicate",platform="slack"}')).toBe(1);
    expect(samples.get('frontdesk_ack_duration_seconds_count{platform="slack"}')).toBe(3);
    expect(samples.get('frontdesk_ack_duration_seconds_bucket{le="+Inf",platform="slack"}')).toBe(3);
    const okPosts = h.fake.callsOf('chat.postMessage').filter((c) => c.outcome === 'ok').length;
    const okUpdates = h.fake.callsOf('chat.update').filter((c) => c.outcome === 'ok').length;
    expect(okPosts).toBeGreaterThanOrEqual(2);
    expect(samples.get('frontdesk_outbox_deliveries_total{platform="slack",result="sent"}')).toBe(okPosts + okUpdates);
    expect(samples.get('frontdesk_outbox_deliveries_total{platform="slack",result="retried"}')).toBe(1);
    expect(samples.get('frontdesk_outbox_depth')).toBe(0);
    expect(samples.get('frontdesk_outbox_oldest_pending_age_seconds')).toBe(0);
    const statuses = h.core.tickets.repo.list({ limit: 10 }).map((t) => t.status);
    for (const s of new Set(statuses)) expect(samples.get(`frontdesk_tickets{status="${s}"}`)).toBe(statuses.filter((x) => x === s).length);
    expect(samples.get('frontdesk_tickets{status="resolved"}')).toBe(0);
    // Process metrics are the composition root's choice (one set per process), not every core's.
    expect(samples.has('process_cpu_user_seconds_total')).toBe(false);
  });

  it('reports a backlog while the platform is down: depth and the age of the oldest undelivered row', async () => {
    const h = await startHarness();
    const base = h.url.replace(/\/slack\/events$/, '');
    h.fake.outage = { kind: 'server_error', status: 503 };
    expect((await sendEvent(h, message({ channel: CHANNEL, text: 'Login page shows a blank screen on Safari' }))).status).toBe(200);
    await until(() => h.core.tickets.repo.list({ limit: 10 }).length === 1, 'ticket stored');
    await until(() => (h.core.outbox.stats().pending ?? 0) > 0, 'rows waiting in the outbox');
    await new Promise((r) => setTimeout(r, 1100));
    const { samples } = await scrape(base);
    expect(samples.get('frontdesk_outbox_depth')).toBe((h.core.outbox.stats().pending ?? 0) + (h.core.outbox.stats().sending ?? 0));
    expect(samples.get('frontdesk_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(1);
    h.fake.clearFailures();
  });

  it('times SLA sweeps and counts the pings they send', async () => {
    const d = makeDesk();
    try {
      d.open('Checkout returns 502 for every customer', { priority: 'P0' });
      d.clock.set(MON + 30 * MIN); // 50% of the P0 first-response target: one ping in the thread
      const first = await d.sla.sweeper.sweep();
      d.clock.set(MON + 55 * MIN); // 90%: thread ping and DMs
      const second = await d.sla.sweeper.sweep();
      await d.sla.sweeper.sweep(); // nothing new
      const s = parse(await d.core.metrics.text());
      expect(first.sent + second.sent).toBeGreaterThanOrEqual(2);
      expect(s.get('frontdesk_sla_sweep_duration_seconds_count')).toBe(3);
      expect(s.get('frontdesk_sla_pings_total{via="thread"}')).toBe(first.sent + second.sent);
      expect(s.get('frontdesk_sla_pings_total{via="dm"}')).toBe(first.dms + second.dms);
    } finally {
      await d.close();
    }
  });

  it('counts model calls by outcome, their tokens, and failures', async () => {
    const fake = await FakeAnthropic.start();
    try {
      const metrics = new Metrics();
      const ai = new AiClient({
        config: testConfig(),
        env: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url },
        repo: new AiRepo(openDatabase(':memory:')),
        clock: new ManualClock(NOW),
        metrics,
      });
      const call = {
        purpose: 'triage',
        instructions: 'Classify.',
        data: [{ tag: 'customer_message' as const, text: 'The export hangs' }],
        task: 'Use record_answer.',
        tool: { name: 'record_answer', description: 'Record it.', schema: z.object({ answer: z.string() }) },
      };
      fake.enqueue(reply.tool({ answer: 'bug' }, { usage: { input_tokens: 120, output_tokens: 30, cache_read_input_tokens: 7, cache_creation_input_tokens: 0 } }));
      fake.enqueue(reply.tool({ wrong: true }, { usage: { input_tokens: 100, output_tokens: 10, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } }));
      expect((await ai.structured(call)).ok).toBe(true);
      const bad = await ai.structured(call);
      expect(bad.ok).toBe(false);
      const s = parse(await metrics.text());
      expect(s.get('frontdesk_ai_calls_total{outcome="ok",purpose="triage"}')).toBe(1);
      expect(s.get('frontdesk_ai_calls_total{outcome="invalid_output",purpose="triage"}')).toBe(1);
      expect(s.get('frontdesk_ai_failures_total{reason="invalid_output"}')).toBe(1);
      expect(s.get('frontdesk_ai_tokens_total{kind="input"}')).toBe(220);
      expect(s.get('frontdesk_ai_tokens_total{kind="output"}')).toBe(40);
      expect(s.get('frontdesk_ai_tokens_total{kind="cache_read"}')).toBe(7);
    } finally {
      await fake.close();
    }
  });

  it('counts open tickets on every scrape and recounts resolved and closed ones every 5 minutes', async () => {
    const { core, timer } = makeTestCore();
    try {
      const open = core.tickets.open({ platform: 'slack', channelId: 'C1', sourceMessageId: '1.1', requesterId: 'U_CUST', text: 'The export to CSV times out', force: true });
      const t = open.ticket!;
      let s = parse(await core.metrics.text());
      expect(s.get(`frontdesk_tickets{status="${t.status}"}`)).toBe(1);
      expect(s.get('frontdesk_tickets{status="resolved"}')).toBe(0);
      core.tickets.resolve(t.key, 'U_AGENT1');
      s = parse(await core.metrics.text());
      expect(s.get(`frontdesk_tickets{status="${t.status}"}`)).toBe(0);
      expect(s.get('frontdesk_tickets{status="resolved"}')).toBe(0); // not recounted yet
      timer.advance(5 * MIN);
      s = parse(await core.metrics.text());
      expect(s.get('frontdesk_tickets{status="resolved"}')).toBe(1);
    } finally {
      await core.close();
    }
  });

  it('keeps each core in its own registry', async () => {
    const a = makeDesk();
    const b = makeDesk();
    try {
      a.clock.set(MON + 30 * MIN);
      await a.sla.sweeper.sweep();
      expect(parse(await a.core.metrics.text()).get('frontdesk_sla_sweep_duration_seconds_count')).toBe(1);
      expect(parse(await b.core.metrics.text()).get('frontdesk_sla_sweep_duration_seconds_count')).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
