-- 0003: the local playground's chat surface (adapters/local): channels, messages, threads,
-- reactions, who sees ephemerals, and open forms. It lives in the same database as the
-- tickets, so what is done in the browser survives restarts and shows in the CLI.
-- Times are epoch milliseconds on the bot's clock.

CREATE TABLE local_channels (
  id          TEXT PRIMARY KEY,            -- the channel name ("support"), or "dm:<user id>" for a DM with the bot
  kind        TEXT NOT NULL CHECK (kind IN ('channel','dm')),
  topic       TEXT NOT NULL DEFAULT '',
  member_id   TEXT,                        -- for DMs: the one person who sees it
  created_at  INTEGER NOT NULL
);

-- One counter shared by messages and forms: every write takes the next revision, so the
-- server can push "everything after revision N" to browsers (also writes from other processes).
CREATE TABLE local_revisions (
  name   TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO local_revisions (name, value) VALUES ('rev', 0);

CREATE TABLE local_messages (
  id          INTEGER PRIMARY KEY,         -- message id on the wire is 'm' || id
  channel_id  TEXT NOT NULL REFERENCES local_channels(id),
  thread_id   TEXT,                        -- parent message id ('m12') for thread replies
  author_id   TEXT NOT NULL,               -- a person's id, or 'frontdesk' for the bot
  is_bot      INTEGER NOT NULL DEFAULT 0,
  kind        TEXT NOT NULL CHECK (kind IN ('message','ephemeral','dm')),
  visible_to  TEXT,                        -- NULL = everyone in the channel; else only this user
  text        TEXT NOT NULL,               -- what a person typed, or the view's plain-text fallback
  view        TEXT,                        -- the bot's MessageView (JSON), rendered to HTML when read
  meta        TEXT NOT NULL DEFAULT '{}',  -- e.g. {"command":"/ticket list"}
  created_at  INTEGER NOT NULL,
  edited_at   INTEGER,
  rev         INTEGER NOT NULL
);
CREATE INDEX local_messages_channel ON local_messages (channel_id, id);
CREATE INDEX local_messages_thread ON local_messages (thread_id) WHERE thread_id IS NOT NULL;
CREATE INDEX local_messages_rev ON local_messages (rev);

CREATE TABLE local_reactions (
  message_id  INTEGER NOT NULL REFERENCES local_messages(id),
  user_id     TEXT NOT NULL,
  emoji       TEXT NOT NULL,               -- name without colons: eyes, white_check_mark, ticket
  at          INTEGER NOT NULL,
  PRIMARY KEY (message_id, user_id, emoji)
) WITHOUT ROWID;

CREATE TABLE local_forms (
  id          INTEGER PRIMARY KEY,
  user_id     TEXT NOT NULL,
  trigger     TEXT NOT NULL,
  form        TEXT NOT NULL,               -- the FormView (JSON)
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','submitted','cancelled')),
  created_at  INTEGER NOT NULL,
  rev         INTEGER NOT NULL
);
CREATE INDEX local_forms_rev ON local_forms (rev);

-- Small playground settings, e.g. how far the bot's clock runs ahead of real time, so a
-- restart keeps the time the person jumped to (messages and tickets stay in order).
CREATE TABLE local_settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO local_channels (id, kind, topic, created_at) VALUES ('support', 'channel', 'Ask the support team anything. frontdesk turns requests into tickets.', 0);
