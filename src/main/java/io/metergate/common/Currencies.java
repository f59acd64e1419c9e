package io.metergate.common;

import java.util.regex.Pattern;

/** Currency parameters: a three-letter ISO 4217 code in lower case, as Stripe writes them. */
public final class Currencies {
  private static final Pattern CODE = Pattern.compile("[a-z]{3}");

  private Currencies() {}

  public static String required(Params p, String name) {
    String currency = optional(p, name);
    if (currency == null) {
      throw ApiError.missing(p.path(name));
    }
    return currency;
  }

  public static String optional(Params p, String name) {
    String value = p.optionalString(name, 100);
    if (value != null && !CODE.matcher(value).matches()) {
      String shown = value.length() > 20 ? value.substring(0, 20) + "..." : value;
      throw ApiError.invalid("invalid_currency", "Invalid currency: " + shown
          + ". It must be a three-letter ISO currency code in lower case, such as usd.", p.path(name));
    }
    return value;
  }
}
