package io.metergate.webhooks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The webhook_endpoint object exactly as Stripe shapes it. */
final class WebhookJson {
  private WebhookJson() {}

  static JsonObject render(WebhookEndpoint e, boolean withSecret) {
    JsonObject json = new JsonObject()
        .put("id", e.publicId())
        .put("object", "webhook_endpoint")
        .put("api_version", e.apiVersion())
        .putNull("application")
        .put("created", e.created().getEpochSecond())
        .put("description", e.description())
        .put("enabled_events", new JsonArray(e.enabledEvents()))
        .put("livemode", e.livemode())
        .put("metadata", new JsonObject(new java.util.LinkedHashMap<>(e.metadata())));
    if (withSecret) {
      json.put("secret", e.secret());
    }
    return json.put("status", e.status()).put("url", e.url());
  }

  static JsonObject deleted(String publicId) {
    return new JsonObject().put("id", publicId).put("object", "webhook_endpoint").put("deleted", true);
  }
}
