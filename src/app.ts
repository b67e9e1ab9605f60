/**
 * createCore wires the platform-neutral core: store, triage, routing, outbox, ticket use
 * cases, commands and interactions, scheduler, and the HTTP server adapters mount on.
 * It imports no chat SDK and nothing under adapters/ (the composition root in
 * adapters/main.ts adds those).
 */
import type { Server } from 'node:http';
import express, { type Express, type Response } from 'express';
import type { Logger } from 'pino';
import type { FrontdeskConfig } from './config/schema.js';
import { FrontdeskError } from './domain/errors.js';
import { CommandRegistry } from './commands/command-registry.js';
import { Interactions, registerTicketInteractions } from './commands/interactions.js';
import { registerTicketCommands } from './commands/ticket-commands.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { StoreRateLimiter } from './outbox/rate-limiter.js';
import { Outbox } from './outbox/outbox.js';
import type { ChatPort } from './ports/chat-port.js';
import { type Clock, systemClock } from './ports/clock.js';
import { Directory } from './routing/directory.js';
import { Router } from './routing/routing.js';
import { Scheduler } from './scheduler/scheduler.js';
import type { Store } from './ports/store.js';
import type { Db } from './store/db.js';
import { storeOnDatabase } from './store/kysely/open-store.js';
import { metricsStore } from './store/metrics-repo.js';
import { installCsat } from './tickets/csat.js';
import { TicketService } from './tickets/ticket-service.js';
import { createTriage } from './triage/triage.js';
import type { Triage } from './triage/triage.js';

export interface CoreOptions {
  config: FrontdeskConfig;
  db: Db;
  clock?: Clock;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Time source for outbox retries (defaults to real time). */
  outboxTimer?: Clock;
  /** Prometheus metrics (GET /metrics); a fresh registry per core by default. */
  metrics?: Metrics;
}

export interface Core {
  config: FrontdeskConfig;
  db: Db;
  /**
   * The store port over the same database (issue #13: use cases move here from `db`). On SQLite
   * it shares `db`'s connection, so both see each other's writes at once.
   */
  store: Store;
  clock: Clock;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  triage: Triage;
  directory: Directory;
  router: Router;
  outbox: Outbox;
  tickets: TicketService;
  commands: CommandRegistry;
  interactions: Interactions;
  scheduler: Scheduler;
  /** Prometheus metrics served on GET /metrics (pass `core.metrics` to what records them). */
  metrics: Metrics;
  /** The HTTP app adapters mount their routes on. */
  http: Express;
  /** Names of the chat adapters that are running. */
  adapters: string[];
  registerPort(port: ChatPort): void;
  /** Hooks run on close (adapters add theirs). */
  onClose(fn: () => void | Promise<void>): void;
  listen(port?: number, host?: string): Promise<{ server: Server; port: number }>;
  /** Stop at once: jobs, adapters, outbox sends in flight, open connections, the database. */
  close(): Promise<void>;
  /**
   * Stop gracefully (SIGTERM): refuse new requests (503), let requests in flight finish, then
   * close — scheduled jobs, the adapters' inboxes, the outbox sends in flight — and the
   * database last. Whatever is still running after `timeoutMs` is cut off (it is durable:
   * unfinished inbox and outbox rows are taken up at the next start). Resolves whether it
   * finished in time.
   */
  shutdown(timeoutMs: number): Promise<{ finishedInTime: boolean }>;
}

/** Server-sent event streams stay open until closed; a graceful stop does not wait for them. */
function isStream(res: Response): boolean {
  return String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');
}

