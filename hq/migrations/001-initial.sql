-- Headquarters schema, version 1. Forward-only: a later change is a new file, never an edit of this one.

-- The member database, as the feeds describe it. `data` is the validated row (core types); `row_hash` makes a
-- re-import that changes nothing write nothing; `changed_seq` is the feed change that last touched the row.
CREATE TABLE products (
  product_id text PRIMARY KEY,
  category text NOT NULL,
  brand text NOT NULL,
  brand_type text NOT NULL,
  data jsonb NOT NULL,
  row_hash text NOT NULL,
  changed_seq bigint NOT NULL
);
CREATE TABLE members (
  member_id text PRIMARY KEY,
  card_code text NOT NULL,
  home_store text,
  data jsonb NOT NULL,
  row_hash text NOT NULL,
  changed_seq bigint NOT NULL
);
CREATE INDEX members_home_store ON members (home_store, changed_seq);
CREATE TABLE deals (
  deal_id text PRIMARY KEY,
  funder text NOT NULL,
  data jsonb NOT NULL,
  row_hash text NOT NULL,
  changed_seq bigint NOT NULL
);
CREATE TABLE campaigns (
  campaign_id text PRIMARY KEY,
  data jsonb NOT NULL,
  row_hash text NOT NULL,
  changed_seq bigint NOT NULL
);
CREATE TABLE content (
  content_id text PRIMARY KEY,
  data jsonb NOT NULL,
  row_hash text NOT NULL,
  changed_seq bigint NOT NULL
);
-- Every basket, from the feeds and from the tills (`source`), merged by id.
CREATE TABLE baskets (
  basket_id text PRIMARY KEY,
  member_id text NOT NULL,
  store_id text,
  day integer NOT NULL,
  minute integer,
  source text NOT NULL,
  device_id text,
  body_hash text,
  changed_seq bigint NOT NULL
);
CREATE INDEX baskets_member ON baskets (member_id);
CREATE INDEX baskets_changed ON baskets (changed_seq);
CREATE TABLE basket_lines (
  basket_id text NOT NULL REFERENCES baskets (basket_id) ON DELETE CASCADE,
  product_id text NOT NULL,
  qty integer NOT NULL,
  unit_price_cents integer,
  discount_cents integer NOT NULL DEFAULT 0,
  PRIMARY KEY (basket_id, product_id)
);

-- Stores, their devices and how a device is enrolled.
CREATE TABLE stores (
  store_id text PRIMARY KEY,
  current_key_id smallint,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE enrollments (
  code_hash text PRIMARY KEY,
  store_id text NOT NULL REFERENCES stores (store_id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  device_id text
);
CREATE TABLE devices (
  device_id text PRIMARY KEY,
  store_id text NOT NULL REFERENCES stores (store_id),
  token_hash text NOT NULL,
  label text,
  enrolled_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
-- The store's list-code key ring: every till of the store verifies every list of the store. A rotation retires the
-- current key; a retired key stays in the ring while lists signed with it can still be valid.
CREATE TABLE store_keys (
  store_id text NOT NULL REFERENCES stores (store_id),
  key_id smallint NOT NULL CHECK (key_id BETWEEN 0 AND 9),
  secret bytea NOT NULL,
  created_at timestamptz NOT NULL,
  retired_at timestamptz,
  PRIMARY KEY (store_id, key_id)
);
CREATE TABLE store_pins (
  store_id text PRIMARY KEY REFERENCES stores (store_id),
  iterations integer NOT NULL,
  salt bytea NOT NULL,
  hash bytea NOT NULL,
  set_at timestamptz NOT NULL
);
CREATE TABLE funders (
  funder text PRIMARY KEY,
  key_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);

-- Lists headquarters knows: issued here (issue 20: the fortnightly batch), or first seen in a redemption of a list
-- issued offline whose code verified against the store's key ring.
CREATE TABLE lists (
  list_id text PRIMARY KEY,
  store_id text NOT NULL,
  member_id text NOT NULL,
  code text NOT NULL,
  source text NOT NULL,
  seen_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX lists_store_code ON lists (store_id, code);

-- The redemption ledger: exactly once by idempotency key, and one redemption per list offer across every till.
CREATE TABLE budgets (
  id bigserial PRIMARY KEY,
  deal_id text NOT NULL UNIQUE,
  budget_cents bigint NOT NULL CHECK (budget_cents >= 0),
  spent_cents bigint NOT NULL DEFAULT 0,
  CHECK (spent_cents >= 0 AND spent_cents <= budget_cents)
);
CREATE TABLE redemptions (
  seq bigserial PRIMARY KEY,
  redemption_id text NOT NULL UNIQUE,
  list_id text NOT NULL,
  offer_id text NOT NULL,
  deal_id text,
  member_id text NOT NULL,
  basket_id text NOT NULL,
  store_id text NOT NULL,
  device_id text NOT NULL,
  till_id text,
  cents bigint NOT NULL,
  units integer NOT NULL,
  day integer,
  at timestamptz NOT NULL,
  body_hash text NOT NULL,
  reverted_at timestamptz,
  UNIQUE (list_id, offer_id)
);
CREATE INDEX redemptions_member ON redemptions (member_id);

-- Append-only: records that something happened (who, what kind, to which record), never the personal data itself.
CREATE TABLE audit_log (
  seq bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  store_id text,
  actor text NOT NULL,
  action text NOT NULL,
  subject text,
  detail jsonb
);
CREATE INDEX audit_store ON audit_log (store_id, seq);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- The feed change list: one row per change of a feed kind (for one store's devices, or all when store_id is null).
-- The cursor a device holds is the last seq it imported.
CREATE TABLE feed_changes (
  seq bigserial PRIMARY KEY,
  kind text NOT NULL,
  store_id text,
  at timestamptz NOT NULL
);
-- Members erased since a cursor, for devices to delete at their next contact.
CREATE TABLE erasures (
  seq bigint PRIMARY KEY,
  member_id text NOT NULL,
  store_id text,
  at timestamptz NOT NULL
);
