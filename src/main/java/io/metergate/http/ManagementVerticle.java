package io.metergate.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.util.function.LongSupplier;

/** Health probes and Prometheus metrics on their own port, away from the public API. */
public final class ManagementVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final Pool pool;
  private final PrometheusMeterRegistry registry;
  private final LongSupplier queuedEvents;
  private final long saturatedAt;
  private final java.util.function.BooleanSupplier draining;
  private HttpServer server;

  public ManagementVerticle(String host, int port, Pool pool, PrometheusMeterRegistry registry,
                            LongSupplier queuedEvents, long saturatedAt, java.util.function.BooleanSupplier draining) {
    this.host = host;
    this.port = port;
    this.pool = pool;
    this.registry = registry;
    this.queuedEvents = queuedEvents;
    this.saturatedAt = saturatedAt;
    this.draining = draining;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> status(ctx, 200, "UP", null));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    return vertx.createHttpServer().requestHandler(router).listen(port, host).onSuccess(s -> server = s);
  }

  private void ready(RoutingContext ctx) {
    if (draining.getAsBoolean()) {
      status(ctx, 503, "DOWN", "shutting down: draining in-flight requests");
      return;
    }
    if (queuedEvents.getAsLong() >= saturatedAt) {
      status(ctx, 503, "DOWN", "writer queue saturated (" + queuedEvents.getAsLong() + " events waiting)");
      return;
    }
    pool.query("SELECT 1").execute()
        .timeout(2, java.util.concurrent.TimeUnit.SECONDS)
        .onSuccess(rows -> status(ctx, 200, "UP", null))
        .onFailure(err -> status(ctx, 503, "DOWN", "database unavailable: " + err.getMessage()));
  }

  private static void status(RoutingContext ctx, int code, String status, String reason) {
    JsonObject body = new JsonObject().put("status", status);
    if (reason != null) {
      body.put("reason", reason);
    }
    ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(body.encode());
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
