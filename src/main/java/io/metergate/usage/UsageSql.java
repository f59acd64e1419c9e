package io.metergate.usage;

import java.util.stream.Collectors;
import java.util.stream.Stream;

final class UsageSql {
  /**
   * Usage items for (meter, customer, [from_min, to_min)) requests: hourly aggregates for the whole
   * hours inside the range, per-minute aggregates for the partial hour at each end (two narrow
   * ranges) and the raw events above the folded mark, read in the same snapshot as the
   * aggregates so that nothing is counted twice or missed. The unfolded events are bounded on both
   * sides by scalar subqueries: a range the planner estimates as narrow, so they are reached through
   * the primary key even on a table that has never been analyzed (a lone lower bound made it scan
   * the whole table there). Each row carries the request's ordinal.
   */
  static final String ITEMS = """
      SELECT p.idx, i.minute, i.value_sum, i.event_count,
             (extract(epoch FROM i.last_ts) * 1000000)::int8 AS last_us, i.last_id, i.last_value
        FROM (SELECT q.*, (q.from_min + 59) / 60 * 60 AS whole_from, q.to_min / 60 * 60 AS whole_to
                FROM unnest($1::int8[], $2::text[], $3::int8[], $4::int8[]) WITH ORDINALITY
                       AS q(meter_id, customer_id, from_min, to_min, idx)) p
        CROSS JOIN LATERAL (
          SELECT h.hour * 60 AS minute, h.value_sum, h.event_count, h.last_ts, h.last_id, h.last_value
            FROM usage_hours h
           WHERE h.meter_id = p.meter_id AND h.customer_id = p.customer_id
             AND h.hour >= p.whole_from / 60 AND h.hour < p.whole_to / 60
          UNION ALL
          SELECT m.minute, m.value_sum, m.event_count, m.last_ts, m.last_id, m.last_value
            FROM usage_minutes m
           WHERE m.meter_id = p.meter_id AND m.customer_id = p.customer_id
             AND m.minute >= p.from_min AND m.minute < least(p.to_min, p.whole_from)
          UNION ALL
          SELECT m.minute, m.value_sum, m.event_count, m.last_ts, m.last_id, m.last_value
            FROM usage_minutes m
           WHERE m.meter_id = p.meter_id AND m.customer_id = p.customer_id
             AND m.minute >= greatest(p.from_min, p.whole_from, p.whole_to) AND m.minute < p.to_min
          UNION ALL
          SELECT floor(extract(epoch FROM e.event_ts) / 60)::int8, coalesce(e.value, 0), 1, e.event_ts, e.id, e.value
            FROM meter_events e
           WHERE e.id > (SELECT folded_through FROM usage_fold_state)
             AND e.id <= (SELECT max(id) FROM meter_events)
             AND e.meter_id = p.meter_id AND e.customer_id = p.customer_id AND e.canceled_at IS NULL
             AND e.event_ts >= to_timestamp(p.from_min * 60) AND e.event_ts < to_timestamp(p.to_min * 60)
        ) i""";

  /** One folder at a time across every replica: a pass that cannot have it is skipped. */
  static final String TRY_FOLDER_LOCK = "SELECT pg_try_advisory_xact_lock(" + 0x6d67_666f_6c64L + ")";

  /**
   * Folding excludes cancellations and alert creation (they take this lock shared). The folder
   * waits for it rather than trying, so a steady stream of cancellations cannot starve it:
   * PostgreSQL queues new shared requests behind a waiting exclusive one.
   */
  private static final long USAGE_LOCK = 0x6d67_7573_6167L;
  static final String USAGE_LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'";
  static final String USAGE_LOCK_EXCLUSIVE = "SELECT pg_advisory_xact_lock(" + USAGE_LOCK + ")";
  static final String USAGE_LOCK_SHARED = "SELECT pg_advisory_xact_lock_shared(" + USAGE_LOCK + ")";

  /** Writing meter_events takes one of these table locks before any event id is drawn. */
  private static final String WRITERS = """
      FROM pg_locks l
       WHERE l.locktype = 'relation' AND l.relation = 'meter_events'::regclass
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND l.mode IN ('RowExclusiveLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')""";

