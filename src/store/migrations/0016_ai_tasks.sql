-- 0016: durable AI tasks. The AI work started after a ticket is created (AI triage, the first
-- suggested reply) is a row enqueued in the ticket's own transaction and claimed by a worker
-- with a lease, like the outbox: a crash after the ticket's commit no longer loses it, and
-- several replicas never run one task at the same time.
-- status: pending (due at next_attempt_at) → running (leased until next_attempt_at) → done,
-- or back to pending with a backoff, or failed after the last attempt. `token` is bumped by
-- every claim and fences the claim: a worker whose lease expired and was taken over cannot mark
-- the row any more. Times are epoch ms.
CREATE TABLE ai_tasks (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL,
  ticket_id        INTEGER REFERENCES tickets(id),
  idempotency_key  TEXT NOT NULL UNIQUE,
  payload          TEXT NOT NULL DEFAULT '{}',
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','running','done','failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  token            INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  done_at          INTEGER
);
CREATE INDEX ai_tasks_due ON ai_tasks (next_attempt_at, id) WHERE status IN ('pending','running');
CREATE INDEX ai_tasks_ticket ON ai_tasks (ticket_id, id);
