package io.metergate.credits;

final class CreditSql {
  /** What remains of grant {@code g}: its credits minus its debits. */
  static final String REMAINING = """
      (SELECT coalesce(sum(CASE WHEN b.type = 'credit' THEN b.amount ELSE -b.amount END), 0)::int8
         FROM credit_balance_transactions b WHERE b.credit_grant_id = g.id)""";

  static final String GRANT_COLUMNS = """
      g.id, g.public_id, g.livemode, g.customer_id, c.public_id AS customer, g.name, g.category, g.currency,
      g.amount, g.price_type, g.price_ids, g.priority, g.effective_at, g.expires_at, g.voided_at, g.metadata,
      g.created_at, g.updated_at""";

  private static final String WITH_CUSTOMER = " FROM g JOIN customers c ON c.id = g.customer_id";

  /**
   * The grant and its credits_granted transaction, effective at $12 (NULL: now). No row when
   * expires_at ($13) is not after effective_at.
   */
  static final String INSERT_GRANT = """
      WITH g AS (
        INSERT INTO credit_grants (public_id, account_id, livemode, customer_id, name, category, currency, amount,
                                   price_type, price_ids, priority, effective_at, expires_at, metadata)
        SELECT $1::text, $2::int8, $3::bool, $4::int8, $5::text, $6::text, $7::text, $8::int8, $9::text, $10::text[],
               $11::int4, e.at, to_timestamp($13::int8), $14::jsonb
          FROM (SELECT coalesce(to_timestamp($12::int8), now()) AS at) e
         WHERE $13::int8 IS NULL OR to_timestamp($13::int8) > e.at
        RETURNING *
      ), granted AS (
        INSERT INTO credit_balance_transactions (public_id, account_id, livemode, credit_grant_id, customer_id, type,
                                                 kind, amount, currency, effective_at)
        SELECT $15::text, account_id, livemode, id, customer_id, 'credit', 'credits_granted', amount, currency, effective_at
          FROM g
      )
      SELECT\s""" + GRANT_COLUMNS + WITH_CUSTOMER;

  private static final String GRANTS = " FROM credit_grants g JOIN customers c ON c.id = g.customer_id";

  static final String FIND_GRANT = "SELECT " + GRANT_COLUMNS + GRANTS
      + " WHERE g.public_id = $1 AND g.account_id = $2 AND g.livemode = $3";

  /** The grant locked against concurrent uses, expiries and voids; with the database's clock. */
  static final String LOCK_GRANT = "SELECT " + GRANT_COLUMNS + ", now() AS now" + GRANTS
      + " WHERE g.public_id = $1 AND g.account_id = $2 AND g.livemode = $3 FOR UPDATE OF g";

  static final String UPDATE_GRANT = """
      WITH g AS (
        UPDATE credit_grants SET expires_at = $2, metadata = $3, updated_at = now() WHERE id = $1 RETURNING *
      )
      SELECT\s""" + GRANT_COLUMNS + WITH_CUSTOMER;

  /**
   * Ends a locked grant ($1) now and debits what remains ($3 is the debit's kind). Run after
   * LOCK_GRANT, in a later statement: its snapshot then sees every use committed before the lock.
   */
  private static String end(String set) {
    return """
        WITH g AS (
          UPDATE credit_grants SET\s""" + set + """
        , updated_at = now() WHERE id = $1 RETURNING *
        ), rest AS (
          SELECT coalesce(sum(CASE WHEN b.type = 'credit' THEN b.amount ELSE -b.amount END), 0)::int8 AS amount
            FROM credit_balance_transactions b WHERE b.credit_grant_id = $1
        ), ended AS (
          INSERT INTO credit_balance_transactions (public_id, account_id, livemode, credit_grant_id, customer_id, type,
                                                   kind, amount, currency, effective_at)
          SELECT $2::text, g.account_id, g.livemode, g.id, g.customer_id, 'debit', $3::text, rest.amount, g.currency, now()
            FROM g, rest WHERE rest.amount > 0
        )
        SELECT\s""" + GRANT_COLUMNS + WITH_CUSTOMER;
  }

  static final String EXPIRE_GRANT = end("expires_at = now()");

  static final String VOID_GRANT = end("voided_at = now()");

  static final String GRANT_CURSOR_ID =
      "SELECT id FROM credit_grants WHERE public_id = $1 AND account_id = $2 AND livemode = $3";

  /** $3 customer public id or NULL, $4 id bound, $5 page size + 1. */
  private static final String GRANTS_FILTERED = GRANTS + """

      WHERE g.account_id = $1 AND g.livemode = $2 AND ($3::text IS NULL OR c.public_id = $3)""";

  static final String LIST_GRANTS_AFTER = "SELECT " + GRANT_COLUMNS + GRANTS_FILTERED
      + " AND g.id < $4 ORDER BY g.id DESC LIMIT $5";

  static final String LIST_GRANTS_BEFORE = "SELECT " + GRANT_COLUMNS + GRANTS_FILTERED
      + " AND g.id > $4 ORDER BY g.id ASC LIMIT $5";

  static final String PRICES = """
      SELECT public_id, usage_type = 'metered' AS metered FROM prices
       WHERE account_id = $1 AND livemode = $2 AND public_id = ANY ($3::text[])""";

  static final String GRANT_OF_CUSTOMER = "SELECT id FROM credit_grants WHERE public_id = $1 AND customer_id = $2";

