-- 0017 (PostgreSQL): indexes for the retention job (as src/store/migrations/0017_retention.sql).
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE status = 'sent';
CREATE INDEX inbound_events_at ON inbound_events (at);
