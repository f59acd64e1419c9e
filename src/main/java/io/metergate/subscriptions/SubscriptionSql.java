package io.metergate.subscriptions;

import io.metergate.catalog.PriceSql;

final class SubscriptionSql {
  private static final String COLUMNS = """
      s.id AS sub_id, s.public_id AS sub_public_id, s.customer_id AS sub_customer_id, c.public_id AS sub_customer,
      s.status AS sub_status, s.currency AS sub_currency, s.billing_cycle_anchor AS sub_anchor,
      s.start_date AS sub_start, s.interval AS sub_interval, s.interval_count AS sub_interval_count,
      s.created_at AS sub_created_at, s.livemode AS sub_livemode, s.metadata AS sub_metadata,
      s.canceled_at AS sub_canceled_at, s.cancellation_comment AS sub_cancellation_comment,
      s.cancellation_feedback AS sub_cancellation_feedback,
      i.id AS item_id, i.public_id AS item_public_id, i.quantity AS item_quantity, i.metadata AS item_metadata,
      i.created_at AS item_created_at,
      """;

  /** One row per item, with its subscription and its price; callers order by s.id, i.id. */
  private static final String FULL = "SELECT " + COLUMNS + PriceSql.COLUMNS
      + " FROM subscriptions s JOIN customers c ON c.id = s.customer_id"
      + " JOIN subscription_items i ON i.subscription_id = s.id JOIN prices p ON p.id = i.price_id" + PriceSql.JOINS;

  static final String FIND = FULL + "WHERE s.public_id = $1 AND s.account_id = $2 AND s.livemode = $3 ORDER BY i.id";

  static final String BY_IDS = FULL + "WHERE s.id = ANY($1) ORDER BY s.id, i.id";

  static final String ACTIVE = FULL + """
      WHERE s.customer_id = $1 AND s.account_id = $2 AND s.livemode = $3 AND s.status = 'active'
      ORDER BY s.id, i.id""";

  static final String CUSTOMER_ID = """
      SELECT id FROM customers WHERE public_id = $1 AND account_id = $2 AND livemode = $3 AND deleted_at IS NULL""";

  static final String PRICES = "SELECT " + PriceSql.COLUMNS + " FROM prices p" + PriceSql.JOINS
      + "WHERE p.public_id = ANY($1) AND p.account_id = $2 AND p.livemode = $3";

  static final String INSERT = """
      INSERT INTO subscriptions (public_id, account_id, livemode, customer_id, currency, billing_cycle_anchor,
                                 start_date, interval, interval_count, metadata, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id""";

  /** All items in one statement, ids drawn in the request's order. */
  static final String INSERT_ITEMS = """
      INSERT INTO subscription_items (public_id, subscription_id, price_id, quantity, metadata, created_at)
      SELECT x.public_id, $1, x.price_id, x.quantity, x.metadata::jsonb, $6
        FROM unnest($2::text[], $3::int8[], $4::int8[], $5::text[]) WITH ORDINALITY
             AS x(public_id, price_id, quantity, metadata, n)
       ORDER BY x.n""";

  /** Only an active subscription can be canceled; a canceled one is gone, as at Stripe (404). */
  static final String CANCEL = """
      UPDATE subscriptions SET status = 'canceled', canceled_at = $4, cancellation_comment = $5,
                               cancellation_feedback = $6
       WHERE public_id = $1 AND account_id = $2 AND livemode = $3 AND status = 'active'
      RETURNING id""";

  static final String CURSOR_ID = """
      SELECT id FROM subscriptions WHERE public_id = $1 AND account_id = $2 AND livemode = $3""";

  /** Filters: $3 customer or NULL, $4 statuses, $5 price or NULL; $6 exclusive bound; $7 page size + 1. */
  private static final String LIST_WHERE = """
       FROM subscriptions s
      WHERE s.account_id = $1 AND s.livemode = $2 AND s.status = ANY($4::text[])
        AND ($3::text IS NULL OR s.customer_id = (SELECT id FROM customers
                                                   WHERE public_id = $3 AND account_id = $1 AND livemode = $2))
        AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM subscription_items i JOIN prices p ON p.id = i.price_id
                                          WHERE i.subscription_id = s.id AND p.public_id = $5))""";

  static final String LIST_AFTER = "SELECT s.id" + LIST_WHERE + " AND s.id < $6 ORDER BY s.id DESC LIMIT $7";

  static final String LIST_BEFORE = "SELECT s.id" + LIST_WHERE + " AND s.id > $6 ORDER BY s.id ASC LIMIT $7";

  private SubscriptionSql() {}
}
