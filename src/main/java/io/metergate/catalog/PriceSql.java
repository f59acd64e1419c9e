package io.metergate.catalog;

/** Price statements; COLUMNS and FROM are public so that subscriptions read prices the same way. */
public final class PriceSql {
  /** Every column prefixed price_, so prices can be joined to other tables' rows. */
  public static final String COLUMNS = """
      p.id AS price_id, p.public_id AS price_public_id, p.account_id AS price_account_id,
      p.livemode AS price_livemode, pr.public_id AS price_product, p.currency AS price_currency,
      p.active AS price_active, p.nickname AS price_nickname, p.type AS price_type,
      p.billing_scheme AS price_billing_scheme, p.unit_amount_decimal AS price_unit_amount_decimal,
      p.tiers_mode AS price_tiers_mode, p.tiers AS price_tiers, p.recurring_interval AS price_interval,
      p.recurring_interval_count AS price_interval_count, p.usage_type AS price_usage_type,
      p.meter_id AS price_meter_id, m.public_id AS price_meter, p.created_at AS price_created_at,
      p.lookup_key AS price_lookup_key, p.tax_behavior AS price_tax_behavior, p.metadata AS price_metadata""";

  /** Joins a price {@code p} to its product {@code pr} and meter {@code m}. */
  public static final String JOINS = " JOIN products pr ON pr.id = p.product_id LEFT JOIN meters m ON m.id = p.meter_id ";

  static final String FROM = " FROM prices p" + JOINS;

  /** No row when the product ($4) is not the caller's. */
  static final String INSERT = """
      WITH p AS (
        INSERT INTO prices (public_id, account_id, livemode, product_id, currency, active, nickname, lookup_key,
                            metadata, type, billing_scheme, unit_amount_decimal, tiers_mode, tiers, tax_behavior,
                            recurring_interval, recurring_interval_count, usage_type, meter_id)
        SELECT $1::text, $2::int8, $3::bool, pr.id, $5::text, $6::bool, $7::text, $8::text, $9::jsonb, $10::text,
               $11::text, $12::text::numeric, $13::text, $14::jsonb, $15::text, $16::text, $17::int4, $18::text, $19::int8
          FROM products pr
         WHERE pr.public_id = $4 AND pr.account_id = $2 AND pr.livemode = $3
        RETURNING *
      )
      SELECT\s""" + COLUMNS + " FROM p" + JOINS;

  static final String FIND = "SELECT " + COLUMNS + FROM
      + "WHERE p.public_id = $1 AND p.account_id = $2 AND p.livemode = $3";

  static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE OF p";

  static final String UPDATE = """
      WITH p AS (
        UPDATE prices SET active = $2, nickname = $3, lookup_key = $4, metadata = $5 WHERE id = $1 RETURNING *
      )
      SELECT\s""" + COLUMNS + " FROM p" + JOINS;

  /** transfer_lookup_key: the key leaves whichever other active price holds it. */
  static final String RELEASE_LOOKUP_KEY = """
      UPDATE prices SET lookup_key = NULL
       WHERE account_id = $1 AND livemode = $2 AND lookup_key = $3 AND active AND id <> $4""";

  static final String LOOKUP_KEY_HOLDER = """
      SELECT public_id FROM prices WHERE account_id = $1 AND livemode = $2 AND lookup_key = $3 AND active""";

  static final String CURSOR_ID = "SELECT id FROM prices WHERE public_id = $1 AND account_id = $2 AND livemode = $3";

  /**
   * Newest first. Filters, each NULL for none: $3 active, $4 product, $5 type, $6 currency,
   * $7 usage type, $8 interval, $9 meter, $10 lookup keys; $11 exclusive bound; $12 page size + 1.
   */
  private static final String LIST_WHERE = """
      WHERE p.account_id = $1 AND p.livemode = $2 AND ($3::bool IS NULL OR p.active = $3)
        AND ($4::text IS NULL OR pr.public_id = $4) AND ($5::text IS NULL OR p.type = $5)
        AND ($6::text IS NULL OR p.currency = $6) AND ($7::text IS NULL OR p.usage_type = $7)
        AND ($8::text IS NULL OR p.recurring_interval = $8) AND ($9::text IS NULL OR m.public_id = $9)
        AND ($10::text[] IS NULL OR p.lookup_key = ANY($10))""";

  static final String LIST_AFTER = "SELECT " + COLUMNS + FROM + LIST_WHERE
      + " AND p.id < $11 ORDER BY p.id DESC LIMIT $12";

  static final String LIST_BEFORE = "SELECT " + COLUMNS + FROM + LIST_WHERE
      + " AND p.id > $11 ORDER BY p.id ASC LIMIT $12";

  private PriceSql() {}
}
