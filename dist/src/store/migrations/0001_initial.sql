-- 0001: the initial schema. Migrations are numbered and never edited after they ship.
-- Times are epoch milliseconds (INTEGER).

CREATE TABLE tickets (
  id                 INTEGER PRIMARY KEY,
  key                TEXT NOT NULL UNIQUE,
  platform           TEXT NOT NULL,
  channel_id         TEXT NOT NULL,
  source_message_id  TEXT,
  thread_id          TEXT,
  card_message_id    TEXT,
  requester_id       TEXT NOT NULL,
  requester_name     TEXT,
  title              TEXT NOT NULL,
  text               TEXT NOT NULL,
  category           TEXT NOT NULL,
  priority           TEXT NOT NULL CHECK (priority IN ('P0','P1','P2','P3','P4')),
  status             TEXT NOT NULL CHECK (status IN ('new','triaged','acknowledged','in_progress','waiting_on_customer','resolved','closed')),
  owner_id           TEXT,
  team               TEXT NOT NULL,
  signals            TEXT NOT NULL DEFAULT '[]',
  attachments        TEXT NOT NULL DEFAULT '[]',
  sla                TEXT NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  first_response_at  INTEGER,
  resolved_at        INTEGER,
  closed_at          INTEGER,
  paused_ms          INTEGER NOT NULL DEFAULT 0,
  paused_since       INTEGER,
  snoozed_until      INTEGER,
  incident_key       TEXT,
  deleted            INTEGER NOT NULL DEFAULT 0,
  -- When the SLA watcher next needs to look at this ticket (NULL = never, e.g. closed or paused).
  next_sla_check_at  INTEGER,
  reopened_count     INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX tickets_source ON tickets (platform, channel_id, source_message_id) WHERE source_message_id IS NOT NULL;
CREATE INDEX tickets_thread ON tickets (platform, channel_id, thread_id);
CREATE INDEX tickets_sla_due ON tickets (next_sla_check_at) WHERE next_sla_check_at IS NOT NULL;
CREATE INDEX tickets_status ON tickets (status, priority);
CREATE INDEX tickets_open ON tickets (priority, created_at) WHERE status NOT IN ('resolved','closed');
CREATE INDEX tickets_owner ON tickets (owner_id, status);
CREATE INDEX tickets_created ON tickets (created_at);
CREATE INDEX tickets_resolved ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;

-- Append-only timeline.
CREATE TABLE ticket_events (
  id         INTEGER PRIMARY KEY,
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
  type       TEXT NOT NULL,
  actor      TEXT NOT NULL,
  at         INTEGER NOT NULL,
  data       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);
CREATE INDEX ticket_events_type_at ON ticket_events (type, at);
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;

-- Messages in a ticket's conversation (the original, thread replies, bot posts).
CREATE TABLE messages (
  id           INTEGER PRIMARY KEY,
  ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
  platform     TEXT NOT NULL,
  channel_id   TEXT NOT NULL,
  message_id   TEXT NOT NULL,
  author_id    TEXT NOT NULL,
  author_role  TEXT NOT NULL CHECK (author_role IN ('customer','agent','bot')),
  text         TEXT NOT NULL,
  at           INTEGER NOT NULL,
  edited_at    INTEGER,
  deleted      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (platform, channel_id, message_id)
);
CREATE INDEX messages_ticket ON messages (ticket_id, at);

-- Inbound event ids already processed (idempotency for retried deliveries).
CREATE TABLE inbound_events (
  platform   TEXT NOT NULL,
  event_id   TEXT NOT NULL,
  at         INTEGER NOT NULL,
  PRIMARY KEY (platform, event_id)
) WITHOUT ROWID;

-- Durable outbox: every outbound chat message goes through here.
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  idempotency_key  TEXT NOT NULL UNIQUE,
  platform         TEXT NOT NULL,
  channel_id       TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('post','update','ephemeral','dm','card')),
  payload          TEXT NOT NULL,
  ticket_id        INTEGER REFERENCES tickets(id),
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','failed','dropped')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  sent_at          INTEGER,
  result           TEXT,
  last_error       TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_ticket ON outbox (ticket_id);
CREATE INDEX outbox_channel ON outbox (platform, channel_id, id) WHERE status IN ('pending','sending');

