/**
 * AiClient: the only place frontdesk talks to Claude, through the real @anthropic-ai/sdk.
 * Enabled only when ANTHROPIC_API_KEY is set (read from an injected env) and the daily budget is
 * above 0. Every call: redacts and tags case data, forces structured output through one tool,
 * caches the policy and persona system blocks, respects a concurrency limit and the daily token
 * budget, records usage in ai_calls, and never throws — failures come back as `{ ok: false, reason }`.
 */
import { performance } from 'node:perf_hooks';
import Anthropic, { APIConnectionTimeoutError, APIError, APIUserAbortError, OverloadedError, RateLimitError } from '@anthropic-ai/sdk';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { FrontdeskConfig } from '../config/schema.js';
import type { Metrics } from '../metrics.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { AiCallRecord, AiOutcome, AiRepo } from '../store/ai-repo.js';
import type { Persona } from './personas.js';
import { DATA_NOTE, DATA_TAGS, type DataTag, POLICY_CANARY, POLICY_TEXT } from './policy.js';
import { createRedactor, type RedactionKind, type Redactor } from './redact.js';
import { Semaphore } from './semaphore.js';

/** Structured logger (pino-compatible). Never receives message text or secrets, only metadata. */
export interface AiLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** The environment the client reads: ANTHROPIC_API_KEY, ANTHROPIC_MODEL, ANTHROPIC_BASE_URL. */
export type AiEnv = Readonly<Record<string, string | undefined>>;

export interface AiClientOptions {
  config: Pick<FrontdeskConfig, 'ai' | 'timezone'>;
  env: AiEnv;
  repo: AiRepo;
  clock?: Clock;
  logger?: AiLogger;
  /** Counts calls, tokens and failures (frontdesk_ai_*). */
  metrics?: Pick<Metrics, 'aiCalls' | 'aiTokens' | 'aiFailures'>;
}

/** Why a call produced no result. `disabled` = no API key or budget 0 (nothing recorded). */
export type AiFailureReason = 'disabled' | Exclude<AiOutcome, 'ok'>;

export interface AiTokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export type AiResult<T> =
  | { ok: true; value: T; model: string; usage: AiTokenUsage; latencyMs: number; redactions: Partial<Record<RedactionKind, number>> }
  | { ok: false; reason: AiFailureReason; detail: string };

/** One block of untrusted case data; it is redacted and wrapped in `<tag>` … `</tag>`. */
export interface DataBlock {
  tag: DataTag;
  text: string;
}

/** A structured (forced tool use) request. */
export interface StructuredCall<S extends z.ZodType> {
  /** Recorded in ai_calls.purpose, e.g. 'triage', 'draft_reply', 'plan:analyst'. */
  purpose: string;
  ticketId?: number | null;
  /** Adds the persona's prompt as a cached system block and supplies model, temperature, max tokens. */
  persona?: Persona;
  /** Task-specific system text (not cached; keep it short). */
  instructions: string;
  /** Case data: redacted, neutralised and tagged inside the user message. */
  data: DataBlock[];
  /** What to do with the data (our text, not the customer's), last in the user message. */
  task: string;
  tool: { name: string; description: string; schema: S };
  model?: string;
  maxTokens?: number;
  /** Extra check on the parsed value; a returned string makes the call `invalid_output`. */
  validate?: (value: z.output<S>) => string | null;
}

const NOOP_LOGGER: AiLogger = { info: () => {}, warn: () => {} };

/** Tool input schema from a zod schema (the `$schema` key is dropped; the API does not need it). */
export function toolInputSchema(schema: z.ZodType): Anthropic.Messages.Tool.InputSchema {
  const json = z.toJSONSchema(schema) as Record<string, unknown>;
  const { $schema: _drop, ...rest } = json;
  return rest as Anthropic.Messages.Tool.InputSchema;
}

const TAG_RE = new RegExp(`<(\\s*/?\\s*)(${DATA_TAGS.join('|')})`, 'gi');

