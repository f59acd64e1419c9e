package io.metergate.ingest;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket of events per account and mode (the caller picks the bucket key), so one noisy
 * producer cannot take the writer from the others. Per replica: with N replicas an account may send up to N times the rate in total.
 */
public final class AccountRateLimiter {
  private final double eventsPerSecond;
  private final double burst;
  private final ConcurrentHashMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }
  }

  /** {@code burst} is raised to 100 if lower, so a full stream request can always pass. */
  public AccountRateLimiter(double eventsPerSecond, double burst) {
    if (eventsPerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive");
    }
    this.eventsPerSecond = eventsPerSecond;
    this.burst = Math.max(burst, 100);
  }

  /** Gives back tokens for events that were taken but then not delivered. */
  public void refund(long accountId, int events) {
    Bucket b = buckets.get(accountId);
    if (b != null) {
      synchronized (b) {
        b.tokens = Math.min(burst, b.tokens + events);
      }
    }
  }

  /** Takes {@code events} tokens and returns 0, or returns the whole seconds to wait and takes none. */
  public int acquire(long accountId, int events, long nowNanos) {
    Bucket b = buckets.computeIfAbsent(accountId, id -> new Bucket(burst, nowNanos));
    synchronized (b) {
      double elapsed = (nowNanos - b.refilledAt) / 1e9;
      b.tokens = Math.min(burst, b.tokens + elapsed * eventsPerSecond);
      b.refilledAt = nowNanos;
      if (b.tokens >= events) {
        b.tokens -= events;
        return 0;
      }
      return (int) Math.max(1, Math.ceil((events - b.tokens) / eventsPerSecond));
    }
  }
}
