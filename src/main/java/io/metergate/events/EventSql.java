package io.metergate.events;

final class EventSql {
  /** Events, and in the same statement one pending delivery per enabled endpoint that wants the type. */
  static final String RECORD = """
      WITH ev AS (
        INSERT INTO events (public_id, account_id, livemode, type, api_version, data_object)
        SELECT x.public_id, x.account_id, x.livemode, x.type, $6, x.data_object::jsonb
          FROM unnest($1::text[], $2::int8[], $3::bool[], $4::text[], $5::text[])
            AS x(public_id, account_id, livemode, type, data_object)
        RETURNING id, account_id, livemode, type
      )
      INSERT INTO webhook_deliveries (event_id, endpoint_id)
      SELECT ev.id, we.id
        FROM ev JOIN webhook_endpoints we
          ON we.account_id = ev.account_id AND we.livemode = ev.livemode
         AND we.deleted_at IS NULL AND we.status = 'enabled'
         AND we.enabled_events && ARRAY['*', ev.type]""";

  /** pending_webhooks: deliveries neither delivered nor given up. */
  static final String COLUMNS = """
      e.id, e.public_id, e.type, e.api_version, e.data_object, e.livemode, e.created_at,
      (SELECT count(*) FROM webhook_deliveries d
        WHERE d.event_id = e.id AND d.delivered_at IS NULL AND d.failed_at IS NULL) AS pending_webhooks""";

  static final String FIND = "SELECT " + COLUMNS
      + " FROM events e WHERE e.public_id = $1 AND e.account_id = $2 AND e.livemode = $3";

  static final String CURSOR_ID = "SELECT id FROM events WHERE public_id = $1 AND account_id = $2 AND livemode = $3";

  /**
   * $3 id bound (exclusive), $4 LIKE pattern, $5 exact types, $6..$7 created range [from, before) in
   * Unix seconds, $8 delivery_success; every filter NULL when absent; $9 page size + 1.
   */
  private static final String FILTERED = """
       FROM events e
      WHERE e.account_id = $1 AND e.livemode = $2
        AND ($4::text IS NULL OR e.type LIKE $4)
        AND ($5::text[] IS NULL OR e.type = ANY ($5))
        AND ($6::int8 IS NULL OR e.created_at >= to_timestamp($6))
        AND ($7::int8 IS NULL OR e.created_at < to_timestamp($7))
        AND ($8::bool IS NULL OR (
              EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)
              AND $8 = NOT EXISTS (SELECT 1 FROM webhook_deliveries d
                                    WHERE d.event_id = e.id AND d.delivered_at IS NULL)))""";

  /** Newest first. */
  static final String LIST_AFTER = "SELECT " + COLUMNS + FILTERED + " AND e.id < $3 ORDER BY e.id DESC LIMIT $9";

  /** The page just before a cursor: read upwards, then reversed by the caller. */
  static final String LIST_BEFORE = "SELECT " + COLUMNS + FILTERED + " AND e.id > $3 ORDER BY e.id ASC LIMIT $9";

  /** The oldest events past retention (ids grow with time, so the primary key finds them first). */
  static final String EXPIRED = """
      SELECT id FROM events WHERE created_at < now() - make_interval(days => $1) ORDER BY id LIMIT $2""";

  static final String DELETE_DELIVERIES = "DELETE FROM webhook_deliveries WHERE event_id = ANY ($1::int8[])";

  static final String DELETE_EVENTS = "DELETE FROM events WHERE id = ANY ($1::int8[])";

  private EventSql() {}
}
