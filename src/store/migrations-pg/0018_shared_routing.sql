-- 0018 (PostgreSQL): state every replica must share (as src/store/migrations/0018).
ALTER TABLE routing_state ADD COLUMN picks BIGINT NOT NULL DEFAULT 0;

CREATE TABLE directory_group_members (
  grp         TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (grp, user_id)
);

CREATE TABLE rate_limits (
  key         TEXT PRIMARY KEY,
  tat         BIGINT NOT NULL
);
