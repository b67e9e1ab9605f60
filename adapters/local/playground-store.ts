/**
 * PlaygroundStore: the local playground's "chat platform" — channels, messages, threads,
 * reactions, ephemerals and forms — kept in SQLite next to the tickets, in tables of the
 * playground's own migration (adapters/local/migrations/0003_local_playground.sql, applied with
 * the core's by the composition root, adapters/compose.ts).
 *
 * Two callers share it: the local adapter (LocalChatPort, the HTTP/SSE server, the HTML
 * renderer) and `frontdesk demo` (adapters/local/demo), which seeds the same tables.
 * It stores MessageViews as data; turning them into HTML is render-html.ts's job.
 */
import { fileURLToPath } from 'node:url';
import { ChatDeliveryError, InputInvalidError } from '../../src/domain/errors.js';
import type { Db } from '../../src/store/db.js';
import type { FormView, MessageView } from '../../src/ports/message-view.js';

/** The playground's migrations (its tables live in the desk's database; versions share one sequence with the core's). */
export const LOCAL_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export type LocalMessageKind = 'message' | 'ephemeral' | 'dm';

export interface LocalReaction {
  emoji: string;
  users: string[];
}

export interface LocalMessage {
  /** Wire id, e.g. "m12". */
  id: string;
  channelId: string;
  /** Parent message id for thread replies, else null. */
  threadId: string | null;
  authorId: string;
  isBot: boolean;
  kind: LocalMessageKind;
  /** null = everyone in the channel; otherwise the one user who sees it. */
  visibleTo: string | null;
  /** What a person typed, or the bot view's plain-text fallback. */
  text: string;
  /** The bot's message view; null for messages people typed. */
  view: MessageView | null;
  meta: Record<string, unknown>;
  createdAt: number;
  editedAt: number | null;
  rev: number;
  reactions: LocalReaction[];
}

export interface LocalChannel {
  id: string;
  kind: 'channel' | 'dm';
  topic: string;
  memberId: string | null;
  createdAt: number;
}

export interface LocalForm {
  id: number;
  userId: string;
  trigger: string;
  form: FormView;
  status: 'open' | 'submitted' | 'cancelled';
  createdAt: number;
  rev: number;
}

/** What changed, for the live view and for tests that watch the "wire". */
export type StoreWrite =
  | { op: 'post' | 'update' | 'ephemeral' | 'dm' | 'human' | 'react'; message: LocalMessage }
  | { op: 'form'; form: LocalForm }
  | { op: 'channel'; channel: LocalChannel };

export type WriteListener = (w: StoreWrite) => void;

interface MessageRow {
  id: number;
  channel_id: string;
  thread_id: string | null;
  author_id: string;
  is_bot: number;
  kind: LocalMessageKind;
  visible_to: string | null;
  text: string;
  view: string | null;
  meta: string;
  created_at: number;
  edited_at: number | null;
  rev: number;
}

interface FormRow {
  id: number;
  user_id: string;
  trigger: string;
  form: string;
  status: LocalForm['status'];
  created_at: number;
  rev: number;
}

interface ChannelRow {
  id: string;
  kind: 'channel' | 'dm';
  topic: string;
  member_id: string | null;
  created_at: number;
}

/** The bot's author id in the playground. */
export const BOT_ID = 'frontdesk';

const CHANNEL_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** "m12" → 12, or null when it is not a playground message id. */
export function parseMessageId(id: string): number | null {
  const m = /^m(\d{1,15})$/.exec(id);
  return m ? Number(m[1]) : null;
}

/** The DM channel between the bot and one person. */
export function dmChannelId(userId: string): string {
  return `dm:${userId}`;
}

function toChannel(r: ChannelRow): LocalChannel {
  return { id: r.id, kind: r.kind, topic: r.topic, memberId: r.member_id, createdAt: r.created_at };
}

function toForm(r: FormRow): LocalForm {
  return { id: r.id, userId: r.user_id, trigger: r.trigger, form: JSON.parse(r.form) as FormView, status: r.status, createdAt: r.created_at, rev: r.rev };
}

export class PlaygroundStore {
  private readonly listeners: WriteListener[] = [];

  constructor(readonly db: Db) {}

  /** Hear about every write (after it is committed). */
  onWrite(fn: WriteListener): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private emit(w: StoreWrite): void {
    for (const fn of this.listeners) fn(w);
  }

