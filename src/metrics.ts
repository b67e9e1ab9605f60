/**
 * Prometheus metrics (prom-client), served on GET /metrics by the core. One `Metrics` per core,
 * each with its own Registry (never prom-client's global one: tests build many cores in one
 * process, and two desks in one process must not add up).
 *
 * Counters and histograms are updated where things happen (inbox, Slack gate, outbox, SLA sweep,
 * AI client); those modules take an optional `metrics` and do nothing without one. Gauges that
 * describe the store (outbox backlog, tickets by status) are read from it on each scrape.
 * Process metrics (CPU, memory, event-loop lag, GC) are added by the composition root only
 * (`collectProcessMetrics`), since they observe the whole process.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { STATUSES } from './domain/types.js';

/** What a delivery attempt of an outbox row came to. `adopted`: found already delivered after a crash. */
export type DeliveryResult = 'sent' | 'adopted' | 'retried' | 'failed' | 'dropped';

/** Read on every scrape (cheap, indexed queries). */
export interface StoreGauges {
  /** Unfinished outbox rows (pending or sending) and the age of the oldest one (ms, on the outbox's timer). */
  outboxBacklog(): Promise<{ depth: number; oldestAgeMs: number | null }>;
  /** Tickets per status. */
  ticketsByStatus(): Promise<Record<string, number>>;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const SWEEP_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class Metrics {
  readonly registry = new Registry();
  private store: StoreGauges | null = null;
  private processMetrics = false;

  /** Inbound deliveries handed to the durable inbox, by platform and outcome (stored, duplicate, replayed). */
  readonly eventsIngested = new Counter({
    name: 'frontdesk_events_ingested_total',
    help: 'Inbound platform deliveries committed to the inbox, by outcome (stored = new; duplicate / replayed = recognised again).',
    labelNames: ['platform', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Time from receiving a request to answering it (Slack: the 3-second limit applies). */
  readonly ackSeconds = new Histogram({
    name: 'frontdesk_ack_duration_seconds',
    help: 'Time from receiving an inbound event to acknowledging it (after it is stored).',
    labelNames: ['platform'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** HTTP requests being answered now (a graceful stop waits for them). */
  readonly httpInFlight = new Gauge({
    name: 'frontdesk_http_requests_in_flight',
    help: 'HTTP requests being answered now (including this scrape and open event streams).',
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'frontdesk_outbox_deliveries_total',
    help: 'Outbox delivery attempts by result: sent, adopted (already delivered before a crash), retried, failed (given up), dropped (nothing to send).',
    labelNames: ['platform', 'result'] as const,
    registers: [this.registry],
  });

  readonly slaSweepSeconds = new Histogram({
    name: 'frontdesk_sla_sweep_duration_seconds',
    help: 'Duration of one SLA sweep over the due tickets.',
    buckets: SWEEP_BUCKETS,
    registers: [this.registry],
  });

  readonly slaPings = new Counter({
    name: 'frontdesk_sla_pings_total',
    help: 'SLA pings enqueued, by where they go (thread: in the ticket thread; dm: privately).',
    labelNames: ['via'] as const,
    registers: [this.registry],
  });

  readonly aiCalls = new Counter({
    name: 'frontdesk_ai_calls_total',
    help: 'Calls to the model, by purpose and outcome (ok, timeout, rate_limited, error, over_budget, invalid_output).',
    labelNames: ['purpose', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly aiTokens = new Counter({
    name: 'frontdesk_ai_tokens_total',
    help: 'Tokens used by model calls, by kind (input, output, cache_read, cache_write).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly aiFailures = new Counter({
    name: 'frontdesk_ai_failures_total',
    help: 'Model calls that produced no result (the offline fallback was used), by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    const metrics = this;
    new Gauge({
      name: 'frontdesk_outbox_depth',
      help: 'Outbox rows not yet delivered (pending or sending).',
      registers: [this.registry],
      async collect() {
        const b = await metrics.readStore((s) => s.outboxBacklog());
        if (b) this.set(b.depth);
      },
    });
    new Gauge({
      name: 'frontdesk_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest undelivered outbox row (0 when there is none).',
      registers: [this.registry],
      async collect() {
        const b = await metrics.readStore((s) => s.outboxBacklog());
        if (b) this.set(b.oldestAgeMs === null ? 0 : Math.max(0, b.oldestAgeMs) / 1000);
      },
    });
    new Gauge({
      name: 'frontdesk_tickets',
      help: 'Tickets by status.',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await metrics.readStore((s) => s.ticketsByStatus());
        if (!counts) return;
        for (const status of new Set([...STATUSES, ...Object.keys(counts)])) this.set({ status }, counts[status] ?? 0);
      },
    });
  }

  /** Where the store gauges are read from (the core sets this). */
  bindStore(store: StoreGauges): void {
    this.store = store;
  }

  /** Add prom-client's process metrics (CPU, memory, event-loop lag, GC). Once per process, by the composition root. */
  collectProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry });
  }

  delivered(platform: string, result: DeliveryResult): void {
    this.deliveries.inc({ platform, result });
  }

  /** The Prometheus text exposition of every metric. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** A closed or failing store leaves the gauge at its last value instead of failing the scrape. */
  private async readStore<T>(read: (s: StoreGauges) => Promise<T>): Promise<T | null> {
    if (!this.store) return null;
    try {
      return await read(this.store);
    } catch {
      return null;
    }
  }
}
