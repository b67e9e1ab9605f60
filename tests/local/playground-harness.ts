/**
 * Test harness for the local playground: a real core on a real SQLite database (in memory
 * or a temp file), the playground mounted, listening on a free port on 127.0.0.1; plus small
 * helpers to call its JSON API and read its SSE stream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Playground, type PlaygroundOptions, mountPlayground } from '../../adapters/local/server.js';
import { installAi } from '../../src/ai/install.js';
import { type Core, createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logger.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openAppDatabase } from '../../adapters/compose.js';

/** Tuesday 24 Nov 2026, 10:00 UTC: a working day, so business-hours rules behave plainly. */
export const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);

export interface RunningPlayground {
  core: Core;
  pg: Playground;
  clock: ManualClock;
  base: string;
  close(): Promise<void>;
}

/** A temporary directory removed by the returned cleanup. */
export function tempDir(prefix = 'frontdesk-local-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Start a playground. The clock is frozen at `start` unless `speed` is given (the clock
 * control can still jump it).
 */
export async function startPlayground(
  opts: { dbPath?: string; config?: Record<string, unknown>; start?: number; speed?: number; playground?: PlaygroundOptions; ai?: boolean; env?: Record<string, string> } = {},
): Promise<RunningPlayground> {
  const clock = new ManualClock(opts.start ?? T0, opts.speed ?? 0);
  const db = openAppDatabase(opts.dbPath ?? ':memory:');
  const core = createCore({ config: parseConfig(opts.config ?? {}), db, clock, env: { LOG_LEVEL: 'silent', ...opts.env }, logger: createLogger({ LOG_LEVEL: 'silent' }) });
  // Suggested replies as `npm start` wires them (offline templates: no API key here).
  if (opts.ai) installAi(core);
  // Inline mode unless a test asks for the default #triage channel (`playground: { triage: true }`).
  const pg = mountPlayground(core, { pollMs: 50, triage: false, ...opts.playground });
  core.outbox.start(25);
  const { port } = await core.listen(0, '127.0.0.1');
  return { core, pg, clock, base: `http://127.0.0.1:${port}`, close: () => core.close() };
}

/** Call the playground API as a person; throws with the server's message on errors. */
export async function call<T = Record<string, unknown>>(base: string, method: 'GET' | 'POST', path: string, as: string, body: Record<string, unknown> = {}): Promise<T> {
  const url = `${base}/local/api${path}${method === 'GET' ? `${path.includes('?') ? '&' : '?'}as=${encodeURIComponent(as)}` : ''}`;
  const res = await fetch(url, method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as, ...body }) });
  const data = (await res.json()) as T & { error?: string };
  if (!res.ok) throw Object.assign(new Error(`${res.status}: ${data.error}`), { status: res.status });
  return data;
}

/** Wait until `fn` returns a truthy value (polling), or fail with `what` after `timeoutMs`. */
export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Read a person's live stream; events accumulate in `events`. */
export async function openStream(base: string, as: string): Promise<{ events: SseEvent[]; close(): void }> {
  const ac = new AbortController();
  const res = await fetch(`${base}/local/api/events?as=${encodeURIComponent(as)}`, { signal: ac.signal });
  if (!res.ok || !res.body) throw new Error(`stream failed: ${res.status}`);
  const events: SseEvent[] = [];
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const chunk = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(chunk)?.[1];
          const data = /^data: (.*)$/m.exec(chunk)?.[1];
          if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
          i = buf.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  await waitFor(() => events.some((e) => e.event === 'hello'), 'the stream to open');
  return { events, close: () => ac.abort() };
}

/** Visible text of an HTML fragment (tags removed, entities decoded). */
export function textOf(html: string): string {
  return html
    .replace(/<br>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ');
}
