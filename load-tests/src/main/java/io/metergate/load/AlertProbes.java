package io.metergate.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The alerts phase: --probes probes, one per interval. Each creates a usage_threshold alert (gte 1)
 * for a fresh customer, sends that customer one v1 event and takes t0 when its 200 arrives. The
 * delay is until the signed webhook for that alert reaches a local receiver; where the gateway has
 * no webhook endpoints, until the triggered event is seen through GET /v1/events or, failing that,
 * in the events table (--database-url). The other source, when present, gives a secondary delay.
 */
final class AlertProbes {
  static final long CHECK_EVERY_MS = 100;

  private static final class Probe {
    final int index;
    final String customer;
    String alertId;
    long t0Ns = -1;
    long webhookNs = -1;
    long recordedNs = -1;
    int deliveries;
    String error;

    Probe(int index, String customer) {
      this.index = index;
      this.customer = customer;
    }
  }

  private final BenchRun run;
  private final UsageOptions o;
  private final BenchRun.Meter meter;
  private final Promise<JsonObject> done = Promise.promise();
  private final WebhookReceiver receiver;
  private final List<Probe> probes = new ArrayList<>();
  private final Map<String, Probe> byAlert = new HashMap<>();
  private final Map<String, Probe> byCustomer = new HashMap<>();
  private final Latency webhookDelay = new Latency();
  private final Latency recordedDelay = new Latency();
  private final Latency alertCreate = new Latency();
  private final Latency eventAck = new Latency();
  private final UnfoldedSampler unfolded;
  private final JsonObject webhooks = new JsonObject().put("available", false);
  private final JsonObject eventsApi = new JsonObject().put("available", false);
  private String endpointId;
  private TriggeredEvents secondary;
  private boolean polling;
  private long unmatchedDeliveries;
  private long duplicateDeliveries;
  private long startNs;
  private long probeTimer = -1;
  private long pollTimer = -1;
  private long checkTimer = -1;
  private long sampleTimer = -1;
  private String firstPollError;
  private boolean finished;

  AlertProbes(BenchRun run, BenchRun.Meter meter) {
    this.run = run;
    this.o = run.o;
    this.meter = meter;
    this.receiver = new WebhookReceiver(run.vertx, this::delivered);
    this.unfolded = new UnfoldedSampler(run);
  }

  Future<JsonObject> run() {
    receiver.start()
        .compose(this::createEndpoint)
        .compose(v -> chooseSecondary())
        .onSuccess(v -> startProbes())
        .onFailure(err -> cleanup().onComplete(c -> done.fail(err)));
    return done.future();
  }

  // ---------------------------------------------------------------- setup

  private Future<Void> createEndpoint(int port) {
    String url = "http://127.0.0.1:" + port + "/usage-bench/" + run.runId;
    Buffer form = new Form().add("url", url).add("enabled_events[]", TriggeredEvents.TYPE)
        .add("description", "usage-bench " + run.runId).buffer();
    return run.withRetries("creating the webhook endpoint",
            () -> run.api.post("/v1/webhook_endpoints", run.secretAuth, BenchRun.FORM, form, run.runId + "-endpoint"),
            run.deadline(3))
        .map(r -> {
          if (r.status() == 200) {
            JsonObject endpoint = r.body().toJsonObject();
            endpointId = endpoint.getString("id");
            receiver.secret(endpoint.getString("secret"));
            webhooks.put("available", true).put("endpoint", endpointId).put("url", url);
            run.say("alerts: webhook endpoint " + endpointId + " -> " + url);
          } else {
            webhooks.put("reason", "POST /v1/webhook_endpoints answered HTTP " + r.status() + " " + r.text());
            run.say("alerts: webhooks not available (" + webhooks.getString("reason") + ")");
          }
          return null;
        });
  }

  /** /v1/events if it answers, else the events table if --database-url is given. */
  private Future<Void> chooseSecondary() {
    return TriggeredEvents.EventsApi.probe(run).compose(r -> {
      if (r.status() == 200) {
        eventsApi.put("available", true);
        secondary = new TriggeredEvents.EventsApi(run);
        return Future.succeededFuture();
      }
      eventsApi.put("reason", "GET /v1/events answered HTTP " + r.status() + " " + r.text());
      run.say("alerts: GET /v1/events not available (HTTP " + r.status() + ")"
          + (o.databaseUrl != null ? "; polling the events table instead" : ""));
      if (o.databaseUrl == null) {
        return webhooks.getBoolean("available") ? Future.succeededFuture()
            : Future.failedFuture("neither webhook endpoints nor GET /v1/events work in this gateway;"
                + " pass --database-url to poll the events table");
      }
      TriggeredEvents.Database db = new TriggeredEvents.Database(run, o.databaseUrl);
      secondary = db;
      return db.start();
    });
  }

  private String primary() {
    return webhooks.getBoolean("available") ? "webhook" : secondary.method();
  }

  // ---------------------------------------------------------------- probes

