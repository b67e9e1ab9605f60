-- 0017: indexes for the retention job (src/scheduler/retention.ts), so pruning reads only the
-- rows it deletes: sent outbox rows by when they were sent, inbound event ids by when they came.
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE status = 'sent';
CREATE INDEX inbound_events_at ON inbound_events (at);
