-- The fortnightly batch at headquarters (issue 21): one list per member per batch day, resumable and idempotent.

-- A member's batch bucket: 0..1023 from a hash of the member id. Shards are (store, bucket range); a list code's serial
-- is the bucket's block of serials plus the member's rank in the bucket, so it never depends on how work was split.
CREATE FUNCTION batch_bucket(member_id text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT (hashtext(member_id) & 1023) $$;
CREATE INDEX members_batch_bucket ON members (home_store, batch_bucket(member_id), member_id);

-- One batch per day: which stores, and when it started and finished.
CREATE TABLE batch_runs (
  as_of_day integer PRIMARY KEY,
  stores text[] NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz
);

-- What every list of a store in a batch shares (catalogue, store model, segment cuts, deals, budgets, the key id),
-- made once by whichever process gets there first and read by every other: the same lists on every worker and on
-- every re-run. `parts` is the structured-clone (v8) serialisation of hq/batch/context.ts's StoreContext.
CREATE TABLE batch_contexts (
  as_of_day integer NOT NULL REFERENCES batch_runs (as_of_day) ON DELETE CASCADE,
  store_id text NOT NULL,
  key_id smallint NOT NULL,
  members integer NOT NULL,
  parts bytea NOT NULL,
  made_at timestamptz NOT NULL,
  PRIMARY KEY (as_of_day, store_id)
);

-- The lists a batch issued: exactly one per (day, member). `list` is the ShoppingList as gzipped JSON (a list is
-- ~7 kB of JSON; stored compressed by the worker that made it, so the database does not compress it again).
CREATE TABLE batch_lists (
  as_of_day integer NOT NULL REFERENCES batch_runs (as_of_day) ON DELETE CASCADE,
  member_id text NOT NULL REFERENCES members (member_id) ON DELETE CASCADE,
  store_id text NOT NULL,
  list_id text NOT NULL UNIQUE,
  code text NOT NULL,
  personalised boolean NOT NULL,
  list bytea NOT NULL,
  made_at timestamptz NOT NULL,
  PRIMARY KEY (as_of_day, member_id)
);
ALTER TABLE batch_lists ALTER COLUMN list SET STORAGE EXTERNAL;
CREATE INDEX batch_lists_member ON batch_lists (member_id, as_of_day);
