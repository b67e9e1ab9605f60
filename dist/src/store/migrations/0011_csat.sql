-- 0011: customer satisfaction (CSAT). One survey per ticket: asked when the ticket is resolved
-- (again after a reopen, which starts a fresh survey), answered by the requester only. The
-- answer may be changed for a while after the first answer (csat.changeWindowHours). Every
-- rating is also on the ticket's timeline (csat_rated events); this table holds the current one.
-- Times are epoch milliseconds on the bot's clock.

CREATE TABLE csat_surveys (
  ticket_id     INTEGER PRIMARY KEY REFERENCES tickets(id),
  requester_id  TEXT NOT NULL,
  asked_at      INTEGER NOT NULL,
  rating        INTEGER CHECK (rating BETWEEN 1 AND 5),
  answered_at   INTEGER,                  -- first answer of this survey: the change window starts here
  updated_at    INTEGER,
  CHECK ((rating IS NULL) = (answered_at IS NULL))
);

-- Digest: answers per period.
CREATE INDEX csat_surveys_answered ON csat_surveys (answered_at, rating) WHERE answered_at IS NOT NULL;

-- A customer's own requests (their Home / queue, `/ticket list` for non-agents).
CREATE INDEX tickets_requester ON tickets (requester_id, created_at);
