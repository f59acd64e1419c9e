package io.metergate.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Writer metrics, shared by every event loop's writer. */
public final class WriterStats {
  private final Counter committed;
  private final Counter duplicates;
  private final Counter failed;
  private final Counter queueFull;
  private final Counter timedOut;
  private final DistributionSummary batchSize;
  private final Timer commitLatency;
  private final AtomicLong queued = new AtomicLong();
  private final MeterRegistry registry;

  public WriterStats(MeterRegistry registry) {
    this.registry = registry;
    committed = Counter.builder("metergate_events_stored").description("Events durably committed")
        .register(registry);
    duplicates = Counter.builder("metergate_events_duplicate")
        .description("Events skipped because their identifier was already stored in the dedup window")
        .register(registry);
    failed = Counter.builder("metergate_events_write_failed")
        .description("Events whose batch failed to commit (not acknowledged)").register(registry);
    queueFull = rejected("writer_queue_full");
    timedOut = Counter.builder("metergate_events_write_timed_out")
        .description("Events whose flush did not commit within the flush timeout (answered 503)").register(registry);
    batchSize = DistributionSummary.builder("metergate_writer_batch_events").description("Events per flush")
        .publishPercentileHistogram().register(registry);
    commitLatency = Timer.builder("metergate_writer_commit").description("Time for one flush to commit")
        .publishPercentileHistogram().register(registry);
    Gauge.builder("metergate_writer_queue_events", queued, AtomicLong::get)
        .description("Events waiting for a writer connection").register(registry);
  }

  public Counter rejected(String reason) {
    return Counter.builder("metergate_events_rejected").tag("reason", reason)
        .description("Events refused before storage, by reason").register(registry);
  }

  void queued(int n) {
    queued.addAndGet(n);
  }

  void dequeued(int n) {
    queued.addAndGet(-n);
  }

  /** A flush of {@code sent} events committed, {@code stored} of them new (the rest were duplicates). */
  void committed(int sent, int stored, long nanos) {
    committed.increment(stored);
    batchSize.record(sent);
    commitLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  void duplicates(int n) {
    if (n > 0) {
      duplicates.increment(n);
    }
  }

  void timedOut(int n) {
    timedOut.increment(n);
  }

  void failed(int n) {
    failed.increment(n);
  }

  void rejectedQueueFull(int n) {
    queueFull.increment(n);
  }

  public long queuedEvents() {
    return queued.get();
  }
}
