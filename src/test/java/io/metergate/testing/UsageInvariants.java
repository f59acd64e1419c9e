package io.metergate.testing;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once everything is folded, the aggregates must say exactly what the raw events say: per minute
 * and per hour, the sum and count of uncanceled events, and for latest-wins meters the latest one.
 */
public final class UsageInvariants {
  private static final String MISMATCHES = """
      WITH raw AS (
        SELECT e.meter_id, e.customer_id, floor(extract(epoch FROM e.event_ts) / %1$d)::int8 AS bucket,
               coalesce(sum(e.value), 0) AS s, count(*) AS c,
               (array_agg(e.id ORDER BY e.event_ts DESC, e.id DESC)
                  FILTER (WHERE m.formula = 'last' OR m.event_time_window IS NOT NULL))[1] AS last_id
          FROM meter_events e JOIN meters m ON m.id = e.meter_id
         WHERE e.canceled_at IS NULL
         GROUP BY 1, 2, 3
      ), agg AS (
        SELECT meter_id, customer_id, %2$s AS bucket, value_sum AS s, event_count AS c, last_id
          FROM %3$s WHERE event_count > 0
      )
      SELECT count(*) FROM raw FULL JOIN agg USING (meter_id, customer_id, bucket)
       WHERE raw.s IS DISTINCT FROM agg.s OR raw.c IS DISTINCT FROM agg.c OR raw.last_id IS DISTINCT FROM agg.last_id""";

  /**
   * Progress of alerts that have not triggered, against a recount from the raw events: the events
   * reported after the alert (id above counts_after_id), folded and not canceled; for windowed
   * meters the latest event of each bucket.
   */
  private static final String PROGRESS_MISMATCHES = """
      WITH counted AS (
        SELECT a.id AS alert_id, e.customer_id, e.id, e.value, e.event_ts, m.formula,
               CASE m.event_time_window WHEN 'hour' THEN 3600 WHEN 'day' THEN 86400 END AS bucket_s
          FROM alerts a JOIN meters m ON m.id = a.meter_id
          JOIN meter_events e ON e.meter_id = a.meter_id AND (a.customer IS NULL OR a.customer = e.customer_id)
         WHERE a.status <> 'archived' AND e.id > a.counts_after_id AND e.canceled_at IS NULL
           AND e.id <= (SELECT folded_through FROM usage_fold_state)
      ), effective AS (
        SELECT alert_id, customer_id, id, value, event_ts, formula, bucket_s FROM counted WHERE bucket_s IS NULL
        UNION ALL
        SELECT * FROM (
          SELECT DISTINCT ON (alert_id, customer_id, floor(extract(epoch FROM event_ts) / bucket_s))
                 alert_id, customer_id, id, value, event_ts, formula, bucket_s
            FROM counted WHERE bucket_s IS NOT NULL
           ORDER BY alert_id, customer_id, floor(extract(epoch FROM event_ts) / bucket_s), event_ts DESC, id DESC) w
      ), expected AS (
        SELECT alert_id, customer_id, coalesce(sum(value), 0) AS s, count(*) AS c,
               (array_agg(id ORDER BY event_ts DESC, id DESC)
                  FILTER (WHERE formula = 'last' OR bucket_s IS NOT NULL))[1] AS last_id
          FROM effective GROUP BY alert_id, customer_id
      )
      SELECT count(*) FROM expected x FULL JOIN alert_progress p USING (alert_id, customer_id)
       WHERE p.triggered_at IS NULL
         AND (coalesce(x.s, 0) <> coalesce(p.value_sum, 0) OR coalesce(x.c, 0) <> coalesce(p.event_count, 0)
              OR x.last_id IS DISTINCT FROM p.last_id)""";

  private UsageInvariants() {}

  /** A query returning one number. */
  public interface Counter {
    long count(String sql);
  }

  public static void assertAggregatesMatchRawEvents(TestGateway gateway) {
    gateway.foldUsage();
    assertAggregatesMatchRawEvents(gateway::queryLong);
  }

  /** For a gateway folding by itself (another process): waits until it has folded every stored event. */
  public static void assertAggregatesMatchRawEvents(Counter db) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (db.count("SELECT count(*) FROM meter_events e, usage_fold_state s WHERE e.id > s.folded_through") > 0) {
      assertThat(System.nanoTime()).as("the folder caught up within 30 s").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
    }
    assertThat(db.count(MISMATCHES.formatted(60, "minute", "usage_minutes")))
        .as("per-minute aggregates that differ from the raw events").isZero();
    assertThat(db.count(MISMATCHES.formatted(3600, "hour", "usage_hours")))
        .as("hourly aggregates that differ from the raw events").isZero();
    assertThat(db.count(PROGRESS_MISMATCHES)).as("alert progress that differs from the raw events").isZero();
  }
}
