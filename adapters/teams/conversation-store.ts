/**
 * Teams conversation references and what frontdesk learned about people and messages, kept
 * in the store (the `conversation_refs` table, platform 'teams') — never only in memory, so SLA
 * pings, DMs and the digest still reach Teams after a restart and from every replica. Read
 * synchronously (ConversationRefRepo): mentions are resolved while a card renders.
 *
 * Keys:
 *   conv:<baseConversationId>  the conversation (channel, group chat, personal chat)
 *   personal:<userId>          the personal (1:1) conversation with a user
 *   member:<userId>            how to reach a user (Teams id, Entra id, name, service URL, tenant)
 *   service                    the latest service URL, tenant and bot account (to reach channels
 *                              the bot has not heard from yet, e.g. a configured digest channel)
 *   msg:<activityId>           where a message the bot sent lives and what it showed
 */
import { ConversationRefRepo } from '../../src/store/conversation-ref-repo.js';
import type { Db } from '../../src/store/db.js';
import type { MessageView } from '../../src/ports/message-view.js';
import type { TeamsConversationType } from './teams-ids.js';

const PLATFORM = 'teams';

/** A Bot Framework ConversationReference as stored (the Activity protocol's own shape). */
export interface StoredReference {
  channelId: string;
  serviceUrl: string;
  conversation: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean; name?: string };
  bot: { id: string; name?: string };
  user?: { id: string; name?: string; aadObjectId?: string };
  locale?: string;
}

export interface StoredConversation {
  reference: StoredReference;
  type: TeamsConversationType;
}

export interface StoredMember {
  /** Teams user id (29:…). */
  teamsId: string;
  aadObjectId?: string;
  name?: string;
  serviceUrl: string;
  tenantId?: string;
  bot: { id: string; name?: string };
}

export interface StoredService {
  serviceUrl: string;
  tenantId?: string;
  bot: { id: string; name?: string };
}

export interface StoredMessage {
  /** Full conversation id the message was posted to (with `;messageid=` in reply chains). */
  conversationId: string;
  /** What the message showed (to re-render it for one user after a card action), or a form marker. */
  view?: MessageView;
  form?: boolean;
}

const DAY = 86_400_000;

export class ConversationStore {
  private lastPrune = 0;
  private readonly refs: ConversationRefRepo;

  constructor(
    db: Db,
    private readonly now: () => number,
    /** Forget sent-message records after this long (default 60 days). */
    private readonly messageTtlMs = 60 * DAY,
  ) {
    this.refs = new ConversationRefRepo(db);
  }

  private put(key: string, value: unknown): void {
    this.refs.put(PLATFORM, key, value, this.now());
  }

  private get<T>(key: string): T | null {
    return this.refs.get<T>(PLATFORM, key);
  }

  /** Remember a conversation by its base id. */
  saveConversation(baseId: string, conv: StoredConversation): void {
    this.put(`conv:${baseId}`, conv);
  }

  conversation(baseId: string): StoredConversation | null {
    return this.get<StoredConversation>(`conv:${baseId}`);
  }

  savePersonal(userId: string, ref: StoredReference): void {
    this.put(`personal:${userId}`, ref);
  }

  personal(userId: string): StoredReference | null {
    return this.get<StoredReference>(`personal:${userId}`);
  }

  saveMember(userId: string, m: StoredMember): void {
    this.put(`member:${userId}`, m);
  }

  member(userId: string): StoredMember | null {
    return this.get<StoredMember>(`member:${userId}`);
  }

  /** Find a member by their Teams id (29:…), e.g. from a mention entity. */
  memberByTeamsId(teamsId: string): { userId: string; member: StoredMember } | null {
    const hit = this.refs.findByField<StoredMember>(PLATFORM, 'member:', 'teamsId', teamsId);
    return hit ? { userId: hit.key.slice('member:'.length), member: hit.value } : null;
  }

  saveService(s: StoredService): void {
    this.put('service', s);
  }

  service(): StoredService | null {
    return this.get<StoredService>('service');
  }

  saveMessage(activityId: string, m: StoredMessage): void {
    this.put(`msg:${activityId}`, m);
    this.pruneMessages();
  }

  message(activityId: string): StoredMessage | null {
    return this.get<StoredMessage>(`msg:${activityId}`);
  }

  /** Drop old sent-message records (at most once an hour). */
  private pruneMessages(): void {
    const now = this.now();
    if (now - this.lastPrune < 3_600_000) return;
    this.lastPrune = now;
    this.refs.prune(PLATFORM, 'msg:', now - this.messageTtlMs);
  }
}
