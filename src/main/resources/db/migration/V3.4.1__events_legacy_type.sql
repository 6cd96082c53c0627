-- The type of each stored event in the earlier event bus's terms (ops.LegacyEventTypes, docs/dashboard.md),
-- written with the event by ops.EventBroadcaster, so the dashboard's Events page counts and filters by an index
-- instead of classifying every stored payload on each poll. Events stored before this migration have none (NULL):
-- they are shown under their own type until the retention prunes them.
ALTER TABLE events ADD COLUMN legacy_type VARCHAR(64);
CREATE INDEX ix_events_legacy_type ON events (legacy_type, created_at);
