package io.metergate.customers;

final class CustomerSql {
  static final String COLUMNS = """
      id, public_id, account_id, livemode, name, email, phone, description, metadata, balance, currency,
      created_at,
      (SELECT count(*) + 1 FROM invoices i WHERE i.customer_id = customers.id AND i.number IS NOT NULL)
        AS next_invoice_sequence""";

  static final String INSERT = """
      INSERT INTO customers (public_id, account_id, livemode, name, email, phone, description, metadata)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING\s""" + COLUMNS;

  private static final String BY_PUBLIC_ID = " FROM customers WHERE public_id = $1 AND account_id = $2 AND livemode = $3";

  static final String FIND = "SELECT " + COLUMNS + BY_PUBLIC_ID + " AND deleted_at IS NULL";

  static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";

  /** Deleted customers too: they retrieve as a deleted stub. */
  static final String FIND_ANY = "SELECT " + COLUMNS + ", deleted_at IS NOT NULL AS deleted" + BY_PUBLIC_ID;

  static final String UPDATE = """
      UPDATE customers SET name = $2, email = $3, phone = $4, description = $5, metadata = $6
       WHERE id = $1
      RETURNING\s""" + COLUMNS;

  /**
   * A soft delete: balance transactions, credit grants and invoices keep their customer. Its active
   * subscriptions end with it, as at Stripe.
   */
  static final String DELETE = """
      WITH c AS (
        UPDATE customers SET deleted_at = now()
         WHERE public_id = $1 AND account_id = $2 AND livemode = $3 AND deleted_at IS NULL
        RETURNING id, public_id
      ), s AS (
        UPDATE subscriptions SET status = 'canceled', canceled_at = now()
         WHERE customer_id IN (SELECT id FROM c) AND status = 'active'
      )
      SELECT public_id FROM c""";

  /** A deleted customer still marks its place in a list being paged through. */
  static final String CURSOR_ID = "SELECT id" + BY_PUBLIC_ID;

  /** $3 email or NULL, $4..$5 created range [from, before) in Unix seconds or NULLs, $6 id bound, $7 page size + 1. */
  private static final String FILTERED = """
       FROM customers
      WHERE account_id = $1 AND livemode = $2 AND deleted_at IS NULL
        AND ($3::text IS NULL OR email = $3)
        AND ($4::int8 IS NULL OR created_at >= to_timestamp($4))
        AND ($5::int8 IS NULL OR created_at < to_timestamp($5))""";

  /** Newest first. */
  static final String LIST_AFTER = "SELECT " + COLUMNS + FILTERED + " AND id < $6 ORDER BY id DESC LIMIT $7";

  /** The page just before a cursor: read upwards, then reversed. */
  static final String LIST_BEFORE = "SELECT " + COLUMNS + FILTERED + " AND id > $6 ORDER BY id ASC LIMIT $7";

  static final String TXN_COLUMNS = """
      t.id, t.public_id, t.livemode, c.public_id AS customer, t.amount, t.currency, t.description, t.metadata,
      t.ending_balance, t.type, i.public_id AS invoice, t.created_at""";

  private static final String TXN_JOINS =
      " JOIN customers c ON c.id = t.customer_id LEFT JOIN invoices i ON i.id = t.invoice_id";

  /**
   * Moves the balance and records the transaction in one statement. The UPDATE takes the customer's
   * row lock and computes the new balance from the row's latest committed version, so concurrent
   * changes queue instead of losing one another; the transaction's id is drawn under that lock, so
   * ending balances ordered by id form one unbroken chain. No row: the customer is missing or holds
   * another currency. $4 customer id, $5 amount, $6 currency.
   */
  static final String RECORD_BALANCE = """
      WITH moved AS (
        UPDATE customers SET balance = balance + $5, currency = coalesce(currency, $6)
         WHERE id = $4 AND account_id = $2 AND livemode = $3 AND (currency IS NULL OR currency = $6)
        RETURNING id, balance
      ), t AS (
        INSERT INTO customer_balance_transactions (public_id, account_id, livemode, customer_id, amount, currency,
                                                   description, metadata, ending_balance, type, invoice_id)
        SELECT $1, $2, $3, moved.id, $5, $6, $7, $8, moved.balance, $9, $10 FROM moved
        RETURNING *
      )
      SELECT\s""" + TXN_COLUMNS + " FROM t" + TXN_JOINS;

  static final String CURRENCY =
      "SELECT public_id, currency FROM customers WHERE id = $1 AND account_id = $2 AND livemode = $3";

  static final String TXN_FIND = "SELECT " + TXN_COLUMNS + " FROM customer_balance_transactions t" + TXN_JOINS
      + " WHERE t.public_id = $1 AND t.customer_id = $2";

  static final String TXN_FIND_FOR_UPDATE = TXN_FIND + " FOR UPDATE OF t";

  static final String TXN_UPDATE = """
      WITH t AS (
        UPDATE customer_balance_transactions SET description = $2, metadata = $3 WHERE id = $1 RETURNING *
      )
      SELECT\s""" + TXN_COLUMNS + " FROM t" + TXN_JOINS;

  static final String TXN_CURSOR_ID =
      "SELECT id FROM customer_balance_transactions WHERE public_id = $1 AND customer_id = $2";

  /** $2..$3 created range or NULLs, $4 invoice public id or NULL, $5 id bound, $6 page size + 1. */
  private static final String TXN_FILTERED = " FROM customer_balance_transactions t" + TXN_JOINS + """

      WHERE t.customer_id = $1
        AND ($2::int8 IS NULL OR t.created_at >= to_timestamp($2))
        AND ($3::int8 IS NULL OR t.created_at < to_timestamp($3))
        AND ($4::text IS NULL OR i.public_id = $4)""";

  static final String TXN_LIST_AFTER = "SELECT " + TXN_COLUMNS + TXN_FILTERED
      + " AND t.id < $5 ORDER BY t.id DESC LIMIT $6";

  static final String TXN_LIST_BEFORE = "SELECT " + TXN_COLUMNS + TXN_FILTERED
      + " AND t.id > $5 ORDER BY t.id ASC LIMIT $6";

  private CustomerSql() {}
}
