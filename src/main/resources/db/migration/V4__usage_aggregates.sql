-- Usage aggregation: per-minute and per-hour aggregates per meter and customer, folded from the raw
-- events by one background folder, plus what cancellations need.

-- The usage folder relies on ids being handed out in one global order (an id drawn later is
-- larger), so the sequence must never be cached per session.
ALTER SEQUENCE meter_events_id_seq CACHE 1;

-- A canceled event stays stored (for audit) but no longer counts anywhere.
ALTER TABLE meter_events ADD COLUMN canceled_at timestamptz;

-- Events of meters where the latest event wins (formula last, or an event_time_window) are indexed
-- by meter, customer and time, so a canceled latest event can be replaced by the one before it.
-- Other meters (sum and count without a window, the common case) pay for no index beyond the key.
ALTER TABLE meter_events ADD COLUMN latest_wins boolean NOT NULL DEFAULT false;
UPDATE meter_events e SET latest_wins = true
  FROM meters m
 WHERE m.id = e.meter_id AND (m.formula = 'last' OR m.event_time_window IS NOT NULL);
CREATE INDEX meter_events_latest_idx ON meter_events (meter_id, customer_id, event_ts, id) WHERE latest_wins;

-- The dedup claim points at the event it admitted, so a cancellation finds the event by identifier
-- through the narrow 24-hour table instead of an index on every raw identifier.
ALTER TABLE meter_event_identifiers ADD COLUMN event_id bigint;
UPDATE meter_event_identifiers c SET event_id = e.id
  FROM meter_events e
 WHERE e.account_id = c.account_id AND e.livemode = c.livemode AND md5(e.identifier)::uuid = c.identifier_hash
   AND e.received_at > now() - interval '25 hours';

-- minute and hour are whole minutes and hours since the Unix epoch (UTC by construction).
-- last_* hold the latest event (by timestamp, then id) and are kept only for latest-wins meters.
CREATE TABLE usage_minutes (
  meter_id     bigint NOT NULL,
  customer_id  text NOT NULL,
  minute       bigint NOT NULL,
  value_sum    numeric NOT NULL,
  event_count  bigint NOT NULL,
  last_ts      timestamptz,
  last_id      bigint,
  last_value   numeric,
  PRIMARY KEY (meter_id, customer_id, minute)
);

CREATE TABLE usage_hours (
  meter_id     bigint NOT NULL,
  customer_id  text NOT NULL,
  hour         bigint NOT NULL,
  value_sum    numeric NOT NULL,
  event_count  bigint NOT NULL,
  last_ts      timestamptz,
  last_id      bigint,
  last_value   numeric,
  PRIMARY KEY (meter_id, customer_id, hour)
);

-- One row. Events with id <= folded_through are in the aggregates; readers add the raw events
-- above it. pending_through and pending_writers describe the next range to fold: it becomes safe
-- once the transactions that were writing meter_events when it was marked (their virtual
-- transaction ids) have all ended (see UsageFolder).
CREATE TABLE usage_fold_state (
  singleton         boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  folded_through    bigint NOT NULL DEFAULT 0,
  pending_through   bigint,
  pending_writers   text[],
  folded_at         timestamptz NOT NULL DEFAULT now()
);
INSERT INTO usage_fold_state DEFAULT VALUES;
