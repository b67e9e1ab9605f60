-- 0002: indexes for the SLA watcher and the digest, so both stay index-backed at 1,000,000 tickets.
-- The SLA sweep's main query uses tickets_sla_due (0001); these cover the rest.

-- "No owner after N minutes": open tickets without an owner, by age.
CREATE INDEX tickets_open_unassigned ON tickets (created_at)
  WHERE owner_id IS NULL AND status NOT IN ('resolved','closed') AND deleted = 0;

-- Digest: the open queue (a few % of all tickets) with everything its numbers need — counts by
-- priority, age and owner, and the SLA clocks for breaches and at-risk tickets — read from this
-- compact index alone instead of from rows scattered over the whole table.
CREATE INDEX tickets_open_sla ON tickets (priority, created_at, owner_id, status, first_response_at, resolved_at, paused_ms, paused_since, key, sla)
  WHERE status NOT IN ('resolved','closed') AND deleted = 0;

-- Digest: new tickets per period with their category (covering), first responses per period.
CREATE INDEX tickets_created_category ON tickets (created_at, category, deleted);
CREATE INDEX tickets_first_response ON tickets (first_response_at) WHERE first_response_at IS NOT NULL;

-- Escalation prompts by rule (cluster look-ups, digest).
CREATE INDEX escalations_rule ON escalations (rule_id, created_at);