/** Resolves with true when `p` settles before `deadline` (epoch ms; Infinity = wait), else false. */
async function within(p: Promise<unknown>, deadline: number): Promise<boolean> {
  if (deadline === Number.POSITIVE_INFINITY) {
    await p;
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([p.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Build the core around an open database.
 * @example const core = createCore({ config: parseConfig({}), db: openDatabase(':memory:') });
 */
export function createCore(opts: CoreOptions): Core {
  const { config, db } = opts;
  const env = opts.env ?? process.env;
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger(env);
  const directory = new Directory(config);
  const store = storeOnDatabase(db);
  const router = new Router(config, db, directory);
  const triage = createTriage(config, db);
  const metrics = opts.metrics ?? new Metrics();
  // Channel pacing: in this process on SQLite (one process); shared through the store when the
  // store is PostgreSQL (several replicas must together stay within a channel's rate).
  const outbox = new Outbox(db, store, { logger, timer: opts.outboxTimer, metrics, ...(store.engine === 'postgres' ? { limiter: new StoreRateLimiter(store.rateLimits) } : {}) });
  metrics.bindStore(metricsStore(store.gauges, () => (opts.outboxTimer ?? systemClock).now()));
  const tickets = new TicketService({ config, db, clock, outbox, triage, router, directory, logger });
  const commands = new CommandRegistry();
  registerTicketCommands(commands, tickets);
  const interactions = new Interactions(tickets);
  registerTicketInteractions(interactions, tickets, store.conversationRefs);
  installCsat(tickets, interactions);
  // Scheduled jobs added with { leader: true } run on one replica per tick.
  const scheduler = new Scheduler(logger, { leader: (name, fn) => store.withLeader(name, fn) });
  const closers: (() => void | Promise<void>)[] = [];
  let server: Server | null = null;
  /** Requests being answered now; during a graceful stop new ones get 503. */
  const inFlight = new Set<Response>();
  let stopping = false;

  const http = express();
  http.disable('x-powered-by');
  http.use((_req, res, next) => {
    if (stopping) {
      res.set('Connection', 'close').set('Retry-After', '5').status(503).json({ ok: false, error: 'frontdesk_shutting_down', message: 'frontdesk is shutting down; try again shortly' });
      return;
    }
    inFlight.add(res);
    metrics.httpInFlight.inc();
    res.once('close', () => {
      inFlight.delete(res);
      metrics.httpInFlight.dec();
    });
    next();
  });
  /** Close everything; steps still running at `deadline` are left behind (durable state stays consistent). */
  const closeBy = async (deadline: number): Promise<boolean> => {
    let inTime = true;
    const step = async (what: string, p: Promise<unknown>) => {
      try {
        if (!(await within(p, deadline))) {
          inTime = false;
          logger.warn({ step: what }, 'shutdown: time is up; leaving this step unfinished (its work resumes at the next start)');
        }
      } catch (err) {
        logger.warn({ err, step: what }, 'shutdown: a step failed; going on');
      }
    };
    scheduler.stopAll();
    await step('scheduled jobs', scheduler.whenIdle());
    for (const fn of closers.splice(0).reverse()) await step('adapter', Promise.resolve().then(fn));
    await step('outbox sends', outbox.close());
    if (server) {
      const s: Server = server;
      server = null;
      s.closeAllConnections?.();
      await new Promise<void>((r) => s.close(() => r()));
    }
    await store.close();
    if (db.open) db.close();
    return inTime;
  };
  const core: Core = {
    config,
    db,
    store,
    clock,
    logger,
    env,
    triage,
    directory,
    router,
    outbox,
    tickets,
    commands,
    interactions,
    scheduler,
    metrics,
    http,
    adapters: [],
    registerPort(port) {
      outbox.registerPort(port);
      if (!core.adapters.includes(port.platform)) core.adapters.push(port.platform);
    },
    onClose(fn) {
      closers.push(fn);
    },
    listen(port = config.server.port, host = config.server.host) {
      return new Promise((resolve, reject) => {
        const s = http.listen(port, host);
        s.once('listening', () => {
          server = s;
          const addr = s.address();
          resolve({ server: s, port: typeof addr === 'object' && addr ? addr.port : port });
        });
        s.once('error', (e: NodeJS.ErrnoException) =>
          reject(
            e.code === 'EADDRINUSE'
              ? new FrontdeskError('frontdesk_port_in_use', `port ${port} on ${host} is already in use (another frontdesk?): stop the other process or set PORT to another port, e.g. PORT=${port + 1} npm start`)
              : e.code === 'EACCES'
                ? new FrontdeskError('frontdesk_port_not_permitted', `this user may not listen on port ${port} on ${host}: choose a port above 1023, e.g. PORT=3000`)
                : e,
          ),
        );
      });
    },
    async close() {
      await closeBy(Number.POSITIVE_INFINITY);
    },
    async shutdown(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      stopping = true;
      // Stop accepting connections; idle keep-alive ones close now, busy ones after their answer.
      server?.close();
      server?.closeIdleConnections?.();
      let inTime = true;
      while ([...inFlight].some((res) => !isStream(res))) {
        if (Date.now() >= deadline) {
          inTime = false;
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      return { finishedInTime: (await closeBy(deadline)) && inTime };
    },
  };
  http.get('/healthz', async (_req, res) => {
    let dbOk = true;
    try {
      await store.schemaVersion();
    } catch {
      dbOk = false;
    }
    res.status(dbOk ? 200 : 503).json({ ok: dbOk, adapters: core.adapters, outbox: outbox.stats(), jobs: scheduler.jobs().map((j) => j.name) });
  });
  http.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.text());
  });
  return core;
}
