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
  }
}
