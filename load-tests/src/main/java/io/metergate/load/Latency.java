package io.metergate.load;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** A latency histogram in microseconds (up to one hour, 3 significant digits), reported in ms. */
final class Latency {
  static final long HIGHEST_US = TimeUnit.HOURS.toMicros(1);

  private final Histogram histogram = new Histogram(HIGHEST_US, 3);

  void recordNanos(long nanos) {
    histogram.recordValue(Math.max(0, Math.min(nanos / 1_000, HIGHEST_US)));
  }

  long count() {
    return histogram.getTotalCount();
  }

  JsonObject json() {
    return new JsonObject()
        .put("count", histogram.getTotalCount())
        .put("p50", ms(histogram.getValueAtPercentile(50)))
        .put("p90", ms(histogram.getValueAtPercentile(90)))
        .put("p99", ms(histogram.getValueAtPercentile(99)))
        .put("p99_9", ms(histogram.getValueAtPercentile(99.9)))
        .put("max", ms(histogram.getMaxValue()))
        .put("mean", round(histogram.getTotalCount() > 0 ? histogram.getMean() / 1000.0 : 0));
  }

  private static double ms(long micros) {
    return round(micros / 1000.0);
  }

  static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
