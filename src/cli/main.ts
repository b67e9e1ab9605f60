/**
 * The `frontdesk` command line (commander: subcommands, help and errors for free).
 * Errors the user can fix are printed as one clear message with exit code 1; a reader that
 * goes away (`frontdesk tickets list | head -2`) ends the command quietly.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { FrontdeskError } from '../domain/errors.js';
import { CliContext } from './context.js';
import { registerCopyDbCommand } from './copy-db.js';
import { registerDigestCommand } from './digest-command.js';
import { registerKnowledgeCommands } from './knowledge-commands.js';
import { registerTicketsCommands } from './tickets-commands.js';
import { registerTriageCommands } from './triage-commands.js';

/** The version in package.json (`frontdesk --version`). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/**
 * When whoever reads our output closes the pipe early (`| head -2`), stop without a stack
 * trace, as Unix tools do; other stream errors stay errors.
 * @example exitQuietlyOnClosedPipe(process.stdout)
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

/** Adds commands to the program (the composition root passes the adapters' commands, e.g. `demo`). */
export type RegisterCommands = (program: Command, ctx: CliContext) => void;

/**
 * The program with the core's commands; `more` (from the composition root) come after `digest`.
 * @example buildProgram(createCliContext(), CLI_COMMANDS)
 */
export function buildProgram(ctx: CliContext, more: readonly RegisterCommands[] = []): Command {
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
  for (const register of more) register(program, ctx);
  registerKnowledgeCommands(program, ctx);
  registerCopyDbCommand(program, ctx);
  return program;
}

/**
 * Run one command line; resolves with the exit code. The entry point is adapters/cli.ts (the
 * composition root gives it the context and the adapters' commands).
 */
export async function runCli(argv: string[], ctx = new CliContext(), more: readonly RegisterCommands[] = []): Promise<number> {
  try {
    const program = buildProgram(ctx, more);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof FrontdeskError) {
      process.stderr.write(`frontdesk: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`frontdesk: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  } finally {
    await ctx.close();
  }
}
