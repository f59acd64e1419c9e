package io.metergate.usage;

import java.util.stream.Collectors;
import java.util.stream.Stream;

final class UsageSql {
  /**
   * Usage items for (meter, customer, [from_min, to_min)) requests: hourly aggregates for the whole
   * hours inside the range, per-minute aggregates for the partial hours at its ends and, when $5,
   * the raw events above the folded mark (read in the same snapshot as the aggregates, so nothing
   * is counted twice or missed). Each row carries the request's ordinal.
   */
  static final String ITEMS = """
      SELECT p.idx, i.minute, i.value_sum, i.event_count,
             (extract(epoch FROM i.last_ts) * 1000000)::int8 AS last_us, i.last_id, i.last_value
        FROM unnest($1::int8[], $2::text[], $3::int8[], $4::int8[]) WITH ORDINALITY
               AS p(meter_id, customer_id, from_min, to_min, idx)
        CROSS JOIN LATERAL (
          SELECT h.hour * 60 AS minute, h.value_sum, h.event_count, h.last_ts, h.last_id, h.last_value
            FROM usage_hours h
           WHERE h.meter_id = p.meter_id AND h.customer_id = p.customer_id
             AND h.hour >= (p.from_min + 59) / 60 AND h.hour < p.to_min / 60
          UNION ALL
          SELECT m.minute, m.value_sum, m.event_count, m.last_ts, m.last_id, m.last_value
            FROM usage_minutes m
           WHERE m.meter_id = p.meter_id AND m.customer_id = p.customer_id
             AND m.minute >= p.from_min AND m.minute < p.to_min
             AND (m.minute < (p.from_min + 59) / 60 * 60 OR m.minute >= p.to_min / 60 * 60)
          UNION ALL
          SELECT floor(extract(epoch FROM e.event_ts) / 60)::int8, coalesce(e.value, 0), 1, e.event_ts, e.id, e.value
            FROM usage_fold_state s JOIN meter_events e ON e.id > s.folded_through
           WHERE $5 AND e.meter_id = p.meter_id AND e.customer_id = p.customer_id AND e.canceled_at IS NULL
             AND e.event_ts >= to_timestamp(p.from_min * 60) AND e.event_ts < to_timestamp(p.to_min * 60)
        ) i""";

  /** Only one folder at a time across every replica; cancellations take the same lock shared. */
  static final String TRY_FOLD_LOCK = "SELECT pg_try_advisory_xact_lock(" + UsageSql.FOLD_LOCK + ")";

  static final long FOLD_LOCK = 0x6d67_666f_6c64L;

  /**
   * The pending range is settled once every transaction that was running when it was marked has
   * ended: event ids are drawn after the transaction id (IngestSql), so no event at or below
   * pending_through can still appear.
   */
  static final String FOLD_STATE = """
      SELECT folded_through, pending_through,
             pending_snapshot IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM pg_snapshot_xip(pending_snapshot) x WHERE pg_xact_status(x) = 'in progress') AS settled,
             (SELECT coalesce(max(id), 0) FROM meter_events) AS max_id
        FROM usage_fold_state""";

  static final String MARK_PENDING = """
      UPDATE usage_fold_state SET pending_through = $1, pending_snapshot = pg_current_snapshot()""";

  static final String ADVANCE = """
      UPDATE usage_fold_state SET folded_through = $1, folded_at = now()""";

  private static final String NEWER = "EXCLUDED.last_ts IS NOT NULL AND (u.last_ts IS NULL OR EXCLUDED.last_ts > u.last_ts"
      + " OR (EXCLUDED.last_ts = u.last_ts AND EXCLUDED.last_id > u.last_id))";

  /** The SET clause that keeps the newer of the stored and the incoming latest event. */
  private static String keepNewer() {
    return Stream.of("last_ts", "last_id", "last_value")
        .map(c -> "    " + c + " = CASE WHEN " + NEWER + " THEN EXCLUDED." + c + " ELSE u." + c + " END")
        .collect(Collectors.joining(",\n"));
  }