  /**
   * The pending range is settled once none of the transactions that were writing meter_events when
   * it was marked still holds its lock on the table: an event id at or below pending_through was
   * drawn before the mark (ids come from one uncached sequence), by a transaction that was then
   * already holding that lock. Unrelated transactions, however long, never delay folding.
   */
  static final String FOLD_STATE = """
      SELECT s.folded_through, s.pending_through,
             s.pending_writers IS NOT NULL AND NOT EXISTS (
               SELECT 1\s""" + WRITERS + "\n" + """
                  AND l.virtualtransaction = ANY (s.pending_writers)) AS settled,
             (SELECT coalesce(max(id), 0) FROM meter_events) AS max_id
        FROM usage_fold_state s""";

  /** Must run after max_id was read: every writer that drew an id up to it is still listed or done. */
  static final String MARK_PENDING = """
      UPDATE usage_fold_state SET pending_through = $1,
             pending_writers = ARRAY(SELECT DISTINCT l.virtualtransaction\s""" + WRITERS + "\n" + """
                                        AND l.pid <> pg_backend_pid())""";

  static final String ADVANCE = """
      UPDATE usage_fold_state SET folded_through = $1, folded_at = now()""";

  private static final String NEWER = "EXCLUDED.last_ts IS NOT NULL AND (u.last_ts IS NULL OR EXCLUDED.last_ts > u.last_ts"
      + " OR (EXCLUDED.last_ts = u.last_ts AND EXCLUDED.last_id > u.last_id))";

  /** The bucket length of a meter's event_time_window in seconds, NULL for raw meters. */
  private static final String BUCKET_SECONDS = "CASE m.event_time_window WHEN 'hour' THEN 3600 WHEN 'day' THEN 86400 END";

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
   * The latest counted event of one bucket of a windowed meter, among the events an alert counts
   * (id above its counts_after_id) that are folded and not canceled, found through the latest-wins
   * index. Parameters are SQL expressions of the enclosing query.
   */
  private static String latestInBucket(String meter, String customer, String at, String bucketSeconds,
                                       String countsAfter, String foldedThrough) {
    String bucketStart = "floor(extract(epoch FROM " + at + ") / " + bucketSeconds + ") * " + bucketSeconds;
    return "SELECT e.id, e.event_ts, e.value FROM meter_events e\n"
        + "       WHERE e.latest_wins AND e.meter_id = " + meter + " AND e.customer_id = " + customer + "\n"
        + "         AND e.event_ts >= to_timestamp(" + bucketStart + ")\n"
        + "         AND e.event_ts < to_timestamp(" + bucketStart + " + " + bucketSeconds + ")\n"
        + "         AND e.id > " + countsAfter + " AND e.id <= " + foldedThrough + " AND e.canceled_at IS NULL\n"
        + "       ORDER BY e.event_ts DESC, e.id DESC LIMIT 1";
  }

  /**
   * Folds the events ($1, $2] into the minute and hour aggregates and advances alert progress, in
   * one statement. An alert counts the events reported after it was created (id above its
   * counts_after_id). On raw meters progress adds the new events; on windowed meters a bucket's new
   * latest event replaces the one counted before (found through the latest-wins index). 'p' rows
   * are the alert and customer pairs whose progress moved; the 'n' row counts the events folded.
   */
  static final String FOLD = """
      WITH src AS MATERIALIZED (
        SELECT e.id, e.meter_id, e.customer_id, e.value, e.event_ts,
               floor(extract(epoch FROM e.event_ts) / 60)::int8 AS minute,
               """ + BUCKET_SECONDS + """
       AS bucket_s, e.latest_wins
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
        SELECT a.id AS alert_id, a.counts_after_id, s.*
          FROM src s JOIN alerts a ON a.meter_id = s.meter_id AND a.status <> 'archived'
           AND (a.customer IS NULL OR a.customer = s.customer_id) AND s.id > a.counts_after_id
      ), raw_delta AS (
        SELECT alert_id, customer_id, coalesce(sum(value), 0) AS value_sum, count(*) AS event_count
          FROM watched WHERE bucket_s IS NULL GROUP BY alert_id, customer_id
      ), bucket_newest AS (
        SELECT DISTINCT ON (alert_id, customer_id, floor(extract(epoch FROM event_ts) / bucket_s))
               alert_id, counts_after_id, meter_id, customer_id, event_ts, id, value, bucket_s
          FROM watched WHERE bucket_s IS NOT NULL
         ORDER BY alert_id, customer_id, floor(extract(epoch FROM event_ts) / bucket_s), event_ts DESC, id DESC
      ), windowed_delta AS (
        SELECT n.alert_id, n.customer_id,
               sum(CASE WHEN p.id IS NULL THEN coalesce(n.value, 0)
                        WHEN n.event_ts > p.event_ts OR (n.event_ts = p.event_ts AND n.id > p.id)
                        THEN coalesce(n.value, 0) - coalesce(p.value, 0)
                        ELSE 0 END) AS value_sum,
               count(*) FILTER (WHERE p.id IS NULL) AS event_count
          FROM bucket_newest n LEFT JOIN LATERAL (
            """ + latestInBucket("n.meter_id", "n.customer_id", "n.event_ts", "n.bucket_s", "n.counts_after_id", "$1")
      + """
      ) p ON true
         GROUP BY n.alert_id, n.customer_id
      ), newest AS (
        SELECT DISTINCT ON (alert_id, customer_id) alert_id, customer_id, event_ts, id, value
          FROM watched WHERE latest_wins
         ORDER BY alert_id, customer_id, event_ts DESC, id DESC
      ), progressed AS (
        INSERT INTO alert_progress AS u (alert_id, customer_id, value_sum, event_count, last_ts, last_id, last_value)
        SELECT d.alert_id, d.customer_id, d.value_sum, d.event_count, l.event_ts, l.id, l.value
          FROM (SELECT * FROM raw_delta UNION ALL SELECT * FROM windowed_delta) d
          LEFT JOIN newest l USING (alert_id, customer_id)
        ON CONFLICT (alert_id, customer_id) DO UPDATE SET
          value_sum = u.value_sum + EXCLUDED.value_sum,
          event_count = u.event_count + EXCLUDED.event_count,
      """ + keepNewer() + """

         WHERE u.triggered_at IS NULL
        RETURNING alert_id, customer_id
      )
      SELECT 'p' AS kind, alert_id, customer_id FROM progressed
      UNION ALL
      SELECT 'n', count(*), NULL FROM src""";

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

