package io.metergate.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Usage benchmark: loads millions of events for one customer (load), measures the event summaries
 * over them at a fixed rate (summaries), and how soon billing alerts fire (alerts). Each phase is
 * chosen with --phases so usage-bench.sh can run them around background ingest (StreamLoad).
 *
 * <p>Everything runs on one Vert.x event loop; the main thread only waits, prints progress handed
 * over through a queue, and writes the report.
 */
public final class UsageBench {
  private final UsageOptions o;
  private final Vertx vertx;
  private final Context context;
  private final String runId;
  private final Queue<String> messages = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<JsonObject> done = new CompletableFuture<>();
  private BenchRun run;

  private UsageBench(UsageOptions o) {
    this.o = o;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    this.context = vertx.getOrCreateContext();
    String hex = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL | 0x1000000L).substring(1);
    this.runId = "ub" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
        + "-" + hex;
  }

  public static void main(String[] args) {
    UsageOptions o;
    try {
      o = UsageOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("usage-bench: " + e.getMessage() + " (see --help)");
      System.exit(2);
      return;
    }
    if (o.help) {
      System.out.println(UsageOptions.USAGE);
      return;
    }
    System.exit(new UsageBench(o).run());
  }

  private int run() {
    long limitS = hardLimitSeconds();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitS);
    System.err.printf("usage-bench: run id %s, phases %s, target %s, hard limit %d s%n", runId,
        String.join(",", o.phases), o.baseUrl, limitS);
    context.runOnContext(v -> {
      run = new BenchRun(vertx, o, runId, messages);
      phases().onComplete(ar -> {
        if (ar.succeeded()) {
          done.complete(ar.result());
        } else {
          done.completeExceptionally(ar.cause());
        }
      });
    });
    JsonObject report = null;
    while (report == null) {
      drainMessages();
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        System.err.println("usage-bench: did not finish within the hard limit of " + limitS + " s; forcing exit");
        System.err.flush();
        Runtime.getRuntime().halt(3);
      }
      try {
        report = done.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // keep waiting, printing progress
      } catch (Exception e) {
        drainMessages();
        System.err.println("usage-bench: failed: " + BenchRun.rootMessage(e));
        closeQuietly();
        return 2;
      }
    }
    drainMessages();
    closeQuietly();
    System.out.println(render(report));
    if (o.jsonOut != null) {
      try {
        Files.writeString(Path.of(o.jsonOut), report.encodePrettily() + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        System.err.println("usage-bench: could not write " + o.jsonOut + ": " + e);
        return 2;
      }
    }
    return "ok".equals(report.getString("status")) ? 0 : 1;
  }

  private long hardLimitSeconds() {
    long s = 60L + 3L * o.requestTimeoutS;
    if (o.phases.contains("load")) {
      s += o.loadTimeoutS + o.foldTimeoutS + 2L * o.requestTimeoutS;
    }
    if (o.phases.contains("summaries")) {
      s += (long) o.variants.size() * (o.summaryWarmupS + o.summarySeconds + o.requestTimeoutS + 10);
    }
    if (o.phases.contains("alerts")) {
      s += (long) o.probes * o.probeIntervalMs / 1000 + o.probeTimeoutS + 6L * o.requestTimeoutS;
    }
    return s;
  }

  /** Runs the chosen phases in order, on the event loop; a phase that fails to set up ends the run. */
  private Future<JsonObject> phases() {
    JsonObject report = new JsonObject()
        .put("run_id", runId)
        .put("label", o.label)
        .put("base_url", o.baseUrl)
        .put("phases", new JsonArray(o.phases.stream().toList()));
    return run.ensureMeter().compose(meter -> {
      report.put("meter", meter.id()).put("event_name", meter.eventName()).put("meter_created", meter.created());
      Future<Void> chain = Future.succeededFuture();
      if (o.phases.contains("load")) {
        chain = chain.compose(v -> new UsageLoad(run, meter).run()).map(r -> put(report, "load", r));
      }
      if (o.phases.contains("summaries")) {
        chain = chain.compose(v -> new SummaryBench(run, meter).run()).map(r -> put(report, "summaries", r));
      }
      if (o.phases.contains("alerts")) {
        chain = chain.compose(v -> new AlertProbes(run, meter).run()).map(r -> put(report, "alerts", r));
      }
      return chain.map(v -> {
        boolean ok = o.phases.stream().allMatch(p -> "ok".equals(report.getJsonObject(p).getString("status")));
        return report.put("status", ok ? "ok" : "failed");
      });
    }).eventually(() -> run.close());
  }

  private static Void put(JsonObject report, String phase, JsonObject result) {
    report.put(phase, result);
    return null;
  }

  private void drainMessages() {
    MainThread.print(messages);
  }

  private void closeQuietly() {
    MainThread.awaitQuietly(vertx::close);
  }

  // ---------------------------------------------------------------- text report

  static String render(JsonObject r) {
    StringBuilder sb = new StringBuilder();
    sb.append("== Metergate usage bench ").append(r.getString("run_id")).append(": ")
        .append(r.getString("status")).append(" ==\n");
    line(sb, "meter", r.getString("meter") + " (" + r.getString("event_name")
        + (r.getBoolean("meter_created") ? ", created by this run)" : ", reused)"));
    JsonObject load = r.getJsonObject("load");
    if (load != null) {
      JsonObject fold = load.getJsonObject("fold");
      JsonObject e = load.getJsonObject("errors");
      line(sb, "load", String.format(Locale.ROOT, "%s: %d of %d events for %s acked in %.1f s = %.0f events/s",
          load.getString("status"), load.getLong("events_acked"), load.getLong("events"), load.getString("customer"),
          load.getDouble("elapsed_s"), load.getDouble("events_per_s")));
      line(sb, "  timestamps", load.getString("first_timestamp") + " .. " + load.getString("last_timestamp"));
      line(sb, "  ack latency ms", latency(load.getJsonObject("ack_latency_ms")));
      line(sb, "  errors", "429 x" + e.getLong("rate_limited_429") + ", by status " + e.getJsonObject("by_status").encode()
          + ", connection errors " + e.getLong("connection_errors") + ", retries " + e.getLong("retries")
          + (e.getString("fatal") != null ? ", FATAL " + e.getString("fatal") : ""));
      line(sb, "  usage folder", fold.getString("status")
          + (fold.containsKey("catch_up_s") ? String.format(Locale.ROOT, ", caught up %.2f s after the last ack",
              fold.getDouble("catch_up_s")) : "")
          + ", unfolded at last ack " + fold.getValue("unfolded_at_last_ack") + ", peak " + fold.getValue("unfolded_peak")
          + ", stored " + fold.getValue("stored_events") + ", duplicates " + fold.getValue("duplicate_events"));
    }
    JsonObject summaries = r.getJsonObject("summaries");
    if (summaries != null) {
      line(sb, "summaries", String.format(Locale.ROOT, "%s: %s, [%d, %d) = %d days, %.1f req/s, expected total %s",
          summaries.getString("status"), summaries.getString("customer"), summaries.getLong("start_time"),
          summaries.getLong("end_time"), summaries.getLong("range_days"), summaries.getDouble("rate_per_s"),
          summaries.getString("expected_total")));
      for (Object o : summaries.getJsonArray("variants")) {
        JsonObject v = (JsonObject) o;
        line(sb, "  " + v.getString("variant") + " latency ms", latency(v.getJsonObject("latency_ms")));
        line(sb, "  " + v.getString("variant") + " checks", String.format(Locale.ROOT,
            "%d ok, %d mismatches, errors %s + %d connection, %d not sent, %d-%d windows per response,"
                + " unfolded max %d", v.getLong("ok"), v.getLong("mismatches"), v.getJsonObject("errors_by_status").encode(),
            v.getLong("connection_errors"), v.getLong("not_sent"),
            v.getJsonObject("windows_per_response").getLong("min"), v.getJsonObject("windows_per_response").getLong("max"),
            v.getJsonObject("unfolded_events").getLong("max")));
      }
    }
    JsonObject alerts = r.getJsonObject("alerts");
    if (alerts != null) {
      line(sb, "alerts", String.format(Locale.ROOT, "%s: %d probes, %d fired, %d missed, %d failed; delay to %s",
          alerts.getString("status"), alerts.getLong("probes"), alerts.getLong("fired"), alerts.getLong("missed"),
          alerts.getLong("failed"), alerts.getString("primary")));
      line(sb, "  delay ms", latency(alerts.getJsonObject("delay_ms")));
      if (alerts.getJsonObject("secondary_delay_ms") != null) {
        line(sb, "  " + alerts.getString("secondary") + " ms", latency(alerts.getJsonObject("secondary_delay_ms")));
      }
      JsonObject wh = alerts.getJsonObject("webhooks");
      line(sb, "  webhooks", wh.getBoolean("available") ? wh.getJsonObject("receiver").encode()
          : "not available: " + wh.getString("reason"));
      if (!alerts.getJsonObject("events_api").getBoolean("available")) {
        line(sb, "  /v1/events", "not available: " + alerts.getJsonObject("events_api").getString("reason"));
      }
      line(sb, "  alert create ms", latency(alerts.getJsonObject("alert_create_ms")));
      line(sb, "  event ack ms", latency(alerts.getJsonObject("event_ack_ms")));
    }
    return sb.toString().stripTrailing();
  }

  private static void line(StringBuilder sb, String name, String value) {
    sb.append(String.format(Locale.ROOT, "%-22s %s%n", name, value));
  }

  private static String latency(JsonObject l) {
    return String.format(Locale.ROOT, "p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  (n=%d)",
        l.getDouble("p50"), l.getDouble("p90"), l.getDouble("p99"), l.getDouble("p99_9"), l.getDouble("max"),
        l.getLong("count"));
  }
}
