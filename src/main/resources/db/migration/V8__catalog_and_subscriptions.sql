-- The billing ledger, part 2: products and prices (just far enough to price metered usage) and
-- subscriptions that put a customer on prices for recurring periods.

CREATE TABLE products (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id    text NOT NULL UNIQUE,
  account_id   bigint NOT NULL REFERENCES accounts (id),
  livemode     boolean NOT NULL,
  name         text NOT NULL,
  description  text,
  active       boolean NOT NULL DEFAULT true,
  metadata     jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_list_idx ON products (account_id, livemode, id DESC);

-- Amounts are exact decimals in the smallest currency unit (unit_amount_decimal allows 12 places).
-- tiers: [{"up_to": <int or null for inf>, "unit_amount_decimal": "...", "flat_amount_decimal": "..."}].
CREATE TABLE prices (
  id                        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id                 text NOT NULL UNIQUE,
  account_id                bigint NOT NULL REFERENCES accounts (id),
  livemode                  boolean NOT NULL,
  product_id                bigint NOT NULL REFERENCES products (id),
  currency                  text NOT NULL,
  active                    boolean NOT NULL DEFAULT true,
  nickname                  text,
  lookup_key                text,
  metadata                  jsonb NOT NULL DEFAULT '{}',
  type                      text NOT NULL CHECK (type IN ('one_time', 'recurring')),
  billing_scheme            text NOT NULL CHECK (billing_scheme IN ('per_unit', 'tiered')),
  unit_amount_decimal       numeric,
  tiers_mode                text CHECK (tiers_mode IN ('graduated', 'volume')),
  tiers                     jsonb,
  tax_behavior              text NOT NULL DEFAULT 'unspecified'
                            CHECK (tax_behavior IN ('inclusive', 'exclusive', 'unspecified')),
  recurring_interval        text CHECK (recurring_interval IN ('day', 'week', 'month', 'year')),
  recurring_interval_count  integer,
  usage_type                text CHECK (usage_type IN ('licensed', 'metered')),
  meter_id                  bigint REFERENCES meters (id),
  created_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX prices_list_idx ON prices (account_id, livemode, id DESC);
CREATE INDEX prices_product_idx ON prices (product_id);
-- As at Stripe, a lookup key names at most one active price of an account and mode; inactive prices
-- may keep theirs (reactivating one whose key is taken is refused, or transfers it on request).
CREATE UNIQUE INDEX prices_lookup_key_idx ON prices (account_id, livemode, lookup_key)
  WHERE active AND lookup_key IS NOT NULL;

CREATE TABLE subscriptions (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id             text NOT NULL UNIQUE,
  account_id            bigint NOT NULL REFERENCES accounts (id),
  livemode              boolean NOT NULL,
  customer_id           bigint NOT NULL REFERENCES customers (id),
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'canceled')),
  currency              text NOT NULL,
  -- periods are [anchor + k * interval, anchor + (k + 1) * interval), k >= 0
  billing_cycle_anchor  timestamptz NOT NULL,
  start_date            timestamptz NOT NULL,
  interval              text NOT NULL,
  interval_count        integer NOT NULL,
  metadata              jsonb NOT NULL DEFAULT '{}',
  created_at            timestamptz NOT NULL DEFAULT now(),
  -- cancellation is immediate: canceled_at is also ended_at
  canceled_at           timestamptz,
  cancellation_comment  text,
  cancellation_feedback text,
  CHECK ((status = 'canceled') = (canceled_at IS NOT NULL))
);
CREATE INDEX subscriptions_list_idx ON subscriptions (account_id, livemode, id DESC);
CREATE INDEX subscriptions_customer_idx ON subscriptions (customer_id);

CREATE TABLE subscription_items (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id        text NOT NULL UNIQUE,
  subscription_id  bigint NOT NULL REFERENCES subscriptions (id),
  price_id         bigint NOT NULL REFERENCES prices (id),
  quantity         bigint,          -- licensed prices; NULL for metered ones
  metadata         jsonb NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, price_id)
);
CREATE INDEX subscription_items_price_idx ON subscription_items (price_id);
CREATE INDEX subscription_items_subscription_idx ON subscription_items (subscription_id, id);
