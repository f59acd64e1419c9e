package io.metergate.catalog;

import io.metergate.common.ApiError;
import io.metergate.common.Params;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * tiers[i][up_to | unit_amount | unit_amount_decimal | flat_amount | flat_amount_decimal]: up_to
 * values are positive and increasing, and only the last one is (and must be) "inf".
 */
final class TierParams {
  static final int MAX_TIERS = 100;
  private static final Set<String> TIER = Set.of("up_to", "unit_amount", "unit_amount_decimal", "flat_amount",
      "flat_amount_decimal");

  private TierParams() {}

  static List<Price.Tier> from(Params p) {
    List<Object> given = p.optionalArray("tiers");
    if (given == null || given.isEmpty()) {
      throw ApiError.missing("tiers");
    }
    if (given.size() > MAX_TIERS) {
      throw ApiError.invalid("parameter_invalid_array", "Invalid tiers: at most " + MAX_TIERS + " are allowed.",
          "tiers");
    }
    List<Price.Tier> tiers = new ArrayList<>(given.size());
    long below = 0;
    for (int i = 0; i < given.size(); i++) {
      Params tier = p.element("tiers", i, given.get(i));
      tier.allowOnly(TIER);
      Long upTo = upTo(tier, i == given.size() - 1, below);
      BigDecimal unit = Amounts.either(tier, "unit_amount");
      BigDecimal flat = Amounts.either(tier, "flat_amount");
      if (unit == null && flat == null) {
        throw ApiError.invalid("parameter_missing", "Each tier needs " + tier.path("unit_amount") + " or "
            + tier.path("flat_amount") + " (or their _decimal forms).", tier.path("unit_amount"));
      }
      tiers.add(new Price.Tier(upTo, unit, flat));
      if (upTo != null) {
        below = upTo;
      }
    }
    return tiers;
  }

  /** null for "inf". */
  private static Long upTo(Params tier, boolean last, long below) {
    String param = tier.path("up_to");
    String text = tier.requiredString("up_to", 20);
    if (text.equals("inf")) {
      if (!last) {
        throw ApiError.invalid("parameter_invalid", "Invalid " + param + ": only the last tier may be inf.", param);
      }
      return null;
    }
    if (last) {
      throw ApiError.invalid("parameter_invalid", "Invalid " + param + ": the last tier's up_to must be inf.", param);
    }
    Long upTo = tier.optionalInteger("up_to");
    if (upTo <= below) {
      throw ApiError.invalid("parameter_invalid", "Invalid " + param + ": up_to must be a positive integer greater"
          + " than the previous tier's.", param);
    }
    return upTo;
  }
}
