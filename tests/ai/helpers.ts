/** Shared set-up for the AI tests: real SQLite in memory, real personas, a real config, tickets. */
import { fileURLToPath } from 'node:url';
import { AiClient, type AiLogger } from '../../src/ai/anthropic-client.js';
import { loadPersonas, type Persona } from '../../src/ai/personas.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { FrontdeskConfig } from '../../src/config/schema.js';
import type { Ticket } from '../../src/domain/types.js';
import { ManualClock } from '../../src/ports/clock.js';
import { AiRepo } from '../../src/store/ai-repo.js';
import { type Db, openDatabase } from '../../src/store/db.js';
import type { FakeAnthropic } from '../fakes/fake-anthropic.js';

export const PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));
/** 2026-03-10 10:00 UTC */
export const NOW = Date.UTC(2026, 2, 10, 10, 0, 0);
export const API_KEY = 'sk-ant-test-0123456789abcdefghij';

let personasCache: Map<string, Persona> | null = null;
/** The personas shipped in prompts/. */
export function shippedPersonas(): Map<string, Persona> {
  personasCache ??= loadPersonas(PROMPTS_DIR);
  return personasCache;
}

export function persona(id: string): Persona {
  const p = shippedPersonas().get(id);
  if (!p) throw new Error(`persona ${id} not found`);
  return p;
}

/** A config with small timeouts and retries so failure paths finish quickly. */
export function testConfig(ai: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): FrontdeskConfig {
  return parseConfig({ ai: { timeout: '0.5s', maxRetries: 1, ...ai }, ...extra });
}

export interface LogLine {
  level: 'info' | 'warn';
  obj: Record<string, unknown>;
  msg: string;
}

export interface AiHarness {
  db: Db;
  repo: AiRepo;
  clock: ManualClock;
  ai: AiClient;
  logs: LogLine[];
  config: FrontdeskConfig;
}

/** A real AiClient pointed at the fake (or with no key when `fake` is null). */
export function harness(fake: FakeAnthropic | null, opts: { ai?: Record<string, unknown>; env?: Record<string, string>; extra?: Record<string, unknown> } = {}): AiHarness {
  const db = openDatabase(':memory:');
  const repo = new AiRepo(db);
  const clock = new ManualClock(NOW);
  const config = testConfig(opts.ai, opts.extra);
  const logs: LogLine[] = [];
  const logger: AiLogger = {
    info: (obj, msg) => logs.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
  };
  const env = fake ? { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url, ...opts.env } : { ...opts.env };
  const ai = new AiClient({ config, env, repo, clock, logger });
  return { db, repo, clock, ai, logs, config };
}

/** Insert a ticket row (foreign keys are on) and return it as a domain Ticket. */
export function insertTicket(db: Db, overrides: Partial<Ticket> = {}): Ticket {
  const t = makeTicket(overrides);
  const info = db
    .prepare(
      `INSERT INTO tickets (key, platform, channel_id, requester_id, requester_name, title, text, category, priority, status, owner_id, team, sla, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(t.key, t.platform, t.channelId, t.requesterId, t.requesterName, t.title, t.text, t.category, t.priority, t.status, t.ownerId, t.team, JSON.stringify(t.sla), t.createdAt, t.updatedAt);
  return { ...t, id: Number(info.lastInsertRowid) };
}

/** A domain ticket (not stored). */
export function makeTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 1,
    key: 'T-1042',
    platform: 'local',
    channelId: 'support',
    sourceMessageId: 'm1',
    threadId: 'm1',
    cardMessageId: null,
    requesterId: 'U-ANA',
    requesterName: 'Ana',
    title: 'CSV export stops at 10,000 rows',
    text: 'Our monthly export stops at 10,000 rows and the report for finance is incomplete.',
    category: 'bug',
    priority: 'P2',
    status: 'triaged',
    ownerId: null,
    team: 'support',
    signals: [],
    attachments: [],
    sla: { policy: 'default', priority: 'P2', firstResponseMs: 86_400_000, resolutionMs: 259_200_000, businessHours: null, thresholds: [0.5, 0.75, 0.9, 1] },
    createdAt: NOW,
    updatedAt: NOW,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    pausedMs: 0,
    pausedSince: null,
    snoozedUntil: null,
    incidentKey: null,
    deleted: false,
    ...overrides,
  };
}

/** The user message text of a recorded request. */
// biome-ignore lint/suspicious/noExplicitAny: recorded bodies are untyped JSON
export function userText(body: any): string {
  const content = body?.messages?.[0]?.content;
  return typeof content === 'string' ? content : JSON.stringify(content);
}

/** All system block texts of a recorded request, joined. */
// biome-ignore lint/suspicious/noExplicitAny: recorded bodies are untyped JSON
export function systemText(body: any): string {
  // biome-ignore lint/suspicious/noExplicitAny: recorded bodies are untyped JSON
  return (body?.system ?? []).map((b: any) => b.text).join('\n');
}
