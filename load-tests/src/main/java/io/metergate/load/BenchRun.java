package io.metergate.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Queue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the UsageBench phases share: the event loop's Vert.x, the API and management clients, the
 * options, the run id and the progress queue the main thread prints. Touched only on the event loop
 * (the queue excepted).
 */
final class BenchRun {
  /** The meter the big customer's events go to. */
  record Meter(String id, String eventName, boolean created) {}

  static final String FORM = "application/x-www-form-urlencoded";
  static final String JSON = "application/json";

  final Vertx vertx;
  final UsageOptions o;
  final GatewayHttp api;
  final GatewayHttp management;
  final String runId;
  final String secretAuth;
  private final Queue<String> messages;

  BenchRun(Vertx vertx, UsageOptions o, String runId, Queue<String> messages) {
    this.vertx = vertx;
    this.o = o;
    this.runId = runId;
    this.messages = messages;
    this.secretAuth = "Bearer " + o.apiKey;
    int pool = Math.max(o.producers, o.summaryMaxInFlight) + 8;
    this.api = new GatewayHttp(vertx, o.api, pool, o.requestTimeoutS);
    this.management = new GatewayHttp(vertx, o.management, 2, o.requestTimeoutS);
  }

  void say(String message) {
    messages.add("usage-bench: " + message);
  }

  /** The management port's Prometheus text. */
  Future<String> metrics() {
    return management.get("/metrics", null).compose(r -> r.status() == 200
        ? Future.succeededFuture(r.body().toString())
        : Future.failedFuture("GET /metrics answered HTTP " + r.status()));
  }

  /** Finds the active meter with --event-name, or creates a sum meter with it. */
  Future<Meter> ensureMeter() {
    return findMeter(null).compose(found -> found != null ? Future.succeededFuture(found) : createMeter());
  }

  private Future<Meter> findMeter(String startingAfter) {
    String q = "/v1/billing/meters?status=active&limit=100"
        + (startingAfter == null ? "" : "&starting_after=" + Form.enc(startingAfter));
    return withRetries("listing meters", () -> api.get(q, secretAuth), deadline(3)).compose(r -> {
      if (r.status() != 200) {
        return Future.failedFuture("listing meters failed: HTTP " + r.status() + " " + r.text());
      }
      JsonObject page = r.body().toJsonObject();
      JsonArray data = page.getJsonArray("data");
      for (int i = 0; i < data.size(); i++) {
        JsonObject m = data.getJsonObject(i);
        if (o.eventName.equals(m.getString("event_name"))) {
          String formula = m.getJsonObject("default_aggregation", new JsonObject()).getString("formula");
          if (!"sum".equals(formula)) {
            return Future.failedFuture("meter " + m.getString("id") + " with event_name " + o.eventName
                + " aggregates with '" + formula + "', not sum; choose another --event-name");
          }
          return Future.succeededFuture(new Meter(m.getString("id"), o.eventName, false));
        }
      }
      return page.getBoolean("has_more", false) && !data.isEmpty()
          ? findMeter(data.getJsonObject(data.size() - 1).getString("id"))
          : Future.succeededFuture(null);
    });
  }

  private Future<Meter> createMeter() {
    Buffer form = new Form().add("display_name", "Usage bench " + o.eventName).add("event_name", o.eventName)
        .add("default_aggregation[formula]", "sum").buffer();
    return withRetries("creating the meter",
        () -> api.post("/v1/billing/meters", secretAuth, FORM, form, runId + "-meter"), deadline(3))
        .compose(r -> {
          if (r.status() != 200) {
            return Future.failedFuture("creating meter " + o.eventName + " failed: HTTP " + r.status() + " " + r.text());
          }
          String id = r.body().toJsonObject().getString("id");
          say("created sum meter " + id + " with event_name " + o.eventName);
          return Future.succeededFuture(new Meter(id, o.eventName, true));
        });
  }

  long deadline(int requestTimeouts) {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos((long) requestTimeouts * o.requestTimeoutS);
  }

  /**
   * Sends a request until it gets an answer that is not 429 or 5xx, honouring Retry-After and
   * backing off after 5xx and connection errors, until the deadline. Callers make the request
   * idempotent (Idempotency-Key or identifier), so a resend never counts twice.
   */
  Future<GatewayHttp.Reply> withRetries(String what, Supplier<Future<GatewayHttp.Reply>> call, long deadlineNs) {
    Promise<GatewayHttp.Reply> promise = Promise.promise();
    attempt(what, call, deadlineNs, 1, promise);
    return promise.future();
  }

  private void attempt(String what, Supplier<Future<GatewayHttp.Reply>> call, long deadlineNs, int attempt,
                       Promise<GatewayHttp.Reply> promise) {
    call.get().onComplete(ar -> {
      if (ar.succeeded() && !ar.result().retryable()) {
        promise.complete(ar.result());
        return;
      }
      long delayMs = ar.succeeded() && ar.result().status() == 429
          ? StreamLoad.retryAfterMs(ar.result().retryAfter()) : backoffMs(attempt);
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) >= deadlineNs) {
        if (ar.succeeded()) {
          promise.complete(ar.result());
        } else {
          promise.fail(new IllegalStateException(what + " failed: " + rootMessage(ar.cause()), ar.cause()));
        }
        return;
      }
      vertx.setTimer(delayMs, id -> attempt(what, call, deadlineNs, attempt + 1, promise));
    });
  }

  static long backoffMs(int attempts) {
    long base = Math.min(2_000L, 50L << Math.min(attempts, 6));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  Future<Void> close() {
    return Future.join(api.close(), management.close()).mapEmpty();
  }
}
