/**
 * ChatPort: what the core calls to talk to a chat platform. Slack, Teams and the local
 * playground each implement it; one contract suite (tests/contract/chat-port-contract.ts)
 * runs against every implementation.
 *
 * Implementations throw ChatDeliveryError (retryable or not, with retryAfterMs for 429s) so
 * the outbox can decide what to do. They never retry on their own for long.
 *
 * Crash-safe delivery: the outbox passes each post a `tag` (its row key). A platform that can
 * attach data to a message and list a channel's or thread's messages implements
 * `findDelivered`, so a send that may have landed before a crash (or a timeout) is found and
 * adopted instead of posted again. Platforms that cannot look (Teams) leave it out and get
 * at-least-once delivery for those rare cases.
 */
import type { FormView, MessageView } from './message-view.js';

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

/** Marks a message with the outbox row that delivers it (Slack: message metadata). */
export interface DeliveryTag {
  /** The outbox row's idempotency key. */
  key: string;
}

/** Where to look for a message that carries `key`: a channel (or thread), or a DM with `userId`. */
export interface FindDeliveredRequest {
  key: string;
  channelId?: string;
  userId?: string;
  threadId?: string | null;
  /** Epoch ms of the first attempt: the search goes back to a little before it, not further. */
  since: number;
}

export interface ChatPort {
  readonly platform: 'slack' | 'teams' | 'local';
  /** Messages per second per channel the platform tolerates (Slack ≈1, Teams ≈7). */
  readonly ratePerChannelPerSec: number;
  /** Post a message in a channel, or in a thread when threadId is given. */
  post(req: { channelId: string; threadId?: string | null; view: MessageView; tag?: DeliveryTag; as?: Sender }): Promise<PostResult>;
  /** Replace a message in place (ticket cards). */
  update(req: { channelId: string; messageId: string; view: MessageView; tag?: DeliveryTag }): Promise<void>;
  /** A message only `userId` sees. */
  postEphemeral(req: { channelId: string; userId: string; threadId?: string | null; view: MessageView }): Promise<void>;
  /** A direct message to one person. */
  dm(req: { userId: string; view: MessageView; tag?: DeliveryTag }): Promise<PostResult>;
  /** Open a form; `trigger` is the platform's handle from the interaction that asked for it. */
  openForm(req: { trigger: string; userId: string; form: FormView }): Promise<void>;
  /** A link to a message (shown on a card in the triage channel); null when the platform has none. */
  permalink?(req: { channelId: string; messageId: string }): Promise<string | null>;
  /**
   * Optional: the message a post or DM tagged with `req.key` left, if it is there (searching
   * the channel or thread from a little before `req.since`), else null.
   */
  findDelivered?(req: FindDeliveredRequest): Promise<PostResult | null>;
}
