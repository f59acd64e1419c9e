package io.metergate.alerts;

final class AlertSql {
  /** The usage an alert compares with gte, by the meter's formula. */
  private static final String USAGE = """
      (CASE m.formula WHEN 'count' THEN p.event_count::numeric WHEN 'last' THEN coalesce(p.last_value, 0)
                      ELSE p.value_sum END)""";

  static final String COLUMNS = """
      a.id, a.public_id, a.account_id, a.livemode, a.title, a.meter_id, m.public_id AS meter, a.gte, a.customer,
      a.status, a.counts_after_id, a.created_at""";

  /**
   * Marks the given (alert, customer) pairs triggered where an active alert's usage reached gte and
   * had not triggered before, and returns them: each becomes one billing.alert.triggered event.
   */
  static final String FIRE = """
      UPDATE alert_progress p SET triggered_at = now()
        FROM unnest($1::int8[], $2::text[]) AS x(alert_id, customer_id), alerts a, meters m
       WHERE p.alert_id = x.alert_id AND p.customer_id = x.customer_id
         AND a.id = p.alert_id AND m.id = a.meter_id AND a.status = 'active' AND p.triggered_at IS NULL
         AND""" + USAGE + " >= a.gte\n RETURNING " + COLUMNS + ", p.customer_id AS usage_customer, " + USAGE
      + " AS usage, p.triggered_at";

  static final String FROM = " FROM alerts a JOIN meters m ON m.id = a.meter_id ";

  /** Locks the meter so concurrent creates cannot both slip under the per-customer limit. */
  static final String LOCK_METER = """
      SELECT id, status FROM meters WHERE public_id = $1 AND account_id = $2 AND livemode = $3 FOR UPDATE""";

  /**
   * Alerts that already watch the customer ($2, or every customer when NULL) on the meter: those
   * with the same filter plus those without one; for a new unfiltered alert, the busiest customer.
   */
  static final String WATCHING = """
      SELECT count(*) FILTER (WHERE customer IS NULL)
             + CASE WHEN $2::text IS NULL
                    THEN coalesce((SELECT max(n) FROM (SELECT count(*) AS n FROM alerts
                                    WHERE meter_id = $1 AND status <> 'archived' AND customer IS NOT NULL
                                    GROUP BY customer) c), 0)
                    ELSE count(*) FILTER (WHERE customer = $2) END
        FROM alerts WHERE meter_id = $1 AND status <> 'archived'""";

  static final String INSERT = """
      WITH a AS (
        INSERT INTO alerts (public_id, account_id, livemode, title, meter_id, gte, customer, counts_after_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce(pg_sequence_last_value('meter_events_id_seq'), 0))
        RETURNING *
      )
      SELECT\s""" + COLUMNS + " FROM a JOIN meters m ON m.id = a.meter_id";

  static final String FIND = "SELECT " + COLUMNS + FROM
      + "WHERE a.public_id = $1 AND a.account_id = $2 AND a.livemode = $3";

  /** Moves an alert between states; $5 lists the states it may leave (archived is final). */
  static final String SET_STATUS = """
      WITH a AS (
        UPDATE alerts SET status = $4, updated_at = now()
         WHERE public_id = $1 AND account_id = $2 AND livemode = $3 AND status = ANY($5::text[])
        RETURNING *
      )
      SELECT\s""" + COLUMNS + " FROM a JOIN meters m ON m.id = a.meter_id";

  static final String CURSOR_ID = "SELECT id FROM alerts WHERE public_id = $1 AND account_id = $2 AND livemode = $3";

  /** Newest first, archived alerts hidden; $4 meter filter or NULL; $5 exclusive bound; $6 page size + 1. */
  static final String LIST_AFTER = "SELECT " + COLUMNS + FROM + """
      WHERE a.account_id = $1 AND a.livemode = $2 AND a.status <> 'archived'
        AND ($3::int8 IS NULL OR a.meter_id = $3) AND a.id < $4
      ORDER BY a.id DESC LIMIT $5""";

  static final String LIST_BEFORE = "SELECT " + COLUMNS + FROM + """
      WHERE a.account_id = $1 AND a.livemode = $2 AND a.status <> 'archived'
        AND ($3::int8 IS NULL OR a.meter_id = $3) AND a.id > $4
      ORDER BY a.id ASC LIMIT $5""";

  static final String METER_ID = "SELECT id FROM meters WHERE public_id = $1 AND account_id = $2 AND livemode = $3";

  private AlertSql() {}
}