  private static String upsert(String table, String bucket, String source, String latest) {
    return "INSERT INTO " + table + " AS u (meter_id, customer_id, " + bucket
        + ", value_sum, event_count, last_ts, last_id, last_value)\n"
        + "  SELECT b.meter_id, b.customer_id, b." + bucket + ", b.value_sum, b.event_count, l.event_ts, l.id, l.value\n"
        + "    FROM " + source + " b LEFT JOIN " + latest + " l USING (meter_id, customer_id, " + bucket + ")\n"
        + "  ON CONFLICT (meter_id, customer_id, " + bucket + ") DO UPDATE SET\n"
        + "    value_sum = u.value_sum + EXCLUDED.value_sum,\n"
        + "    event_count = u.event_count + EXCLUDED.event_count,\n"
        + keepNewer() + "\n";
  }

  /**
   * Folds the events ($1, $2] into the minute and hour aggregates and advances alert progress, in
   * one statement. Alerts on raw meters advance incrementally (sum, count, latest of the new events
   * at or after the alert's counts_from); alerts on windowed meters, where a new event can replace
   * an earlier one, are returned as 'w' rows for the caller to recompute. 'p' rows are the alert
   * and customer pairs whose progress moved; the 'n' row counts the events folded.
   */
  static final String FOLD = fold();

  private static String fold() {
    return """
      WITH src AS MATERIALIZED (
        SELECT e.id, e.meter_id, e.customer_id, e.value, e.event_ts,
               floor(extract(epoch FROM e.event_ts) / 60)::int8 AS minute,
               m.formula, m.event_time_window,
               (m.formula = 'last' OR m.event_time_window IS NOT NULL) AS latest_wins
          FROM meter_events e JOIN meters m ON m.id = e.meter_id
         WHERE e.id > $1 AND e.id <= $2 AND e.canceled_at IS NULL
      ), by_minute AS (
        SELECT meter_id, customer_id, minute, coalesce(sum(value), 0) AS value_sum, count(*) AS event_count
          FROM src GROUP BY meter_id, customer_id, minute
      ), latest_minute AS (
        SELECT DISTINCT ON (meter_id, customer_id, minute) meter_id, customer_id, minute, event_ts, id, value
          FROM src WHERE latest_wins
         ORDER BY meter_id, customer_id, minute, event_ts DESC, id DESC
      ), by_hour AS (
        SELECT meter_id, customer_id, minute / 60 AS hour, sum(value_sum) AS value_sum, sum(event_count) AS event_count
          FROM by_minute GROUP BY meter_id, customer_id, minute / 60
      ), latest_hour AS (
        SELECT DISTINCT ON (meter_id, customer_id, minute / 60) meter_id, customer_id, minute / 60 AS hour,
               event_ts, id, value
          FROM latest_minute
         ORDER BY meter_id, customer_id, minute / 60, event_ts DESC, id DESC
      ), minutes AS (
      """ + upsert("usage_minutes", "minute", "by_minute", "latest_minute") + """
      ), hours AS (
      """ + upsert("usage_hours", "hour", "by_hour", "latest_hour") + """
      ), watched AS (
        SELECT a.id AS alert_id, s.customer_id, s.id, s.value, s.event_ts, s.formula, s.event_time_window
          FROM src s JOIN alerts a ON a.meter_id = s.meter_id AND a.status <> 'archived'
           AND (a.customer IS NULL OR a.customer = s.customer_id) AND s.event_ts >= a.counts_from
      ), delta AS (
        SELECT alert_id, customer_id, coalesce(sum(value), 0) AS value_sum, count(*) AS event_count
          FROM watched WHERE event_time_window IS NULL GROUP BY alert_id, customer_id
      ), delta_latest AS (
        SELECT DISTINCT ON (alert_id, customer_id) alert_id, customer_id, event_ts, id, value
          FROM watched WHERE event_time_window IS NULL AND formula = 'last'
         ORDER BY alert_id, customer_id, event_ts DESC, id DESC
      ), progressed AS (
        INSERT INTO alert_progress AS u (alert_id, customer_id, value_sum, event_count, last_ts, last_id, last_value)
        SELECT d.alert_id, d.customer_id, d.value_sum, d.event_count, l.event_ts, l.id, l.value
          FROM delta d LEFT JOIN delta_latest l USING (alert_id, customer_id)
        ON CONFLICT (alert_id, customer_id) DO UPDATE SET
          value_sum = u.value_sum + EXCLUDED.value_sum,
          event_count = u.event_count + EXCLUDED.event_count,
      """ + keepNewer() + """

         WHERE u.triggered_at IS NULL
        RETURNING alert_id, customer_id
      )
      SELECT 'p' AS kind, alert_id, customer_id FROM progressed
      UNION ALL
      SELECT DISTINCT 'w', alert_id, customer_id FROM watched WHERE event_time_window IS NOT NULL
      UNION ALL
      SELECT 'n', count(*), NULL FROM src""";
  }

