-- The billing ledger, part 3: invoices and their lines (invoice items). Lines change only while the
-- invoice is a draft; finalizing applies billing credits and the customer's balance.

CREATE TABLE invoices (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id          text NOT NULL UNIQUE,
  account_id         bigint NOT NULL REFERENCES accounts (id),
  livemode           boolean NOT NULL,
  customer_id        bigint NOT NULL REFERENCES customers (id),
  status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'paid', 'uncollectible', 'void')),
  currency           text NOT NULL,
  description        text,
  metadata           jsonb NOT NULL DEFAULT '{}',
  collection_method  text NOT NULL DEFAULT 'charge_automatically',
  days_until_due     integer,
  auto_advance       boolean NOT NULL DEFAULT false,
  number             text,
  period_start       timestamptz NOT NULL,
  period_end         timestamptz NOT NULL,
  -- set at finalization: the customer balance before and after this invoice used it
  starting_balance   bigint NOT NULL DEFAULT 0,
  ending_balance     bigint,
  amount_paid        bigint NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  finalized_at       timestamptz,
  paid_at            timestamptz,
  voided_at          timestamptz,
  deleted_at         timestamptz
);
CREATE INDEX invoices_list_idx ON invoices (account_id, livemode, id DESC) WHERE deleted_at IS NULL;
-- numbers are the customer's invoice prefix and sequence: unique per account and mode, as at Stripe
CREATE UNIQUE INDEX invoices_number_idx ON invoices (account_id, livemode, number) WHERE number IS NOT NULL;
-- a customer's next_invoice_sequence counts its numbered invoices (every customer read shows it)
CREATE INDEX invoices_customer_numbered_idx ON invoices (customer_id) WHERE number IS NOT NULL;

-- An invoice item is pending (invoice_id NULL) or a line of one invoice (line_public_id il_...).
-- amount is the line's total before credits, in the smallest currency unit.
CREATE TABLE invoice_items (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id            text NOT NULL UNIQUE,
  account_id           bigint NOT NULL REFERENCES accounts (id),
  livemode             boolean NOT NULL,
  customer_id          bigint NOT NULL REFERENCES customers (id),
  invoice_id           bigint REFERENCES invoices (id),
  line_public_id       text UNIQUE,
  position             integer,
  currency             text NOT NULL,
  amount               bigint NOT NULL,
  quantity             bigint,
  quantity_decimal     numeric,
  unit_amount_decimal  numeric,
  price_public_id      text,
  product_public_id    text,
  metered              boolean NOT NULL DEFAULT false,
  -- how the amount is made: a fixed amount, a price's cost for the quantity, or a unit amount times it
  priced_by            text NOT NULL CHECK (priced_by IN ('amount', 'price', 'unit')),
  description          text,
  discountable         boolean NOT NULL DEFAULT true,
  metadata             jsonb NOT NULL DEFAULT '{}',
  period_start         timestamptz NOT NULL,
  period_end           timestamptz NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  deleted_at           timestamptz
);
CREATE INDEX invoice_items_invoice_idx ON invoice_items (invoice_id, position) WHERE deleted_at IS NULL;
CREATE INDEX invoice_items_customer_idx ON invoice_items (customer_id, id DESC) WHERE deleted_at IS NULL;
