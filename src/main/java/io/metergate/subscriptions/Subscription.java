package io.metergate.subscriptions;

import io.metergate.catalog.Price;
import java.time.Instant;
import java.util.List;

/** A subscription with its items; periods run [anchor + k x interval, anchor + (k + 1) x interval). */
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
    Instant created) {

  /** {@code quantity} is null for metered prices. */
  public record Item(long id, String publicId, Price price, Long quantity) {}
}
