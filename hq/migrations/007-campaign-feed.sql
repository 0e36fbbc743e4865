-- Campaigns travel to devices as `campaigns.json` of the feed change list (hq/changes.ts) once a feed change of kind
-- 'campaigns' says they changed. Campaigns stored before that existed get one such change, so every device fetches them.
INSERT INTO feed_changes (kind, store_id, at)
SELECT 'campaigns', NULL, now() WHERE EXISTS (SELECT 1 FROM campaigns);