  private void startProbes() {
    run.say(String.format("alerts: %d probes every %d ms on %s; delay measured to the %s%s", o.probes,
        o.probeIntervalMs, meter.id(), primary().equals("webhook") ? "signed webhook" : primary() + " poll",
        secondary != null && !secondary.method().equals(primary()) ? " (and " + secondary.method() + " poll)" : ""));
    startNs = System.nanoTime();
    launch(0);
    if (secondary != null) {
      pollTimer = run.vertx.setPeriodic(o.pollMs, id -> pollRecorded());
    }
    checkTimer = run.vertx.setPeriodic(CHECK_EVERY_MS, id -> checkDone());
    sampleTimer = run.vertx.setPeriodic(1_000, id -> unfolded.sample());
  }

  private void launch(int i) {
    if (i >= o.probes || finished) {
      return;
    }
    Probe p = new Probe(i, "cus_probe_" + run.runId.replace('-', '_') + "_" + i);
    probes.add(p);
    byCustomer.put(p.customer, p);
    probe(p);
    long next = startNs + TimeUnit.MILLISECONDS.toNanos((long) (i + 1) * o.probeIntervalMs);
    probeTimer = run.vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())),
        id -> launch(i + 1));
  }

  private void probe(Probe p) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.probeTimeoutS);
    Buffer alert = new Form()
        .add("alert_type", "usage_threshold")
        .add("title", "usage-bench probe " + p.index)
        .add("usage_threshold[gte]", 1)
        .add("usage_threshold[meter]", meter.id())
        .add("usage_threshold[recurrence]", "one_time")
        .add("usage_threshold[filters][0][type]", "customer")
        .add("usage_threshold[filters][0][customer]", p.customer)
        .buffer();
    String identifier = run.runId + "-probe-" + p.index;
    Buffer event = new Form()
        .add("event_name", meter.eventName())
        .add("payload[stripe_customer_id]", p.customer)
        .add("payload[value]", 1)
        .add("identifier", identifier)
        .buffer();
    long createStart = System.nanoTime();
    run.withRetries("creating alert " + p.index,
            () -> run.api.post("/v1/billing/alerts", run.secretAuth, BenchRun.FORM, alert, run.runId + "-alert-" + p.index),
            deadline)
        .compose(r -> {
          if (r.status() != 200) {
            return Future.failedFuture("creating the alert: HTTP " + r.status() + " " + r.text());
          }
          alertCreate.recordNanos(r.atNs() - createStart);
          p.alertId = r.body().toJsonObject().getString("id");
          byAlert.put(p.alertId, p);
          long sendStart = System.nanoTime();
          return run.withRetries("sending probe event " + p.index,
                  () -> run.api.post("/v1/billing/meter_events", run.secretAuth, BenchRun.FORM, event, identifier),
                  deadline)
              .compose(e -> {
                if (e.status() != 200) {
                  return Future.failedFuture("sending the event: HTTP " + e.status() + " " + e.text());
                }
                p.t0Ns = e.atNs(); // the crossing event is committed: its 200 is here
                eventAck.recordNanos(e.atNs() - sendStart);
                return Future.succeededFuture();
              });
        })
        .onFailure(err -> {
          p.error = BenchRun.rootMessage(err);
          run.say("alerts: probe " + p.index + " failed: " + p.error);
        });
  }

  // ---------------------------------------------------------------- observations

  private void delivered(JsonObject event, long atNs) {
    Probe p = null;
    String alertId = TriggeredEvents.alertId(event);
    if (alertId != null) {
      p = byAlert.get(alertId);
    }
    if (p == null) {
      JsonObject object = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
      Object customer = object.getValue("customer");
      p = customer instanceof String ? byCustomer.get(customer) : null;
    }
    if (p == null || !TriggeredEvents.TYPE.equals(event.getString("type"))) {
      unmatchedDeliveries++;
      return;
    }
    p.deliveries++;
    if (p.webhookNs >= 0) {
      duplicateDeliveries++;
      return;
    }
    p.webhookNs = atNs;
  }

  private void pollRecorded() {
    if (polling || finished) {
      return;
    }
    polling = true;
    secondary.poll().onComplete(ar -> {
      polling = false;
      long at = System.nanoTime();
      if (ar.failed()) {
        if (firstPollError == null) {
          firstPollError = BenchRun.rootMessage(ar.cause());
          run.say("alerts: polling " + secondary.method() + " failed: " + firstPollError);
        }
        return;
      }
      for (String alertId : ar.result()) {
        Probe p = byAlert.get(alertId);
        if (p != null && p.recordedNs < 0) {
          p.recordedNs = at;
        }
      }
    });
  }

  private boolean settled(Probe p, long now) {
    if (p.error != null) {
      return true;
    }
    if (p.t0Ns < 0) {
      return false;
    }
    boolean seen = (!webhooks.getBoolean("available") || p.webhookNs >= 0) && (secondary == null || p.recordedNs >= 0);
    return seen || now - p.t0Ns > TimeUnit.SECONDS.toNanos(o.probeTimeoutS);
  }

  private void checkDone() {
    long now = System.nanoTime();
    if (probes.size() < o.probes) {
      return;
    }
    for (Probe p : probes) {
      if (!settled(p, now)) {
        return;
      }
    }
    finish();
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    for (long t : new long[] {probeTimer, pollTimer, checkTimer, sampleTimer}) {
      if (t != -1) {
        run.vertx.cancelTimer(t);
      }
    }
    JsonObject report = report();
    cleanup().onComplete(v -> done.complete(report));
  }

  private Future<Void> cleanup() {
    Future<?> endpoint = endpointId == null ? Future.succeededFuture()
        : run.api.delete("/v1/webhook_endpoints/" + endpointId, run.secretAuth)
            .onSuccess(r -> {
              if (r.status() != 200) {
                run.say("alerts: deleting webhook endpoint " + endpointId + " answered HTTP " + r.status());
              }
            });
    Future<?> poller = secondary == null ? Future.succeededFuture() : secondary.close();
    return Future.join(endpoint, poller).eventually(receiver::close).mapEmpty();
  }

  // ---------------------------------------------------------------- report

  private JsonObject report() {
    String primary = primary();
    long timeoutNs = TimeUnit.SECONDS.toNanos(o.probeTimeoutS);
    long fired = 0;
    long missed = 0;
    long failed = 0;
    JsonArray missedProbes = new JsonArray();
    JsonArray detail = new JsonArray();
    String firstError = null;
    for (Probe p : probes) {
      JsonObject d = new JsonObject().put("probe", p.index).put("customer", p.customer).put("alert", p.alertId);
      if (p.error != null || p.t0Ns < 0) {
        failed++;
        firstError = firstError == null ? (p.error == null ? "no acknowledgement" : p.error) : firstError;
        detail.add(d.put("error", p.error == null ? "no acknowledgement" : p.error));
        continue;
      }
      long primaryNs = primary.equals("webhook") ? p.webhookNs : p.recordedNs;
      if (p.webhookNs >= 0 && p.webhookNs - p.t0Ns <= timeoutNs) {
        webhookDelay.recordNanos(p.webhookNs - p.t0Ns);
        d.put("webhook_delay_ms", Latency.round((p.webhookNs - p.t0Ns) / 1e6)).put("deliveries", p.deliveries);
      }
      if (p.recordedNs >= 0 && p.recordedNs - p.t0Ns <= timeoutNs) {
        recordedDelay.recordNanos(p.recordedNs - p.t0Ns);
        d.put("recorded_delay_ms", Latency.round((p.recordedNs - p.t0Ns) / 1e6));
      }
      if (primaryNs >= 0 && primaryNs - p.t0Ns <= timeoutNs) {
        fired++;
      } else {
        missed++;
        missedProbes.add(new JsonObject().put("customer", p.customer).put("alert", p.alertId));
      }
      detail.add(d);
    }
    boolean ok = missed == 0 && failed == 0 && probes.size() == o.probes
        && (!webhooks.getBoolean("available") || receiver.signaturesOk() && unmatchedDeliveries == 0);
    JsonObject wh = webhooks.copy();
    if (wh.getBoolean("available")) {
      wh.put("receiver", receiver.json().put("matched_deliveries", probes.stream().mapToLong(p -> p.deliveries).sum())
          .put("duplicate_deliveries", duplicateDeliveries).put("unmatched_deliveries", unmatchedDeliveries));
    }
    run.say(String.format("alerts: %d fired, %d missed, %d failed; %s delay p50 %.1f p99 %.1f max %.1f ms",
        fired, missed, failed, primary, delay(primary).json().getDouble("p50"), delay(primary).json().getDouble("p99"),
        delay(primary).json().getDouble("max")));
    return new JsonObject()
        .put("status", ok ? "ok" : "failed")
        .put("meter", meter.id())
        .put("probes", o.probes)
        .put("interval_ms", o.probeIntervalMs)
        .put("timeout_s", o.probeTimeoutS)
        .put("poll_ms", o.pollMs)
        .put("primary", primary)
        .put("secondary", secondary == null || secondary.method().equals(primary) ? null : secondary.method())
        .put("webhooks", wh)
        .put("events_api", eventsApi)
        .put("fired", fired)
        .put("missed", missed)
        .put("failed", failed)
        .put("first_error", firstError)
        .put("first_poll_error", firstPollError)
        .put("missed_probes", missedProbes)
        .put("delay_ms", delay(primary).json())
        .put("secondary_delay_ms", secondary == null || secondary.method().equals(primary) ? null
            : recordedDelay.json())
        .put("alert_create_ms", alertCreate.json())
        .put("event_ack_ms", eventAck.json())
        .put("unfolded_events", unfolded.json())
        .put("detail", detail);
  }

  private Latency delay(String primary) {
    return primary.equals("webhook") ? webhookDelay : recordedDelay;
  }
}