  /**
   * Writes recomputed progress for pairs (alert, customer) that have not triggered. Decimals travel
   * as text: the driver has no numeric[] parameter encoding.
   */
  static final String SET_PROGRESS = """
      INSERT INTO alert_progress AS u (alert_id, customer_id, value_sum, event_count, last_ts, last_id, last_value)
      SELECT a, c, s::numeric, n, timestamptz 'epoch' + t * interval '1 microsecond', i, v::numeric
        FROM unnest($1::int8[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::text[])
          AS x(a, c, s, n, t, i, v)
      ON CONFLICT (alert_id, customer_id) DO UPDATE SET
        value_sum = EXCLUDED.value_sum, event_count = EXCLUDED.event_count,
        last_ts = EXCLUDED.last_ts, last_id = EXCLUDED.last_id, last_value = EXCLUDED.last_value
       WHERE u.triggered_at IS NULL""";

  /** Alert and customer pairs with the meter and window needed to recompute their progress. */
  static final String RECOMPUTE_TARGETS = """
      SELECT x.a AS alert_id, x.c AS customer_id, a.meter_id, m.formula, m.event_time_window,
             floor(extract(epoch FROM a.counts_from) / 60)::int8 AS from_min
        FROM unnest($1::int8[], $2::text[]) AS x(a, c)
        JOIN alerts a ON a.id = x.a JOIN meters m ON m.id = a.meter_id""";

  /** Cancellations take the folder's lock shared: they wait for a pass, and a pass waits for them. */
  static final String SHARED_FOLD_LOCK = "SELECT pg_advisory_xact_lock_shared(" + FOLD_LOCK + ")";

  static final String FOLDED_THROUGH = "SELECT folded_through FROM usage_fold_state";

  /** Takes a canceled, already folded event out of its minute and hour; returns the latest ids they keep. */
  static final String RETRACT = """
      WITH m AS (
        UPDATE usage_minutes SET value_sum = value_sum - $4, event_count = event_count - 1
         WHERE meter_id = $1 AND customer_id = $2 AND minute = $3
        RETURNING last_id
      ), h AS (
        UPDATE usage_hours SET value_sum = value_sum - $4, event_count = event_count - 1
         WHERE meter_id = $1 AND customer_id = $2 AND hour = $3 / 60
        RETURNING last_id
      )
      SELECT (SELECT last_id FROM m) AS minute_last, (SELECT last_id FROM h) AS hour_last""";

  /** The minute's latest folded, uncanceled event, found through the latest-wins index. */
  static final String RELATEST_MINUTE = """
      UPDATE usage_minutes u SET (last_ts, last_id, last_value) = (
        SELECT e.event_ts, e.id, e.value FROM meter_events e
         WHERE e.latest_wins AND e.meter_id = u.meter_id AND e.customer_id = u.customer_id
           AND e.event_ts >= to_timestamp(u.minute * 60) AND e.event_ts < to_timestamp((u.minute + 1) * 60)
           AND e.canceled_at IS NULL AND e.id <= $4
         ORDER BY e.event_ts DESC, e.id DESC LIMIT 1)
       WHERE u.meter_id = $1 AND u.customer_id = $2 AND u.minute = $3""";

  /** The hour's latest event, from its minutes. */
  static final String RELATEST_HOUR = """
      UPDATE usage_hours u SET (last_ts, last_id, last_value) = (
        SELECT m.last_ts, m.last_id, m.last_value FROM usage_minutes m
         WHERE m.meter_id = u.meter_id AND m.customer_id = u.customer_id
           AND m.minute >= u.hour * 60 AND m.minute < (u.hour + 1) * 60 AND m.last_ts IS NOT NULL
         ORDER BY m.last_ts DESC, m.last_id DESC LIMIT 1)
       WHERE u.meter_id = $1 AND u.customer_id = $2 AND u.hour = $3 / 60""";

  /** Alerts whose progress for the customer may include the event and can still trigger. */
  static final String PROGRESS_TO_RECOMPUTE = """
      SELECT p.alert_id FROM alert_progress p JOIN alerts a ON a.id = p.alert_id
       WHERE a.meter_id = $1 AND p.customer_id = $2 AND p.triggered_at IS NULL AND a.counts_from <= $3""";

  private UsageSql() {}
}
