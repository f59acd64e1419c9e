package io.metergate.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The load phase: streams --events events for one customer through the v2 meter event stream
 * (closed loop, --producers batches in flight), timestamps spread evenly and increasing over the
 * past --days days, then waits until the usage folder has folded them all.
 */
final class UsageLoad {
  static final long PROGRESS_EVERY_MS = 5_000;
  static final long SAMPLE_EVERY_MS = 1_000;
  static final long FOLD_POLL_MS = 100;
  static final int MAX_SESSION_RETRIES = 3;

  private static final class Batch {
    final long firstIndex;
    final int events;
    final Buffer body;
    long firstSentNs;
    int attempts;
    int sessionRetries;

    Batch(long firstIndex, int events, Buffer body) {
      this.firstIndex = firstIndex;
      this.events = events;
      this.body = body;
    }
  }

  private final BenchRun run;
  private final UsageOptions o;
  private final BenchRun.Meter meter;
  private final Promise<JsonObject> done = Promise.promise();
  private final Rfc3339Millis format = new Rfc3339Millis();
  private final String eventNameJson;
  private final String customerJson;
  private final String valueJson;
  private final long firstTsMs;
  private final long spanMs;

  private String token;
  private long tokenGeneration;
  private long sessionsOpened;
  private long sessionReopens;
  private Future<Void> reopening;
  private long renewTimer = -1;
  private long progressTimer = -1;
  private long sampleTimer = -1;
  private long deadlineTimer = -1;

  private long next;
  private int inFlight;
  private long acked;
  private long requests;
  private long retries;
  private long connectionErrors;
  private long abandonedEvents;
  private final Map<Integer, Long> statusCounts = new TreeMap<>();
  private final Latency latency = new Latency();
  private String fatal;
  private String firstConnectionError;
  private boolean timedOut;
  private boolean loaded;

  private long startNs;
  private long lastAckNs;
  private long lastProgressNs;
  private long lastProgressAcked;
  private double stored0;
  private double duplicates0;
  private double folded0;
  private final UnfoldedSampler unfolded;
  private long lastFoldNoteNs;

  UsageLoad(BenchRun run, BenchRun.Meter meter) {
    this.run = run;
    this.o = run.o;
    this.meter = meter;
    this.eventNameJson = Json.encode(meter.eventName());
    this.customerJson = Json.encode(o.customer);
    this.valueJson = Json.encode(o.value.toPlainString());
    long endMs = System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(o.endOffsetMinutes);
    this.spanMs = TimeUnit.DAYS.toMillis(o.days);
    this.firstTsMs = endMs - spanMs;
    this.unfolded = new UnfoldedSampler(run);
  }

  Future<JsonObject> run() {
    run.say(String.format("load: %d events for %s on %s (%s), %d producers x %d events, timestamps %s .. %s",
        o.events, o.customer, meter.id(), meter.eventName(), o.producers, o.batch, format.format(firstTsMs),
        format.format(timestampMs(o.events - 1))));
    run.metrics()
        .compose(text -> {
          stored0 = Prometheus.value(text, "metergate_events_stored_total");
          duplicates0 = Prometheus.value(text, "metergate_events_duplicate_total");
          folded0 = Prometheus.value(text, "metergate_usage_folded_events_total");
          if (Double.isNaN(folded0)) {
            return Future.failedFuture("the gateway's /metrics has no metergate_usage_folded_events_total:"
                + " is this a build with the usage folder?");
          }
          return run.withRetries("opening the session", this::openSession, run.deadline(3));
        })
        .compose(r -> r.status() == 200 ? Future.succeededFuture()
            : Future.failedFuture("opening the meter event session failed: HTTP " + r.status() + " " + r.text()))
        .onSuccess(v -> start())
        .onFailure(done::fail);
    return done.future();
  }

  private void start() {
    startNs = System.nanoTime();
    lastProgressNs = startNs;
    progressTimer = run.vertx.setPeriodic(PROGRESS_EVERY_MS, id -> progress());
    sampleTimer = run.vertx.setPeriodic(SAMPLE_EVERY_MS, id -> unfolded.sample());
    deadlineTimer = run.vertx.setTimer(TimeUnit.SECONDS.toMillis(o.loadTimeoutS), id -> {
      timedOut = true;
      run.say("load: --load-timeout of " + o.loadTimeoutS + " s reached; not sending more");
      pump();
    });
    pump();
  }

  long timestampMs(long index) {
    return o.events == 1 ? firstTsMs + spanMs : firstTsMs + index * spanMs / (o.events - 1);
  }

  // ---------------------------------------------------------------- session

  private Future<GatewayHttp.Reply> openSession() {
    return run.api.post("/v2/billing/meter_event_session", run.secretAuth, BenchRun.JSON, Buffer.buffer("{}"), null)
        .map(r -> {
          if (r.status() == 200) {
            JsonObject json = r.body().toJsonObject();
            token = json.getString("authentication_token");
            tokenGeneration++;
            sessionsOpened++;
            scheduleRenewal(json.getString("expires_at"));
          }
          return r;
        });
  }

