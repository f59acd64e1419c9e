package io.metergate.usage;

import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.Params;
import java.util.List;
import java.util.Set;

/**
 * A validated GET /v1/billing/meters/:id/event_summaries query: customer, [start_time, end_time)
 * on whole minutes, and an optional value_grouping_window whose bounds must be whole hours or UTC
 * midnights.
 */
public record SummaryRequest(String customer, long start, long end, long grouping, ListRequest page) {
  /** The latest second PostgreSQL timestamps and Stripe's clients handle comfortably (9999-12-31). */
  static final long MAX_TIME = 253_402_300_799L;
  private static final Set<String> PARAMS =
      ListRequest.paramsWith("customer", "start_time", "end_time", "value_grouping_window");

  public static SummaryRequest from(Params p) {
    p.allowOnly(PARAMS);
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, Set.of());
    String customer = p.requiredString("customer", 5000);
    long start = time(p, "start_time");
    long end = time(p, "end_time");
    String window = p.optionalEnum("value_grouping_window", List.of("day", "hour"));
    aligned(start, 60, "start_time", "a whole minute");
    aligned(end, 60, "end_time", "a whole minute");
    if (end <= start) {
      throw ApiError.invalid("parameter_invalid_integer",
          "end_time must be later than start_time.", "end_time");
    }
    long grouping = 0;
    if ("hour".equals(window)) {
      grouping = Aggregation.HOUR;
      aligned(start, grouping, "start_time", "a whole hour when value_grouping_window is hour");
      aligned(end, grouping, "end_time", "a whole hour when value_grouping_window is hour");
    } else if ("day".equals(window)) {
      grouping = Aggregation.DAY;
      aligned(start, grouping, "start_time", "UTC midnight when value_grouping_window is day");
      aligned(end, grouping, "end_time", "UTC midnight when value_grouping_window is day");
    }
    return new SummaryRequest(customer, start, end, grouping, page);
  }

  private static long time(Params p, String name) {
    Long value = p.optionalInteger(name);
    if (value == null) {
      throw ApiError.missing(name);
    }
    if (value < 0 || value > MAX_TIME) {
      throw ApiError.invalid("parameter_invalid_integer",
          name + " must be a Unix timestamp between 0 and " + MAX_TIME + ".", name);
    }
    return value;
  }

  private static void aligned(long t, long unit, String param, String what) {
    if (t % unit != 0) {
      throw ApiError.invalid("timestamp_not_aligned",
          param + " must fall on " + what + " (got " + t + "; the nearest earlier one is " + (t - t % unit) + ").",
          param);
    }
  }
}
