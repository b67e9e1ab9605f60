/**
 * ChatPort: what the core calls to talk to a chat platform. Slack, Teams and the local
 * playground each implement it; one contract suite (tests/contract/chat-port-contract.ts)
 * runs against every implementation.
 *
 * Implementations throw ChatDeliveryError (retryable or not, with retryAfterMs for 429s) so
 * the outbox can decide what to do. They never retry on their own for long.
 */
import type { FormView, MessageView } from '../views/message-view.js';

export interface PostResult {
  /** Platform id of the new message (Slack ts, Teams activity id, local id). */
  messageId: string;
  channelId: string;
}

/** Post in a person's name (an agent's reply to a customer): Slack username/icon, Teams name line, playground author. */
export interface Sender {
  userId: string;
  name: string;
}

export interface ChatPort {
  readonly platform: 'slack' | 'teams' | 'local';
  /** Messages per second per channel the platform tolerates (Slack ≈1, Teams ≈7). */
  readonly ratePerChannelPerSec: number;
  /** Post a message in a channel, or in a thread when threadId is given. */
  post(req: { channelId: string; threadId?: string | null; view: MessageView; as?: Sender }): Promise<PostResult>;
  /** Replace a message in place (ticket cards). */
  update(req: { channelId: string; messageId: string; view: MessageView }): Promise<void>;
  /** A message only `userId` sees. */
  postEphemeral(req: { channelId: string; userId: string; threadId?: string | null; view: MessageView }): Promise<void>;
  /** A direct message to one person. */
  dm(req: { userId: string; view: MessageView }): Promise<PostResult>;
  /** Open a form; `trigger` is the platform's handle from the interaction that asked for it. */
  openForm(req: { trigger: string; userId: string; form: FormView }): Promise<void>;
  /** A link to a message (shown on a card in the triage channel); null when the platform has none. */
  permalink?(req: { channelId: string; messageId: string }): Promise<string | null>;
}
