package io.metergate.usage;

import io.metergate.common.LogThrottle;
import io.metergate.webhooks.WebhookDeliveryVerticle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the usage folder every interval, and again at once while it has a backlog. One pass at a
 * time; a pass that fails is retried at the next tick (nothing is lost: the raw events stay).
 */
public final class UsageFoldVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(UsageFoldVerticle.class);
  private static final LogThrottle FAILURES = new LogThrottle(10_000);

  private final UsageFolder folder;
  private final long intervalMillis;
  private final Counter folded;
  private final Counter triggered;
  private final Counter failures;
  private final Timer passes;
  private final AtomicLong unfolded = new AtomicLong();
  private long timer = -1;
  private boolean running;
  private boolean stopping;
  private Promise<Void> idle;

  public UsageFoldVerticle(UsageFolder folder, long intervalMillis, MeterRegistry registry) {
    this.folder = folder;
    this.intervalMillis = intervalMillis;
    this.folded = Counter.builder("metergate_usage_folded_events").description("Events folded into usage aggregates")
        .register(registry);
    this.triggered = Counter.builder("metergate_alerts_triggered").description("Billing alerts triggered")
        .register(registry);
    this.failures = Counter.builder("metergate_usage_fold_failures").description("Usage folder passes that failed (retried)")
        .register(registry);
    this.passes = Timer.builder("metergate_usage_fold_seconds").description("Duration of usage folder passes")
        .publishPercentileHistogram().register(registry);
    Gauge.builder("metergate_usage_unfolded_events", unfolded, AtomicLong::get)
        .description("Committed events not yet in the usage aggregates (summaries read them raw)").register(registry);
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(intervalMillis, id -> run());
    return Future.succeededFuture();
  }

  private void run() {
    if (running || stopping) {
      return;
    }
    running = true;
    long started = System.nanoTime();
    folder.foldOnce().onComplete(ar -> {
      running = false;
      passes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      boolean again = false;
      if (ar.succeeded()) {
        UsageFolder.Pass pass = ar.result();
        if (pass.ran()) {
          folded.increment(pass.eventsFolded());
          unfolded.set(pass.unfolded());
          again = pass.more();
        }
        if (pass.alertsTriggered() > 0) {
          triggered.increment(pass.alertsTriggered());
          vertx.eventBus().publish(WebhookDeliveryVerticle.WAKE_ADDRESS, null);
        }
      } else {
        failures.increment();
        if (FAILURES.allow()) {
          LOG.warn("A usage folder pass failed and will be retried: {}", ar.cause().toString());
        }
      }
      if (stopping) {
        idle.tryComplete();
      } else if (again) {
        run();
      }
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    idle = Promise.promise();
    if (!running) {
      idle.complete();
    }
    return idle.future();
  }
}
