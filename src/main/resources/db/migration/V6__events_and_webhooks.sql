-- Stripe events (GET /v1/events) and their delivery to webhook endpoints: an outbox in PostgreSQL,
-- so a recorded event is delivered at least once, across restarts.

CREATE TABLE events (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id    text NOT NULL UNIQUE,
  account_id   bigint NOT NULL REFERENCES accounts (id),
  livemode     boolean NOT NULL,
  type         text NOT NULL,
  api_version  text NOT NULL,
  data_object  jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_list_idx ON events (account_id, livemode, id DESC);

CREATE TABLE webhook_endpoints (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id       text NOT NULL UNIQUE,
  account_id      bigint NOT NULL REFERENCES accounts (id),
  livemode        boolean NOT NULL,
  url             text NOT NULL,
  enabled_events  text[] NOT NULL,
  description     text,
  metadata        jsonb NOT NULL DEFAULT '{}',
  secret          text NOT NULL,
  status          text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
  api_version     text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz
);
CREATE INDEX webhook_endpoints_list_idx ON webhook_endpoints (account_id, livemode, id DESC) WHERE deleted_at IS NULL;

-- One row per event and endpoint. A sender leases a due row by moving next_attempt_at forward
-- before it sends, so a crash mid-send only delays the retry; delivered_at or failed_at ends it.
CREATE TABLE webhook_deliveries (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id         bigint NOT NULL REFERENCES events (id),
  endpoint_id      bigint NOT NULL REFERENCES webhook_endpoints (id),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz,
  failed_at        timestamptz,
  last_status      integer,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
  WHERE delivered_at IS NULL AND failed_at IS NULL;

-- Deleting or disabling an endpoint drops its pending deliveries.
CREATE INDEX webhook_deliveries_endpoint_pending_idx ON webhook_deliveries (endpoint_id)
  WHERE delivered_at IS NULL AND failed_at IS NULL;
