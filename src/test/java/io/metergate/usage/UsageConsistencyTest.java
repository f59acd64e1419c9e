package io.metergate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.model.billing.Meter;
import com.stripe.param.billing.MeterCreateParams;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import io.metergate.testing.Usage;
import io.metergate.testing.UsageInvariants;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Producers stream events with scattered timestamps while another thread cancels some of them and
 * the folder runs every few milliseconds in small chunks: afterwards the aggregates must equal the
 * raw events, and summaries must equal sums computed from the raw rows.
 */
@DisplayName("Usage stays exact under concurrent ingest, cancellations and folding")
class UsageConsistencyTest {
  private static final int PRODUCERS = 4;
  private static final int BATCHES = 40;
  private static final String[] METERS = {"mix_sum", "mix_last", "mix_gauge"};

  @Test
  @DisplayName("an open write transaction that never touches events does not hold folding back")
  void unrelatedTransactionsDoNotBlock() throws Exception {
    try (TestGateway gateway = TestGateway.start();
         java.sql.Connection other = io.metergate.testing.TestDatabase.connect(gateway.database(),
             gateway.database().database())) {
      Usage usage = new Usage(gateway, gateway.client());
      Meter meter = usage.meter("blocked_sum", MeterCreateParams.DefaultAggregation.Formula.SUM, null);
      other.setAutoCommit(false);
      try (var st = other.createStatement()) {
        st.execute("UPDATE gateway_settings SET value = value");
        st.execute("CREATE TEMPORARY TABLE scratch (x int); INSERT INTO scratch VALUES (1)");
      }
      usage.v1("blocked_sum", "cus_a", "3", Instant.now());

      gateway.foldUsage();

      assertThat(gateway.queryLong("SELECT value_sum::int8 FROM usage_minutes WHERE meter_id ="
          + " (SELECT id FROM meters WHERE public_id = ?)", meter.getId())).isEqualTo(3);
      other.rollback();
    }
  }

  @Test
  @DisplayName("aggregates and summaries equal the raw events after a concurrent mix")
  void concurrentMix() throws Exception {
    try (TestGateway gateway = TestGateway.start(Map.of("METERGATE_USAGE_FOLD_INTERVAL_MS", "10",
        "METERGATE_USAGE_FOLD_CHUNK_EVENTS", "1000"))) {
      StripeClient stripe = gateway.client();
      Usage usage = new Usage(gateway, stripe);
      Meter sum = usage.meter("mix_sum", MeterCreateParams.DefaultAggregation.Formula.SUM, null);
      Meter last = usage.meter("mix_last", MeterCreateParams.DefaultAggregation.Formula.LAST, null);
      Meter gauge = usage.meter("mix_gauge", MeterCreateParams.DefaultAggregation.Formula.SUM,
          MeterCreateParams.EventTimeWindow.HOUR);
      for (Meter m : List.of(sum, last, gauge)) {
        Usage.alert(stripe, m, 1_000_000_000_000_000L, null);
        Usage.alert(stripe, m, 1_000_000_000_000_000L, "cus_1");
      }
      String token = stripe.v2().billing().meterEventSession().create().getAuthenticationToken();
      String auth = "Bearer " + TestGateway.DEV_KEY;
      Instant now = Instant.now();

      ConcurrentLinkedQueue<String[]> acknowledged = new ConcurrentLinkedQueue<>();
      AtomicBoolean producing = new AtomicBoolean(true);
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int producer = p;
        threads.add(new Thread(() -> {
          Random random = new Random(producer);
          for (int b = 0; b < BATCHES; b++) {
            JsonArray events = new JsonArray();
            List<String[]> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
              String meter = METERS[random.nextInt(METERS.length)];
              String id = "mix-" + producer + "-" + b + "-" + i;
              Instant at = now.minus(random.nextInt(3 * 24 * 60), ChronoUnit.MINUTES)
                  .minusMillis(random.nextInt(60_000));
              events.add(new JsonObject().put("event_name", meter).put("identifier", id)
                  .put("timestamp", at.toString())
                  .put("payload", new JsonObject().put("stripe_customer_id", "cus_" + random.nextInt(5))
                      .put("value", random.nextInt(1000) + "." + random.nextInt(100))));
              sent.add(new String[] {meter, id});
            }
            var r = RawHttp.post(gateway.baseUrl() + "/v2/billing/meter_event_stream", "Bearer " + token,
                "application/json", new JsonObject().put("events", events).encode());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            acknowledged.addAll(sent);
          }
        }));
      }
      threads.add(new Thread(() -> {
        Random random = new Random(99);
        int canceled = 0;
        while (canceled < 300 && (producing.get() || !acknowledged.isEmpty())) {
          String[] e = acknowledged.poll();
          if (e == null) {
            Thread.onSpinWait();
            continue;
          }
          if (random.nextInt(10) == 0) {
            var r = RawHttp.post(gateway.baseUrl() + "/v2/billing/meter_event_adjustments", auth, "application/json",
                new JsonObject().put("event_name", e[0]).put("type", "cancel")
                    .put("cancel", new JsonObject().put("identifier", e[1])).encode());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            canceled++;
          }
        }
      }));
      threads.forEach(Thread::start);
      for (int i = 0; i < PRODUCERS; i++) {
        threads.get(i).join();
      }
      producing.set(false);
      threads.get(PRODUCERS).join();

      assertThat(gateway.queryLong("SELECT count(*) FROM meter_events")).isEqualTo(PRODUCERS * BATCHES * 100L);
      assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE canceled_at IS NOT NULL")).isPositive();
      UsageInvariants.assertAggregatesMatchRawEvents(gateway);
      Instant start = now.truncatedTo(ChronoUnit.DAYS).minus(3, ChronoUnit.DAYS);
      Instant end = now.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
      for (int c = 0; c < 5; c++) {
        BigDecimal summary = Usage.single(usage.summaries(sum, "cus_" + c, start, end, null));
        BigDecimal raw = new BigDecimal(gateway.queryJson("SELECT json_build_object('s', coalesce(sum(e.value), 0))::text"
            + " FROM meter_events e JOIN meters m ON m.id = e.meter_id WHERE m.event_name = 'mix_sum'"
            + " AND e.customer_id = ? AND e.canceled_at IS NULL", "cus_" + c).get(0).getValue("s").toString());
        assertThat(summary).as("cus_" + c).isEqualByComparingTo(raw);
      }
    }
  }
}
