package io.metergate.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The billing.alert object as Stripe shapes it (it has neither created nor metadata). */
public final class AlertJson {
  private AlertJson() {}

  public static JsonObject render(Alert a) {
    JsonArray filters = a.customer() == null ? null
        : new JsonArray().add(new JsonObject().put("customer", a.customer()).put("type", "customer"));
    return new JsonObject()
        .put("id", a.publicId())
        .put("object", "billing.alert")
        .put("alert_type", "usage_threshold")
        .put("livemode", a.livemode())
        .put("status", a.status())
        .put("title", a.title())
        .put("usage_threshold", new JsonObject()
            .put("filters", filters)
            .put("gte", a.gte())
            .put("meter", a.meter())
            .put("recurrence", "one_time"));
  }
}
