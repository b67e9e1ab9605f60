/**
 * The chat adapters frontdesk knows. Each decides from the environment whether it runs,
 * validates its settings (a half-configured adapter stops start-up with a clear message),
 * and mounts itself on the core.
 */
import type { Core } from '../src/app.js';
import { localAdapter } from './local/index.js';
import { slackAdapter } from './slack/index.js';
import { teamsAdapter } from './teams/index.js';

export interface AdapterModule {
  name: string;
  /** Should this adapter run with this environment? */
  enabled(env: NodeJS.ProcessEnv): boolean;
  /** Throw a FrontdeskError naming the variable to set when the settings are inconsistent. */
  validateEnv?(env: NodeJS.ProcessEnv): void;
  start(core: Core): Promise<void>;
  /** One line for the start-up banner. */
  describe(env: NodeJS.ProcessEnv, where: { host: string; port: number }): string;
}

/** Adapters in start order. Slack and Teams add themselves here; local runs when neither is configured. */
export const ADAPTERS: AdapterModule[] = [slackAdapter, teamsAdapter, localAdapter];
