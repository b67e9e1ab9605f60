/** Build a real core on an in-memory SQLite database with a movable clock, for tests. */
import { type Core, createCore } from '../../src/app.js';
import { parseConfig } from '../../src/config/load-config.js';
import { ManualClock } from '../../src/ports/clock.js';
import { openDatabase } from '../../src/store/db.js';

export const T0 = Date.parse('2026-11-23T10:00:00Z');

export interface TestCore {
  core: Core;
  clock: ManualClock;
  timer: ManualClock;
}

/** A core with agents U_AGENT1/U_AGENT2, lead U_LEAD, in a team that round-robins between the agents. */
export function makeTestCore(raw: Record<string, unknown> = {}, dbPath = ':memory:'): TestCore {
  const config = parseConfig({
    agents: ['U_AGENT1', 'U_AGENT2'],
    leads: ['U_LEAD'],
    teams: [{ id: 'support', members: ['U_AGENT1', 'U_AGENT2'], routing: 'round_robin' }],
    ...raw,
  });
  const clock = new ManualClock(T0);
  const timer = new ManualClock(T0);
  const core = createCore({ config, db: openDatabase(dbPath), clock, outboxTimer: timer, env: { VITEST: 'true' } });
  return { core, clock, timer };
}
