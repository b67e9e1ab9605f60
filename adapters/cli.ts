/**
 * The `frontdesk` command line's entry point (bin/frontdesk.js, `npm run frontdesk`, and
 * `node dist/adapters/cli.js` when built): the commands of src/cli with the app the
 * composition root builds (adapters/compose.ts).
 */
import { exitQuietlyOnClosedPipe, runCli } from '../src/cli/main.js';
import { CLI_COMMANDS, createCliContext } from './compose.js';

exitQuietlyOnClosedPipe(process.stdout);
process.exitCode = await runCli(process.argv.slice(2), createCliContext(), CLI_COMMANDS);
