package io.metergate.catalog;

final class ProductSql {
  static final String COLUMNS = "id, public_id, livemode, name, description, active, metadata, created_at, updated_at";

  static final String INSERT = """
      INSERT INTO products (public_id, account_id, livemode, name, description, active, metadata)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      """ + " RETURNING " + COLUMNS;

  static final String FIND = "SELECT " + COLUMNS
      + " FROM products WHERE public_id = $1 AND account_id = $2 AND livemode = $3";

  static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";

  static final String UPDATE = """
      UPDATE products SET name = $2, description = $3, active = $4, metadata = $5, updated_at = now()
       WHERE id = $1
      """ + " RETURNING " + COLUMNS;

  static final String CURSOR_ID = "SELECT id FROM products WHERE public_id = $1 AND account_id = $2 AND livemode = $3";

  /** Newest first; $3 active filter or NULL; $4 ids filter or NULL; $5 exclusive bound; $6 page size + 1. */
  static final String LIST_AFTER = "SELECT " + COLUMNS + """
       FROM products
      WHERE account_id = $1 AND livemode = $2 AND ($3::bool IS NULL OR active = $3)
        AND ($4::text[] IS NULL OR public_id = ANY($4)) AND id < $5
      ORDER BY id DESC LIMIT $6""";

  /** The page just before a cursor: read upwards, then reversed. */
  static final String LIST_BEFORE = "SELECT " + COLUMNS + """
       FROM products
      WHERE account_id = $1 AND livemode = $2 AND ($3::bool IS NULL OR active = $3)
        AND ($4::text[] IS NULL OR public_id = ANY($4)) AND id > $5
      ORDER BY id ASC LIMIT $6""";

  private ProductSql() {}
}
