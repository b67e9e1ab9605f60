-- 0006: crash-safe delivery. `first_attempt_at` bounds the search for a message that may have
-- landed before a crash or an ambiguous failure; `unsure` marks rows whose last attempt may
-- have reached the platform (left in 'sending' by a crash, a timeout, a 5xx), so the outbox
-- looks for the delivered message (by the key it carries) before sending again.
ALTER TABLE outbox ADD COLUMN first_attempt_at INTEGER;
ALTER TABLE outbox ADD COLUMN unsure INTEGER NOT NULL DEFAULT 0;