  private nextRev(): number {
    const r = this.db.prepare<[], { value: number }>("UPDATE local_revisions SET value = value + 1 WHERE name = 'rev' RETURNING value").get();
    return r!.value;
  }

  /** The latest revision written (by this process or any other on the same file). */
  currentRev(): number {
    return this.db.prepare<[], { value: number }>("SELECT value FROM local_revisions WHERE name = 'rev'").get()?.value ?? 0;
  }

  // ------------------------------------------------------------------ channels

  /** Public channels, plus the DM of `viewer` if they have one. */
  channels(viewer?: string): LocalChannel[] {
    const rows = this.db
      .prepare<[string], ChannelRow>("SELECT * FROM local_channels WHERE kind = 'channel' OR member_id = ? ORDER BY kind, created_at, id")
      .all(viewer ?? '');
    return rows.map(toChannel);
  }

  channel(id: string): LocalChannel | null {
    const r = this.db.prepare<[string], ChannelRow>('SELECT * FROM local_channels WHERE id = ?').get(id);
    return r ? toChannel(r) : null;
  }

  /**
   * Create a public channel. Names are lower case letters, digits, "-" and "_" (like Slack's).
   * @example store.createChannel('billing-help', 'Questions about invoices', clock.now())
   */
  createChannel(name: string, topic: string, at: number): LocalChannel {
    const id = name.trim().replace(/^#/, '').toLowerCase();
    if (!CHANNEL_NAME.test(id)) throw new InputInvalidError('Channel names use lower-case letters, digits, "-" and "_" (at most 40), e.g. billing-help.');
    if (this.channel(id)) throw new InputInvalidError(`#${id} already exists.`);
    return this.ensureChannel(id, at, topic.slice(0, 250));
  }

  /** Make sure a channel exists (the bot may post to a channel the config names, e.g. a digest channel). */
  ensureChannel(id: string, at: number, topic = ''): LocalChannel {
    const existing = this.channel(id);
    if (existing) return existing;
    const dm = id.startsWith('dm:');
    this.db
      .prepare('INSERT OR IGNORE INTO local_channels (id, kind, topic, member_id, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, dm ? 'dm' : 'channel', topic, dm ? id.slice(3) : null, at);
    const ch = this.channel(id)!;
    this.emit({ op: 'channel', channel: ch });
    return ch;
  }

  // ------------------------------------------------------------------ messages

  private row(id: number): MessageRow | undefined {
    return this.db.prepare<[number], MessageRow>('SELECT * FROM local_messages WHERE id = ?').get(id);
  }

  private reactionsOf(ids: number[]): Map<number, LocalReaction[]> {
    const out = new Map<number, LocalReaction[]>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare<number[], { message_id: number; user_id: string; emoji: string }>(
        `SELECT message_id, user_id, emoji FROM local_reactions WHERE message_id IN (${ids.map(() => '?').join(',')}) ORDER BY at, user_id`,
      )
      .all(...ids);
    for (const r of rows) {
      const list = out.get(r.message_id) ?? [];
      let entry = list.find((x) => x.emoji === r.emoji);
      if (!entry) {
        entry = { emoji: r.emoji, users: [] };
        list.push(entry);
      }
      entry.users.push(r.user_id);
      out.set(r.message_id, list);
    }
    return out;
  }

  private hydrate(rows: MessageRow[]): LocalMessage[] {
    const reactions = this.reactionsOf(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: `m${r.id}`,
      channelId: r.channel_id,
      threadId: r.thread_id,
      authorId: r.author_id,
      isBot: r.is_bot === 1,
      kind: r.kind,
      visibleTo: r.visible_to,
      text: r.text,
      view: r.view ? (JSON.parse(r.view) as MessageView) : null,
      meta: JSON.parse(r.meta) as Record<string, unknown>,
      createdAt: r.created_at,
      editedAt: r.edited_at,
      rev: r.rev,
      reactions: reactions.get(r.id) ?? [],
    }));
  }

  /** One message by wire id, or null. */
  get(messageId: string): LocalMessage | null {
    const n = parseMessageId(messageId);
    const r = n === null ? undefined : this.row(n);
    return r ? this.hydrate([r])[0]! : null;
  }

