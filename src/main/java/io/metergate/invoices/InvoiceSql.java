package io.metergate.invoices;

final class InvoiceSql {
  static final String COLUMNS = """
      i.id, i.public_id, i.account_id, i.livemode, i.customer_id, c.public_id AS customer, c.name AS customer_name,
      c.email AS customer_email, c.phone AS customer_phone, c.balance AS customer_balance,
      c.currency AS customer_currency, i.status, i.currency, i.description, i.metadata, i.collection_method,
      i.days_until_due, i.auto_advance, i.number, i.period_start, i.period_end, i.starting_balance,
      i.ending_balance, i.amount_paid, i.created_at, i.finalized_at, i.paid_at, i.voided_at""";

  private static final String FROM = " FROM invoices i JOIN customers c ON c.id = i.customer_id ";

  static final String INSERT = """
      INSERT INTO invoices (public_id, account_id, livemode, customer_id, currency, description, metadata,
                            collection_method, days_until_due, auto_advance, period_start, period_end)
      VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, now(), now())
      RETURNING id""";

  static final String FIND = "SELECT " + COLUMNS + FROM
      + "WHERE i.public_id = $1 AND i.account_id = $2 AND i.livemode = $3 AND i.deleted_at IS NULL";

  static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE OF i";

  static final String FIND_BY_ID = "SELECT " + COLUMNS + FROM + "WHERE i.id = $1";

  static final String CURSOR_ID = """
      SELECT id FROM invoices WHERE public_id = $1 AND account_id = $2 AND livemode = $3 AND deleted_at IS NULL""";

  /** Newest first; $3 customer filter, $4 status filter (NULL when absent); $5 exclusive bound; $6 page size + 1. */
  static final String LIST_AFTER = "SELECT " + COLUMNS + FROM + """
      WHERE i.account_id = $1 AND i.livemode = $2 AND i.deleted_at IS NULL
        AND ($3::int8 IS NULL OR i.customer_id = $3) AND ($4::text IS NULL OR i.status = $4) AND i.id < $5
      ORDER BY i.id DESC LIMIT $6""";

  static final String LIST_BEFORE = "SELECT " + COLUMNS + FROM + """
      WHERE i.account_id = $1 AND i.livemode = $2 AND i.deleted_at IS NULL
        AND ($3::int8 IS NULL OR i.customer_id = $3) AND ($4::text IS NULL OR i.status = $4) AND i.id > $5
      ORDER BY i.id ASC LIMIT $6""";

  static final String UPDATE = """
      UPDATE invoices SET description = $2, metadata = $3::jsonb, auto_advance = $4, collection_method = $5,
                          days_until_due = $6, updated_at = now()
       WHERE id = $1""";

  /** Deleting a draft deletes the invoice items on it, as at Stripe. */
  static final String DELETE_DRAFT = """
      WITH items AS (
        UPDATE invoice_items SET deleted_at = now() WHERE invoice_id = $1 AND deleted_at IS NULL
      )
      UPDATE invoices SET deleted_at = now(), updated_at = now() WHERE id = $1""";

  static final String PERIOD_FROM_LINES = """
      UPDATE invoices i SET period_start = coalesce(l.s, i.period_start), period_end = coalesce(l.e, i.period_end)
        FROM (SELECT min(period_start) AS s, max(period_end) AS e FROM invoice_items
               WHERE invoice_id = $1 AND deleted_at IS NULL) l
       WHERE i.id = $1""";

  /** The next invoice number of the account and mode: prefix of the customer, then a sequence. */
  static final String FINALIZE = """
      UPDATE invoices SET status = $2, number = $3, starting_balance = $4, ending_balance = $5, amount_paid = $6,
                          finalized_at = now(), paid_at = CASE WHEN $2 = 'paid' THEN now() END, updated_at = now()
       WHERE id = $1""";

