-- 0014: known answers in the ticket flow. `knowledge_decisions`: what the matcher said about
-- each new request (offered, or why not) — the digest's "documentation gaps" come from the
-- requests with no known answer. `knowledge_offers`: every known answer that went to a customer,
-- offered automatically before paging (`auto`, one per ticket) or sent by an agent (`agent`),
-- and what came of it. Times are epoch milliseconds.

CREATE TABLE knowledge_decisions (
  ticket_id  INTEGER PRIMARY KEY REFERENCES tickets(id),
  offered    INTEGER NOT NULL,            -- 1 when an answer was offered automatically
  declined   TEXT,                        -- why not (match.ts DeclineReason, or 'off' / 'escalated' / 'platform')
  answer_id  TEXT,                        -- the best compatible answer, offered or not
  score      REAL NOT NULL DEFAULT 0,
  at         INTEGER NOT NULL
);
CREATE INDEX knowledge_decisions_at ON knowledge_decisions (at);

CREATE TABLE knowledge_offers (
  id            INTEGER PRIMARY KEY,
  ticket_id     INTEGER NOT NULL REFERENCES tickets(id),
  answer_id     TEXT NOT NULL,            -- no foreign key: answers can be removed, their record stays
  answer_title  TEXT NOT NULL,            -- the title as offered
  via           TEXT NOT NULL CHECK (via IN ('auto','agent')),
  score         REAL,                     -- auto offers: the match score
  explanation   TEXT NOT NULL DEFAULT '', -- auto offers: why it matched (internal card)
  status        TEXT NOT NULL CHECK (status IN ('pending','solved','need_help','expired','sent')),
  offered_by    TEXT NOT NULL,            -- 'frontdesk' or the agent who sent it
  offered_at    INTEGER NOT NULL,
  expires_at    INTEGER,                  -- pending auto offers: when the normal flow goes on
  decided_by    TEXT,
  decided_at    INTEGER
);
CREATE UNIQUE INDEX knowledge_offers_auto ON knowledge_offers (ticket_id) WHERE via = 'auto';
CREATE INDEX knowledge_offers_ticket ON knowledge_offers (ticket_id, id);
CREATE INDEX knowledge_offers_pending ON knowledge_offers (expires_at) WHERE status = 'pending';
CREATE INDEX knowledge_offers_at ON knowledge_offers (offered_at);
