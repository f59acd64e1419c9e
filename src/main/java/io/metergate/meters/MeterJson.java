package io.metergate.meters;

import io.metergate.http.Http;
import io.vertx.core.json.JsonObject;

/** The billing.meter object exactly as Stripe shapes it. */
public final class MeterJson {
  private MeterJson() {}

  public static JsonObject render(Meter m) {
    return new JsonObject()
        .put("id", m.publicId())
        .put("object", "billing.meter")
        .put("created", Http.epoch(m.created()))
        .put("customer_mapping", new JsonObject()
            .put("event_payload_key", m.customerPayloadKey())
            .put("type", "by_id"))
        .put("default_aggregation", new JsonObject().put("formula", m.formula()))
        .put("display_name", m.displayName())
        .put("event_name", m.eventName())
        .put("event_time_window", m.eventTimeWindow())
        .put("livemode", m.livemode())
        .put("status", m.status())
        .put("status_transitions", new JsonObject().put("deactivated_at", Http.epoch(m.deactivatedAt())))
        .put("updated", Http.epoch(m.updated()))
        .put("value_settings", new JsonObject().put("event_payload_key", m.valuePayloadKey()));
  }
}