  /**
   * Takes the canceled event $1 (meter $2, customer $3, value $4, timestamp $5; folded: $1 <= $6)
   * out of the progress of the alerts that counted it and have not triggered. On a windowed meter
   * it only mattered if it was its bucket's latest: then the bucket's next latest takes its place,
   * or the bucket stops counting. Returns the alerts whose latest event it was.
   */
  static final String RETRACT_PROGRESS = """
      WITH a AS (
        SELECT al.id AS alert_id, al.counts_after_id,\s""" + BUCKET_SECONDS + """
       AS bucket_s
          FROM alerts al JOIN meters m ON m.id = al.meter_id
         WHERE al.meter_id = $2 AND al.status <> 'archived' AND (al.customer IS NULL OR al.customer = $3)
           AND $1 > al.counts_after_id AND $1 <= $6
      ), prev AS (
        SELECT a.alert_id, a.bucket_s, p.id AS p_id, p.event_ts AS p_ts, p.value AS p_value
          FROM a LEFT JOIN LATERAL (
            """ + latestInBucket("$2", "$3", "$5::timestamptz", "a.bucket_s", "a.counts_after_id", "$6") + """
      ) p ON a.bucket_s IS NOT NULL
      )
      UPDATE alert_progress u SET
        value_sum = u.value_sum + CASE
          WHEN prev.bucket_s IS NULL THEN -coalesce($4::numeric, 0)
          WHEN prev.p_id IS NULL OR $5::timestamptz > prev.p_ts OR ($5::timestamptz = prev.p_ts AND $1 > prev.p_id)
            THEN coalesce(prev.p_value, 0) - coalesce($4::numeric, 0)
          ELSE 0 END,
        event_count = u.event_count - CASE WHEN prev.bucket_s IS NULL OR prev.p_id IS NULL THEN 1 ELSE 0 END
        FROM prev
       WHERE u.alert_id = prev.alert_id AND u.customer_id = $3 AND u.triggered_at IS NULL
      RETURNING u.alert_id, u.last_id = $1 AS lost_latest""";

  /** The latest event each of the alerts $1 still counts for customer $4 on meter $2, folded through $3. */
  static final String RELATEST_PROGRESS = """
      UPDATE alert_progress u SET (last_ts, last_id, last_value) = (
        SELECT e.event_ts, e.id, e.value FROM meter_events e
         WHERE e.latest_wins AND e.meter_id = $2 AND e.customer_id = u.customer_id
           AND e.id > a.counts_after_id AND e.id <= $3 AND e.canceled_at IS NULL
         ORDER BY e.event_ts DESC, e.id DESC LIMIT 1)
        FROM alerts a
       WHERE a.id = u.alert_id AND u.alert_id = ANY ($1::int8[]) AND u.customer_id = $4""";

  private UsageSql() {}
}
