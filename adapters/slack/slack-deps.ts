/**
 * What every Slack listener gets: the core, the Slack ChatPort and its WebClient, and the
 * bot's identity. Listeners stay thin: parse the payload, call the core, render the answer.
 */
import type { webApi } from '@slack/bolt';
import type { Core } from '../../src/app.js';
import type { IngestQueue } from './ingest-queue.js';
import type { SlackChatPort } from './slack-chat-port.js';

export interface SlackDeps {
  core: Core;
  port: SlackChatPort;
  client: InstanceType<typeof webApi.WebClient>;
  bot: { userId: string; botId: string | null };
  /** Group-commit queue for the synchronous core work inbound messages cause. */
  ingest: IngestQueue;
}
