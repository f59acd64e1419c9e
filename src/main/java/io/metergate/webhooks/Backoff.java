package io.metergate.webhooks;

/**
 * When a failed delivery is tried again: the first retry after {@code firstRetryMillis}, each later
 * one twice as long, capped at an hour, then shortened by up to a quarter at random so that the
 * retries of events that failed together (an endpoint that was down) do not arrive together.
 */
public final class Backoff {
  public static final long CAP_MILLIS = 3_600_000;

  private Backoff() {}

  /**
   * The delay after the {@code failedAttempts}-th failed attempt (1 for the first), with
   * {@code random} in [0, 1).
   */
  public static long delayMillis(long firstRetryMillis, int failedAttempts, double random) {
    int doublings = Math.min(Math.max(failedAttempts - 1, 0), 40);
    double base = Math.min(firstRetryMillis * Math.pow(2, doublings), CAP_MILLIS);
    return Math.max(1, (long) (base * (1 - 0.25 * random)));
  }
}
