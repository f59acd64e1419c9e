-- Accounts, keys, meters and the meter-event store.

CREATE TABLE accounts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id   text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Secret keys are stored as SHA-256 digests; key_hint keeps only the prefix and last 4 characters.
CREATE TABLE api_keys (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES accounts (id),
  livemode    boolean NOT NULL,
  key_hash    bytea NOT NULL UNIQUE,
  key_hint    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- Gateway-wide settings shared by every replica (for example the session-token signing secret).
CREATE TABLE gateway_settings (
  name   text PRIMARY KEY,
  value  text NOT NULL
);

CREATE TABLE meters (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id             text NOT NULL UNIQUE,
  account_id            bigint NOT NULL REFERENCES accounts (id),
  livemode              boolean NOT NULL,
  display_name          text NOT NULL,
  event_name            text NOT NULL,
  formula               text NOT NULL CHECK (formula IN ('sum', 'count', 'last')),
  customer_payload_key  text NOT NULL,
  value_payload_key     text NOT NULL,
  event_time_window     text CHECK (event_time_window IN ('hour', 'day')),
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  deactivated_at        timestamptz,
  -- an event name belongs to one meter of an account and mode, even while that meter is inactive
  CONSTRAINT meters_event_name_key UNIQUE (account_id, livemode, event_name)
);
CREATE INDEX meters_list_idx ON meters (account_id, livemode, id DESC);

-- Raw meter events. No unique index here: deduplication lives in meter_event_identifiers, which
-- holds only the rolling 24-hour window with a narrow fixed-width key.
CREATE TABLE meter_events (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL,
  livemode     boolean NOT NULL,
  meter_id     bigint NOT NULL,
  customer_id  text NOT NULL,
  value        numeric,
  event_ts     timestamptz NOT NULL,
  identifier   text NOT NULL,
  payload      jsonb NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);

-- identifier_hash is the 128-bit MD5 of the identifier: 16 bytes instead of up to 100 characters
-- of text in the hot unique index. Rows older than the dedup window are pruned by the gateway.
CREATE TABLE meter_event_identifiers (
  account_id       bigint NOT NULL,
  livemode         boolean NOT NULL,
  identifier_hash  uuid NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, livemode, identifier_hash)
);
CREATE INDEX meter_event_identifiers_received_idx ON meter_event_identifiers USING brin (received_at);
