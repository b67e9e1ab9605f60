/**
 * Child process for bench/outbox.bench.ts: the real core + outbox + SlackChatPort on a SQLite
 * file, posting to the parent's fake Slack. `open N CHANNELS` opens N tickets and sends their
 * cards (the parent kills it with SIGKILL mid-send); `resume` restarts on the same file, drains
 * the outbox and prints what it holds as one JSON line, then exits.
 * Usage: node --import tsx bench/outbox-crash-child.ts <db file> <slack api url> open 60 20
 */
import { createSlackClient, SlackChatPort } from '../adapters/slack/slack-chat-port.js';
import { createCore } from '../src/app.js';
import { parseConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/logger.js';
import { openDatabase } from '../src/store/db.js';

const [dbFile, apiUrl, mode, n = '60', channels = '20'] = process.argv.slice(2);
const core = createCore({
  config: parseConfig({ agents: ['U0AGENT'] }),
  db: openDatabase(dbFile!),
  env: {},
  logger: createLogger({ LOG_LEVEL: 'silent' }),
});
core.registerPort(new SlackChatPort(createSlackClient({ token: 'xoxb-bench', apiUrl: apiUrl!, timeoutMs: 5000 })));
core.outbox.start(50);

if (mode === 'open') {
  for (let i = 0; i < Number(n); i++) {
    core.tickets.open({
      platform: 'slack',
      channelId: `C${i % Number(channels)}`,
      sourceMessageId: `1790000000.${String(i).padStart(6, '0')}`,
      requesterId: 'U0CUST',
      text: `Checkout fails with error 502 for all users (report ${i})`,
    });
  }
  process.stdout.write('opened\n');
  setInterval(() => undefined, 1000); // keep running until killed
} else {
  const started = Date.now();
  for (;;) {
    await core.outbox.drain();
    const s = core.outbox.stats();
    if (!s.pending && !s.sending) break;
    if (Date.now() - started > 60_000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const tickets = core.db.prepare('SELECT id, card_message_id AS card FROM tickets ORDER BY id').all();
  process.stdout.write(`${JSON.stringify({ stats: core.outbox.stats(), tickets })}\n`);
  await core.close();
  process.exit(0);
}
