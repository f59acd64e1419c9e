package io.metergate.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.metergate.testing.Meters;
import io.metergate.testing.StreamBatches;
import io.metergate.testing.TestDatabase;
import io.metergate.testing.TestGateway;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Flush timeout: a stalled store answers 503, and the client's resend stores each event once")
class FlushTimeoutTest {
  @Test
  @DisplayName("a batch stuck behind a lock past METERGATE_FLUSH_TIMEOUT_MS gets 503; after the resend exactly 100 rows exist")
  void stalledFlushIs503ThenResendIsExact() throws Exception {
    try (TestGateway gateway = TestGateway.start(Map.of("METERGATE_FLUSH_TIMEOUT_MS", "1000",
        "METERGATE_EVENT_LOOPS", "1"))) {
      gateway.client().billing().meters().create(Meters.sum("stall", "Stall"));
      var streamer = gateway.client(gateway.client().v2().billing().meterEventSession().create()
          .getAuthenticationToken());
      var batch = StreamBatches.batch("stall-", 100, "stall");
      try (Connection lock = TestDatabase.connect(gateway.database(), gateway.database().database());
           Statement st = lock.createStatement()) {
        lock.setAutoCommit(false);
        st.execute("LOCK TABLE meter_event_identifiers IN SHARE ROW EXCLUSIVE MODE");
        com.stripe.exception.StripeException unavailable = org.assertj.core.api.Assertions.catchThrowableOfType(
            com.stripe.exception.StripeException.class, () -> streamer.v2().billing().meterEventStream().create(batch));
        assertThat(unavailable).isNotNull();
        assertThat(unavailable.getStatusCode()).isEqualTo(503);
        lock.commit();
      }
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
      while (true) {
        try {
          streamer.v2().billing().meterEventStream().create(batch);
          break;
        } catch (com.stripe.exception.StripeException stillStalled) {
          assertThat(System.nanoTime()).as("resend accepted once the store is back").isLessThan(deadline);
          Thread.sleep(100);
        }
      }
      assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier LIKE 'stall-%'")).isEqualTo(100);
      assertThat(gateway.queryLong("SELECT count(DISTINCT identifier) FROM meter_events WHERE identifier LIKE 'stall-%'"))
          .isEqualTo(100);
    }
  }
}
