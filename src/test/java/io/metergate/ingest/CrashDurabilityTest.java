package io.metergate.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import io.metergate.app.DatabaseTarget;
import io.metergate.testing.Meters;
import io.metergate.testing.GatewayProcess;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestDatabase;
import io.metergate.testing.UsageInvariants;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The gateway runs as a child process so it can be killed for real (SIGKILL) while producers are
 * streaming; every batch it acknowledged must be in PostgreSQL after a restart.
 */
@DisplayName("Durability: events acknowledged before a SIGKILL are all stored")
class CrashDurabilityTest {
  private static final int PRODUCERS = 8;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private DatabaseTarget db;
  private GatewayProcess gateway;

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (gateway != null) {
      gateway.kill();
    }
    if (db != null) {
      TestDatabase.drop(db);
    }
  }

  @Test
  @DisplayName("stream from 8 producers, SIGKILL the gateway mid-stream, restart: every acknowledged event is there once")
  void acknowledgedEventsSurviveSigkill() throws Exception {
    db = TestDatabase.freshDatabase();
    gateway = new GatewayProcess(db, Map.of()).start();
    String base = gateway.baseUrl();
    StripeClient stripe = StripeClient.builder().setApiKey(TestGateway.DEV_KEY).setApiBase(base)
        .setMeterEventsBase(base).setMaxNetworkRetries(0).build();
    stripe.billing().meters().create(Meters.sum("crash", "crash"));
    String token = stripe.v2().billing().meterEventSession().create().getAuthenticationToken();

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger unanswered = new AtomicInteger();
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      Thread t = new Thread(() -> {
        for (int batch = 0; running.get() && batch < 10_000; batch++) {
          List<String> ids = new ArrayList<>(100);
          JsonArray events = new JsonArray();
          for (int i = 0; i < 100; i++) {
            String id = "crash-" + producer + "-" + batch + "-" + i;
            ids.add(id);
            events.add(new JsonObject().put("event_name", "crash").put("identifier", id)
                .put("payload", new JsonObject().put("stripe_customer_id", "cus_" + producer).put("value", "1")));
          }
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/billing/meter_event_stream"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("events", events).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
              acknowledged.addAll(ids);
            }
          } catch (Exception connectionLost) {
            unanswered.incrementAndGet();
            return;
          }
        }
      }, "producer-" + p);
      t.start();
      producers.add(t);
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (acknowledged.size() < 5_000 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    gateway.kill();
    int ackedAtKill = acknowledged.size();
    running.set(false);
    for (Thread t : producers) {
      t.join(10_000);
    }
    assertThat(ackedAtKill).as("producers got acknowledgements before the kill").isGreaterThanOrEqualTo(5_000);
    assertThat(acknowledged).hasSize(ackedAtKill);

    gateway.start();
    try (Connection c = TestDatabase.connect(db, db.database());
         PreparedStatement ps = c.prepareStatement(
             "SELECT count(*), count(DISTINCT identifier) FROM meter_events WHERE identifier = ANY (?)")) {
      Array ids = c.createArrayOf("text", acknowledged.toArray());
      ps.setArray(1, ids);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).as("acknowledged events stored").isEqualTo(acknowledged.size());
        assertThat(rs.getLong(2)).as("stored once each").isEqualTo(acknowledged.size());
      }
    }
    RawHttp.Response afterRestart = RawHttp.post(base + "/v2/billing/meter_event_stream", "Bearer " + token,
        "application/json", new JsonObject().put("events", new JsonArray().add(new JsonObject()
            .put("event_name", "crash").put("identifier", "after-restart")
            .put("payload", new JsonObject().put("stripe_customer_id", "cus_0").put("value", "1")))).encode());
    assertThat(afterRestart.status()).as("the same session token works on the restarted gateway").isEqualTo(200);
    UsageInvariants.assertAggregatesMatchRawEvents(sql -> {
      try (Connection c = TestDatabase.connect(db, db.database()); var st = c.createStatement();
           ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    gateway.deleteLog();
  }
}
