package io.metergate.common;

import java.util.List;
import java.util.Set;

/** Stripe list pagination: limit 1..100 (default 10), and starting_after or ending_before, not both. */
public record ListRequest(int limit, String startingAfter, String endingBefore) {
  public static final Set<String> PARAMS = Set.of("limit", "starting_after", "ending_before", "expand");

  /** The pagination parameters plus a list's own filters. */
  public static Set<String> paramsWith(String... filters) {
    Set<String> out = new java.util.HashSet<>(PARAMS);
    out.addAll(List.of(filters));
    return Set.copyOf(out);
  }

  public static ListRequest from(Params p) {
    Long limit = p.optionalInteger("limit");
    if (limit != null && (limit < 1 || limit > 100)) {
      throw ApiError.invalid("parameter_invalid_integer",
          "Invalid limit: must be between 1 and 100.", "limit");
    }
    String after = p.optionalString("starting_after", 255);
    String before = p.optionalString("ending_before", 255);
    if (after != null && before != null) {
      throw ApiError.invalid("parameters_exclusive",
          "You may only specify one of these parameters: starting_after, ending_before.", "ending_before");
    }
    return new ListRequest(limit == null ? 10 : limit.intValue(), after, before);
  }

  /**
   * Checks {@code expand}: only the named fields may be expanded, and for the objects served today
   * those are already returned whole, so a valid expand changes nothing.
   */
  public static void checkExpand(Params p, Set<String> expandable) {
    List<Object> expand = p.optionalArray("expand");
    if (expand == null) {
      return;
    }
    for (int i = 0; i < expand.size(); i++) {
      Object field = expand.get(i);
      if (!(field instanceof String s) || !expandable.contains(s)) {
        throw ApiError.invalid("parameter_invalid_expand",
            "This property cannot be expanded (" + field + ").", p.indexPath("expand", i));
      }
    }
  }
}
