package io.metergate.catalog;

import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.ParamRules;
import io.metergate.common.Params;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A validated POST /v1/prices request; the product and the meter are checked against the database later. */
record PriceDraft(
    String currency,
    String product,
    ProductParams.Draft productData,
    boolean active,
    String nickname,
    String lookupKey,
    boolean transferLookupKey,
    Map<String, String> metadata,
    String taxBehavior,
    String billingScheme,
    BigDecimal unitAmountDecimal,
    String tiersMode,
    List<Price.Tier> tiers,
    Recurring recurring) {

  record Recurring(String interval, int intervalCount, String usageType, String meter) {}

  static final int MAX_NICKNAME_LENGTH = 5000;
  static final int MAX_LOOKUP_KEY_LENGTH = 200;
  static final List<String> TAX_BEHAVIORS = List.of("exclusive", "inclusive", "unspecified");
  private static final List<String> UNSUPPORTED = List.of("currency_options", "custom_unit_amount", "transform_quantity");
  private static final Set<String> CREATE = Set.of("currency", "product", "product_data", "active", "nickname",
      "lookup_key", "transfer_lookup_key", "metadata", "tax_behavior", "billing_scheme", "unit_amount",
      "unit_amount_decimal", "tiers_mode", "tiers", "recurring", "expand");
  /** Stripe's longest interval: three years (3 years, 36 months, 156 weeks; 1095 days). */
  private static final Map<String, Integer> MAX_INTERVAL_COUNT = Map.of("day", 1095, "week", 156, "month", 36,
      "year", 3);

  static PriceDraft from(Params p, Set<String> expandable) {
    ParamRules.refuseUnsupported(p, UNSUPPORTED);
    p.allowOnly(CREATE);
    ListRequest.checkExpand(p, expandable);
    String currency = currency(p);
    String product = p.optionalString("product", 255);
    ProductParams.Draft productData = productData(p);
    if (product == null && productData == null) {
      throw ApiError.missing("product");
    }
    if (product != null && productData != null) {
      throw exclusive("product", "product_data");
    }
    Boolean active = ParamRules.optionalBoolean(p, "active");
    String scheme = p.optionalEnum("billing_scheme", List.of("per_unit", "tiered"));
    boolean tiered = "tiered".equals(scheme);
    BigDecimal unitAmount = Amounts.either(p, "unit_amount");
    String tiersMode = tiered ? p.requiredEnum("tiers_mode", List.of("graduated", "volume")) : null;
    List<Price.Tier> tiers = tiered ? TierParams.from(p) : null;
    checkScheme(p, tiered, unitAmount);
    String taxBehavior = p.optionalEnum("tax_behavior", TAX_BEHAVIORS);
    return new PriceDraft(currency, product, productData, active == null || active,
        p.optionalString("nickname", MAX_NICKNAME_LENGTH), p.optionalString("lookup_key", MAX_LOOKUP_KEY_LENGTH),
        Boolean.TRUE.equals(ParamRules.optionalBoolean(p, "transfer_lookup_key")),
        Metadata.parse(p).applyTo(Map.of()), taxBehavior == null ? "unspecified" : taxBehavior,
        tiered ? "tiered" : "per_unit", unitAmount, tiersMode, tiers, recurring(p));
  }

  String type() {
    return recurring == null ? "one_time" : "recurring";
  }

  /** Three letters of ISO 4217, in any case; stored and shown in lower case as Stripe does. */
  private static String currency(Params p) {
    String currency = p.requiredString("currency", 3);
    String upper = currency.toUpperCase(Locale.ROOT);
    boolean known = upper.matches("[A-Z]{3}")
        && Currency.getAvailableCurrencies().stream().anyMatch(c -> c.getCurrencyCode().equals(upper));
    if (!known) {
      throw ApiError.invalid("parameter_invalid_currency",
          "Invalid currency: " + currency + ". It must be a three-letter ISO 4217 code such as usd.", "currency");
    }
    return currency.toLowerCase(Locale.ROOT);
  }

  private static ProductParams.Draft productData(Params p) {
    Params data = p.optionalObject("product_data");
    return data == null ? null : ProductParams.fromProductData(data);
  }

  private static void checkScheme(Params p, boolean tiered, BigDecimal unitAmount) {
    if (tiered && unitAmount != null) {
      String param = p.has("unit_amount") ? "unit_amount" : "unit_amount_decimal";
      throw ApiError.invalid("parameter_invalid", "Invalid " + param
          + ": a tiered price takes its amounts from tiers, not from " + param + ".", param);
    }
    if (!tiered) {
      for (String param : List.of("tiers", "tiers_mode")) {
        if (p.has(param)) {
          throw ApiError.invalid("parameter_invalid",
              "Invalid " + param + ": it requires billing_scheme=tiered.", param);
        }
      }
      if (unitAmount == null) {
        throw ApiError.missing("unit_amount");
      }
    }
  }

  private static Recurring recurring(Params p) {
    Params r = p.optionalObject("recurring");
    if (r == null) {
      return null;
    }
    if (r.has("aggregate_usage")) {
      throw ApiError.invalid("parameter_unsupported", r.path("aggregate_usage") + " is legacy and not supported:"
          + " a metered price aggregates usage with its meter's formula.", r.path("aggregate_usage"));
    }
    ParamRules.refuseUnsupported(r, List.of("trial_period_days"));
    r.allowOnly(Set.of("interval", "interval_count", "usage_type", "meter"));
    String interval = r.requiredEnum("interval", List.of("day", "week", "month", "year"));
    Long count = r.optionalInteger("interval_count");
    int max = MAX_INTERVAL_COUNT.get(interval);
    if (count != null && (count < 1 || count > max)) {
      throw ApiError.invalid("parameter_invalid_integer", "Invalid " + r.path("interval_count") + ": must be from 1 to "
          + max + " for interval=" + interval + " (at most three years).", r.path("interval_count"));
    }
    String usageType = r.optionalEnum("usage_type", List.of("licensed", "metered"));
    boolean metered = "metered".equals(usageType);
    String meter = r.optionalString("meter", 255);
    if (metered && meter == null) {
      throw ApiError.missing(r.path("meter"));
    }
    if (!metered && meter != null) {
      throw ApiError.invalid("parameter_invalid", "Invalid " + r.path("meter") + ": only a price with "
          + r.path("usage_type") + "=metered has a meter.", r.path("meter"));
    }
    return new Recurring(interval, count == null ? 1 : count.intValue(), metered ? "metered" : "licensed", meter);
  }

  static ApiError exclusive(String first, String second) {
    return ApiError.invalid("parameters_exclusive",
        "You may only specify one of these parameters: " + first + ", " + second + ".", second);
  }
}