  /**
   * The customer row, locked against other balance changes. NO KEY UPDATE: the foreign-key checks of
   * credit transactions (key share) must not wait on it, or finalizing would deadlock with a grant's
   * expiry or another invoice's void.
   */
  static final String LOCK_CUSTOMER = "SELECT balance, currency FROM customers WHERE id = $1 FOR NO KEY UPDATE";

  static final String NEXT_NUMBER = """
      SELECT count(*) + 1 FROM invoices WHERE customer_id = $1 AND number IS NOT NULL""";

  static final String SET_STATUS = """
      UPDATE invoices SET status = $2, amount_paid = $3,
                          paid_at = CASE WHEN $2 = 'paid' THEN now() ELSE paid_at END,
                          voided_at = CASE WHEN $2 = 'void' THEN now() ELSE voided_at END, updated_at = now()
       WHERE id = $1""";

  static final String ITEM_COLUMNS = """
      ii.id, ii.public_id, ii.line_public_id, ii.invoice_id, inv.public_id AS invoice, c.public_id AS customer,
      ii.customer_id, ii.livemode, ii.currency, ii.amount, ii.quantity, ii.quantity_decimal, ii.unit_amount_decimal,
      ii.price_public_id, ii.product_public_id, ii.metered, ii.priced_by, ii.description, ii.discountable, ii.metadata,
      ii.period_start, ii.period_end, ii.position, ii.created_at""";

  private static final String ITEM_FROM = """

       FROM invoice_items ii JOIN customers c ON c.id = ii.customer_id
       LEFT JOIN invoices inv ON inv.id = ii.invoice_id\s""";

  /** The lines of one or many invoices ($1, an array: a page of invoices is read in one query). */
  static final String LINES = "SELECT " + ITEM_COLUMNS + ITEM_FROM
      + "WHERE ii.invoice_id = ANY($1) AND ii.deleted_at IS NULL ORDER BY ii.invoice_id, ii.position, ii.id";

  static final String APPLIED_CREDITS = """
      SELECT invoice_id, line_public_id, amount, public_id FROM credit_balance_transactions
       WHERE invoice_id = ANY($1) AND kind = 'credits_applied' ORDER BY id""";

  static final String FIND_ITEM = "SELECT " + ITEM_COLUMNS + ITEM_FROM
      + "WHERE ii.public_id = $1 AND ii.account_id = $2 AND ii.livemode = $3 AND ii.deleted_at IS NULL";

  static final String FIND_ITEM_FOR_UPDATE = FIND_ITEM + " FOR UPDATE OF ii";

  /** An item just written, by row id (its account was checked when it was found or created). */
  static final String ITEM_BY_ID = "SELECT " + ITEM_COLUMNS + ITEM_FROM + "WHERE ii.id = $1";

  static final String FIND_LINE = "SELECT " + ITEM_COLUMNS + ITEM_FROM
      + "WHERE ii.line_public_id = $1 AND ii.invoice_id = $2 AND ii.deleted_at IS NULL FOR UPDATE OF ii";

  static final String ITEM_CURSOR_ID = """
      SELECT id FROM invoice_items WHERE public_id = $1 AND account_id = $2 AND livemode = $3 AND deleted_at IS NULL""";

  /** $3 customer, $4 invoice, $5 pending only (all NULL when absent); $6 exclusive bound; $7 page size + 1. */
  static final String LIST_ITEMS_AFTER = "SELECT " + ITEM_COLUMNS + ITEM_FROM + """
      WHERE ii.account_id = $1 AND ii.livemode = $2 AND ii.deleted_at IS NULL
        AND ($3::int8 IS NULL OR ii.customer_id = $3) AND ($4::int8 IS NULL OR ii.invoice_id = $4)
        AND ($5::bool IS NULL OR (ii.invoice_id IS NULL) = $5) AND ii.id < $6
      ORDER BY ii.id DESC LIMIT $7""";