  /**
   * What remains of the customer's ($1) grants that are usable now, by currency. Filters: $2 one
   * grant; $3 metered-scope grants; $4 grants covering any of these prices, $5 whether one of them
   * is metered (metered-scope grants cover it).
   */
  static final String SUMMARY = "SELECT g.currency, sum(" + REMAINING + """
      )::int8 AS ledger
        FROM credit_grants g
       WHERE g.customer_id = $1 AND g.voided_at IS NULL AND g.effective_at <= now()
         AND (g.expires_at IS NULL OR g.expires_at > now())
         AND ($2::int8 IS NULL OR g.id = $2)
         AND ($3::bool IS NOT TRUE OR g.price_type = 'metered')
         AND ($4::text[] IS NULL OR g.price_ids && $4 OR (g.price_type = 'metered' AND $5::bool))
       GROUP BY g.currency ORDER BY g.currency""";

  static final String TXN_COLUMNS = """
      t.id, t.public_id, t.livemode, g.public_id AS credit_grant, t.type, t.kind, t.amount, t.currency,
      t.invoice_public_id, t.line_public_id, t.effective_at, t.created_at""";

  private static final String TXNS = " FROM credit_balance_transactions t JOIN credit_grants g ON g.id = t.credit_grant_id";

  static final String FIND_TXN = "SELECT " + TXN_COLUMNS + TXNS
      + " WHERE t.public_id = $1 AND t.account_id = $2 AND t.livemode = $3";

  static final String TXN_CURSOR_ID =
      "SELECT id FROM credit_balance_transactions WHERE public_id = $1 AND customer_id = $2";

  /** $1 customer id, $2 grant public id or NULL, $3 id bound, $4 page size + 1. */
  private static final String TXNS_FILTERED = TXNS + """

      WHERE t.customer_id = $1 AND ($2::text IS NULL OR g.public_id = $2)""";

  static final String LIST_TXNS_AFTER = "SELECT " + TXN_COLUMNS + TXNS_FILTERED
      + " AND t.id < $3 ORDER BY t.id DESC LIMIT $4";

  static final String LIST_TXNS_BEFORE = "SELECT " + TXN_COLUMNS + TXNS_FILTERED
      + " AND t.id > $3 ORDER BY t.id ASC LIMIT $4";

  /** $1 customer, $2 currency, $3 the time: effective, not expired, not voided. */
  private static final String USABLE_AT = """
       FROM credit_grants g
      WHERE g.customer_id = $1 AND g.currency = $2 AND g.voided_at IS NULL AND g.effective_at <= $3
        AND (g.expires_at IS NULL OR g.expires_at > $3)""";

  /** In id order, so that finalizations locking several grants of one customer cannot deadlock. */
  static final String LOCK_USABLE = "SELECT g.id" + USABLE_AT + " ORDER BY g.id FOR UPDATE";

  static final String USABLE = """
      SELECT * FROM (
        SELECT g.id, g.public_id, g.customer_id, g.category, g.currency, g.price_type, g.price_ids, g.priority,
               g.effective_at, g.expires_at, g.created_at,""" + REMAINING + " AS remaining" + USABLE_AT + """

      ) u WHERE remaining > 0""";

  /**
   * credits_applied debits, one per row of the arrays ($1 public ids, $2 grant ids, $3 amounts,
   * $4 invoice ids, $5 invoice public ids, $6 line public ids) for grants of account $7 in mode $8.
   * Returns how many were written and which grants they overdraw (remaining before < used).
   */
  static final String APPLY = """
      WITH x AS (
        SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::text[], $6::text[])
                      AS x(public_id, grant_id, amount, invoice_id, invoice_public_id, line_public_id)
      ), applied AS (
        INSERT INTO credit_balance_transactions (public_id, account_id, livemode, credit_grant_id, customer_id, type,
                                                 kind, amount, currency, invoice_id, invoice_public_id,
                                                 line_public_id, effective_at)
        SELECT x.public_id, g.account_id, g.livemode, g.id, g.customer_id, 'debit', 'credits_applied', x.amount,
               g.currency, x.invoice_id, x.invoice_public_id, x.line_public_id, now()
          FROM x JOIN credit_grants g ON g.id = x.grant_id AND g.account_id = $7 AND g.livemode = $8
        RETURNING 1
      ), used AS (
        SELECT grant_id, sum(amount) AS amount FROM x GROUP BY grant_id
      )
      SELECT (SELECT count(*) FROM applied) AS written,
             ARRAY(SELECT g.public_id FROM used u JOIN credit_grants g ON g.id = u.grant_id
                    WHERE""" + REMAINING + " < u.amount) AS overdrawn";

  /** The invoice's credits_applied debits, unless they were already given back. */
  static final String APPLIED_TO_INVOICE = """
      SELECT d.id FROM credit_balance_transactions d
       WHERE d.invoice_id = $1 AND d.kind = 'credits_applied'
         AND NOT EXISTS (SELECT 1 FROM credit_balance_transactions r
                          WHERE r.invoice_id = $1 AND r.kind = 'credits_application_invoice_voided')
       ORDER BY d.id""";

  /** One credits_application_invoice_voided credit per debit ($2), with public ids $1. */
  static final String RETURN_APPLIED = """
      INSERT INTO credit_balance_transactions (public_id, account_id, livemode, credit_grant_id, customer_id, type, kind,
                                               amount, currency, invoice_id, invoice_public_id, line_public_id,
                                               effective_at)
      SELECT x.public_id, d.account_id, d.livemode, d.credit_grant_id, d.customer_id, 'credit',
             'credits_application_invoice_voided', d.amount, d.currency, d.invoice_id, d.invoice_public_id,
             d.line_public_id, now()
        FROM unnest($1::text[], $2::int8[]) AS x(public_id, debit_id)
        JOIN credit_balance_transactions d ON d.id = x.debit_id
       ORDER BY x.debit_id""";

  private CreditSql() {}
}
