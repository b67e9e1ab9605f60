/**
 * The Slack entry in the adapter registry: runs when any Slack credential is set, refuses to
 * start half-configured, and describes where Slack should send requests.
 */
import type { AdapterModule } from '../adapter-module.js';
import { createSlackAdapter } from './app.js';
import { readSlackSettings, slackRequested } from './slack-env.js';
import { SLACK_IDS } from './slack-ids.js';

export { createSlackAdapter } from './app.js';

export const slackAdapter: AdapterModule = {
  name: 'slack',
  enabled: slackRequested,
  validateEnv(env) {
    readSlackSettings(env);
  },
  async start(core) {
    await createSlackAdapter(core, core.env);
  },
  describe(env, where) {
    const s = readSlackSettings(env);
    return s.mode === 'socket'
      ? 'Slack (Socket Mode): connected with SLACK_APP_TOKEN; no public URL needed'
      : `Slack (HTTP mode): point Event Subscriptions, Slash Commands and Interactivity at https://<your public host>${SLACK_IDS.eventsPath} (listening on http://${where.host}:${where.port}${SLACK_IDS.eventsPath})`;
  },
};
