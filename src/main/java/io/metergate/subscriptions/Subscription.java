package io.metergate.subscriptions;

import io.metergate.catalog.Price;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A subscription with its items; periods run [anchor + k x interval, anchor + (k + 1) x interval).
 * When the start precedes the billing cycle anchor, [start, anchor) is one shorter first period.
 */
public record Subscription(
    long id,
    String publicId,
    long customerId,
    String customerPublicId,
    String status,
    String currency,
    Instant billingCycleAnchor,
    Instant startDate,
    String interval,
    int intervalCount,
    List<Item> items,
    Instant created,
    boolean livemode,
    Map<String, String> metadata,
    Cancellation cancellation) {

  /** {@code quantity} is null for metered prices. */
  public record Item(long id, String publicId, Price price, Long quantity, Map<String, String> metadata,
                     Instant created) {
    public Item(long id, String publicId, Price price, Long quantity) {
      this(id, publicId, price, quantity, Map.of(), null);
    }
  }

  /** Cancellation is immediate, so {@code at} is both canceled_at and ended_at. */
  public record Cancellation(Instant at, String comment, String feedback) {}

  /** Without the API-only fields: test mode, no metadata, not canceled. */
  public Subscription(long id, String publicId, long customerId, String customerPublicId, String status,
                      String currency, Instant billingCycleAnchor, Instant startDate, String interval,
                      int intervalCount, List<Item> items, Instant created) {
    this(id, publicId, customerId, customerPublicId, status, currency, billingCycleAnchor, startDate, interval,
        intervalCount, items, created, false, Map.of(), null);
  }

  public boolean active() {
    return "active".equals(status);
  }

  public Instant canceledAt() {
    return cancellation == null ? null : cancellation.at();
  }

  /** The billing period containing {@code at}: [start, anchor) before the anchor, else anchored periods. */
  public Periods.Period periodAt(Instant at) {
    if (at.isBefore(billingCycleAnchor)) {
      return new Periods.Period(startDate, billingCycleAnchor);
    }
    return Periods.containing(billingCycleAnchor, interval, intervalCount, at);
  }
}
