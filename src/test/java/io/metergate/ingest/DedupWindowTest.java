package io.metergate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.InvalidRequestException;
import com.stripe.param.billing.MeterEventCreateParams;
import io.metergate.testing.Meters;
import io.metergate.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Identifiers are unique for a rolling window, then usable again")
class DedupWindowTest {
  private static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = TestGateway.start(Map.of("METERGATE_DEDUP_WINDOW_SECONDS", "3600"));
    gateway.client().billing().meters().create(Meters.sum("windowed", "w"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static void send(String identifier) throws Exception {
    gateway.client().billing().meterEvents().create(MeterEventCreateParams.builder()
        .setEventName("windowed").setIdentifier(identifier)
        .putPayload("stripe_customer_id", "cus_w").putPayload("value", "1").build());
  }

  @Test
  @DisplayName("inside the window a repeat is refused; once the claim is older than the window it is accepted again")
  void windowRolls() throws Exception {
    send("rolling-1");
    send("still-fresh");
    assertThatThrownBy(() -> send("rolling-1")).isInstanceOfSatisfying(InvalidRequestException.class,
        e -> assertThat(e.getCode()).isEqualTo("duplicate_meter_event"));

    gateway.queryLong("WITH aged AS (UPDATE meter_event_identifiers SET received_at = now() - interval '61 minutes'"
        + " WHERE identifier_hash = md5('rolling-1')::uuid RETURNING 1) SELECT count(*) FROM aged");
    assertThat(gateway.pruneDedupWindow()).isEqualTo(1);

    send("rolling-1");
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier = 'rolling-1'")).isEqualTo(2);
    assertThatThrownBy(() -> send("still-fresh")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  @DisplayName("a claim older than the window frees its identifier even before the pruner has run")
  void staleClaimIsRenewedWithoutPruning() throws Exception {
    send("stale-1");
    gateway.queryLong("WITH aged AS (UPDATE meter_event_identifiers SET received_at = now() - interval '2 hours'"
        + " WHERE identifier_hash = md5('stale-1')::uuid RETURNING 1) SELECT count(*) FROM aged");
    send("stale-1");
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier = 'stale-1'")).isEqualTo(2);
    assertThatThrownBy(() -> send("stale-1")).isInstanceOf(InvalidRequestException.class);
  }
}
