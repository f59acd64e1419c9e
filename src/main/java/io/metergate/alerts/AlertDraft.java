package io.metergate.alerts;

import io.metergate.common.ApiError;
import io.metergate.common.Params;
import java.util.List;
import java.util.Set;

/** A validated alert-create request: usage_threshold with gte, meter, one_time, at most one customer filter. */
public record AlertDraft(String title, long gte, String meter, String customer) {
  private static final Set<String> CREATE_PARAMS = Set.of("alert_type", "title", "usage_threshold", "expand");

  public static AlertDraft from(Params p) {
    p.allowOnly(CREATE_PARAMS);
    p.requiredEnum("alert_type", List.of("usage_threshold"));
    String title = p.requiredString("title", 256);
    Params threshold = p.requiredObject("usage_threshold");
    threshold.allowOnly(Set.of("gte", "meter", "recurrence", "filters"));
    Long gte = threshold.optionalInteger("gte");
    if (gte == null) {
      throw ApiError.missing(threshold.path("gte"));
    }
    if (gte < 1) {
      throw ApiError.invalid("parameter_invalid_integer", threshold.path("gte") + " must be at least 1.",
          threshold.path("gte"));
    }
    String meter = threshold.requiredString("meter", 5000);
    threshold.requiredEnum("recurrence", List.of("one_time"));
    return new AlertDraft(title, gte, meter, customerFilter(threshold));
  }

  private static String customerFilter(Params threshold) {
    List<Object> filters = threshold.optionalArray("filters");
    if (filters == null || filters.isEmpty()) {
      return null;
    }
    if (filters.size() > 1) {
      throw ApiError.invalid("parameter_invalid_array", "At most one filter is allowed in "
          + threshold.path("filters") + ".", threshold.path("filters"));
    }
    Params filter = threshold.element("filters", 0, filters.get(0));
    filter.allowOnly(Set.of("type", "customer"));
    filter.requiredEnum("type", List.of("customer"));
    return filter.requiredString("customer", 5000);
  }
}
