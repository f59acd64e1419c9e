package io.metergate.catalog;

import java.math.BigDecimal;

/**
 * What a quantity of a price costs (pure; no I/O), exactly, in the smallest currency unit:
 * per_unit is quantity x unit_amount_decimal; tiered graduated adds each tier's share (units in the
 * tier x its unit amount, plus its flat amount for a tier that is reached); tiered volume prices
 * every unit at the tier the whole quantity falls in, plus that tier's flat amount. A quantity of
 * zero costs nothing (graduated and volume alike); a negative quantity is treated as zero.
 */
public final class Pricing {
  private Pricing() {}

  /** The exact cost; callers round it to an integer amount with {@link #round}. */
  public static BigDecimal cost(Price price, BigDecimal quantity) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Half up to a whole amount in the smallest unit, as Stripe rounds line amounts. */
  public static long round(BigDecimal cost) {
    throw new UnsupportedOperationException("not built yet");
  }
}
