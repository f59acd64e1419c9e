package io.metergate.events;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;

/** A recorded Stripe event with its count of deliveries still under way. */
public record StoredEvent(long id, String publicId, String type, String apiVersion, JsonObject dataObject,
                          boolean livemode, Instant created, long pendingWebhooks) {

  /** From a row with the columns of EventSql.COLUMNS (the webhook sender selects the same names). */
  public static StoredEvent fromRow(Row r) {
    return new StoredEvent(r.getLong("id"), r.getString("public_id"), r.getString("type"),
        r.getString("api_version"), r.getJsonObject("data_object"), r.getBoolean("livemode"),
        r.getOffsetDateTime("created_at").toInstant(), r.getLong("pending_webhooks"));
  }
}