  /** Renews after --renew-after, or 2 minutes before the session expires if that is sooner. */
  private void scheduleRenewal(String expiresAt) {
    long delayNs = TimeUnit.SECONDS.toNanos(o.renewAfterS);
    if (expiresAt != null) {
      try {
        long untilExpiry = Duration.between(Instant.now(), OffsetDateTime.parse(expiresAt).toInstant()).toNanos();
        delayNs = Math.min(delayNs, untilExpiry - TimeUnit.MINUTES.toNanos(2));
      } catch (RuntimeException e) {
        run.say("load: could not parse session expires_at '" + expiresAt + "'");
      }
    }
    if (renewTimer != -1) {
      run.vertx.cancelTimer(renewTimer);
    }
    renewTimer = run.vertx.setTimer(Math.max(1_000, TimeUnit.NANOSECONDS.toMillis(delayNs)), id -> {
      renewTimer = -1;
      if (!loaded) {
        run.withRetries("renewing the session", this::openSession, run.deadline(3))
            .onFailure(err -> run.say("load: session renewal failed: " + BenchRun.rootMessage(err)));
      }
    });
  }

  private Future<Void> reopenSession(long generation) {
    if (tokenGeneration > generation) {
      return Future.succeededFuture();
    }
    if (reopening == null) {
      sessionReopens++;
      reopening = run.withRetries("re-opening the session", this::openSession, run.deadline(3))
          .<Void>compose(r -> r.status() == 200 ? Future.succeededFuture()
              : Future.failedFuture("HTTP " + r.status() + " " + r.text()))
          .onComplete(ar -> reopening = null);
    }
    return reopening;
  }

  // ---------------------------------------------------------------- sending

  private void pump() {
    if (loaded) {
      return;
    }
    while (fatal == null && !timedOut && inFlight < o.producers && next < o.events) {
      Batch b = newBatch();
      inFlight++;
      b.firstSentNs = System.nanoTime();
      send(b);
    }
    if (inFlight == 0 && (next >= o.events || fatal != null || timedOut)) {
      loaded();
    }
  }

