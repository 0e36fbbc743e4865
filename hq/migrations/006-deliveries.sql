-- Delivery of the fortnightly batch (issue 21): each list e-mailed or put in a store's letters PDF once, to members
-- who consented to contact; an unsubscribe link withdraws that consent at headquarters.

-- One row per (list, channel). An e-mail is claimed ('sending', with its Message-ID) before it is handed to the SMTP
-- server and marked 'sent' once the server accepted it; a claim left 'sending' by a process that died in between is
-- taken again after `claimed_at` is stale (the same Message-ID, so a receiver can tell a duplicate). 'failed' keeps the
-- server's answer and is tried again on the next run. A letter is 'sent' once its store's PDF is written.
CREATE TABLE deliveries (
  list_id text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'letter')),
  member_id text NOT NULL REFERENCES members (member_id) ON DELETE CASCADE,
  store_id text NOT NULL,
  as_of_day integer NOT NULL,
  status text NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
  message_id text,
  attempts integer NOT NULL DEFAULT 1,
  error text,
  claimed_at timestamptz NOT NULL,
  sent_at timestamptz,
  PRIMARY KEY (list_id, channel)
);
CREATE INDEX deliveries_day ON deliveries (as_of_day, store_id);
CREATE INDEX deliveries_member ON deliveries (member_id);

-- Withdrawals of consent to contact made at headquarters (the unsubscribe link): kept apart from the member feed, so
-- a later import of the retailer's members file that still says consent_contact=true does not contact them again.
CREATE TABLE contact_withdrawals (
  member_id text PRIMARY KEY REFERENCES members (member_id) ON DELETE CASCADE,
  withdrawn_at timestamptz NOT NULL
);

-- The secret unsubscribe tokens are signed with (HMAC-SHA256): 32 random bytes, made by the first process that needs
-- it (INSERT … ON CONFLICT DO NOTHING, then read: every process signs with the same one).
CREATE TABLE delivery_secrets (
  id smallint PRIMARY KEY CHECK (id = 1),
  secret text NOT NULL
);
