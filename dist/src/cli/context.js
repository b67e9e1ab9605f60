/**
 * Shared state for CLI commands: config, database and core, opened lazily and closed at exit.
 * Commands run on the playground's clock: when the local playground moved its clock ahead
 * (remembered in the database), `tickets show` and friends see the same time it does.
 */
import { createCore } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { createLogger } from '../logger.js';
import { playgroundAheadMs } from '../demo/playground-defaults.js';
import { PlaygroundStore } from '../demo/playground-store.js';
import { systemClock } from '../ports/clock.js';
import { databasePath, openDatabase } from '../store/db.js';
export class CliContext {
    env;
    out;
    wallClock;
    _config = null;
    _db = null;
    _core = null;
    _aheadMs = null;
    constructor(env = process.env, out = (s) => process.stdout.write(`${s}\n`), 
    /** The wall clock (tests pass a fixed one); commands use `clock`, which adds the playground's offset. */
    wallClock = systemClock) {
        this.env = env;
        this.out = out;
        this.wallClock = wallClock;
    }
    /**
     * The time commands work with: the wall clock plus how far the local playground moved its
     * clock ahead in this database (0 when it never did), so the CLI and the playground agree
     * on whether an SLA is breached.
     * @example ctx.clock.now() // Date.now() + 2h after "jump 2h" in the playground
     */
    get clock() {
        return { now: () => this.wallClock.now() + this.playgroundAheadMs() };
    }
    /** How far the playground's clock runs ahead of real time in this database (read once). */
    playgroundAheadMs() {
        this._aheadMs ??= playgroundAheadMs(new PlaygroundStore(this.getDb()));
        return this._aheadMs;
    }
    get config() {
        this._config ??= loadConfig(this.env).config;
        return this._config;
    }
    get dbPath() {
        return databasePath(this.env);
    }
    getDb = () => {
        this._db ??= openDatabase(this.dbPath);
        return this._db;
    };
    /** The whole core (triage trained, use cases ready), without any chat adapter or HTTP. */
    getCore = () => {
        this._core ??= createCore({ config: this.config, db: this.getDb(), clock: this.clock, env: this.env, logger: createLogger({ ...this.env, LOG_LEVEL: this.env.LOG_LEVEL ?? 'warn' }) });
        return this._core;
    };
    async close() {
        if (this._core)
            await this._core.close();
        else if (this._db?.open)
            this._db.close();
    }
}
//# sourceMappingURL=context.js.map