/** Make sure data cannot close or open our data tags (`</customer_message>` → `‹/customer_message`). */
export function neutraliseTags(text: string): string {
  return text.replace(TAG_RE, (_m, slash: string, tag: string) => `‹${slash.replace(/\s+/g, '')}${tag}`);
}

/** Build the user message: the data note, then each tagged data block, then the task. */
export function buildUserMessage(data: readonly DataBlock[], task: string): string {
  const blocks = data.map((d) => `<${d.tag}>\n${neutraliseTags(d.text)}\n</${d.tag}>`);
  return [DATA_NOTE, ...blocks, task].join('\n\n');
}

/**
 * The Claude client. Construct once per process; `enabled` tells whether calls will be attempted.
 *
 * @example
 * const ai = new AiClient({ config, env: process.env, repo: new AiRepo(db), logger });
 * const r = await ai.structured({ purpose: 'triage', instructions, data: [{ tag: 'customer_message', text }],
 *   task: 'Classify it.', tool: { name: 'record_triage', description: '...', schema } });
 * if (r.ok) use(r.value); else fallBack(r.reason);
 */
export class AiClient {
  /** True when an API key is configured and the daily budget is above 0. */
  readonly enabled: boolean;
  /** The desk model: ANTHROPIC_MODEL, else config.ai.model. */
  readonly model: string;
  private readonly sdk: Anthropic | null;
  private readonly sem: Semaphore;
  /** The redactor every call uses (built-in rules plus config.ai.redactPatterns); case data cut before sending goes through it first. */
  readonly redactor: Redactor;
  private readonly clock: Clock;
  private readonly logger: AiLogger;

  constructor(private readonly opts: AiClientOptions) {
    const key = opts.env.ANTHROPIC_API_KEY?.trim();
    this.model = opts.env.ANTHROPIC_MODEL?.trim() || opts.config.ai.model;
    this.enabled = Boolean(key) && opts.config.ai.dailyTokenBudget > 0;
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? NOOP_LOGGER;
    this.sem = new Semaphore(opts.config.ai.concurrency);
    this.redactor = createRedactor(opts.config.ai.redactPatterns);
    const log = this.logger;
    this.sdk = this.enabled
      ? new Anthropic({
          apiKey: key,
          // The injected env decides; the SDK would otherwise fall back to process.env.
          baseURL: opts.env.ANTHROPIC_BASE_URL?.trim() || 'https://api.anthropic.com',
          maxRetries: opts.config.ai.maxRetries,
          timeout: opts.config.ai.timeout,
          openTelemetry: false,
          logLevel: 'warn',
          logger: {
            error: (msg: string) => log.warn({ sdk: true }, String(msg)),
            warn: (msg: string) => log.warn({ sdk: true }, String(msg)),
            info: () => {},
            debug: () => {},
          },
        })
      : null;
  }

  /** Why the client is off, for a start-up notice; null when enabled. */
  get disabledReason(): string | null {
    if (this.enabled) return null;
    if (!this.opts.env.ANTHROPIC_API_KEY?.trim()) return 'ANTHROPIC_API_KEY is not set; AI features use offline templates';
    return 'config.ai.dailyTokenBudget is 0; AI features use offline templates';
  }

  /** Start of the budget day (midnight in the desk time zone) for an instant. */
  dayStart(ms: number): number {
    return DateTime.fromMillis(ms, { zone: this.opts.config.timezone }).startOf('day').toMillis();
  }

  /** Tokens used since the start of today (desk time zone). */
  tokensUsedToday(): number {
    return this.opts.repo.tokensSince(this.dayStart(this.clock.now()));
  }

  /** The model a call will use: explicit, else the persona's (unless 'default'), else the desk model. */
  resolveModel(call: { model?: string; persona?: Persona }): string {
    if (call.model) return call.model;
    if (call.persona && call.persona.model !== 'default') return call.persona.model;
    return this.model;
  }

