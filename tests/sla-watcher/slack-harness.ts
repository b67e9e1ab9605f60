/**
 * The real Slack adapter (Bolt + @slack/web-api) on a core with the SLA watcher installed,
 * against the fake Slack Web API on 127.0.0.1. Optionally the outbox runs on an injected timer
 * clock (`wire`) and is drained by the test, so a 10-minute outage takes no real 10 minutes.
 */
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/app.js';
import { type Core, createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { installSlaAndDigest, type SlaAndDigest } from '../../src/escalation/install.js';
import { createLogger } from '../../src/logger.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';
import { FakeSlack } from '../fakes/fake-slack.js';
import { SECRET } from '../slack/support.js';
import { deskConfigRaw } from './helpers.js';

export interface SlackDesk {
  fake: FakeSlack;
  core: Core;
  slack: SlackAdapter;
  clock: ManualClock;
  /** The outbox's timer when injected. */
  wire: ManualClock | null;
  sla: SlaAndDigest;
  url: string;
  close(): Promise<void>;
}

/** Start the fake, a core (ManualClock at `start`), the watcher (unscheduled) and the Slack adapter in HTTP mode. */
export async function startSlackDesk(o: { start: number; config?: Record<string, unknown>; wire?: ManualClock; timeoutMs?: number; beforeStart?: (f: FakeSlack) => void }): Promise<SlackDesk> {
  const fake = await FakeSlack.start();
  o.beforeStart?.(fake);
  const clock = new ManualClock(o.start);
  const env = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, LOG_LEVEL: 'silent' };
  const core = createCore({
    config: parseConfig(deskConfigRaw(o.config)),
    db: openDatabase(':memory:'),
    clock,
    env,
    logger: createLogger({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...(o.wire ? { outboxTimer: o.wire } : {}),
  });
  const sla = installSlaAndDigest(core, { schedule: false });
  let slack: SlackAdapter;
  try {
    slack = await createSlackAdapter(core, env, { timeoutMs: o.timeoutMs ?? 2000 });
  } catch (e) {
    await fake.close();
    await core.close();
    throw e;
  }
  if (!o.wire) core.outbox.start(20);
  const { port } = await core.listen(0, '127.0.0.1');
  return {
    fake,
    core,
    slack,
    clock,
    wire: o.wire ?? null,
    sla,
    url: `http://127.0.0.1:${port}/slack/events`,
    async close() {
      core.outbox.stop();
      await fake.close();
      await core.outbox.drain().catch(() => undefined);
      await core.close();
    },
  };
}
