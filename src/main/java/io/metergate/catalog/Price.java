package io.metergate.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A price as stored. Amounts are exact decimals in the smallest currency unit. Recurring prices
 * carry interval, intervalCount and usageType; metered ones the meter (internal and public id).
 */
public record Price(
    long id,
    String publicId,
    long accountId,
    boolean livemode,
    String productPublicId,
    String currency,
    boolean active,
    String nickname,
    String type,
    String billingScheme,
    BigDecimal unitAmountDecimal,
    String tiersMode,
    List<Tier> tiers,
    String interval,
    Integer intervalCount,
    String usageType,
    Long meterId,
    String meterPublicId,
    Instant created,
    String lookupKey,
    String taxBehavior,
    Map<String, String> metadata) {

  /** {@code upTo} null means infinity (the last tier). */
  public record Tier(Long upTo, BigDecimal unitAmountDecimal, BigDecimal flatAmountDecimal) {}

  /** Without the API-only fields: no lookup key, unspecified tax behavior, no metadata. */
  public Price(long id, String publicId, long accountId, boolean livemode, String productPublicId, String currency,
               boolean active, String nickname, String type, String billingScheme, BigDecimal unitAmountDecimal,
               String tiersMode, List<Tier> tiers, String interval, Integer intervalCount, String usageType,
               Long meterId, String meterPublicId, Instant created) {
    this(id, publicId, accountId, livemode, productPublicId, currency, active, nickname, type, billingScheme,
        unitAmountDecimal, tiersMode, tiers, interval, intervalCount, usageType, meterId, meterPublicId, created,
        null, "unspecified", Map.of());
  }

  public boolean metered() {
    return "metered".equals(usageType);
  }

  public boolean recurring() {
    return "recurring".equals(type);
  }
}
