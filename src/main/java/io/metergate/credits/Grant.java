package io.metergate.credits;

import java.time.Instant;
import java.util.List;

/**
 * A credit grant with what remains of it. Scope: {@code priceType} "metered" (every metered price)
 * or {@code priceIds} (the listed prices' public ids); exactly one is set.
 */
public record Grant(
    long id,
    String publicId,
    long customerId,
    String category,
    String currency,
    long remaining,
    String priceType,
    List<String> priceIds,
    int priority,
    Instant effectiveAt,
    Instant expiresAt,
    Instant created) {

  /** Whether the grant can pay for a line priced with {@code pricePublicId} (null: no price). */
  public boolean covers(String pricePublicId, boolean metered) {
    return priceType != null ? metered : pricePublicId != null && priceIds.contains(pricePublicId);
  }
}
