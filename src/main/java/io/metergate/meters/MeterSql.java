package io.metergate.meters;

final class MeterSql {
  static final String COLUMNS = """
      id, public_id, account_id, livemode, display_name, event_name, formula, customer_payload_key,
      value_payload_key, event_time_window, status, created_at, updated_at, deactivated_at""";

  static final String INSERT = """
      INSERT INTO meters (public_id, account_id, livemode, display_name, event_name, formula,
                          customer_payload_key, value_payload_key, event_time_window)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      """ + " RETURNING " + COLUMNS;

  static final String FIND = "SELECT " + COLUMNS
      + " FROM meters WHERE public_id = $1 AND account_id = $2 AND livemode = $3";

  static final String FIND_BY_EVENT_NAME = "SELECT " + COLUMNS
      + " FROM meters WHERE account_id = $1 AND livemode = $2 AND event_name = $3";

  static final String UPDATE_DISPLAY_NAME = """
      UPDATE meters SET display_name = $4, updated_at = now()
       WHERE public_id = $1 AND account_id = $2 AND livemode = $3
      """ + " RETURNING " + COLUMNS;

  /** Changes status only from the other state, so the caller can tell "already in that state". */
  static final String SET_STATUS = """
      UPDATE meters
         SET status = $4, updated_at = now(),
             deactivated_at = CASE WHEN $4 = 'inactive' THEN now() ELSE NULL END
       WHERE public_id = $1 AND account_id = $2 AND livemode = $3 AND status <> $4
      """ + " RETURNING " + COLUMNS;

  static final String CURSOR_ID = "SELECT id FROM meters WHERE public_id = $1 AND account_id = $2 AND livemode = $3";

  /** Newest first; $4 status filter or NULL; $5 exclusive upper bound on id; $6 page size + 1. */
  static final String LIST_AFTER = "SELECT " + COLUMNS + """
       FROM meters
      WHERE account_id = $1 AND livemode = $2 AND ($3::text IS NULL OR status = $3) AND id < $4
      ORDER BY id DESC LIMIT $5""";

  /** The page just before a cursor: read upwards, then reversed by the caller. */
  static final String LIST_BEFORE = "SELECT " + COLUMNS + """
       FROM meters
      WHERE account_id = $1 AND livemode = $2 AND ($3::text IS NULL OR status = $3) AND id > $4
      ORDER BY id ASC LIMIT $5""";

  private MeterSql() {}
}
