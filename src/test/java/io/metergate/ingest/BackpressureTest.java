package io.metergate.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.metergate.testing.Meters;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestDatabase;
import io.metergate.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Backpressure: a full writer queue answers 429 with Retry-After, and loses nothing it acknowledged")
class BackpressureTest {
  private static TestGateway gateway;
  private static String token;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    gateway = TestGateway.start(Map.of(
        "METERGATE_EVENT_LOOPS", "1",
        "METERGATE_WRITER_CONCURRENCY", "1",
        "METERGATE_WRITER_QUEUE_EVENTS", "100"));
    gateway.client().billing().meters().create(Meters.sum("bp", "bp"));
    token = gateway.client().v2().billing().meterEventSession().create().getAuthenticationToken();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static CompletableFuture<HttpResponse<String>> send(String prefix) {
    JsonArray events = new JsonArray();
    for (int i = 0; i < 100; i++) {
      events.add(new JsonObject().put("event_name", "bp").put("identifier", prefix + i)
          .put("payload", new JsonObject().put("stripe_customer_id", "cus_bp").put("value", "1")));
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v2/billing/meter_event_stream"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("events", events).encode())).build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private static double metric(String name) {
    String body = RawHttp.get(gateway.managementUrl() + "/metrics", null).body();
    return body.lines().filter(l -> !l.startsWith("#") && l.startsWith(name))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  @DisplayName("with the store stalled, a request beyond the queue bound gets 429 at once; the queued ones commit after")
  void queueFullIs429() throws Exception {
    try (Connection lock = TestDatabase.connect(gateway.database(), gateway.database().database());
         Statement st = lock.createStatement()) {
      lock.setAutoCommit(false);
      st.execute("LOCK TABLE meter_event_identifiers IN SHARE ROW EXCLUSIVE MODE");

      CompletableFuture<HttpResponse<String>> inFlight = send("bp-a-");
      await("the first batch to be in flight",
          () -> gateway.queryLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
              + " AND datname = current_database()") > 0);
      CompletableFuture<HttpResponse<String>> queued = send("bp-b-");
      await("the second batch to be queued", () -> metric("metergate_writer_queue_events") >= 100);

      HttpResponse<String> refused = send("bp-c-").get();
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
      JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
      assertThat(error.getString("type")).isEqualTo("rate_limit_error");
      assertThat(RawHttp.get(gateway.managementUrl() + "/health/ready", null).status()).isEqualTo(503);
      assertThat(inFlight).isNotDone();

      lock.commit();
      assertThat(inFlight.get().statusCode()).isEqualTo(200);
      assertThat(queued.get().statusCode()).isEqualTo(200);
    }
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier LIKE 'bp-a-%'")).isEqualTo(100);
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier LIKE 'bp-b-%'")).isEqualTo(100);
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier LIKE 'bp-c-%'")).isZero();
    assertThat(metric("metergate_events_rejected_total{reason=\"writer_queue_full\"}")).isEqualTo(100.0);
    assertThat(RawHttp.get(gateway.managementUrl() + "/health/ready", null).status()).isEqualTo(200);
  }
}
