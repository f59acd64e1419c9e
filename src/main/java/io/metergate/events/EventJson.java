package io.metergate.events;

import io.vertx.core.json.JsonObject;

/** The Stripe event object, as GET /v1/events returns it and as webhooks deliver it. */
public final class EventJson {
  private EventJson() {}

  public static JsonObject render(StoredEvent e) {
    return new JsonObject()
        .put("id", e.publicId())
        .put("object", "event")
        .put("api_version", e.apiVersion())
        .put("created", e.created().getEpochSecond())
        .put("data", new JsonObject().put("object", e.dataObject()))
        .put("livemode", e.livemode())
        .put("pending_webhooks", e.pendingWebhooks())
        // events come from the gateway's own work (alerts), never from an API request
        .put("request", new JsonObject().putNull("id").putNull("idempotency_key"))
        .put("type", e.type());
  }
}
