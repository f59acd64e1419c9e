package io.metergate.subscriptions;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Billing periods (pure; no I/O), in UTC calendar arithmetic: monthly periods keep the anchor's day
 * of month (clamped to the month's last day, as Stripe does), yearly ones its date, weekly and daily
 * ones its time.
 */
public final class Periods {
  /** [start, end) */
  public record Period(Instant start, Instant end) {}

  private Periods() {}

  /**
   * The period that contains {@code at} (at >= anchor). Every boundary is computed from the anchor
   * itself, never from the previous boundary, so an anchor on the 31st gives Feb 28 (or 29), then
   * Mar 31 again; an instant exactly on a boundary belongs to the period that starts there.
   */
  public static Period containing(Instant anchor, String interval, int intervalCount, Instant at) {
    if (intervalCount < 1) {
      throw new IllegalArgumentException("interval_count must be at least 1: " + intervalCount);
    }
    if (at.isBefore(anchor)) {
      throw new IllegalArgumentException(at + " is before the anchor " + anchor);
    }
    return switch (interval) {
      case "day" -> fixed(anchor, Duration.ofDays(intervalCount), at);
      case "week" -> fixed(anchor, Duration.ofDays(7L * intervalCount), at);
      case "month" -> calendar(anchor, intervalCount, at);
      case "year" -> calendar(anchor, 12L * intervalCount, at);
      default -> throw new IllegalArgumentException("unknown interval: " + interval);
    };
  }

  /** Days and weeks have no calendar: in UTC a day is always 86,400 seconds. */
  private static Period fixed(Instant anchor, Duration length, Instant at) {
    long k = Duration.between(anchor, at).dividedBy(length);
    Instant start = anchor.plus(length.multipliedBy(k));
    return new Period(start, start.plus(length));
  }

  private static Period calendar(Instant anchor, long monthsPerPeriod, Instant at) {
    ZonedDateTime origin = anchor.atZone(ZoneOffset.UTC);
    long k = ChronoUnit.MONTHS.between(origin, at.atZone(ZoneOffset.UTC)) / monthsPerPeriod;
    while (k > 0 && boundary(origin, monthsPerPeriod, k).isAfter(at)) {
      k--;
    }
    while (!boundary(origin, monthsPerPeriod, k + 1).isAfter(at)) {
      k++;
    }
    return new Period(boundary(origin, monthsPerPeriod, k), boundary(origin, monthsPerPeriod, k + 1));
  }

  private static Instant boundary(ZonedDateTime origin, long monthsPerPeriod, long k) {
    return origin.plusMonths(monthsPerPeriod * k).toInstant();
  }
}
