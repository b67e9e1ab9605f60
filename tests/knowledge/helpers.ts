/** Shared set-up for the knowledge tests: a scratch folder of answers and a real in-memory store. */
import { cpSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config/load-config.js';
import { createKnowledge } from '../../src/knowledge/install.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/knowledge/', import.meta.url));
export const EVAL_FILE = fileURLToPath(new URL('../fixtures/knowledge-eval.jsonl', import.meta.url));
export const HOLDOUT_FILE = fileURLToPath(new URL('../fixtures/knowledge-holdout.jsonl', import.meta.url));
/** Written before the matcher's generalisation work, never tuned on (27 requests, 11 without an answer). */
export const FRESH_FILE = fileURLToPath(new URL('../fixtures/knowledge-fresh.jsonl', import.meta.url));
export const T0 = Date.parse('2026-11-23T10:00:00Z');

/** A temp folder (optionally a copy of the fixture answers); `write` sets a distinct mtime each time. */
export function scratchFolder(copyFixtures = false) {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-knowledge-'));
  if (copyFixtures) cpSync(FIXTURE_DIR, dir, { recursive: true });
  let tick = 1_700_000_000;
  return {
    dir,
    write(name: string, text: string) {
      const p = join(dir, name);
      writeFileSync(p, text);
      tick += 10;
      utimesSync(p, tick, tick);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The knowledge feature on a fresh in-memory database. */
export function makeKnowledge(raw: Record<string, unknown> = {}) {
  const config = parseConfig(raw);
  const db = openDatabase(':memory:');
  const clock = new ManualClock(T0);
  return { config, db, clock, knowledge: createKnowledge(config, db, clock) };
}
