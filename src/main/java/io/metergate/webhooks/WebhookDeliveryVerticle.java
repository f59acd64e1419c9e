package io.metergate.webhooks;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

/** Delivers queued webhook events (not built yet). */
public final class WebhookDeliveryVerticle extends VerticleBase {
  /** Publish (no body) on this event-bus address after committing new events: delivery starts at once. */
  public static final String WAKE_ADDRESS = "metergate.webhooks.wake";

  public record Options(int timeoutMillis, int concurrency, int firstRetryMillis, int retryHours) {}

  private final Pool pool;
  private final Options options;
  private final MeterRegistry registry;

  public WebhookDeliveryVerticle(Pool pool, Options options, MeterRegistry registry) {
    this.pool = pool;
    this.options = options;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
