import express from 'express';
import { FrontdeskError } from './domain/errors.js';
import { CommandRegistry } from './commands/command-registry.js';
import { Interactions, registerTicketInteractions } from './commands/interactions.js';
import { registerTicketCommands } from './commands/ticket-commands.js';
import { createLogger } from './logger.js';
import { Outbox } from './outbox/outbox.js';
import { systemClock } from './ports/clock.js';
import { Directory } from './routing/directory.js';
import { Router } from './routing/routing.js';
import { Scheduler } from './scheduler/scheduler.js';
import { installCsat } from './tickets/csat.js';
import { TicketService } from './tickets/ticket-service.js';
import { createTriage } from './triage/triage.js';
/**
 * Build the core around an open database.
 * @example const core = createCore({ config: parseConfig({}), db: openDatabase(':memory:') });
 */
export function createCore(opts) {
    const { config, db } = opts;
    const env = opts.env ?? process.env;
    const clock = opts.clock ?? systemClock;
    const logger = opts.logger ?? createLogger(env);
    const directory = new Directory(config);
    const router = new Router(config, db, directory);
    const triage = createTriage(config, db);
    const outbox = new Outbox(db, { logger, timer: opts.outboxTimer });
    const tickets = new TicketService({ config, db, clock, outbox, triage, router, directory, logger });
    const commands = new CommandRegistry();
    registerTicketCommands(commands, tickets);
    const interactions = new Interactions(tickets);
    registerTicketInteractions(interactions, tickets);
    installCsat(tickets, interactions);
    const scheduler = new Scheduler(logger);
    const closers = [];
    let server = null;
    const http = express();
    http.disable('x-powered-by');
    const core = {
        config,
        db,
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
        http,
        adapters: [],
        registerPort(port) {
            outbox.registerPort(port);
            if (!core.adapters.includes(port.platform))
                core.adapters.push(port.platform);
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
                s.once('error', (e) => reject(e.code === 'EADDRINUSE'
                    ? new FrontdeskError('frontdesk_port_in_use', `port ${port} on ${host} is already in use (another frontdesk?): stop the other process or set PORT to another port, e.g. PORT=${port + 1} npm start`)
                    : e.code === 'EACCES'
                        ? new FrontdeskError('frontdesk_port_not_permitted', `this user may not listen on port ${port} on ${host}: choose a port above 1023, e.g. PORT=3000`)
                        : e));
            });
        },
        async close() {
            scheduler.stopAll();
            for (const fn of closers.reverse())
                await fn();
            await outbox.close();
            if (server) {
                const s = server;
                server = null;
                s.closeAllConnections?.();
                await new Promise((r) => s.close(() => r()));
            }
            if (db.open)
                db.close();
        },
    };
    http.get('/healthz', (_req, res) => {
        let dbOk = true;
        try {
            db.prepare('SELECT 1').get();
        }
        catch {
            dbOk = false;
        }
        res.status(dbOk ? 200 : 503).json({ ok: dbOk, adapters: core.adapters, outbox: outbox.stats(), jobs: scheduler.jobs().map((j) => j.name) });
    });
    return core;
}
//# sourceMappingURL=app.js.map