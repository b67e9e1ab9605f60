-- 0010: two audiences. A ticket remembers where its internal work happens: the private
-- triage channel its card was posted to (NULL = inline mode, the card sits in the
-- requester's thread), the permalink of the customer's message shown on that card, and the
-- customer acknowledgement posted in the requester's thread.
ALTER TABLE tickets ADD COLUMN triage_channel_id TEXT;
ALTER TABLE tickets ADD COLUMN source_link TEXT;
ALTER TABLE tickets ADD COLUMN ack_message_id TEXT;
-- Reactions and replies on a card in a triage channel find their ticket by the card.
CREATE INDEX tickets_card ON tickets (platform, card_message_id) WHERE card_message_id IS NOT NULL;
