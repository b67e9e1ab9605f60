/**
 * The `frontdesk` command line (commander: subcommands, help and errors for free).
 * Errors the user can fix are printed as one clear message with exit code 1; a reader that
 * goes away (`frontdesk tickets list | head -2`) ends the command quietly.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { FrontdeskError } from '../domain/errors.js';
import { CliContext } from './context.js';
import { registerDemoCommand } from './demo-command.js';
import { registerDigestCommand } from './digest-command.js';
import { registerKnowledgeCommands } from './knowledge-commands.js';
import { registerTicketsCommands } from './tickets-commands.js';
import { registerTriageCommands } from './triage-commands.js';
/** The version in package.json (`frontdesk --version`). */
export function packageVersion() {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return pkg.version ?? 'unknown';
}
/**
 * When whoever reads our output closes the pipe early (`| head -2`), stop without a stack
 * trace, as Unix tools do; other stream errors stay errors.
 * @example exitQuietlyOnClosedPipe(process.stdout)
 */
export function exitQuietlyOnClosedPipe(stream) {
    stream.on('error', (e) => {
        if (e.code === 'EPIPE')
            process.exit(0);
        throw e;
    });
}
export function buildProgram(ctx) {
    const program = new Command();
    program
        .name('frontdesk')
        .version(packageVersion(), '-V, --version', 'print the frontdesk version')
        .description('Support-triage bot for team chat: tickets in SQLite, explainable triage, SLA pings, digests.\nDatabase: FRONTDESK_DB (default ./data/frontdesk.db). Config: FRONTDESK_CONFIG (default ./frontdesk.config.yaml).')
        .showHelpAfterError()
        .exitOverride();
    registerTriageCommands(program, { getDb: ctx.getDb, config: ctx.config, out: ctx.out, getCore: ctx.getCore });
    registerTicketsCommands(program, ctx);
    registerDigestCommand(program, ctx);
    registerDemoCommand(program, ctx);
    registerKnowledgeCommands(program, ctx);
    return program;
}
export async function runCli(argv, ctx = new CliContext()) {
    try {
        const program = buildProgram(ctx);
        await program.parseAsync(argv, { from: 'user' });
        return 0;
    }
    catch (e) {
        if (e instanceof CommanderError)
            return e.exitCode;
        if (e instanceof FrontdeskError) {
            process.stderr.write(`frontdesk: ${e.message}\n`);
            return 1;
        }
        process.stderr.write(`frontdesk: unexpected error: ${e.stack ?? String(e)}\n`);
        return 2;
    }
    finally {
        await ctx.close();
    }
}
exitQuietlyOnClosedPipe(process.stdout);
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
//# sourceMappingURL=main.js.map