-- Billing alerts (usage_threshold, recurrence one_time) and their per-customer progress.

CREATE TABLE alerts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id    text NOT NULL UNIQUE,
  account_id   bigint NOT NULL REFERENCES accounts (id),
  livemode     boolean NOT NULL,
  title        text NOT NULL,
  meter_id     bigint NOT NULL REFERENCES meters (id),
  gte          bigint NOT NULL,
  customer     text,                -- the customer filter; NULL watches every customer
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'archived')),
  -- usage reported after the alert was created counts: events with a larger id (ids are drawn in
  -- one global order, so these are the events that arrived later)
  counts_after_id  bigint NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_list_idx ON alerts (account_id, livemode, id DESC);
CREATE INDEX alerts_meter_idx ON alerts (meter_id) WHERE status <> 'archived';

-- Usage seen so far per alert and customer, advanced by the usage folder as events are folded and
-- taken back by cancellations: value_sum and event_count (for windowed meters, of the latest event
-- of each bucket) and the latest event. triggered_at is set once: a one_time alert never fires twice
-- for a customer.
CREATE TABLE alert_progress (
  alert_id      bigint NOT NULL REFERENCES alerts (id),
  customer_id   text NOT NULL,
  value_sum     numeric NOT NULL DEFAULT 0,
  event_count   bigint NOT NULL DEFAULT 0,
  last_ts       timestamptz,
  last_id       bigint,
  last_value    numeric,
  triggered_at  timestamptz,
  PRIMARY KEY (alert_id, customer_id)
);
