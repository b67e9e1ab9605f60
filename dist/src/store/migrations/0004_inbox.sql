-- Durable ingest: every inbound platform delivery that is work for the core (Slack Events API
-- events, Teams message activities) is stored here BEFORE it is acknowledged, then processed
-- from here. (platform, delivery_id) de-duplicates re-deliveries (Slack event_id, Teams activity id).
CREATE TABLE inbox (
  id           INTEGER PRIMARY KEY,
  platform     TEXT NOT NULL,
  delivery_id  TEXT NOT NULL,
  payload      TEXT NOT NULL,
  retry_num    INTEGER NOT NULL DEFAULT 0,
  received_at  INTEGER NOT NULL,
  status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  processed_at INTEGER,
  -- An invoke's HTTP answer (Teams), replayed for a re-delivered invoke instead of running it twice.
  result       TEXT,
  UNIQUE (platform, delivery_id)
);
CREATE INDEX inbox_pending ON inbox (platform, id) WHERE status = 'pending';
CREATE INDEX inbox_done ON inbox (processed_at) WHERE status = 'done';

-- Replay protection: signatures (and trigger ids) of signed requests seen within the
-- platform's replay window; `at` is the request's own timestamp (ms), pruned after the window.
CREATE TABLE seen_requests (
  platform TEXT NOT NULL,
  key      TEXT NOT NULL,
  at       INTEGER NOT NULL,
  PRIMARY KEY (platform, key)
) WITHOUT ROWID;
CREATE INDEX seen_requests_at ON seen_requests (at);
