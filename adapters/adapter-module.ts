/**
 * What a chat adapter provides to the composition root. In its own module so the adapters
 * (which implement it) and the registry (which lists them) do not import each other.
 */
import type { Core } from '../src/app.js';

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
