-- 0015: engineering hand-off. An issue in an external tracker (GitHub Issues, Jira, Linear) and
-- the tickets linked to it: several tickets may share one issue, a ticket may link several.
-- `state` is the last state frontdesk saw (webhook or polling); links and state changes are also
-- on each linked ticket's timeline (tracker_linked / tracker_state events). Times are epoch ms.

CREATE TABLE tracker_issues (
  id            INTEGER PRIMARY KEY,
  tracker       TEXT NOT NULL CHECK (tracker IN ('github','jira','linear')),
  issue_key     TEXT NOT NULL,            -- owner/repo#12, OPS-12, ENG-42
  url           TEXT NOT NULL,
  title         TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('open','in_progress','closed')),
  state_label   TEXT NOT NULL,
  close_reason  TEXT,
  assignee      TEXT,
  created_by    TEXT,                     -- agent who created it from frontdesk, NULL when linked
  created_at    INTEGER NOT NULL,         -- when frontdesk first saw it
  updated_at    INTEGER NOT NULL,         -- tracker's last update seen
  polled_at     INTEGER,                  -- last polling read
  UNIQUE (tracker, issue_key)
);
CREATE INDEX tracker_issues_open ON tracker_issues (state, polled_at) WHERE state <> 'closed';

CREATE TABLE ticket_issue_links (
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
  issue_id   INTEGER NOT NULL REFERENCES tracker_issues(id),
  linked_by  TEXT NOT NULL,
  linked_at  INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, issue_id)
) WITHOUT ROWID;
CREATE INDEX ticket_issue_links_issue ON ticket_issue_links (issue_id);
