package io.metergate.testing;

import io.metergate.accounts.ApiKeys;
import io.metergate.events.EventLog;
import io.metergate.webhooks.WebhookDeliveryVerticle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Records Stripe events as the gateway's own features do: EventLog.record inside a transaction on
 * the gateway's database, then a publish on the delivery wake-up address of the gateway's event bus.
 */
public final class RecordedEvents implements AutoCloseable {
  private final TestGateway gateway;
  private final Pool pool;

  public RecordedEvents(TestGateway gateway) {
    this.gateway = gateway;
    this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(gateway.database().connectOptions()).using(gateway.vertx()).build();
  }

  /** The internal account id behind a secret key. */
  public long accountId(String key) {
    return gateway.queryLong("SELECT account_id FROM api_keys WHERE key_hash = ?", (Object) ApiKeys.hash(key));
  }

  /** One event for the key's account in the key's mode; returns its evt_ id. */
  public String record(String key, String type, JsonObject dataObject) {
    return record(new EventLog.NewEvent(accountId(key), ApiKeys.livemode(key), type, dataObject));
  }

  public String record(EventLog.NewEvent event) {
    return inTransaction(tx -> EventLog.record(tx, List.of(event))).get(0);
  }

  /** Runs {@code work} in one transaction, commits, then wakes the delivery verticle. */
  public <T> T inTransaction(Function<SqlConnection, Future<T>> work) {
    try {
      T result = pool.withTransaction(work).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      gateway.vertx().eventBus().publish(WebhookDeliveryVerticle.WAKE_ADDRESS, null);
      return result;
    } catch (Exception e) {
      throw new IllegalStateException("could not record events: " + e.getMessage(), e);
    }
  }

  /** One pruning pass of the event log, as the gateway runs every minute. */
  public int pruneExpired() {
    try {
      return EventLog.prune(pool).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The data object of a billing.alert.triggered event, as the alert feature builds it. */
  public static JsonObject alertTriggered(String customer, long value) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject alert = new JsonObject().put("id", "alrt_x").put("object", "billing.alert")
        .put("alert_type", "usage_threshold").put("livemode", false).put("status", "active").put("title", "t")
        .put("usage_threshold", new JsonObject().put("gte", 10).put("meter", "mtr_x").put("recurrence", "one_time")
            .putNull("filters"));
    return new JsonObject().put("object", "billing.alert_triggered").put("alert", alert).put("created", now)
        .put("customer", customer).put("livemode", false).put("value", value);
  }

  @Override
  public void close() {
    pool.close();
  }
}
