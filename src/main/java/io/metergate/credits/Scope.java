package io.metergate.credits;

import io.metergate.common.ApiError;
import io.metergate.common.Params;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A credit applicability scope: every metered price ({@code priceType} "metered") or a list of prices. */
record Scope(String priceType, List<String> prices) {
  static final int MAX_PRICES = 100;

  /** {@code scope}: the object holding price_type or prices[i][id], exactly one of them. */
  static Scope parse(Params scope) {
    scope.allowOnly(Set.of("price_type", "prices"));
    String priceType = scope.optionalEnum("price_type", List.of("metered"));
    List<Object> given = scope.optionalArray("prices");
    if (priceType != null && given != null) {
      throw ApiError.invalid("parameters_exclusive", "You may only specify one of these parameters: "
          + scope.path("price_type") + ", " + scope.path("prices") + ".", scope.path("prices"));
    }
    if (priceType != null) {
      return new Scope(priceType, null);
    }
    if (given == null || given.isEmpty()) {
      throw ApiError.invalid("parameter_missing", "Missing required param: " + scope.path("price_type") + " or "
          + scope.path("prices") + ".", scope.path("price_type"));
    }
    if (given.size() > MAX_PRICES) {
      throw ApiError.invalid("parameter_invalid_array", "Invalid " + scope.path("prices") + ": at most "
          + MAX_PRICES + " prices are allowed.", scope.path("prices"));
    }
    Set<String> prices = new LinkedHashSet<>();
    for (int i = 0; i < given.size(); i++) {
      Params price = scope.element("prices", i, given.get(i)).allowOnly(Set.of("id"));
      String id = price.requiredString("id", 5000);
      if (!prices.add(id)) {
        throw ApiError.invalid("parameter_invalid_array", "Invalid " + pricePath(scope, i) + ": " + id
            + " is listed twice.", pricePath(scope, i));
      }
    }
    return new Scope(null, new ArrayList<>(prices));
  }

  /** The param naming the i-th listed price, as the request spelled it. */
  static String pricePath(Params scope, int index) {
    return scope.indexPath("prices", index) + "[id]";
  }
}
