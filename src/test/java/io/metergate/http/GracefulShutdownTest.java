package io.metergate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import io.metergate.app.DatabaseTarget;
import io.metergate.testing.Meters;
import io.metergate.testing.GatewayProcess;
import io.metergate.testing.TestDatabase;
import io.metergate.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Graceful shutdown: stop accepting, answer what is in flight, commit what is queued, exit")
class GracefulShutdownTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static HttpRequest batch(String base, String token, String prefix) {
    JsonArray events = new JsonArray();
    for (int i = 0; i < 100; i++) {
      events.add(new JsonObject().put("event_name", "drain").put("identifier", prefix + i)
          .put("payload", new JsonObject().put("stripe_customer_id", "cus_d").put("value", "1")));
    }
    return HttpRequest.newBuilder(URI.create(base + "/v2/billing/meter_event_stream"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("events", events).encode())).build();
  }

  private static String setUp(StripeClient stripe) throws Exception {
    stripe.billing().meters().create(Meters.sum("drain", "drain"));
    return stripe.v2().billing().meterEventSession().create().getAuthenticationToken();
  }

  @Test
  @DisplayName("a stop during a stalled commit refuses new connections, yet answers and stores the request in flight")
  void inFlightRequestIsAnsweredAndStored() throws Exception {
    try (TestGateway gateway = TestGateway.start(Map.of("METERGATE_EVENT_LOOPS", "1"))) {
      String token = setUp(gateway.client());
      DatabaseTarget db = gateway.database();
      try (Connection lock = TestDatabase.connect(db, db.database()); Statement st = lock.createStatement()) {
        lock.setAutoCommit(false);
        st.execute("LOCK TABLE meter_event_identifiers IN SHARE ROW EXCLUSIVE MODE");
        CompletableFuture<HttpResponse<String>> inFlight =
            HTTP.sendAsync(batch(gateway.baseUrl(), token, "inflight-"), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (gateway.queryLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            + " AND datname = current_database()") == 0) {
          assertThat(System.nanoTime()).as("the batch reached the database").isLessThan(deadline);
          Thread.sleep(20);
        }

        CompletableFuture<Void> stopped = gateway.stopAsync();
        HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (true) {
          try {
            fresh.send(batch(gateway.baseUrl(), token, "late-"), HttpResponse.BodyHandlers.ofString());
          } catch (java.io.IOException refused) {
            break;
          }
          assertThat(System.nanoTime()).as("new connections are refused once stopping").isLessThan(deadline);
          Thread.sleep(20);
        }
        assertThat(inFlight).isNotDone();
        assertThat(stopped).isNotDone();
        io.metergate.testing.RawHttp.Response ready =
            io.metergate.testing.RawHttp.get(gateway.managementUrl() + "/health/ready", null);
        assertThat(ready.status()).as("readiness goes red while draining").isEqualTo(503);
        assertThat(ready.json().getString("reason")).contains("shutting down");

        lock.commit();
        assertThat(inFlight.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        stopped.get(20, TimeUnit.SECONDS);
      }
      assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier LIKE 'inflight-%'")).isEqualTo(100);
      assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier LIKE 'late-%'")).isZero();
    }
  }

  @Test
  @DisplayName("SIGTERM under streaming load: the process exits within the grace period and every acknowledged event is stored")
  void sigtermUnderLoad() throws Exception {
    DatabaseTarget db = TestDatabase.freshDatabase();
    GatewayProcess gateway = new GatewayProcess(db, Map.of("METERGATE_SHUTDOWN_GRACE_SECONDS", "10")).start();
    try {
      String base = gateway.baseUrl();
      String token = setUp(StripeClient.builder().setApiKey(TestGateway.DEV_KEY).setApiBase(base)
          .setMeterEventsBase(base).setMaxNetworkRetries(0).build());
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> producers = new ArrayList<>();
      for (int p = 0; p < 6; p++) {
        int producer = p;
        Thread t = new Thread(() -> {
          for (int n = 0; running.get() && n < 10_000; n++) {
            String prefix = "term-" + producer + "-" + n + "-";
            try {
              if (HTTP.send(batch(base, token, prefix), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                for (int i = 0; i < 100; i++) {
                  acknowledged.add(prefix + i);
                }
              }
            } catch (Exception closed) {
              return;
            }
          }
        });
        t.start();
        producers.add(t);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (acknowledged.size() < 3_000 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(acknowledged.size()).isGreaterThanOrEqualTo(3_000);

      gateway.process().destroy();
      boolean exited = gateway.process().waitFor(15, TimeUnit.SECONDS);
      running.set(false);
      for (Thread t : producers) {
        t.join(10_000);
      }
      assertThat(exited).as("exited within the 10 s grace period (plus JVM exit)").isTrue();
      assertThat(gateway.log()).contains("Gateway stopped in").doesNotContain("grace period elapsed");

      try (Connection c = TestDatabase.connect(db, db.database());
           PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM meter_events WHERE identifier = ANY (?)")) {
        Array ids = c.createArrayOf("text", acknowledged.toArray());
        ps.setArray(1, ids);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(acknowledged.size());
        }
      }
      assertThatThrownBy(() -> HTTP.send(batch(base, token, "after-"), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
    } finally {
      gateway.kill();
      gateway.deleteLog();
      TestDatabase.drop(db);
    }
  }
}
