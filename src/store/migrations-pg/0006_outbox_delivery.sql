-- 0006 (PostgreSQL): crash-safe delivery (as src/store/migrations/0006). While a row is
-- 'sending', the store port uses next_attempt_at as the claim's lease expiry and attempts as its
-- fencing token (src/store/kysely/outbox.ts).
ALTER TABLE outbox ADD COLUMN first_attempt_at BIGINT;
ALTER TABLE outbox ADD COLUMN unsure INTEGER NOT NULL DEFAULT 0;
