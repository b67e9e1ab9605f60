-- 0002 (PostgreSQL): indexes for the SLA watcher and the digest (as src/store/migrations/0002).
CREATE INDEX tickets_open_unassigned ON tickets (created_at)
  WHERE owner_id IS NULL AND status NOT IN ('resolved','closed') AND deleted = 0;
-- The digest's compact open-queue index: PostgreSQL keeps `sla` (JSONB) out of the key columns.
CREATE INDEX tickets_open_sla ON tickets (priority, created_at, owner_id, status, first_response_at, resolved_at, paused_ms, paused_since, key)
  INCLUDE (sla) WHERE status NOT IN ('resolved','closed') AND deleted = 0;
CREATE INDEX tickets_created_category ON tickets (created_at, category, deleted);
CREATE INDEX tickets_first_response ON tickets (first_response_at) WHERE first_response_at IS NOT NULL;
CREATE INDEX escalations_rule ON escalations (rule_id, created_at);
