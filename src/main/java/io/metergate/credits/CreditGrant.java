package io.metergate.credits;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A credit grant as the API shows it; {@code customer} is the customer's public id. Scope:
 * {@code priceType} "metered" or {@code priceIds}, exactly one set.
 */
record CreditGrant(
    long id,
    String publicId,
    boolean livemode,
    long customerId,
    String customer,
    String name,
    String category,
    String currency,
    long amount,
    String priceType,
    List<String> priceIds,
    int priority,
    Instant effectiveAt,
    Instant expiresAt,
    Instant voidedAt,
    Map<String, String> metadata,
    Instant created,
    Instant updated) {

  boolean expiredAt(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }
}
