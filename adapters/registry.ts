/**
 * The chat adapters frontdesk knows. Each decides from the environment whether it runs,
 * validates its settings (a half-configured adapter stops start-up with a clear message),
 * and mounts itself on the core.
 */
import type { AdapterModule } from './adapter-module.js';
import { localAdapter } from './local/index.js';
import { slackAdapter } from './slack/index.js';
import { teamsAdapter } from './teams/index.js';

export type { AdapterModule } from './adapter-module.js';

/** Adapters in start order. Slack and Teams add themselves here; local runs when neither is configured. */
export const ADAPTERS: AdapterModule[] = [slackAdapter, teamsAdapter, localAdapter];