-- SLA pings already decided (exactly once per ticket, clock and threshold).
CREATE TABLE sla_pings (
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
  clock      TEXT NOT NULL CHECK (clock IN ('first_response','resolution')),
  threshold  REAL NOT NULL,
  at         INTEGER NOT NULL,
  outcome    TEXT NOT NULL CHECK (outcome IN ('sent','dropped')),
  PRIMARY KEY (ticket_id, clock, threshold)
) WITHOUT ROWID;

-- Labelled examples the learner trains on: imported history and agents' corrections.
CREATE TABLE training_examples (
  id          INTEGER PRIMARY KEY,
  text        TEXT NOT NULL,
  category    TEXT,
  priority    TEXT,
  source      TEXT NOT NULL,
  ticket_id   INTEGER REFERENCES tickets(id),
  created_at  INTEGER NOT NULL
);

-- Per-ticket counter for human ids (T-1001, ...).
CREATE TABLE counters (
  name   TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('ticket', 1000);

-- Full-text search over ticket text for "similar past tickets".
CREATE VIRTUAL TABLE tickets_fts USING fts5 (title, text, content='tickets', content_rowid='id', tokenize='porter unicode61');
CREATE TRIGGER tickets_fts_ai AFTER INSERT ON tickets BEGIN
  INSERT INTO tickets_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER tickets_fts_ad AFTER DELETE ON tickets BEGIN
  INSERT INTO tickets_fts (tickets_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER tickets_fts_au AFTER UPDATE OF title, text ON tickets BEGIN
  INSERT INTO tickets_fts (tickets_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO tickets_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;

-- Platform conversation references for proactive messages (Teams), user directory cache.
CREATE TABLE conversation_refs (
  platform    TEXT NOT NULL,
  key         TEXT NOT NULL,
  reference   TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (platform, key)
) WITHOUT ROWID;

-- AI: one row per model call (cost and cache accounting), drafts and plans.
CREATE TABLE ai_calls (
  id                  INTEGER PRIMARY KEY,
  at                  INTEGER NOT NULL,
  purpose             TEXT NOT NULL,
  model               TEXT NOT NULL,
  ticket_id           INTEGER REFERENCES tickets(id),
  input_tokens        INTEGER NOT NULL DEFAULT 0,
  output_tokens       INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens   INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens  INTEGER NOT NULL DEFAULT 0,
  latency_ms          INTEGER NOT NULL DEFAULT 0,
  outcome             TEXT NOT NULL
);
CREATE INDEX ai_calls_at ON ai_calls (at);

CREATE TABLE drafts (
  id           INTEGER PRIMARY KEY,
  ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
  persona      TEXT NOT NULL,
  text         TEXT NOT NULL,
  sources      TEXT NOT NULL DEFAULT '[]',
  suggestions  TEXT NOT NULL DEFAULT '[]',
  path         TEXT NOT NULL CHECK (path IN ('ai','offline')),
  status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','discarded','superseded')),
  created_at   INTEGER NOT NULL,
  decided_by   TEXT,
  decided_at   INTEGER
);
CREATE INDEX drafts_ticket ON drafts (ticket_id, id);

CREATE TABLE plans (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
  stages      TEXT NOT NULL,
  path        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE INDEX plans_ticket ON plans (ticket_id, id);

-- Routing state (round-robin cursor per team).
CREATE TABLE routing_state (
  team         TEXT PRIMARY KEY,
  last_member  TEXT,
  updated_at   INTEGER NOT NULL
) WITHOUT ROWID;

-- Escalation prompts raised (triage-time prompts are raised once per ticket and rule).
CREATE TABLE escalations (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
  rule_id     TEXT NOT NULL,
  reason      TEXT NOT NULL,
  target      TEXT NOT NULL,
  related     TEXT NOT NULL DEFAULT '[]',
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','declined','linked')),
  created_at  INTEGER NOT NULL,
  decided_by  TEXT,
  decided_at  INTEGER,
  UNIQUE (ticket_id, rule_id)
);

-- Digests posted (once per channel, kind and period).
CREATE TABLE digests_sent (
  channel_id  TEXT NOT NULL,
  kind        TEXT NOT NULL,
  period      TEXT NOT NULL,
  at          INTEGER NOT NULL,
  PRIMARY KEY (channel_id, kind, period)
) WITHOUT ROWID;
