package io.metergate.webhooks;

final class WebhookSql {
  static final String COLUMNS = """
      id, public_id, livemode, url, enabled_events, description, metadata, secret, status, api_version,
      created_at""";

  /** No row when the account and mode already have $10 live endpoints. */
  static final String INSERT = """
      INSERT INTO webhook_endpoints (public_id, account_id, livemode, url, enabled_events, description, metadata,
                                     secret, api_version)
      SELECT $1::text, $2::int8, $3::bool, $4::text, $5::text[], $6::text, $7::jsonb, $8::text, $9::text
       WHERE (SELECT count(*) FROM webhook_endpoints
               WHERE account_id = $2 AND livemode = $3 AND deleted_at IS NULL) < $10
      """ + " RETURNING " + COLUMNS;

  static final String FIND = "SELECT " + COLUMNS + """
       FROM webhook_endpoints
      WHERE public_id = $1 AND account_id = $2 AND livemode = $3 AND deleted_at IS NULL""";

  static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";

  /** Disabling drops the endpoint's pending deliveries, as deleting does. */
  static final String UPDATE = """
      WITH updated AS (
        UPDATE webhook_endpoints
           SET url = $2, enabled_events = $3, description = $4, metadata = $5, status = $6
         WHERE id = $1
        RETURNING""" + " " + COLUMNS + """
      ), dropped AS (
        UPDATE webhook_deliveries d SET failed_at = now(), last_error = 'endpoint disabled'
          FROM updated u
         WHERE u.status = 'disabled' AND d.endpoint_id = u.id AND d.delivered_at IS NULL AND d.failed_at IS NULL
      )
      SELECT * FROM updated""";

  /** A soft delete; the endpoint's pending deliveries are given up in the same statement. */
  static final String DELETE = """
      WITH gone AS (
        UPDATE webhook_endpoints SET deleted_at = now()
         WHERE public_id = $1 AND account_id = $2 AND livemode = $3 AND deleted_at IS NULL
        RETURNING id, public_id
      ), dropped AS (
        UPDATE webhook_deliveries d SET failed_at = now(), last_error = 'endpoint deleted'
          FROM gone WHERE d.endpoint_id = gone.id AND d.delivered_at IS NULL AND d.failed_at IS NULL
      )
      SELECT public_id FROM gone""";

  static final String CURSOR_ID = """
      SELECT id FROM webhook_endpoints
       WHERE public_id = $1 AND account_id = $2 AND livemode = $3 AND deleted_at IS NULL""";

  /** Newest first; $3 exclusive upper bound on id; $4 page size + 1. */
  static final String LIST_AFTER = "SELECT " + COLUMNS + """
       FROM webhook_endpoints
      WHERE account_id = $1 AND livemode = $2 AND deleted_at IS NULL AND id < $3
      ORDER BY id DESC LIMIT $4""";

  /** The page just before a cursor: read upwards, then reversed by the caller. */
  static final String LIST_BEFORE = "SELECT " + COLUMNS + """
       FROM webhook_endpoints
      WHERE account_id = $1 AND livemode = $2 AND deleted_at IS NULL AND id > $3
      ORDER BY id ASC LIMIT $4""";

  /**
   * Leases up to $1 due deliveries by moving next_attempt_at $2 ms ahead and counting the attempt:
   * SKIP LOCKED keeps replicas off each other's rows, and the lease keeps them off rows being sent.
   * Returns what sending needs: the event (EventSql.COLUMNS names) and the endpoint's current state.
   */
  static final String LEASE = """
      WITH due AS (
        SELECT id FROM webhook_deliveries
         WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED
      ), leased AS (
        UPDATE webhook_deliveries d
           SET attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
          FROM due WHERE d.id = due.id
        RETURNING d.id, d.event_id, d.endpoint_id, d.attempts
      )
      SELECT l.id AS delivery_id, l.attempts,
             e.id, e.public_id, e.type, e.api_version, e.data_object, e.livemode, e.created_at,
             (SELECT count(*) FROM webhook_deliveries p
               WHERE p.event_id = e.id AND p.delivered_at IS NULL AND p.failed_at IS NULL) AS pending_webhooks,
             w.public_id AS endpoint_public_id, w.url, w.secret,
             w.status = 'enabled' AND w.deleted_at IS NULL AS endpoint_active
        FROM leased l
        JOIN events e ON e.id = l.event_id
        JOIN webhook_endpoints w ON w.id = l.endpoint_id""";

  /** A 2xx ends the delivery, even if its lease ran out meanwhile. */
  static final String DELIVERED = """
      UPDATE webhook_deliveries SET delivered_at = now(), last_status = $2, last_error = NULL
       WHERE id = $1 AND delivered_at IS NULL AND failed_at IS NULL""";

  /**
   * After a failed attempt: try again in $5 ms, or give up when that would be later than $6 hours
   * after the event was created. Only the holder of the current lease ($2 = attempts) records it.
   */
  static final String FAILED_ATTEMPT = """
      UPDATE webhook_deliveries d
         SET last_status = $3, last_error = $4,
             next_attempt_at = now() + $5 * interval '1 millisecond',
             failed_at = CASE WHEN now() + $5 * interval '1 millisecond' > e.created_at + $6 * interval '1 hour'
                              THEN now() END
        FROM events e
       WHERE d.id = $1 AND d.attempts = $2 AND e.id = d.event_id
         AND d.delivered_at IS NULL AND d.failed_at IS NULL
      RETURNING d.failed_at IS NOT NULL AS gave_up""";

  /** The endpoint was deleted or disabled since the delivery was queued: nothing is sent. */
  static final String DROP = """
      UPDATE webhook_deliveries SET failed_at = now(), last_error = $2
       WHERE id = $1 AND delivered_at IS NULL AND failed_at IS NULL""";

  static final String PENDING_COUNT =
      "SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL";

  private WebhookSql() {}
}
