/**
 * Shared set-up for the AI integration tests: a real core on SQLite `:memory:` with a ManualClock,
 * the AI features installed with the shipped personas, and readers for what the core queued for
 * the chat platform (outbox rows = what would cross the wire to Slack/Teams/the playground).
 */
import { fileURLToPath } from 'node:url';
import { type Core, createCore } from '../../src/app.js';
import { type AiFeatures, type InstallAiOptions, installAi } from '../../src/ai/install.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Ticket } from '../../src/domain/types.js';
import { createLogger } from '../../src/logger.js';
import type { OutboxPayload } from '../../src/outbox/outbox.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';
import type { Block, MessageView } from '../../src/ports/message-view.js';

export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));
/** Mon 23 Nov 2026 10:00 UTC. */
export const T0 = Date.parse('2026-11-23T10:00:00Z');
export const API_KEY = 'sk-ant-test-integration-0123456789';
export const AGENT1 = 'U_AGENT1';
export const AGENT2 = 'U_AGENT2';
/** An agent outside the support team. */
export const AGENT3 = 'U_AGENT3';
export const CUSTOMER = 'U_CUST';
export const CHANNEL = 'support';

export interface AiCore {
  core: Core;
  clock: ManualClock;
  features: AiFeatures;
}

export interface AiCoreOptions {
  /** Environment (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL); none = offline. */
  env?: Record<string, string>;
  /** Routing of the support team (default 'none': tickets start unassigned). */
  routing?: 'none' | 'round_robin';
  /** Extra config (merged over the defaults). */
  config?: Record<string, unknown>;
  /** Options for installAi. */
  install?: InstallAiOptions;
}

/** A core with agents U_AGENT1/2 in team support, U_AGENT3 elsewhere, and the AI features installed. */
export function makeAiCore(opts: AiCoreOptions = {}): AiCore {
  const config = parseConfig({
    agents: [AGENT1, AGENT2, AGENT3],
    leads: ['U_LEAD'],
    teams: [{ id: 'support', members: [AGENT1, AGENT2], routing: opts.routing ?? 'none' }],
    ai: { timeout: '0.5s', maxRetries: 0 },
    personas: { dir: PROMPTS_DIR },
    ...opts.config,
  });
  const clock = new ManualClock(T0);
  const core = createCore({
    config,
    db: openDatabase(':memory:'),
    clock,
    outboxTimer: new ManualClock(T0),
    env: { ...opts.env },
    logger: createLogger({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  return { core, clock, features: installAi(core, opts.install) };
}

let msg = 0;
/** A customer message in the support channel becomes a ticket (the way adapters open them). */
export function openTicket(core: Core, text: string, extra: { requesterName?: string } = {}): Ticket {
  msg += 1;
  const res = core.tickets.open({
    platform: 'local',
    channelId: CHANNEL,
    sourceMessageId: `m${msg}`,
    requesterId: CUSTOMER,
    requesterName: extra.requesterName ?? 'Ana',
    text,
  });
  if (res.outcome !== 'created') throw new Error(`expected a ticket, got ${res.outcome}`);
  return res.ticket;
}

/** A ticket resolved with a note (a "similar resolved ticket" for later drafts). */
export function resolvedTicket(core: Core, text: string, note: string): Ticket {
  const t = openTicket(core, text);
  core.tickets.resolve(t.key, AGENT1, note);
  return core.tickets.require(t.id);
}

export interface QueuedRow {
  id: number;
  key: string;
  ticketId: number | null;
  payload: OutboxPayload;
}

/** Everything queued for the chat platform, oldest first. */
export function outboxRows(core: Core): QueuedRow[] {
  return core.db
    .prepare<[], { id: number; idempotency_key: string; ticket_id: number | null; payload: string }>('SELECT id, idempotency_key, ticket_id, payload FROM outbox ORDER BY id')
    .all()
    .map((r) => ({ id: r.id, key: r.idempotency_key, ticketId: r.ticket_id, payload: JSON.parse(r.payload) as OutboxPayload }));
}

/** Queued private (ephemeral) messages. */
export function ephemerals(core: Core): Extract<OutboxPayload, { kind: 'ephemeral' }>[] {
  return outboxRows(core).flatMap((r) => (r.payload.kind === 'ephemeral' ? [r.payload] : []));
}

/** Queued thread/channel posts. */
export function posts(core: Core): Extract<OutboxPayload, { kind: 'post' }>[] {
  return outboxRows(core).flatMap((r) => (r.payload.kind === 'post' ? [r.payload] : []));
}

/** All visible text of a view (headers, text, quotes, context, field labels/values, button labels). */
export function viewText(view: MessageView | undefined): string {
  if (!view) return '';
  const out: string[] = [view.text];
  const walk = (b: Block) => {
    switch (b.type) {
      case 'header':
      case 'text':
      case 'quote':
        out.push(b.text);
        break;
      case 'context':
        out.push(...b.elements);
        break;
      case 'fields':
        for (const f of b.fields) out.push(f.label, f.value);
        break;
      case 'actions':
        for (const e of b.elements) out.push(e.type === 'button' ? e.label : e.placeholder);
        break;
      case 'divider':
        break;
    }
  };
  view.blocks.forEach(walk);
  return out.join('\n');
}

/** Buttons of a view as {actionId, label, value}. */
export function buttons(view: MessageView | undefined): { actionId: string; label: string; value: string }[] {
  return (view?.blocks ?? []).flatMap((b) =>
    b.type === 'actions' ? b.elements.flatMap((e) => (e.type === 'button' ? [{ actionId: e.actionId, label: e.label, value: e.value }] : [])) : [],
  );
}

/** Event types of a ticket, in order. */
export function eventTypes(core: Core, ticketId: number): string[] {
  return core.tickets.repo.events(ticketId).map((e) => e.type);
}
