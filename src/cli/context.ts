/** Shared state for CLI commands: config, database and core, opened lazily and closed at exit. */
import { type Core, createCore } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import type { FrontdeskConfig } from '../config/schema.js';
import { createLogger } from '../logger.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { type Db, databasePath, openDatabase } from '../store/db.js';

export class CliContext {
  private _config: FrontdeskConfig | null = null;
  private _db: Db | null = null;
  private _core: Core | null = null;

  constructor(
    readonly env: NodeJS.ProcessEnv = process.env,
    readonly out: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
    /** The wall clock for commands that care what time it is (tests pass a fixed one). */
    readonly clock: Clock = systemClock,
  ) {}

  get config(): FrontdeskConfig {
    this._config ??= loadConfig(this.env).config;
    return this._config;
  }

  get dbPath(): string {
    return databasePath(this.env);
  }

  getDb = (): Db => {
    this._db ??= openDatabase(this.dbPath);
    return this._db;
  };

  /** The whole core (triage trained, use cases ready), without any chat adapter or HTTP. */
  getCore = (): Core => {
    this._core ??= createCore({ config: this.config, db: this.getDb(), clock: this.clock, env: this.env, logger: createLogger({ ...this.env, LOG_LEVEL: this.env.LOG_LEVEL ?? 'warn' }) });
    return this._core;
  };

  async close(): Promise<void> {
    if (this._core) await this._core.close();
    else if (this._db?.open) this._db.close();
  }
}
