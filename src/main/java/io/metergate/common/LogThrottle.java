package io.metergate.common;

import java.util.concurrent.atomic.AtomicLong;

/** At most one log line per interval for a failure that can repeat on every request. */
public final class LogThrottle {
  private final long intervalNanos;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

  public LogThrottle(long intervalMillis) {
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  public boolean allow() {
    long now = System.nanoTime();
    long due = next.get();
    return (due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + intervalNanos);
  }
}
