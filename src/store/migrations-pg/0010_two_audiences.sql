-- 0010 (PostgreSQL): two audiences (as src/store/migrations/0010).
ALTER TABLE tickets ADD COLUMN triage_channel_id TEXT;
ALTER TABLE tickets ADD COLUMN source_link TEXT;
ALTER TABLE tickets ADD COLUMN ack_message_id TEXT;
CREATE INDEX tickets_card ON tickets (platform, card_message_id) WHERE card_message_id IS NOT NULL;
