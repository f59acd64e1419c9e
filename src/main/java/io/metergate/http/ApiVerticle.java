package io.metergate.http;

import io.metergate.adjustments.AdjustmentRoutes;
import io.metergate.adjustments.Adjustments;
import io.metergate.alerts.AlertRoutes;
import io.metergate.alerts.AlertStore;
import io.metergate.catalog.CatalogRoutes;
import io.metergate.credits.CreditRoutes;
import io.metergate.customers.CustomerRoutes;
import io.metergate.events.EventRoutes;
import io.metergate.idempotency.IdempotencyHandler;
import io.metergate.ingest.EventWriter;
import io.metergate.ingest.IngestRoutes;
import io.metergate.invoices.InvoiceRoutes;
import io.metergate.meters.MeterRoutes;
import io.metergate.session.SessionRoutes;
import io.metergate.subscriptions.SubscriptionRoutes;
import io.metergate.usage.SummaryRoutes;
import io.metergate.webhooks.WebhookRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.TimeUnit;

/**
 * The Stripe-compatible API. One instance per event loop, each with its own group-commit writer,
 * so a request never leaves the thread it arrived on.
 */
public final class ApiVerticle extends VerticleBase {
  private final ApiServices services;
  private EventWriter writer;
  private final ConnectionDrain drain = new ConnectionDrain();
  private HttpServer server;

  public ApiVerticle(ApiServices services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    writer = new EventWriter(vertx, services.pool(), services.writerOptions(), services.writerStats());
    Authentication auth = new Authentication(services.keys(), services.tokens(), services.clock());
    Router router = Router.router(vertx);
    router.route().handler(drain::track);
    router.route().handler(RequestIds::assign);
    if (services.accessLog()) {
      router.route().handler(AccessLog::handle);
    }
    // only methods that carry a body: a GET with a form or multipart Content-Type must not be decoded
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(services.bodyLimitBytes());
    router.route().method(HttpMethod.POST).method(HttpMethod.DELETE).method(HttpMethod.PUT).method(HttpMethod.PATCH)
        .handler(bodies);
    router.post("/v2/billing/meter_event_stream").handler(auth::sessionToken);
    router.route("/v1/*").handler(auth::secretKey);
    router.route("/v2/*").handler(auth::secretKey);
    IdempotencyHandler idempotency = new IdempotencyHandler(services.idempotency());
    router.post("/v1/*").handler(idempotency::handle);
    router.post("/v2/*").handler(idempotency::handle);
    new IngestRoutes(writer, services.meterCache(), services.clock(), services.writerStats(), services.rateLimiter())
        .mount(router);
    new SessionRoutes(services.tokens(), services.clock(), services.sessionsIssued()).mount(router);
    new MeterRoutes(services.meterStore()).mount(router);
    new SummaryRoutes(services.pool(), services.meterStore()).mount(router);
    new AlertRoutes(new AlertStore(services.pool()), services.meterStore()).mount(router);
    new AdjustmentRoutes(new Adjustments(services.pool(), services.meterStore()), services.clock()).mount(router);
    new CustomerRoutes(services).mount(router);
    new CreditRoutes(services).mount(router);
    new CatalogRoutes(services).mount(router);
    new SubscriptionRoutes(services).mount(router);
    new InvoiceRoutes(services).mount(router);
    new EventRoutes(services.pool()).mount(router);
    new WebhookRoutes(services.pool()).mount(router);
    NotImplemented.mount(router);
    router.route().failureHandler(Errors::handle);
    for (int status : new int[] {400, 404, 405, 413, 500}) {
      router.errorHandler(status, Errors::handle);
    }
    HttpServerOptions options = new HttpServerOptions()
        .setHost(services.host())
        .setPort(services.port())
        .setCompressionSupported(false)
        // HTTP/1.1 only: Stripe's SDKs speak it, and ConnectionDrain's graceful shutdown is built for it
        // (with an h2c upgrade, JDK 17 clients fail in-flight streams on the server's GOAWAY).
        .setHttp2ClearTextEnabled(false)
        .setIdleTimeout(120);
    return vertx.createHttpServer(options).connectionHandler(drain::opened).invalidRequestHandler(Errors::undecodable)
        .requestHandler(router).listen()
        .onSuccess(s -> server = s);
  }

  /**
   * Graceful: stop taking connections and let in-flight requests finish (their events are committed
   * and acknowledged), then drain the writer.
   */
  @Override
  public Future<?> stop() {
    drain.start();
    Future<Void> closed = server == null ? Future.succeededFuture()
        : server.shutdown(services.shutdownGraceSeconds(), TimeUnit.SECONDS);
    return closed.eventually(() -> writer.close());
  }
}
