/**
 * Teams conversation references and what frontdesk learned about people and messages, kept
 * in SQLite (the `conversation_refs` table, platform 'teams') — never only in memory, so SLA
 * pings, DMs and the digest still reach Teams after a restart.
 *
 * Keys:
 *   conv:<baseConversationId>  the conversation (channel, group chat, personal chat)
 *   personal:<userId>          the personal (1:1) conversation with a user
 *   member:<userId>            how to reach a user (Teams id, Entra id, name, service URL, tenant)
 *   service                    the latest service URL, tenant and bot account (to reach channels
 *                              the bot has not heard from yet, e.g. a configured digest channel)
 *   msg:<activityId>           where a message the bot sent lives and what it showed
 */
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

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    /** Forget sent-message records after this long (default 60 days). */
    private readonly messageTtlMs = 60 * DAY,
  ) {}

  private put(key: string, value: unknown): void {
    this.db
      .prepare(
        `INSERT INTO conversation_refs (platform, key, reference, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (platform, key) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at`,
      )
      .run(PLATFORM, key, JSON.stringify(value), this.now());
  }

  private get<T>(key: string): T | null {
    const row = this.db.prepare<[string, string], { reference: string }>('SELECT reference FROM conversation_refs WHERE platform = ? AND key = ?').get(PLATFORM, key);
    return row ? (JSON.parse(row.reference) as T) : null;
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
    const row = this.db
      .prepare<[string, string], { key: string; reference: string }>(
        "SELECT key, reference FROM conversation_refs WHERE platform = ? AND key LIKE 'member:%' AND reference ->> '$.teamsId' = ? ORDER BY updated_at DESC LIMIT 1",
      )
      .get(PLATFORM, teamsId);
    return row ? { userId: row.key.slice('member:'.length), member: JSON.parse(row.reference) as StoredMember } : null;
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
    this.db.prepare("DELETE FROM conversation_refs WHERE platform = ? AND key LIKE 'msg:%' AND updated_at < ?").run(PLATFORM, now - this.messageTtlMs);
  }
}
