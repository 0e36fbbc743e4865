-- What devices receive (issue 20), version 5: each store's model and each member's pack, built from the member
-- database when a device asks after a change (an import or a till basket moves the feed change sequence), kept here
-- so every headquarters process serves the same bytes and ETags.

-- One store model per store: `source` is the state of the data it was built from, `hash` its content (the ETag changes
-- only when the content does), `params` the scorer weights fitted for it (kept between rebuilds while the store's
-- member count stays near `fitted_members`), `body` the wire JSON gzipped.
CREATE TABLE store_models (
  store_id text PRIMARY KEY,
  version bigint NOT NULL,
  etag text NOT NULL,
  source text NOT NULL,
  hash text NOT NULL,
  params jsonb NOT NULL,
  fitted_members integer NOT NULL,
  fitted_at timestamptz NOT NULL,
  body bytea NOT NULL,
  built_at timestamptz NOT NULL
);
ALTER TABLE store_models ALTER COLUMN body SET STORAGE EXTERNAL;

-- One pack per member: `seq` moves (from member_packs_seq) only when the pack's content changes, so a kiosk's cursor
-- `GET /v1/stores/{store}/packs?since=` brings only the packs that changed. An erased member's pack goes with them.
CREATE SEQUENCE member_packs_seq;
CREATE TABLE member_packs (
  member_id text PRIMARY KEY REFERENCES members (member_id) ON DELETE CASCADE,
  store_id text NOT NULL,
  seq bigint NOT NULL,
  etag text NOT NULL,
  body bytea NOT NULL,
  built_at timestamptz NOT NULL
);
CREATE INDEX member_packs_store ON member_packs (store_id, seq);
ALTER TABLE member_packs ALTER COLUMN body SET STORAGE EXTERNAL;

-- What a member set on a device and headquarters keeps for their other devices: "not for me" and mutes, and the
-- shown-items memory (`POST /v1/members/me/prefs`, hq/model/prefs.ts: controls with their device time, "clear" kept
-- as a tombstone). `changed_seq` counts the member's saves; a save patches the member's pack, a store rebuild running
-- meanwhile patches it again when it sees the count moved.
CREATE TABLE member_prefs (
  member_id text PRIMARY KEY REFERENCES members (member_id) ON DELETE CASCADE,
  controls jsonb NOT NULL DEFAULT '[]',
  shown jsonb NOT NULL DEFAULT '{}',
  changed_seq bigint NOT NULL
);
