package io.metergate.load;

import io.vertx.core.json.JsonObject;

/** Samples the gateway's metergate_usage_unfolded_events gauge: the usage folder's backlog. */
final class UnfoldedSampler {
  private final BenchRun run;
  private long samples;
  private long max;
  private double sum;
  private long last;

  UnfoldedSampler(BenchRun run) {
    this.run = run;
  }

  void sample() {
    run.metrics().onSuccess(text -> {
      double u = Prometheus.value(text, "metergate_usage_unfolded_events");
      if (!Double.isNaN(u)) {
        record((long) u);
      }
    });
  }

  void record(long value) {
    last = value;
    samples++;
    sum += value;
    max = Math.max(max, value);
  }

  long last() {
    return last;
  }

  long max() {
    return max;
  }

  JsonObject json() {
    return new JsonObject().put("samples", samples).put("max", max)
        .put("mean", samples > 0 ? Math.round(sum / samples) : 0).put("last", last);
  }
}
