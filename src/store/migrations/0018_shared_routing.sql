-- 0018: state every replica must share (issue #13). Times are epoch ms.
--
-- routing_state.picks: how many round-robin picks the team has had. The pick is one atomic
-- upsert that moves last_member and counts the turn, so replicas never hand out the same turn.
ALTER TABLE routing_state ADD COLUMN picks INTEGER NOT NULL DEFAULT 0;

-- Members of the platform user groups that make people agents (Slack agentGroups), as last
-- read from the platform or changed by its events: every replica sees the same agents, and a
-- restart keeps them.
CREATE TABLE directory_group_members (
  grp         TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (grp, user_id)
) WITHOUT ROWID;

-- Shared rate limits (one row per key, e.g. a chat channel): the theoretical arrival time of
-- the next allowed call (GCRA). One conditional upsert takes a turn, so several processes
-- together never exceed the rate.
CREATE TABLE rate_limits (
  key         TEXT PRIMARY KEY,
  tat         INTEGER NOT NULL
) WITHOUT ROWID;
