-- 0005: indexes for the SLA watcher and the digest, so both stay index-backed at 1,000,000 tickets.
-- The SLA sweep's main query uses tickets_sla_due (0001); these cover the rest.

-- "No owner after N minutes": open tickets without an owner, by age.
CREATE INDEX tickets_open_unassigned ON tickets (created_at)
  WHERE owner_id IS NULL AND status NOT IN ('resolved','closed') AND deleted = 0;

-- Digest: the open queue by priority, age and owner, read from the index alone.
CREATE INDEX tickets_open_queue ON tickets (priority, created_at, owner_id)
  WHERE status NOT IN ('resolved','closed') AND deleted = 0;

-- Digest: new tickets per period with their category (covering), first responses per period.
CREATE INDEX tickets_created_category ON tickets (created_at, category, deleted);
CREATE INDEX tickets_first_response ON tickets (first_response_at) WHERE first_response_at IS NOT NULL;

-- Escalation prompts by rule (cluster look-ups, digest).
CREATE INDEX escalations_rule ON escalations (rule_id, created_at);
