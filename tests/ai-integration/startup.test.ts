/**
 * installAi at start-up: a broken persona file, a missing plan stage or a persona id in the config
 * that has no file stops start-up with a FrontdeskError naming the file (or config field) and field;
 * `npm start` (adapters/main.ts) prints that message and exits 1.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../src/app.js';
import { installAi, personasDirFor, SHIPPED_PERSONAS_DIR } from '../../src/ai/install.js';
import { parseConfig } from '../../src/config/load-config.js';
import { FrontdeskError } from '../../src/domain/errors.js';
import { createLogger } from '../../src/logger.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';
import { PROMPTS_DIR, T0 } from './helpers.js';

let dir: string | undefined;
let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A copy of the shipped personas to break. */
function personaCopy(): string {
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-personas-'));
  cpSync(PROMPTS_DIR, dir, { recursive: true });
  return dir;
}

function coreWith(raw: Record<string, unknown> = {}): Core {
  core = createCore({ config: parseConfig(raw), db: openDatabase(':memory:'), clock: new ManualClock(T0), env: {}, logger: createLogger({ LOG_LEVEL: 'silent' }) });
  return core;
}

function startupError(fn: () => unknown): FrontdeskError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FrontdeskError) return e;
    throw e;
  }
  throw new Error('expected start-up to fail');
}

describe('installAi at start-up', () => {
  it('installs with the shipped personas and registers the plan command', () => {
    const c = coreWith({ personas: { dir: PROMPTS_DIR } });
    const f = installAi(c);
    expect([...f.personas.keys()]).toEqual(expect.arrayContaining(['support-specialist', 'operations-lead', 'analyst', 'product-manager']));
    expect(f.ai.enabled).toBe(false);
    expect(c.commands.get('plan')).toMatchObject({ usage: 'plan ID', agentOnly: true });
    expect(installAi(c)).toBe(f);
  });

  it('reads ./prompts when it exists, else the shipped personas for the default setting', () => {
    const cwd = process.cwd();
    const elsewhere = mkdtempSync(join(tmpdir(), 'frontdesk-cwd-'));
    try {
      expect(personasDirFor(parseConfig({}))).toBe('prompts');
      process.chdir(elsewhere);
      expect(personasDirFor(parseConfig({}))).toBe(SHIPPED_PERSONAS_DIR);
      expect(personasDirFor(parseConfig({ personas: { dir: 'team-prompts' } }))).toBe('team-prompts');
      expect(installAi(coreWith({})).personas.has('support-specialist')).toBe(true);
    } finally {
      process.chdir(cwd);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('names the file and the field of a broken persona', () => {
    const d = personaCopy();
    const file = join(d, 'analyst.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^temperature: .*$/m, 'temperature: 3'));
    const e = startupError(() => installAi(coreWith({ personas: { dir: d } })));
    expect(e.code).toBe('frontdesk_persona_invalid');
    expect(e.message).toBe(`${file}: temperature: expected a number between 0 and 1`);
  });

  it('refuses to start without a plan-stage persona', () => {
    const d = personaCopy();
    unlinkSync(join(d, 'operations-lead.md'));
    const e = startupError(() => installAi(coreWith({ personas: { dir: d } })));
    expect(e.message).toContain('operations-lead.md');
  });

  it('names the config field that points at a persona with no file', () => {
    const e = startupError(() => installAi(coreWith({ personas: { dir: PROMPTS_DIR }, channels: [{ id: 'C1' }, { id: 'C2', persona: 'billing-desk' }] })));
    expect(e.code).toBe('frontdesk_config_invalid');
    expect(e.message).toContain('channels[1].persona (C2): there is no persona "billing-desk"');
    const e2 = startupError(() => installAi(coreWith({ personas: { dir: PROMPTS_DIR, default: 'nobody' } })));
    expect(e2.message).toContain('personas.default: there is no persona "nobody"');
  });
});

describe('npm start with a broken persona file', () => {
  it('prints the file and field and exits 1', async () => {
    const d = personaCopy();
    const file = join(d, 'support-specialist.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^max_tokens: .*$/m, 'max_tokens: lots'));
    const cfg = join(d, 'frontdesk.config.yaml');
    writeFileSync(cfg, `personas:\n  dir: ${JSON.stringify(d)}\n`);
    const env: NodeJS.ProcessEnv = { ...process.env, FRONTDESK_CONFIG: cfg, FRONTDESK_DB: join(d, 'fd.db'), PORT: '0', NODE_ENV: 'production', LOG_LEVEL: 'silent' };
    for (const k of ['VITEST', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'ANTHROPIC_API_KEY']) delete env[k];
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => {
      out += String(b);
    });
    child.stderr.on('data', (b) => {
      out += String(b);
    });
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(out).toContain('frontdesk could not start:');
    expect(out).toContain(`${file}: max_tokens: expected a whole number of tokens between 64 and 8192`);
    expect(out).not.toContain('running on');
  });
});