  /** Thread replies go under the top-level message (a reply to a reply joins the same thread). */
  private threadRoot(channelId: string, threadId: string | null | undefined): string | null {
    if (!threadId) return null;
    const parent = this.get(threadId);
    if (!parent || parent.channelId !== channelId) throw new ChatDeliveryError(`thread ${threadId} not found in ${channelId}`, false);
    return parent.threadId ?? parent.id;
  }

  private insert(m: {
    channelId: string;
    threadId?: string | null;
    authorId: string;
    isBot: boolean;
    kind: LocalMessageKind;
    visibleTo?: string | null;
    text: string;
    view?: MessageView | null;
    meta?: Record<string, unknown>;
    at: number;
  }): LocalMessage {
    const id = this.db.transaction(() => {
      this.ensureChannel(m.channelId, m.at);
      const thread = this.threadRoot(m.channelId, m.threadId);
      const info = this.db
        .prepare(`INSERT INTO local_messages (channel_id, thread_id, author_id, is_bot, kind, visible_to, text, view, meta, created_at, rev)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(
          m.channelId,
          thread,
          m.authorId,
          m.isBot ? 1 : 0,
          m.kind,
          m.visibleTo ?? null,
          m.text,
          m.view ? JSON.stringify(m.view) : null,
          JSON.stringify(m.meta ?? {}),
          m.at,
          this.nextRev(),
        );
      return Number(info.lastInsertRowid);
    })();
    return this.hydrate([this.row(id)!])[0]!;
  }

  /**
   * A person's message (never interpreted as markup when shown).
   * @example store.postHuman({ channelId: 'support', authorId: 'alex', text: 'Login fails', at: clock.now() })
   */
  postHuman(m: { channelId: string; threadId?: string | null; authorId: string; text: string; at: number }): LocalMessage {
    const msg = this.insert({ ...m, isBot: false, kind: 'message' });
    this.emit({ op: 'human', message: msg });
    return msg;
  }

  /** A bot message: public (kind 'message'), for one user in a channel ('ephemeral'), or a DM ('dm'). */
  postBot(m: {
    channelId: string;
    threadId?: string | null;
    view: MessageView;
    kind?: LocalMessageKind;
    visibleTo?: string | null;
    meta?: Record<string, unknown>;
    /** Posted by the bot in this person's name (an agent's reply to a customer). */
    as?: string;
    at: number;
  }): LocalMessage {
    const kind = m.kind ?? 'message';
    if (kind !== 'message' && !m.visibleTo) throw new ChatDeliveryError(`${kind} messages need the user who sees them`, false);
    const msg = this.insert({ ...m, kind, authorId: m.as ?? BOT_ID, isBot: true, text: m.view.text });
    this.emit({ op: kind === 'message' ? 'post' : kind, message: msg });
    return msg;
  }

  /** Replace a bot message's view in place (ticket cards). */
  updateBot(channelId: string, messageId: string, view: MessageView, at: number): LocalMessage {
    const n = parseMessageId(messageId);
    const row = n === null ? undefined : this.row(n);
    if (!row || row.channel_id !== channelId) throw new ChatDeliveryError(`message ${messageId} not found in ${channelId}`, false);
    if (row.is_bot !== 1) throw new ChatDeliveryError(`message ${messageId} was not posted by the bot and cannot be updated by it`, false);
    this.db.transaction(() =>
      this.db.prepare('UPDATE local_messages SET view = ?, text = ?, edited_at = ?, rev = ? WHERE id = ?').run(JSON.stringify(view), view.text, at, this.nextRev(), row.id),
    )();
    const msg = this.hydrate([this.row(row.id)!])[0]!;
    this.emit({ op: 'update', message: msg });
    return msg;
  }

  /** Add (on = true) or remove a reaction. Returns the message, or null when it does not exist. */
  react(messageId: string, userId: string, emoji: string, on: boolean, at: number): LocalMessage | null {
    const n = parseMessageId(messageId);
    if (n === null || !this.row(n)) return null;
    if (!/^[a-z0-9_+-]{1,40}$/.test(emoji)) throw new InputInvalidError(`"${emoji}" is not an emoji name`);
    this.db.transaction(() => {
      if (on) this.db.prepare('INSERT OR IGNORE INTO local_reactions (message_id, user_id, emoji, at) VALUES (?, ?, ?, ?)').run(n, userId, emoji, at);
      else this.db.prepare('DELETE FROM local_reactions WHERE message_id = ? AND user_id = ? AND emoji = ?').run(n, userId, emoji);
      this.db.prepare('UPDATE local_messages SET rev = ? WHERE id = ?').run(this.nextRev(), n);
    })();
    const msg = this.hydrate([this.row(n)!])[0]!;
    this.emit({ op: 'react', message: msg });
    return msg;
  }

  /** Can `viewer` see this message? */
  static visible(m: Pick<LocalMessage, 'visibleTo'>, viewer: string): boolean {
    return m.visibleTo === null || m.visibleTo === viewer;
  }

  /** The latest `limit` top-level messages of a channel and all their replies, as `viewer` sees them, oldest first. */
  messagesFor(channelId: string, viewer: string, limit = 300): LocalMessage[] {
    const rows = this.db
      .prepare<[string, string, number, string, string], MessageRow>(
        `WITH top AS (
           SELECT id FROM local_messages WHERE channel_id = ? AND thread_id IS NULL AND (visible_to IS NULL OR visible_to = ?)
           ORDER BY id DESC LIMIT ?)
         SELECT m.* FROM local_messages m
         WHERE m.id IN (SELECT id FROM top)
            OR (m.channel_id = ? AND m.thread_id IN (SELECT 'm' || id FROM top) AND (m.visible_to IS NULL OR m.visible_to = ?))
         ORDER BY m.created_at, m.id`,
      )
      .all(channelId, viewer, limit, channelId, viewer);
    return this.hydrate(rows);
  }

  /** Every message in a channel (tests, the demo). */
  allMessages(channelId?: string): LocalMessage[] {
    const rows = channelId
      ? this.db.prepare<[string], MessageRow>('SELECT * FROM local_messages WHERE channel_id = ? ORDER BY id').all(channelId)
      : this.db.prepare<[], MessageRow>('SELECT * FROM local_messages ORDER BY id').all();
    return this.hydrate(rows);
  }

  /** Messages and forms written after revision `rev` (by any process), oldest first, at most `limit` revisions at a time. */
  changedSince(rev: number, limit = 500): { messages: LocalMessage[]; forms: LocalForm[]; rev: number } {
    const upper = Math.min(this.currentRev(), rev + limit);
    if (upper <= rev) return { messages: [], forms: [], rev };
    const rows = this.db.prepare<[number, number], MessageRow>('SELECT * FROM local_messages WHERE rev > ? AND rev <= ? ORDER BY rev').all(rev, upper);
    const forms = this.db.prepare<[number, number], FormRow>('SELECT * FROM local_forms WHERE rev > ? AND rev <= ? ORDER BY rev').all(rev, upper);
    return { messages: this.hydrate(rows), forms: forms.map(toForm), rev: upper };
  }

  // ------------------------------------------------------------------ forms

  /** Record a form opened for a user; the browser shows it as a dialog. */
  openForm(userId: string, trigger: string, form: FormView, at: number): LocalForm {
    const info = this.db.transaction(() =>
      this.db.prepare('INSERT INTO local_forms (user_id, trigger, form, created_at, rev) VALUES (?, ?, ?, ?, ?)').run(userId, trigger, JSON.stringify(form), at, this.nextRev()),
    )();
    const f = this.form(Number(info.lastInsertRowid))!;
    this.emit({ op: 'form', form: f });
    return f;
  }

  form(id: number): LocalForm | null {
    const r = this.db.prepare<[number], FormRow>('SELECT * FROM local_forms WHERE id = ?').get(id);
    return r ? toForm(r) : null;
  }

  /** Mark a form submitted or cancelled; false when it was not open. */
  closeForm(id: number, status: 'submitted' | 'cancelled'): boolean {
    return this.db.prepare("UPDATE local_forms SET status = ? WHERE id = ? AND status = 'open'").run(status, id).changes > 0;
  }

  /** Forms still open for a user (shown again after a reload). */
  openFormsFor(userId: string): LocalForm[] {
    return this.db.prepare<[string], FormRow>("SELECT * FROM local_forms WHERE user_id = ? AND status = 'open' ORDER BY id").all(userId).map(toForm);
  }

  // ------------------------------------------------------------------ settings

  setting(key: string): string | null {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM local_settings WHERE key = ?').get(key)?.value ?? null;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO local_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Has anything been posted yet? (The demo seeds only once unless asked.) */
  messageCount(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM local_messages').get()?.n ?? 0;
  }
}
