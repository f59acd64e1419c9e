package io.metergate.catalog;

import io.metergate.common.ApiError;
import io.metergate.common.Params;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Money amounts in the smallest currency unit: integers, or decimal strings with at most 12
 * decimal places, never negative, below 10^12. Exponent notation is accepted because stripe-java
 * sends a BigDecimal with toString() (0.0000001 goes out as 1E-7).
 */
public final class Amounts {
  static final int MAX_SCALE = 12;
  static final BigDecimal LIMIT = BigDecimal.TEN.pow(12);
  private static final Pattern DECIMAL = Pattern.compile("\\+?(\\d{1,30}(\\.\\d{0,30})?|\\.\\d{1,30})([eE][+-]?\\d{1,2})?");

  private Amounts() {}

  public static Long optionalInteger(Params p, String name) {
    Long value = p.optionalInteger(name);
    if (value != null && (value < 0 || BigDecimal.valueOf(value).compareTo(LIMIT) >= 0)) {
      throw ApiError.invalid("parameter_invalid_integer",
          "Invalid " + p.path(name) + ": must be an integer from 0 to 999999999999.", p.path(name));
    }
    return value;
  }

  public static BigDecimal optionalDecimal(Params p, String name) {
    String text = p.optionalString(name, 100);
    if (text == null) {
      return null;
    }
    BigDecimal value = DECIMAL.matcher(text).matches() ? new BigDecimal(text).stripTrailingZeros() : null;
    if (value == null || value.compareTo(LIMIT) >= 0) {
      throw ApiError.invalid("parameter_invalid_decimal", "Invalid " + p.path(name)
          + ": must be a decimal number from 0 to below 1000000000000.", p.path(name));
    }
    if (value.scale() > MAX_SCALE) {
      throw ApiError.invalid("parameter_invalid_decimal",
          "Invalid " + p.path(name) + ": at most " + MAX_SCALE + " decimal places are allowed.", p.path(name));
    }
    return value.signum() == 0 ? BigDecimal.ZERO : value;
  }

  /**
   * One amount given as {@code name} (integer) or {@code name_decimal}, not both; null when neither.
   */
  public static BigDecimal either(Params p, String name) {
    Long whole = optionalInteger(p, name);
    BigDecimal decimal = optionalDecimal(p, name + "_decimal");
    if (whole != null && decimal != null) {
      throw ApiError.invalid("parameters_exclusive", "You may only specify one of these parameters: "
          + p.path(name) + ", " + p.path(name + "_decimal") + ".", p.path(name + "_decimal"));
    }
    return whole != null ? BigDecimal.valueOf(whole) : decimal;
  }

  /** The integer form Stripe shows next to a decimal amount: the amount when whole, else null. */
  public static Long whole(BigDecimal amount) {
    if (amount == null) {
      return null;
    }
    BigDecimal stripped = amount.stripTrailingZeros();
    return stripped.scale() <= 0 ? stripped.longValueExact() : null;
  }

  /** Plain decimal text without trailing zeros: "1000", "0.5". */
  public static String text(BigDecimal amount) {
    return amount == null ? null : amount.stripTrailingZeros().toPlainString();
  }
}