  static final String LIST_ITEMS_BEFORE = "SELECT " + ITEM_COLUMNS + ITEM_FROM + """
      WHERE ii.account_id = $1 AND ii.livemode = $2 AND ii.deleted_at IS NULL
        AND ($3::int8 IS NULL OR ii.customer_id = $3) AND ($4::int8 IS NULL OR ii.invoice_id = $4)
        AND ($5::bool IS NULL OR (ii.invoice_id IS NULL) = $5) AND ii.id > $6
      ORDER BY ii.id ASC LIMIT $7""";

  /** The customer's pending items in a currency, oldest first. */
  static final String PENDING_ITEMS = "SELECT " + ITEM_COLUMNS + ITEM_FROM + """
      WHERE ii.customer_id = $1 AND ii.invoice_id IS NULL AND ii.deleted_at IS NULL AND ii.currency = $2
      ORDER BY ii.id""";

  /** Pending items an invoice created with include takes: those another request holds are left to it. */
  static final String CLAIM_PENDING_ITEMS = """
      SELECT id FROM invoice_items
       WHERE customer_id = $1 AND invoice_id IS NULL AND deleted_at IS NULL AND currency = $2
       ORDER BY id FOR UPDATE SKIP LOCKED""";

  /** The currency of the customer's oldest pending item, for a preview of a customer without one. */
  static final String PENDING_CURRENCY = """
      SELECT currency FROM invoice_items WHERE customer_id = $1 AND invoice_id IS NULL AND deleted_at IS NULL
       ORDER BY id LIMIT 1""";

  static final String INSERT_ITEM = """
      INSERT INTO invoice_items (public_id, account_id, livemode, customer_id, invoice_id, line_public_id, position,
                                 currency, amount, quantity, quantity_decimal, unit_amount_decimal, price_public_id,
                                 product_public_id, metered, priced_by, description, discountable, metadata,
                                 period_start, period_end)
      VALUES ($1, $2, $3, $4, $5, $6,
              CASE WHEN $5::int8 IS NULL THEN NULL
                   ELSE (SELECT coalesce(max(position), 0) + 1 FROM invoice_items WHERE invoice_id = $5) END,
              $7, $8, $9, $10::numeric, $11::numeric, $12, $13, $14, $20, $15, $16, $17::jsonb, $18, $19)
      RETURNING id""";

  static final String UPDATE_ITEM = """
      UPDATE invoice_items SET amount = $2, quantity = $3, quantity_decimal = $4::numeric,
                               unit_amount_decimal = $5::numeric, price_public_id = $6, product_public_id = $7,
                               metered = $8, description = $9, discountable = $10, metadata = $11::jsonb,
                               period_start = $12, period_end = $13, priced_by = $14
       WHERE id = $1""";

  /** Puts a pending item on an invoice, last. */
  static final String ATTACH_ITEM = """
      UPDATE invoice_items SET invoice_id = $2, line_public_id = $3,
                               position = (SELECT coalesce(max(position), 0) + 1 FROM invoice_items WHERE invoice_id = $2)
       WHERE id = $1 AND invoice_id IS NULL AND deleted_at IS NULL""";

  static final String DETACH_ITEM = """
      UPDATE invoice_items SET invoice_id = NULL, line_public_id = NULL, position = NULL WHERE id = $1""";

  static final String DELETE_ITEM = "UPDATE invoice_items SET deleted_at = now() WHERE id = $1";

  /** Products named in lines, for descriptions. */
  static final String PRODUCT_NAMES = """
      SELECT public_id, name FROM products WHERE public_id = ANY ($1::text[]) AND account_id = $2 AND livemode = $3""";

  /** price_data[product_data]: an ad-hoc product, as Stripe creates one. */
  static final String INSERT_PRODUCT = """
      INSERT INTO products (public_id, account_id, livemode, name) VALUES ($1, $2, $3, $4)""";

  static final String PRODUCT_EXISTS = """
      SELECT 1 FROM products WHERE public_id = $1 AND account_id = $2 AND livemode = $3""";

  private InvoiceSql() {}
}
