package io.metergate.meters;

import io.metergate.common.ApiError;
import io.metergate.common.Params;
import java.util.List;
import java.util.Set;

/** A validated meter-create request. */
public record MeterDraft(
    String displayName,
    String eventName,
    String formula,
    String customerPayloadKey,
    String valuePayloadKey,
    String eventTimeWindow) {

  public static final String DEFAULT_CUSTOMER_KEY = "stripe_customer_id";
  public static final String DEFAULT_VALUE_KEY = "value";

  private static final Set<String> CREATE_PARAMS = Set.of("display_name", "event_name", "default_aggregation",
      "customer_mapping", "value_settings", "event_time_window", "expand");

  public static MeterDraft from(Params p) {
    p.allowOnly(CREATE_PARAMS);
    String displayName = p.requiredString("display_name", 250);
    String eventName = p.requiredString("event_name", 100);
    Params aggregation = p.requiredObject("default_aggregation");
    aggregation.allowOnly(Set.of("formula"));
    String formula = aggregation.requiredEnum("formula", List.of("count", "last", "sum"));
    String customerKey = DEFAULT_CUSTOMER_KEY;
    Params mapping = p.optionalObject("customer_mapping");
    if (mapping != null) {
      mapping.allowOnly(Set.of("type", "event_payload_key"));
      mapping.requiredEnum("type", List.of("by_id"));
      customerKey = mapping.requiredString("event_payload_key", 100);
    }
    String valueKey = DEFAULT_VALUE_KEY;
    Params value = p.optionalObject("value_settings");
    if (value != null) {
      value.allowOnly(Set.of("event_payload_key"));
      valueKey = value.requiredString("event_payload_key", 100);
    }
    String window = p.optionalEnum("event_time_window", List.of("day", "hour"));
    if (customerKey.equals(valueKey)) {
      throw ApiError.invalid("parameter_invalid",
          "customer_mapping[event_payload_key] and value_settings[event_payload_key] must differ.",
          "value_settings[event_payload_key]");
    }
    return new MeterDraft(displayName, eventName, formula, customerKey, valueKey, window);
  }
}