  /**
   * Ask Claude for structured output through one forced tool and validate it with zod.
   * Never throws: every failure returns `{ ok: false, reason, detail }`.
   */
  async structured<S extends z.ZodType>(call: StructuredCall<S>): Promise<AiResult<z.output<S>>> {
    if (!this.enabled || !this.sdk) return { ok: false, reason: 'disabled', detail: this.disabledReason ?? 'disabled' };
    const sdk = this.sdk;
    try {
      return await this.sem.run(() => this.callOnce(sdk, call));
    } catch (e) {
      // Only a bug in our own code gets here (the SDK's errors are handled in callOnce).
      this.logger.warn({ purpose: call.purpose, err: (e as Error).name }, 'ai call failed unexpectedly');
      return { ok: false, reason: 'error', detail: `unexpected: ${(e as Error).message}` };
    }
  }

  /**
   * Store the call; accounting problems never fail the call. A ticket id that is not (yet) in the
   * tickets table is stored as null rather than losing the row.
   */
  private record(rec: AiCallRecord): void {
    const m = this.opts.metrics;
    if (m) {
      m.aiCalls.inc({ purpose: rec.purpose, outcome: rec.outcome });
      if (rec.outcome !== 'ok') m.aiFailures.inc({ reason: rec.outcome });
      m.aiTokens.inc({ kind: 'input' }, rec.inputTokens);
      m.aiTokens.inc({ kind: 'output' }, rec.outputTokens);
      m.aiTokens.inc({ kind: 'cache_read' }, rec.cacheReadTokens);
      m.aiTokens.inc({ kind: 'cache_write' }, rec.cacheWriteTokens);
    }
    try {
      this.opts.repo.recordCall(rec);
    } catch (first) {
      try {
        if (rec.ticketId === null) throw first;
        this.opts.repo.recordCall({ ...rec, ticketId: null });
      } catch (e) {
        this.logger.warn({ purpose: rec.purpose, outcome: rec.outcome, err: (e as Error).message }, 'could not record ai call');
      }
    }
  }

