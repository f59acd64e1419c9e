package io.metergate.usage;

import java.math.BigDecimal;

/**
 * A piece of one customer's usage on one meter, as read for a summary: an hourly or per-minute
 * aggregate, or one raw event not yet folded into them. {@code minute} is the first minute (since
 * the epoch) the piece covers; {@code latest} is its latest event, or null when not tracked.
 */
public record UsageItem(long minute, BigDecimal sum, long count, Latest latest) {

  /** An event identified for "latest wins": by timestamp, then by id (arrival order) on ties. */
  public record Latest(long micros, long id, BigDecimal value) {
    boolean isAfter(Latest other) {
      return other == null || micros > other.micros || (micros == other.micros && id > other.id);
    }
  }

  static Latest newer(Latest a, Latest b) {
    if (a == null) {
      return b;
    }
    return b != null && b.isAfter(a) ? b : a;
  }
}
