package io.metergate.events;

import io.metergate.common.ApiError;
import io.metergate.common.CreatedRange;
import io.metergate.common.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The filters of GET /v1/events. {@code typePattern} is a SQL LIKE pattern ({@code type} with '*' as
 * the wildcard); {@code created} becomes a half-open range of Unix seconds [from, before).
 * {@code deliverySuccess}: true keeps events whose webhooks were all delivered, false those with a
 * delivery still pending or given up; events that had no webhook to deliver match neither.
 */
record EventFilter(String typePattern, List<String> types, Long createdFrom, Long createdBefore,
                   Boolean deliverySuccess) {
  static final Set<String> PARAMS = Set.of("type", "types", "created", "delivery_success");
  private static final int MAX_TYPES = 20;

  static EventFilter from(Params p) {
    String type = p.optionalString("type", 255);
    List<Object> types = p.optionalArray("types");
    if (type != null && types != null) {
      throw ApiError.invalid("parameters_exclusive",
          "You may only specify one of these parameters: type, types.", "types");
    }
    CreatedRange created = CreatedRange.parse(p);
    return new EventFilter(type == null ? null : likePattern(type), types == null ? null : types(types, p),
        created.from(), created.before(), deliverySuccess(p));
  }

  private static String likePattern(String type) {
    StringBuilder sb = new StringBuilder(type.length());
    for (char c : type.toCharArray()) {
      switch (c) {
        case '\\', '%', '_' -> sb.append('\\').append(c);
        case '*' -> sb.append('%');
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static List<String> types(List<Object> given, Params p) {
    if (given.size() > MAX_TYPES) {
      throw ApiError.invalid("parameter_invalid_array", "Invalid types: at most " + MAX_TYPES + " are allowed.",
          "types");
    }
    List<String> out = new ArrayList<>(given.size());
    for (int i = 0; i < given.size(); i++) {
      if (!(given.get(i) instanceof String s) || s.isEmpty() || s.length() > 255) {
        throw ApiError.invalid("parameter_invalid_string", "Invalid " + p.indexPath("types", i)
            + ": must be an event type.", p.indexPath("types", i));
      }
      out.add(Params.storable(s, p.indexPath("types", i)));
    }
    return out;
  }

  private static Boolean deliverySuccess(Params p) {
    String value = p.optionalString("delivery_success", 100);
    if (value == null) {
      return null;
    }
    if (!value.equals("true") && !value.equals("false")) {
      throw ApiError.invalid("parameter_invalid_boolean", "Invalid boolean: " + value, "delivery_success");
    }
    return Boolean.valueOf(value);
  }
}