  private async callOnce<S extends z.ZodType>(sdk: Anthropic, call: StructuredCall<S>): Promise<AiResult<z.output<S>>> {
    const model = this.resolveModel(call);
    const at = this.clock.now();
    const ticketId = call.ticketId ?? null;
    const base = { at, purpose: call.purpose, model, ticketId };
    const used = this.opts.repo.tokensSince(this.dayStart(at));
    const budget = this.opts.config.ai.dailyTokenBudget;
    if (used >= budget) {
      this.record({ ...base, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, latencyMs: 0, outcome: 'over_budget' });
      this.logger.warn({ purpose: call.purpose, used, budget }, 'ai daily token budget exhausted; using the offline fallback');
      return { ok: false, reason: 'over_budget', detail: `daily token budget of ${budget} reached (${used} used)` };
    }

    const system: Anthropic.Messages.TextBlockParam[] = [{ type: 'text', text: POLICY_TEXT, cache_control: { type: 'ephemeral' } }];
    if (call.persona) {
      system.push({
        type: 'text',
        text: `# Persona: ${call.persona.name}\n${call.persona.description}\nTone: ${call.persona.tone}\n\n${call.persona.prompt}`,
        cache_control: { type: 'ephemeral' },
      });
    }
    system.push({ type: 'text', text: call.instructions });
    const redacted = this.redactor(buildUserMessage(call.data, call.task));
    const toolName = call.tool.name;

    const started = performance.now();
    let outcome: AiOutcome = 'ok';
    let usage: AiTokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    let result: AiResult<z.output<S>>;
    try {
      const msg = await sdk.messages.create({
        model,
        max_tokens: call.maxTokens ?? call.persona?.maxTokens ?? 1024,
        // No temperature: API version 2026-10-21 (sent by this SDK) rejects sampling parameters
        // with a 400. The persona's temperature stays validated but is not sent.
        system,
        messages: [{ role: 'user', content: redacted.text }],
        tools: [{ name: toolName, description: call.tool.description, input_schema: toolInputSchema(call.tool.schema) }],
        tool_choice: { type: 'tool', name: toolName },
      });
      usage = {
        inputTokens: msg.usage?.input_tokens ?? 0,
        outputTokens: msg.usage?.output_tokens ?? 0,
        cacheReadTokens: msg.usage?.cache_read_input_tokens ?? 0,
        cacheWriteTokens: msg.usage?.cache_creation_input_tokens ?? 0,
      };
      const block = msg.content.find((c) => c.type === 'tool_use' && c.name === toolName) as { input: unknown } | undefined;
      const latencyMs = Math.round(performance.now() - started);
      if (!block) {
        outcome = 'invalid_output';
        result = { ok: false, reason: 'invalid_output', detail: `no ${toolName} tool call in the response (stop_reason ${msg.stop_reason})` };
      } else if (msg.stop_reason === 'max_tokens') {
        outcome = 'invalid_output';
        result = { ok: false, reason: 'invalid_output', detail: 'output was cut off at max_tokens' };
      } else {
        const parsed = call.tool.schema.safeParse(block.input);
        const leak = JSON.stringify(block.input ?? null).toLowerCase().includes(POLICY_CANARY);
        const extra = parsed.success && !leak ? (call.validate?.(parsed.data) ?? null) : null;
        if (!parsed.success) {
          outcome = 'invalid_output';
          const first = parsed.error.issues[0];
          result = { ok: false, reason: 'invalid_output', detail: `tool input failed validation at ${first?.path.join('.') || '(root)'}: ${first?.message}` };
        } else if (leak) {
          outcome = 'invalid_output';
          result = { ok: false, reason: 'invalid_output', detail: 'output repeated the system instructions' };
        } else if (extra) {
          outcome = 'invalid_output';
          result = { ok: false, reason: 'invalid_output', detail: extra };
        } else {
          result = { ok: true, value: parsed.data, model, usage, latencyMs, redactions: redacted.counts };
        }
      }
    } catch (e) {
      const mapped = mapError(e);
      outcome = mapped.outcome;
      result = { ok: false, reason: mapped.outcome, detail: mapped.detail };
    }
    const latencyMs = Math.round(performance.now() - started);
    this.record({ ...base, ...usage, latencyMs, outcome });
    const meta = { purpose: call.purpose, model, outcome, latencyMs, ...usage, redactions: redacted.total, ticketId };
    if (result.ok) this.logger.info(meta, 'ai call ok');
    else this.logger.warn({ ...meta, detail: result.detail }, 'ai call failed; using the offline fallback');
    return result;
  }
}

/** Map an SDK error to an outcome. Error texts from the SDK carry no credentials. */
function mapError(e: unknown): { outcome: Exclude<AiOutcome, 'ok' | 'over_budget' | 'invalid_output'>; detail: string } {
  if (e instanceof APIConnectionTimeoutError || e instanceof APIUserAbortError) return { outcome: 'timeout', detail: 'request timed out (after retries)' };
  if (e instanceof RateLimitError) return { outcome: 'rate_limited', detail: 'rate limited by the API (429, after retries)' };
  if (e instanceof OverloadedError) return { outcome: 'error', detail: 'API overloaded (529, after retries)' };
  if (e instanceof APIError) return { outcome: 'error', detail: `API error${e.status ? ` ${e.status}` : ''}: ${e.message.slice(0, 200)}` };
  return { outcome: 'error', detail: `${(e as Error)?.name ?? 'Error'}: ${String((e as Error)?.message ?? e).slice(0, 200)}` };
}

/**
 * Create the client (same as `new AiClient(opts)`).
 *
 * @example
 * const ai = createAiClient({ config, env: process.env, repo });
 * if (!ai.enabled) logger.info(ai.disabledReason);
 */
export function createAiClient(opts: AiClientOptions): AiClient {
  return new AiClient(opts);
}
