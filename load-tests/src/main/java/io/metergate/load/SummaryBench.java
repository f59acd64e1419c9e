package io.metergate.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The summaries phase: for each variant (value_grouping_window=day, or none), GETs the big
 * customer's event summaries over the whole loaded range at a fixed rate (open loop: latency counts
 * from the scheduled send time), and checks that every answer adds up to events x value.
 */
final class SummaryBench {
  static final long DAY = 86_400;

  private final BenchRun run;
  private final UsageOptions o;
  private final BenchRun.Meter meter;
  private final long startTime;
  private final long endTime;
  private final BigDecimal expected;

  SummaryBench(BenchRun run, BenchRun.Meter meter) {
    this.run = run;
    this.o = run.o;
    this.meter = meter;
    long now = System.currentTimeMillis() / 1000;
    this.startTime = o.startTime != null ? o.startTime : defaultStart(now, o.days, o.endOffsetMinutes);
    this.endTime = o.endTime != null ? o.endTime : defaultEnd(now);
    this.expected = o.expectedTotal();
  }

  /** The UTC midnight at or before the first event a load started up to an hour ago would have. */
  static long defaultStart(long nowSeconds, int days, int endOffsetMinutes) {
    long first = nowSeconds - days * DAY - endOffsetMinutes * 60L - 3_600;
    return Math.floorDiv(first, DAY) * DAY;
  }

  /** The next UTC midnight after now. */
  static long defaultEnd(long nowSeconds) {
    return (Math.floorDiv(nowSeconds, DAY) + 1) * DAY;
  }

