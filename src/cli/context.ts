/**
 * Shared state for CLI commands: config, database and core, opened lazily and closed at exit.
 * Commands run on the playground's clock: when the local playground moved its clock ahead
 * (remembered in the database), `tickets show` and friends see the same time it does.
 * What only the composition root knows — every migration folder of the app, and how to read
 * the playground's clock offset — comes in as a CliApp (adapters/compose.ts: createCliContext).
 */
import { type Core, createCore } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import type { FrontdeskConfig } from '../config/schema.js';
import { createLogger } from '../logger.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { InputInvalidError } from '../domain/errors.js';
import type { Store } from '../ports/store.js';
import { CORE_MIGRATIONS_DIR, type Db, databasePath, openDatabase } from '../store/db.js';
import { isPostgresUrl, openStore, storeOnDatabase } from '../store/kysely/open-store.js';

/** What the composition root tells the CLI about the app it is part of. */
export interface CliApp {
  /** Every migration folder of the app (the core's and the adapters'), for opening and migrating the database. */
  migrationDirs: readonly string[];
  /** How far a playground moved the bot's clock ahead of real time in this database (ms; 0 when it never did). */
  clockAheadMs(db: Db): number;
}

/** The core alone: its own migrations, no playground clock. */
export const CORE_ONLY: CliApp = { migrationDirs: [CORE_MIGRATIONS_DIR], clockAheadMs: () => 0 };

export class CliContext {
  private _config: FrontdeskConfig | null = null;
  private _db: Db | null = null;
  private _core: Core | null = null;
  private _aheadMs: number | null = null;
  private _store: Store | null = null;

  constructor(
    readonly env: NodeJS.ProcessEnv = process.env,
    readonly out: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
    /** The wall clock (tests pass a fixed one); commands use `clock`, which adds the playground's offset. */
    readonly wallClock: Clock = systemClock,
    readonly app: CliApp = CORE_ONLY,
  ) {}

  /**
   * The time commands work with: the wall clock plus how far the local playground moved its
   * clock ahead in this database (0 when it never did), so the CLI and the playground agree
   * on whether an SLA is breached.
   * @example ctx.clock.now() // Date.now() + 2h after "jump 2h" in the playground
   */
  get clock(): Clock {
    return { now: () => this.wallClock.now() + this.playgroundAheadMs() };
  }

  /** How far the playground's clock runs ahead of real time in this database (read once). */
  playgroundAheadMs(): number {
    this._aheadMs ??= this.app.clockAheadMs(this.getDb());
    return this._aheadMs;
  }

  get config(): FrontdeskConfig {
    this._config ??= loadConfig(this.env).config;
    return this._config;
  }

  get dbPath(): string {
    return databasePath(this.env);
  }

  /**
   * The store port for commands that work on both engines: the PostgreSQL database at `url`
   * (`--database-url`, optionally `--schema`), else the SQLite desk (FRONTDESK_DB). DATABASE_URL
   * is not read yet: the bot itself still runs on SQLite (README "Storage engines").
   */
  getStore = async (url?: string, schema?: string): Promise<Store> => {
    if (this._store) return this._store;
    if (url !== undefined && !isPostgresUrl(url)) throw new InputInvalidError(`--database-url takes a PostgreSQL URL (postgres://user@host:5432/db), got "${url}"`);
    this._store = url ? await openStore(url, schema ? { schema } : {}) : storeOnDatabase(this.getDb());
    return this._store;
  };

  getDb = (): Db => {
    this._db ??= openDatabase(this.dbPath, { migrationDirs: this.app.migrationDirs });
    return this._db;
  };

  /** The whole core (triage trained, use cases ready), without any chat adapter or HTTP. */
  getCore = (): Core => {
    this._core ??= createCore({ config: this.config, db: this.getDb(), clock: this.clock, env: this.env, logger: createLogger({ ...this.env, LOG_LEVEL: this.env.LOG_LEVEL ?? 'warn' }) });
    return this._core;
  };

  async close(): Promise<void> {
    if (this._store) await this._store.close();
    if (this._core) await this._core.close();
    else if (this._db?.open) this._db.close();
  }
}
