/**
 * The Slack adapter: a Bolt app over the core. HTTP mode mounts Bolt's ExpressReceiver on the
 * core's express app at POST /slack/events (events, slash commands and interactivity), with a
 * gate in front of Bolt (slack-gate.ts: signature, replay and shape checks; Events API events
 * are stored in the durable inbox before the 200 and processed from there through Bolt's
 * listeners). Socket Mode connects out with an app-level token instead (events there are
 * acknowledged by Bolt and handled in memory). Commands and interactivity are acknowledged
 * first and handled after (processBeforeResponse: false), and everything the bot posts goes
 * through the core's outbox via SlackChatPort.
 */
import { App, ExpressReceiver, SocketModeReceiver, type webApi } from '@slack/bolt';
import express from 'express';
import type { Core } from '../../src/app.js';
import { FrontdeskError } from '../../src/domain/errors.js';
import { Inbox } from '../../src/inbound/inbox.js';
import { InboxRepo } from '../../src/store/inbox-repo.js';
import { refreshAgentGroups, replaceAgentGroup } from '../../src/routing/agent-groups.js';
import { IngestQueue, type InboxHandle } from './ingest-queue.js';
import { registerListeners } from './listeners/register.js';
import { createSlackClient, SlackChatPort } from './slack-chat-port.js';
import type { SlackDeps } from './slack-deps.js';
import { readSlackSettings, type SlackSettings } from './slack-env.js';
import { SLACK_IDS } from './slack-ids.js';
import { FORM_CALLBACK } from './listeners/views/form-submission.js';
import { slackLogger } from './slack-logger.js';
import { slackGate } from './slack-gate.js';

type WebClient = InstanceType<typeof webApi.WebClient>;

export interface SlackAdapterOptions {
  /** Web API request timeout in ms (default 10 s). */
  timeoutMs?: number;
  /** Wall clock for the request-timestamp check (tests). */
  now?: () => number;
  /**
   * Process stored events (default true). false = store and acknowledge only: what a crash
   * right after the ack leaves behind (tests use it to prove acked events survive).
   */
  processInbox?: boolean;
}

export interface SlackAdapter {
  app: App;
  port: SlackChatPort;
  /** Durable inbox of Events API events (HTTP mode). */
  inbox: Inbox;
  client: WebClient;
  settings: SlackSettings;
  bot: { userId: string; botId: string | null };
  /** Disconnect (Socket Mode); the HTTP route stays mounted until the server closes. */
  stop(): Promise<void>;
}

