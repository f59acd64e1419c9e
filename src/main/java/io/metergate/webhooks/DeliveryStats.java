package io.metergate.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Webhook delivery metrics. */
final class DeliveryStats {
  final Counter delivered;
  final Counter retried;
  final Counter failed;
  final Counter dropped;
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicLong backlog = new AtomicLong();
  private final Timer exchange;

  DeliveryStats(MeterRegistry registry) {
    delivered = outcome(registry, "delivered");
    retried = outcome(registry, "retry");
    failed = outcome(registry, "failed");
    dropped = outcome(registry, "dropped");
    exchange = Timer.builder("metergate_webhook_delivery")
        .description("Time for one webhook POST, from connecting to the end of the response (or the failure)")
        .publishPercentileHistogram().register(registry);
    Gauge.builder("metergate_webhook_in_flight", inFlight, AtomicInteger::get)
        .description("Webhook POSTs under way on this replica").register(registry);
    Gauge.builder("metergate_webhook_backlog", backlog, AtomicLong::get)
        .description("Deliveries neither delivered nor given up, all replicas (refreshed every 15 s)")
        .register(registry);
  }

  private static Counter outcome(MeterRegistry registry, String outcome) {
    return Counter.builder("metergate_webhook_deliveries").tag("outcome", outcome)
        .description("Webhook delivery attempts by outcome: delivered (2xx), retry (will be tried again), failed"
            + " (given up after the retry window), dropped (endpoint deleted or disabled; nothing sent)")
        .register(registry);
  }

  void exchanged(long nanos) {
    exchange.record(nanos, TimeUnit.NANOSECONDS);
  }
}