  Future<JsonObject> run() {
    JsonObject report = new JsonObject()
        .put("meter", meter.id())
        .put("customer", o.customer)
        .put("expected_total", expected.toPlainString())
        .put("start_time", startTime)
        .put("end_time", endTime)
        .put("range_days", (endTime - startTime) / DAY)
        .put("rate_per_s", o.summaryRate)
        .put("warmup_s", o.summaryWarmupS)
        .put("seconds", o.summarySeconds);
    List<JsonObject> results = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String variant : o.variants) {
      chain = chain.compose(v -> new Variant(variant).start()).map(r -> {
        results.add(r);
        return null;
      });
    }
    return chain.map(v -> {
      boolean ok = results.stream().allMatch(r -> "ok".equals(r.getString("status")));
      return report.put("status", ok ? "ok" : "failed").put("variants", new JsonArray(results));
    });
  }

  String path(String variant) {
    Form q = new Form().add("customer", o.customer).add("start_time", startTime).add("end_time", endTime)
        .add("limit", 100);
    if (!variant.equals("none")) {
      q.add("value_grouping_window", variant);
    }
    return "/v1/billing/meters/" + meter.id() + "/event_summaries?" + q;
  }

  /** The sum of aggregated_value over one page, or null when the page is not what was asked for. */
  static BigDecimal total(JsonObject page) {
    JsonArray data = page.getJsonArray("data");
    if (data == null) {
      return null;
    }
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < data.size(); i++) {
      Object v = data.getJsonObject(i).getValue("aggregated_value");
      if (!(v instanceof Number)) {
        return null;
      }
      sum = sum.add(new BigDecimal(v.toString()));
    }
    return sum;
  }

  /** One open-loop run of one variant, on the event loop. */
  private final class Variant {
    final String name;
    final String path;
    final Promise<JsonObject> done = Promise.promise();
    final Latency latency = new Latency();
    final Map<Integer, Long> statusCounts = new TreeMap<>();
    final long intervalNs = Math.max(1, Math.round(1e9 / o.summaryRate));
    long startNs;
    long warmupEndNs;
    long endNs;
    long slot;
    int inFlight;
    long sent;
    long ok;
    long connectionErrors;
    long mismatches;
    String firstMismatch;
    String firstError;
    int windowsMin = Integer.MAX_VALUE;
    int windowsMax;
    long wakeTimer = -1;
    long drainTimer = -1;
    long sampleTimer = -1;
    boolean finished;
    final UnfoldedSampler unfolded;

    Variant(String name) {
      this.name = name;
      this.path = path(name);
      this.unfolded = new UnfoldedSampler(run);
    }

    Future<JsonObject> start() {
      run.say(String.format("summaries: %s, %.1f/s for %d s (+%d s warm-up): GET %s", name, o.summaryRate,
          o.summarySeconds, o.summaryWarmupS, path));
      startNs = System.nanoTime();
      warmupEndNs = startNs + TimeUnit.SECONDS.toNanos(o.summaryWarmupS);
      endNs = warmupEndNs + TimeUnit.SECONDS.toNanos(o.summarySeconds);
      long drainMs = TimeUnit.NANOSECONDS.toMillis(endNs - startNs) + TimeUnit.SECONDS.toMillis(o.requestTimeoutS + 5L);
      drainTimer = run.vertx.setTimer(drainMs, id -> finish());
      sampleTimer = run.vertx.setPeriodic(1_000, id -> unfolded.sample());
      pump();
      return done.future();
    }

    void pump() {
      if (finished) {
        return;
      }
      long now = System.nanoTime();
      while (inFlight < o.summaryMaxInFlight) {
        long intended = startNs + slot * intervalNs;
        if (intended >= endNs) {
          break;
        }
        if (intended > now) {
          armWake(intended - now);
          break;
        }
        slot++;
        inFlight++;
        send(intended);
      }
      if (inFlight == 0 && startNs + slot * intervalNs >= endNs) {
        finish();
      }
    }

    void armWake(long delayNs) {
      if (wakeTimer == -1) {
        wakeTimer = run.vertx.setTimer(Math.max(1, (delayNs + 999_999) / 1_000_000), id -> {
          wakeTimer = -1;
          pump();
        });
      }
    }

    void send(long intendedNs) {
      sent++;
      run.api.get(path, run.secretAuth).onComplete(ar -> {
        if (finished) {
          return;
        }
        inFlight--;
        if (ar.failed()) {
          connectionErrors++;
          if (firstError == null) {
            firstError = BenchRun.rootMessage(ar.cause());
          }
        } else {
          check(ar.result());
          if (intendedNs >= warmupEndNs) {
            latency.recordNanos(ar.result().atNs() - intendedNs);
          }
        }
        pump();
      });
    }

    void check(GatewayHttp.Reply r) {
      if (r.status() != 200) {
        statusCounts.merge(r.status(), 1L, Long::sum);
        if (firstError == null) {
          firstError = "HTTP " + r.status() + " " + r.text();
        }
        return;
      }
      ok++;
      JsonObject page = r.body().toJsonObject();
      int windows = page.getJsonArray("data", new JsonArray()).size();
      windowsMin = Math.min(windowsMin, windows);
      windowsMax = Math.max(windowsMax, windows);
      BigDecimal total = total(page);
      if (total == null || total.compareTo(expected) != 0 || page.getBoolean("has_more", false)) {
        mismatches++;
        if (firstMismatch == null) {
          firstMismatch = "total " + (total == null ? "unreadable" : total.toPlainString()) + ", expected "
              + expected.toPlainString() + ", " + windows + " windows, has_more " + page.getValue("has_more");
          run.say("summaries: " + name + ": mismatch: " + firstMismatch);
        }
      }
    }

    void finish() {
      if (finished) {
        return;
      }
      finished = true;
      for (long t : new long[] {wakeTimer, drainTimer, sampleTimer}) {
        if (t != -1) {
          run.vertx.cancelTimer(t);
        }
      }
      long slots = (endNs - startNs + intervalNs - 1) / intervalNs;
      long errors = connectionErrors + statusCounts.values().stream().mapToLong(Long::longValue).sum();
      JsonObject byStatus = new JsonObject();
      statusCounts.forEach((k, v) -> byStatus.put(Integer.toString(k), v));
      JsonObject lat = latency.json();
      boolean good = mismatches == 0 && errors == 0 && inFlight == 0 && sent == slots && ok > 0;
      run.say(String.format("summaries: %s: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f ms (n=%d),"
              + " %d mismatches, %d errors", name, lat.getDouble("p50"), lat.getDouble("p90"), lat.getDouble("p99"),
          lat.getDouble("p99_9"), lat.getDouble("max"), lat.getLong("count"), mismatches, errors));
      done.complete(new JsonObject()
          .put("variant", name)
          .put("status", good ? "ok" : "failed")
          .put("path", path)
          .put("sent", sent)
          .put("scheduled", slots)
          .put("not_sent", slots - sent)
          .put("unfinished", inFlight)
          .put("ok", ok)
          .put("errors_by_status", byStatus)
          .put("connection_errors", connectionErrors)
          .put("first_error", firstError)
          .put("mismatches", mismatches)
          .put("first_mismatch", firstMismatch)
          .put("windows_per_response", new JsonObject().put("min", ok > 0 ? windowsMin : 0).put("max", windowsMax))
          .put("latency_ms", lat)
          .put("unfolded_events", unfolded.json()));
    }
  }
}