/** The bot's identity: from SLACK_BOT_USER_ID, else auth.test (which also checks the token). */
async function identify(client: WebClient, s: SlackSettings): Promise<{ userId: string; botId: string | null }> {
  if (s.botUserId) return { userId: s.botUserId, botId: s.botId };
  try {
    const res = await client.auth.test();
    if (!res.user_id) throw new Error('auth.test returned no user_id');
    return { userId: res.user_id, botId: res.bot_id ?? s.botId };
  } catch (e) {
    const code = (e as { data?: { error?: string } }).data?.error;
    if (code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked' || code === 'account_inactive')
      throw new FrontdeskError('frontdesk_config_invalid', `Slack: SLACK_BOT_TOKEN was rejected by Slack (${code}). Copy the Bot User OAuth Token (xoxb-…) again from "OAuth & Permissions".`);
    throw new FrontdeskError(
      'frontdesk_slack_unreachable',
      `Slack: could not check SLACK_BOT_TOKEN with auth.test (${code ?? (e as Error).message}). Check the network${s.apiUrl ? ` and SLACK_API_URL (${s.apiUrl})` : ''}, or set SLACK_BOT_USER_ID to skip the check.`,
    );
  }
}

/**
 * Resolve config.agentGroups (Slack user groups) to their members and store them as agents
 * (every replica reads them back from the store each minute: 'agent-groups-refresh').
 */
async function loadAgentGroups(core: Core, client: WebClient): Promise<number> {
  let n = 0;
  for (const group of core.config.agentGroups) {
    let users: string[];
    try {
      const res = await client.usergroups.users.list({ usergroup: group });
      users = res.users ?? [];
      n += users.length;
    } catch (e) {
      const code = (e as { data?: { error?: string } }).data?.error ?? (e as Error).message;
      throw new FrontdeskError(
        'frontdesk_config_invalid',
        `Slack: could not read the members of user group ${group} from agentGroups (${code}). Check the group id (S…) in the config and that the app has the usergroups:read scope (reinstall it after adding scopes).`,
      );
    }
    await replaceAgentGroup(core, group, users);
  }
  if (core.config.agentGroups.length > 0 && !core.scheduler.jobs().some((j) => j.name === 'agent-groups-refresh'))
    core.scheduler.add('agent-groups-refresh', '* * * * *', () => refreshAgentGroups(core));
  return n;
}

/**
 * Build and start the Slack adapter on a core, register its ChatPort with the outbox.
 * @throws FrontdeskError when settings are missing or Slack rejects the token
 * @example
 * const core = createCore({ config: parseConfig({}), db: openDatabase(':memory:') });
 * const slack = await createSlackAdapter(core, { SLACK_BOT_TOKEN: 'xoxb-…', SLACK_SIGNING_SECRET: '…' });
 * await core.listen(3000);   // Slack posts to http://host:3000/slack/events
 */
export async function createSlackAdapter(core: Core, env: NodeJS.ProcessEnv = core.env, opts: SlackAdapterOptions = {}): Promise<SlackAdapter> {
  const settings = readSlackSettings(env);
  const logger = slackLogger(core.logger);
  const clientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 10_000,
    logger,
  };
  const client = createSlackClient({ token: settings.botToken, apiUrl: settings.apiUrl ?? undefined, timeoutMs: opts.timeoutMs, logger });
  const bot = await identify(client, settings);
  const agents = await loadAgentGroups(core, client);

  const inbox = new Inbox(new InboxRepo(core.db), { platform: 'slack', logger: core.logger, now: opts.now, metrics: core.metrics });
  let receiver: ExpressReceiver | SocketModeReceiver;
  if (settings.mode === 'http') {
    const router = express.Router();
    router.use(
      SLACK_IDS.eventsPath,
      ...slackGate({
        signingSecret: settings.signingSecret!,
        inbox,
        logger: core.logger,
        commands: [SLACK_IDS.command],
        shortcuts: [SLACK_IDS.createTicketShortcut],
        viewCallback: FORM_CALLBACK,
        now: opts.now,
        metrics: core.metrics,
      }),
    );
    receiver = new ExpressReceiver({
      signingSecret: settings.signingSecret!,
      endpoints: SLACK_IDS.eventsPath,
      processBeforeResponse: false,
      app: core.http,
      router,
      logger,
      // The gate has validated the shape; should Bolt still throw, answer 400 (never 500, which makes Slack retry).
      processEventErrorHandler: async ({ error, response }) => {
        core.logger.warn({ err: error }, 'slack: Bolt could not process a request (400)');
        if (!response.headersSent) {
          response.writeHead(400, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ ok: false, error: 'frontdesk_slack_payload_invalid', message: 'the request could not be processed' }));
        }
        return false;
      },
    });
  } else {
    receiver = new SocketModeReceiver({
      appToken: settings.appToken!,
      logger,
      installerOptions: { clientOptions: settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {} },
    });
  }
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: settings.botToken, botUserId: bot.userId, ...(bot.botId ? { botId: bot.botId } : {}) }),
    clientOptions,
    logger,
    convoStore: false,
  });
  app.error(async (err) => {
    core.logger.error({ err }, 'slack: unhandled error in a listener');
  });

  const port = new SlackChatPort(client);
  const ingest = new IngestQueue(core.db, core.logger, inbox);
  const deps: SlackDeps = { core, port, client, bot, ingest };
  registerListeners(app, deps);
  core.registerPort(port);
  if (opts.processInbox !== false)
    // Stored events (and those a crash left pending) go through Bolt's listeners; the HTTP answer was sent long ago.
    inbox.start(async (row) => {
      const handle: InboxHandle = { id: row.id, deferred: false };
      await app.processEvent({
        body: JSON.parse(row.payload) as Record<string, unknown>,
        ack: async () => {},
        ...(row.retry_num ? { retryNum: row.retry_num, retryReason: 'http_timeout' } : {}),
        customProperties: { inbox: handle },
      });
      return handle.deferred ? 'deferred' : 'done';
    });

  let started = false;
  if (settings.mode === 'socket') {
    try {
      await app.start();
      started = true;
    } catch (e) {
      throw new FrontdeskError('frontdesk_slack_unreachable', `Slack: could not open the Socket Mode connection (${(e as Error).message}). Check SLACK_APP_TOKEN (xapp-…, scope connections:write).`);
    }
  }
  const stop = async () => {
    await inbox.stop();
    ingest.flush(true);
    if (!started) return;
    started = false;
    await app.stop().catch((err: unknown) => core.logger.warn({ err }, 'slack: error while disconnecting'));
  };
  core.onClose(stop);
  core.logger.info({ mode: settings.mode, botUserId: bot.userId, agentsFromGroups: agents }, 'slack: adapter ready');
  return { app, port, inbox, client, settings, bot, stop };
}
