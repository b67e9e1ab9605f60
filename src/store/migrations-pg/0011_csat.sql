-- 0011 (PostgreSQL): customer satisfaction (as src/store/migrations/0011).
CREATE TABLE csat_surveys (
  ticket_id     BIGINT PRIMARY KEY REFERENCES tickets(id),
  requester_id  TEXT NOT NULL,
  asked_at      BIGINT NOT NULL,
  rating        INTEGER CHECK (rating BETWEEN 1 AND 5),
  answered_at   BIGINT,
  updated_at    BIGINT,
  CHECK ((rating IS NULL) = (answered_at IS NULL))
);
CREATE INDEX csat_surveys_answered ON csat_surveys (answered_at, rating) WHERE answered_at IS NOT NULL;
CREATE INDEX tickets_requester ON tickets (requester_id, created_at);
