-- The billing ledger, part 1: customers, their cash balance, and billing credits.
-- Money is always an integer in the currency's smallest unit.

CREATE TABLE customers (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id    text NOT NULL UNIQUE,
  account_id   bigint NOT NULL REFERENCES accounts (id),
  livemode     boolean NOT NULL,
  name         text,
  email        text,
  phone        text,
  description  text,
  metadata     jsonb NOT NULL DEFAULT '{}',
  -- negative: credit the next invoice uses; positive: owed. In currency, which the first
  -- currency-bearing balance transaction or invoice sets.
  balance      bigint NOT NULL DEFAULT 0,
  currency     text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz
);
CREATE INDEX customers_list_idx ON customers (account_id, livemode, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX customers_email_idx ON customers (account_id, livemode, email, id DESC) WHERE deleted_at IS NULL;

CREATE TABLE customer_balance_transactions (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id       text NOT NULL UNIQUE,
  account_id      bigint NOT NULL REFERENCES accounts (id),
  livemode        boolean NOT NULL,
  customer_id     bigint NOT NULL REFERENCES customers (id),
  amount          bigint NOT NULL,
  currency        text NOT NULL,
  description     text,
  metadata        jsonb NOT NULL DEFAULT '{}',
  ending_balance  bigint NOT NULL,
  type            text NOT NULL,
  invoice_id      bigint,          -- set for applied_to_invoice / unapplied_from_invoice
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_balance_transactions_list_idx ON customer_balance_transactions (customer_id, id DESC);

-- Billing credits granted to a customer, usable on metered usage (price_type 'metered') or on the
-- listed prices (price_ids), before tax.
CREATE TABLE credit_grants (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id     text NOT NULL UNIQUE,
  account_id    bigint NOT NULL REFERENCES accounts (id),
  livemode      boolean NOT NULL,
  customer_id   bigint NOT NULL REFERENCES customers (id),
  name          text,
  category      text NOT NULL CHECK (category IN ('paid', 'promotional')),
  currency      text NOT NULL,
  amount        bigint NOT NULL CHECK (amount > 0),
  price_type    text CHECK (price_type IN ('metered')),
  price_ids     text[],          -- public price ids, when the scope lists prices
  priority      integer NOT NULL DEFAULT 50 CHECK (priority BETWEEN 0 AND 100),
  effective_at  timestamptz NOT NULL,
  -- before effective_at only when a grant not yet effective was expired
  expires_at    timestamptz,
  voided_at     timestamptz,
  metadata      jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((price_type IS NULL) <> (price_ids IS NULL))
);
CREATE INDEX credit_grants_list_idx ON credit_grants (account_id, livemode, id DESC);
CREATE INDEX credit_grants_customer_idx ON credit_grants (customer_id, id DESC);

-- Every movement of a grant's balance: credits_granted (credit) when it becomes effective,
-- credits_applied (debit) on a finalized invoice line, credits_expired / credits_voided (debit) for
-- what remained, credits_application_invoice_voided (credit) when an invoice is voided. A grant's
-- remaining balance is its credits minus its debits. Debits are written only while the grant row is
-- locked (FOR UPDATE), so they never take more than remains.
CREATE TABLE credit_balance_transactions (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id         text NOT NULL UNIQUE,
  account_id        bigint NOT NULL REFERENCES accounts (id),
  livemode          boolean NOT NULL,
  credit_grant_id   bigint NOT NULL REFERENCES credit_grants (id),
  customer_id       bigint NOT NULL REFERENCES customers (id),
  type              text NOT NULL CHECK (type IN ('credit', 'debit')),
  kind              text NOT NULL CHECK (kind IN ('credits_granted', 'credits_applied', 'credits_expired',
                                                  'credits_voided', 'credits_application_invoice_voided')),
  amount            bigint NOT NULL CHECK (amount >= 0),
  currency          text NOT NULL,
  invoice_id        bigint,          -- applied / returned: the invoice and its line (public ids kept for the API)
  invoice_public_id text,
  line_public_id    text,
  effective_at      timestamptz NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_balance_transactions_list_idx ON credit_balance_transactions (customer_id, id DESC);
CREATE INDEX credit_balance_transactions_grant_idx ON credit_balance_transactions (credit_grant_id, id DESC);
CREATE INDEX credit_balance_transactions_invoice_idx ON credit_balance_transactions (invoice_id)
  WHERE invoice_id IS NOT NULL;
