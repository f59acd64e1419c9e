package io.metergate.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar metergate.jar} serves; {@code java -jar metergate.jar keys create ...} manages
 * keys. Blocking preparation (database choice, migrations, bootstrap) runs here, before any event
 * loop exists.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    try {
      if (args.length > 0 && args[0].equals("keys")) {
        System.exit(KeysCommand.run(Arrays.copyOfRange(args, 1, args.length)));
      }
      if (args.length > 0 && args[0].equals("bench-writer")) {
        System.exit(WriterBenchCommand.run(Arrays.copyOfRange(args, 1, args.length)));
      }
      if (args.length > 0 && !args[0].equals("serve")) {
        System.err.println("Usage: metergate [serve] | metergate " + KeysCommand.USAGE.substring("Usage: metergate ".length())
            + " | metergate bench-writer [--seconds 20] [--warmup 5] [--json-out FILE] (--help for all options)");
        System.exit(64);
      }
      serve(Config.fromEnv(System.getenv()));
    } catch (ConfigException e) {
      LOG.error("Cannot start: {}", e.getMessage());
      System.exit(2);
    }
  }

  static void serve(Config config) {
    long started = System.nanoTime();
    DatabaseTarget db = Database.resolve(config);
    LOG.info("Using {}", db.describe());
    Migrations.run(db);
    byte[] secret = Bootstrap.run(db, config);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = createVertx(config, registry);
    CountDownLatch ready = new CountDownLatch(1);
    Gateway[] running = new Gateway[1];
    Gateway.start(vertx, config, db, secret, registry)
        .onSuccess(g -> {
          running[0] = g;
          LOG.info("Metergate ready in {} ms: API on {}:{}, health and metrics on {}:{}",
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), config.host(), config.httpPort(),
              config.host(), config.managementPort());
          ready.countDown();
        })
        .onFailure(err -> {
          LOG.error("Cannot start: {}", err.getMessage());
          vertx.close();
          closeEmbedded(db);
          System.exit(1);
        });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(running[0], vertx, db, config), "metergate-shutdown"));
  }

  /** Vert.x with Micrometer metrics (HTTP by route, method and status; pools) into the given registry. */
  public static Vertx createVertx(Config config, PrometheusMeterRegistry registry) {
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setEventLoopPoolSize(config.eventLoops())
            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true))
                .addLabels(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    bindProcessMetrics(registry);
    return vertx;
  }

  /** After Vert.x has configured the registry's filters, so none applies late. */
  private static void bindProcessMetrics(PrometheusMeterRegistry registry) {
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
  }

  /**
   * SIGTERM: drain and commit what is queued, answer in-flight requests, then exit. Each stage is
   * awaited from this thread: a listener on a future of a closing Vert.x would be dispatched to an
   * event loop that no longer runs.
   */
  private static void shutdown(Gateway gateway, Vertx vertx, DatabaseTarget db, Config config) {
    LOG.info("Shutting down: draining in-flight requests and queued events");
    if (gateway != null && !await(gateway.stop(), config.shutdownGraceSeconds() + 5L)) {
      LOG.warn("Shutdown grace period elapsed before draining finished");
    }
    await(vertx.close(), 10);
    closeEmbedded(db);
    LOG.info("Stopped");
  }

  private static boolean await(io.vertx.core.Future<?> future, long seconds) {
    Blocking.requireOffEventLoop("Waiting for shutdown");
    CountDownLatch done = new CountDownLatch(1);
    future.onComplete(ar -> done.countDown());
    try {
      return done.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void closeEmbedded(DatabaseTarget db) {
    if (db.embedded() != null) {
      try {
        db.embedded().close();
      } catch (Exception e) {
        LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
      }
    }
  }
}
