-- The batch's packed histories (issue 21), version 3.

-- Each member's baskets packed for the batch (core/history.ts's arrays, products by a dictionary of ids so a change of
-- catalogue leaves them valid), refreshed from `baskets` when the member's basket count says they are behind. Reading
-- a member's normalised lines costs the database about 2 ms; reading their pack, a few microseconds.
CREATE TABLE batch_histories (
  member_id text PRIMARY KEY REFERENCES members (member_id) ON DELETE CASCADE,
  baskets integer NOT NULL,
  last_day integer NOT NULL,
  pack bytea NOT NULL,
  packed_at timestamptz NOT NULL
);
ALTER TABLE batch_histories ALTER COLUMN pack SET STORAGE EXTERNAL;
