/**
 * The Microsoft Teams adapter: mounts `POST /api/messages` on the core's HTTP server, checks
 * the settings (no silent unauthenticated mode), stores work activities before answering them
 * (durable-turn.ts), and registers the Teams ChatPort with the
 * outbox. `createTeamsAdapter(core, env)` is what tests call; `teamsAdapter` is the registry entry.
 */
import express, { type Request, type Response } from 'express';
import type { Core } from '../../src/app.js';
import type { AdapterModule } from '../adapter-module.js';
import { BotConnector } from './bot-connector.js';
import { TeamsBot } from './bot.js';
import { ConversationStore } from './conversation-store.js';
import { durableTurns } from './durable-turn.js';
import { Inbox } from '../../src/inbound/inbox.js';
import { InboxRepo } from '../../src/store/inbox-repo.js';
import type { MentionResolver } from './render-card.js';
import { TeamsChatPort } from './teams-chat-port.js';
import { INSECURE_LOCAL_VAR, isLoopbackHost, readTeamsSettings, type TeamsSettings, teamsRequested } from './teams-env.js';

export const TEAMS_ROUTE = '/api/messages';

export interface TeamsAdapter {
  settings: TeamsSettings;
  port: TeamsChatPort;
  bot: TeamsBot;
  store: ConversationStore;
  /** Activities stored before they are handled (see durable-turn.ts). */
  inbox: Inbox;
  connector: BotConnector;
}

function isLoopbackUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * Build the Teams adapter on a core: validates the environment, mounts `POST /api/messages`
 * and registers the ChatPort (rate 7/s per conversation) with the outbox.
 * @throws FrontdeskError when the Teams variables are missing or inconsistent
 * @example const teams = createTeamsAdapter(core, { FRONTDESK_TEAMS_INSECURE_LOCAL: '1' });
 */
export function createTeamsAdapter(core: Core, env: NodeJS.ProcessEnv = core.env): TeamsAdapter {
  const settings = readTeamsSettings(env);
  const logger = core.logger.child({ adapter: 'teams' });
  const store = new ConversationStore(core.db, () => core.clock.now());
  // Log errors as message and status only: connector errors carry the request (with its token).
  const describeError = (e: unknown) => ({ error: e instanceof Error ? e.message : String(e), status: (e as { statusCode?: number }).statusCode });
  const connector = new BotConnector(settings, (err, activity) =>
    logger.error({ ...describeError(err), activityType: activity.type, activityId: activity.id }, 'teams: turn failed'),
  );
  const resolveMention: MentionResolver = (userId) => {
    const m = store.member(userId);
    const known = core.directory.nameOf(userId);
    return { id: m?.teamsId ?? userId, name: m?.name ?? (known !== userId ? known : userId) };
  };
  const port = new TeamsChatPort(connector, store, resolveMention, logger);
  const bot = new TeamsBot(core, store, port, logger);
  const inbox = new Inbox(new InboxRepo(core.db), { platform: 'teams', logger, metrics: core.metrics });
  const turn = durableTurns(bot, inbox, connector, logger);
  core.onClose(() => inbox.stop());
  if (settings.mode === 'insecure-local') logger.warn(`${INSECURE_LOCAL_VAR}=1: Teams requests are NOT authenticated (local testing only)`);

  core.http.post(TEAMS_ROUTE, express.json({ limit: '1mb' }), async (req: Request, res: Response) => {
    // Without authentication nothing proves a request came from Microsoft: only talk back to a loopback connector.
    if (settings.mode === 'insecure-local' && !isLoopbackUrl((req.body as { serviceUrl?: unknown } | undefined)?.serviceUrl)) {
      res.status(403).json({ error: `${INSECURE_LOCAL_VAR}=1 only accepts activities whose serviceUrl is on 127.0.0.1` });
      return;
    }
    try {
      await connector.process(req, res, turn);
    } catch (e) {
      logger.error(describeError(e), 'teams: request failed');
      if (!res.headersSent) res.status(500).end();
    }
  });
  core.registerPort(port);
  return { settings, port, bot, store, connector, inbox };
}

/** The registry entry: runs when any Teams variable (or the insecure local flag) is set. */
export const teamsAdapter: AdapterModule = {
  name: 'teams',
  enabled: teamsRequested,
  validateEnv: (env) => {
    readTeamsSettings(env);
  },
  async start(core) {
    createTeamsAdapter(core, core.env);
  },
  describe(env, where) {
    const s = readTeamsSettings(env);
    const url = `http://${where.host}:${where.port}${TEAMS_ROUTE}`;
    return s.mode === 'insecure-local'
      ? `Microsoft Teams: ${url}  (INSECURE local test mode: requests are not authenticated)`
      : `Microsoft Teams: ${url}  (${s.appType} app ${s.appId})`;
  },
};
