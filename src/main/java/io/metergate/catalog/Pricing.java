package io.metergate.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What a quantity of a price costs (pure; no I/O), exactly, in the smallest currency unit:
 * per_unit is quantity x unit_amount_decimal; tiered graduated adds each tier's share (units in the
 * tier x its unit amount, plus its flat amount for a tier that is reached); tiered volume prices
 * every unit at the tier the whole quantity falls in, plus that tier's flat amount. A quantity of
 * zero costs nothing (graduated and volume alike); a negative quantity is treated as zero.
 * A tier's {@code up_to} is inclusive: with up_to 1000, the 1000th unit is still in that tier.
 */
public final class Pricing {
  private Pricing() {}

  /** The exact cost; callers round it to an integer amount with {@link #round}. */
  public static BigDecimal cost(Price price, BigDecimal quantity) {
    if (quantity.signum() <= 0) {
      return BigDecimal.ZERO;
    }
    if (!"tiered".equals(price.billingScheme())) {
      return quantity.multiply(orZero(price.unitAmountDecimal()));
    }
    return "volume".equals(price.tiersMode()) ? volume(price.tiers(), quantity) : graduated(price.tiers(), quantity);
  }

  /** Half up to a whole amount in the smallest unit, as Stripe rounds line amounts. */
  public static long round(BigDecimal cost) {
    return cost.setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  private static BigDecimal graduated(List<Price.Tier> tiers, BigDecimal quantity) {
    BigDecimal total = BigDecimal.ZERO;
    BigDecimal below = BigDecimal.ZERO;
    for (Price.Tier tier : tiers) {
      if (quantity.compareTo(below) <= 0) {
        break;
      }
      BigDecimal top = tier.upTo() == null ? quantity : quantity.min(BigDecimal.valueOf(tier.upTo()));
      total = total.add(top.subtract(below).multiply(orZero(tier.unitAmountDecimal())))
          .add(orZero(tier.flatAmountDecimal()));
      if (tier.upTo() == null) {
        break;
      }
      below = BigDecimal.valueOf(tier.upTo());
    }
    return total;
  }

  /** Validation makes the last tier unbounded; were it not, a larger quantity is priced at the last tier. */
  private static BigDecimal volume(List<Price.Tier> tiers, BigDecimal quantity) {
    Price.Tier chosen = tiers.get(tiers.size() - 1);
    for (Price.Tier tier : tiers) {
      if (tier.upTo() == null || quantity.compareTo(BigDecimal.valueOf(tier.upTo())) <= 0) {
        chosen = tier;
        break;
      }
    }
    return quantity.multiply(orZero(chosen.unitAmountDecimal())).add(orZero(chosen.flatAmountDecimal()));
  }

  private static BigDecimal orZero(BigDecimal amount) {
    return amount == null ? BigDecimal.ZERO : amount;
  }
}
