-- Idempotency-Key records: the first response to a key is replayed for 24 hours.
CREATE TABLE idempotency_keys (
  account_id       bigint NOT NULL,
  livemode         boolean NOT NULL,
  idempotency_key  text NOT NULL,
  fingerprint      bytea NOT NULL,
  status_code      integer,          -- NULL while the first request is still being handled
  response_body    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, livemode, idempotency_key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys USING brin (created_at);
