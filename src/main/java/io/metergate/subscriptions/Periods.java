package io.metergate.subscriptions;

import java.time.Instant;

/**
 * Billing periods (pure; no I/O), in UTC calendar arithmetic: monthly periods keep the anchor's day
 * of month (clamped to the month's last day, as Stripe does), yearly ones its date, weekly and daily
 * ones its time.
 */
public final class Periods {
  /** [start, end) */
  public record Period(Instant start, Instant end) {}

  private Periods() {}

  /** The period that contains {@code at} (at >= anchor). */
  public static Period containing(Instant anchor, String interval, int intervalCount, Instant at) {
    throw new UnsupportedOperationException("not built yet");
  }
}