  private Batch newBatch() {
    int n = (int) Math.min(o.batch, o.events - next);
    StringBuilder sb = new StringBuilder(32 + n * 180);
    sb.append("{\"events\":[");
    long first = next;
    for (int i = 0; i < n; i++, next++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"event_name\":").append(eventNameJson)
          .append(",\"identifier\":\"").append(o.idPrefix).append(next)
          .append("\",\"payload\":{\"stripe_customer_id\":").append(customerJson)
          .append(",\"value\":").append(valueJson)
          .append("},\"timestamp\":\"").append(format.format(timestampMs(next))).append("\"}");
    }
    sb.append("]}");
    return new Batch(first, n, Buffer.buffer(sb.toString()));
  }

  private void send(Batch b) {
    b.attempts++;
    if (b.attempts > 1) {
      retries++;
    }
    long generation = tokenGeneration;
    run.api.post("/v2/billing/meter_event_stream", "Bearer " + token, BenchRun.JSON, b.body, null)
        .onComplete(ar -> {
          requests++;
          if (ar.failed()) {
            connectionErrors++;
            if (firstConnectionError == null) {
              firstConnectionError = BenchRun.rootMessage(ar.cause());
              run.say("load: first connection error: " + firstConnectionError);
            }
            retryLater(b, BenchRun.backoffMs(b.attempts));
            return;
          }
          GatewayHttp.Reply r = ar.result();
          if (r.status() == 200) {
            acked(b, r.atNs());
            return;
          }
          statusCounts.merge(r.status(), 1L, Long::sum);
          if (r.status() == 429) {
            retryLater(b, StreamLoad.retryAfterMs(r.retryAfter()));
          } else if (r.status() >= 500) {
            retryLater(b, BenchRun.backoffMs(b.attempts));
          } else if (r.status() == 401 && b.sessionRetries++ < MAX_SESSION_RETRIES) {
            reopenSession(generation).onComplete(s -> retryLater(b, s.succeeded() ? 1 : BenchRun.backoffMs(b.attempts)));
          } else {
            // Any other refusal means the big customer's total would be wrong: stop loading.
            if (fatal == null) {
              fatal = "HTTP " + r.status() + " " + r.text();
              run.say("load: stream refused a batch, stopping: " + fatal);
            }
            abandonedEvents += b.events;
            inFlight--;
            pump();
          }
        });
  }

  private void acked(Batch b, long atNs) {
    acked += b.events;
    lastAckNs = atNs;
    latency.recordNanos(atNs - b.firstSentNs);
    inFlight--;
    pump();
  }

  /** Resends the very same batch (same identifiers) after the delay; stored events are skipped. */
  private void retryLater(Batch b, long delayMs) {
    if (timedOut) {
      abandonedEvents += b.events;
      inFlight--;
      pump();
      return;
    }
    run.vertx.setTimer(delayMs, id -> send(b));
  }

  private void progress() {
    long now = System.nanoTime();
    double secs = (now - lastProgressNs) / 1e9;
    double eps = secs > 0 ? (acked - lastProgressAcked) / secs : 0;
    lastProgressNs = now;
    lastProgressAcked = acked;
    run.say(String.format("load: t=%6.1fs acked=%d/%d (%.0f ev/s) in_flight=%d 429=%d other_errors=%d"
            + " conn_errors=%d unfolded=%d",
        (now - startNs) / 1e9, acked, o.events, eps, inFlight, statusCounts.getOrDefault(429, 0L),
        statusCounts.values().stream().mapToLong(Long::longValue).sum() - statusCounts.getOrDefault(429, 0L),
        connectionErrors, unfolded.last()));
  }

  // ---------------------------------------------------------------- fold wait

  private void loaded() {
    loaded = true;
    for (long t : new long[] {progressTimer, sampleTimer, deadlineTimer, renewTimer}) {
      if (t != -1) {
        run.vertx.cancelTimer(t);
      }
    }
    progress();
    if (fatal != null || timedOut || acked == 0) {
      done.complete(report(new JsonObject().put("status", "skipped")));
      return;
    }
    run.say(String.format("load: %d events acknowledged in %.1f s; waiting for the usage folder", acked,
        (lastAckNs - startNs) / 1e9));
    lastFoldNoteNs = System.nanoTime();
    pollFold(new JsonObject());
  }

  /** Polls /metrics until nothing is unfolded and at least every event stored since the start is folded. */
  private void pollFold(JsonObject fold) {
    run.metrics().onComplete(ar -> {
      long now = System.nanoTime();
      if (ar.succeeded()) {
        String text = ar.result();
        long backlog = (long) Prometheus.value(text, "metergate_usage_unfolded_events");
        double storedDelta = Prometheus.value(text, "metergate_events_stored_total") - stored0;
        double foldedDelta = Prometheus.value(text, "metergate_usage_folded_events_total") - folded0;
        if (!fold.containsKey("unfolded_at_last_ack")) {
          fold.put("unfolded_at_last_ack", backlog);
        }
        unfolded.record(backlog);
        fold.put("stored_events", (long) storedDelta).put("folded_events", (long) foldedDelta)
            .put("duplicate_events", (long) (Prometheus.value(text, "metergate_events_duplicate_total") - duplicates0));
        if (backlog <= 0 && foldedDelta >= storedDelta) {
          double catchUp = Math.max(0, now - lastAckNs) / 1e9;
          run.say(String.format("load: usage folder caught up %.2f s after the last acknowledgement", catchUp));
          done.complete(report(fold.put("status", "caught_up").put("catch_up_s", Latency.round(catchUp))));
          return;
        }
      }
      if (now - lastAckNs > TimeUnit.SECONDS.toNanos(o.foldTimeoutS)) {
        run.say("load: the usage folder did not catch up within --fold-timeout " + o.foldTimeoutS + " s");
        done.complete(report(fold.put("status", "timeout")));
        return;
      }
      if (now - lastFoldNoteNs > TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MS)) {
        run.say("load: waiting for the usage folder: " + fold.getLong("stored_events", 0L) + " stored, "
            + fold.getLong("folded_events", 0L) + " folded since the start");
        lastFoldNoteNs = now;
      }
      run.vertx.setTimer(FOLD_POLL_MS, id -> pollFold(fold));
    });
  }

  private JsonObject report(JsonObject fold) {
    double elapsed = acked > 0 ? (lastAckNs - startNs) / 1e9 : (System.nanoTime() - startNs) / 1e9;
    JsonObject errors = new JsonObject();
    statusCounts.forEach((k, v) -> errors.put(Integer.toString(k), v));
    fold.put("unfolded_peak", unfolded.max()).put("poll_ms", FOLD_POLL_MS);
    boolean ok = fatal == null && !timedOut && acked == o.events && "caught_up".equals(fold.getString("status"));
    return new JsonObject()
        .put("status", ok ? "ok" : "failed")
        .put("meter", meter.id())
        .put("event_name", meter.eventName())
        .put("customer", o.customer)
        .put("events", o.events)
        .put("value", o.value.toPlainString())
        .put("identifier_prefix", o.idPrefix)
        .put("first_timestamp", format.format(firstTsMs))
        .put("last_timestamp", format.format(timestampMs(o.events - 1)))
        .put("producers", o.producers)
        .put("batch", o.batch)
        .put("events_acked", acked)
        .put("requests", requests)
        .put("elapsed_s", Latency.round(elapsed))
        .put("events_per_s", Latency.round(elapsed > 0 ? acked / elapsed : 0))
        .put("ack_latency_ms", latency.json())
        .put("errors", new JsonObject()
            .put("by_status", errors)
            .put("rate_limited_429", statusCounts.getOrDefault(429, 0L))
            .put("connection_errors", connectionErrors)
            .put("first_connection_error", firstConnectionError)
            .put("retries", retries)
            .put("session_reopens", sessionReopens)
            .put("abandoned_events", abandonedEvents)
            .put("fatal", fatal)
            .put("timed_out", timedOut))
        .put("sessions_opened", sessionsOpened)
        .put("fold", fold);
  }
}
