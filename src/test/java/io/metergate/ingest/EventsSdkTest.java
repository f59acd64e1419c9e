package io.metergate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.v2.billing.MeterEventSession;
import com.stripe.param.v2.billing.MeterEventStreamCreateParams;
import static io.metergate.testing.StreamBatches.batch;
import static io.metergate.testing.StreamBatches.event;

import io.metergate.testing.Meters;
import io.metergate.testing.TestGateway;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Meter events through the official stripe-java SDK")
class EventsSdkTest {
  private static TestGateway gateway;
  private static StripeClient stripe;

  @BeforeAll
  static void start() throws StripeException {
    gateway = TestGateway.start();
    stripe = gateway.client();
    for (String name : new String[] {"api_calls", "streamed", "resent", "v2_calls"}) {
      stripe.billing().meters().create(Meters.sum(name, name));
    }
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static long rows(String identifierPrefix) {
    return gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier LIKE ?", identifierPrefix + "%");
  }

  @Test
  @DisplayName("a v1 event is answered with Stripe's shape and stored with its customer, exact value and timestamp")
  void v1Event() throws StripeException {
    long ts = Instant.now().minus(2, ChronoUnit.HOURS).getEpochSecond();
    var event = stripe.billing().meterEvents().create(com.stripe.param.billing.MeterEventCreateParams.builder()
        .setEventName("api_calls").setIdentifier("v1-one")
        .putPayload("stripe_customer_id", "cus_v1").putPayload("value", "12.75")
        .setTimestamp(ts).build());

    assertThat(event.getObject()).isEqualTo("billing.meter_event");
    assertThat(event.getIdentifier()).isEqualTo("v1-one");
    assertThat(event.getTimestamp()).isEqualTo(ts);
    assertThat(event.getPayload()).containsEntry("value", "12.75");
    assertThat(gateway.queryLong(
        "SELECT count(*) FROM meter_events WHERE identifier = 'v1-one' AND customer_id = 'cus_v1'"
            + " AND value = 12.75 AND event_ts = to_timestamp(?)", ts)).isEqualTo(1);
  }

  @Test
  @DisplayName("a v1 event without identifier gets a generated one, which is what is stored")
  void v1GeneratedIdentifier() throws StripeException {
    var event = stripe.billing().meterEvents().create(com.stripe.param.billing.MeterEventCreateParams.builder()
        .setEventName("api_calls").putPayload("stripe_customer_id", "cus_gen").putPayload("value", "1").build());

    assertThat(event.getIdentifier()).isNotBlank();
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier = ? AND customer_id = 'cus_gen'",
        event.getIdentifier())).isEqualTo(1);
  }

  @Test
  @DisplayName("resending a single event's identifier is refused with duplicate_meter_event and stored once")
  void v1Duplicate() throws StripeException {
    var params = com.stripe.param.billing.MeterEventCreateParams.builder()
        .setEventName("api_calls").setIdentifier("v1-dup")
        .putPayload("stripe_customer_id", "cus_dup").putPayload("value", "1").build();
    stripe.billing().meterEvents().create(params);

    assertThatThrownBy(() -> stripe.billing().meterEvents().create(params))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(400);
          assertThat(e.getCode()).isEqualTo("duplicate_meter_event");
          assertThat(e.getStripeError().getParam()).isEqualTo("identifier");
        });
    assertThat(rows("v1-dup")).isEqualTo(1);
  }

  @Test
  @DisplayName("a v2 event is answered with RFC 3339 times the SDK parses, and stored")
  void v2Event() throws StripeException {
    Instant ts = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    var event = stripe.v2().billing().meterEvents().create(com.stripe.param.v2.billing.MeterEventCreateParams.builder()
        .setEventName("v2_calls").setIdentifier("v2-one")
        .putPayload("stripe_customer_id", "cus_v2").putPayload("value", "3").setTimestamp(ts).build());

    assertThat(event.getObject()).isEqualTo("v2.billing.meter_event");
    assertThat(event.getTimestamp()).isEqualTo(ts);
    assertThat(event.getCreated()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
    assertThat(event.getLivemode()).isFalse();
    assertThat(rows("v2-one")).isEqualTo(1);
  }

  @Test
  @DisplayName("a session lasts 15 minutes, and its token streams 3 x 100 events that are all stored exactly")
  void sessionAndStream() throws StripeException {
    MeterEventSession session = stripe.v2().billing().meterEventSession().create();
    assertThat(session.getObject()).isEqualTo("v2.billing.meter_event_session");
    assertThat(session.getAuthenticationToken()).startsWith("ekt_test_");
    assertThat(session.getExpiresAt()).isEqualTo(session.getCreated().plus(15, ChronoUnit.MINUTES));

    StripeClient streamer = gateway.client(session.getAuthenticationToken());
    for (int batch = 0; batch < 3; batch++) {
      streamer.v2().billing().meterEventStream().create(batch("stream-" + batch + "-", 100, "streamed"));
    }

    assertThat(rows("stream-")).isEqualTo(300);
    assertThat(gateway.queryLong("SELECT count(DISTINCT identifier) FROM meter_events WHERE identifier LIKE 'stream-%'"))
        .isEqualTo(300);
    assertThat(new BigDecimal(gateway.queryLong(
        "SELECT sum(value)::bigint FROM meter_events WHERE identifier LIKE 'stream-%'"))).isEqualTo(new BigDecimal(300 * 2));
  }

  @Test
  @DisplayName("a stream batch resent after a lost acknowledgement is accepted again and not stored twice")
  void streamResendIsIdempotent() throws StripeException {
    StripeClient streamer = gateway.client(stripe.v2().billing().meterEventSession().create().getAuthenticationToken());
    MeterEventStreamCreateParams batch = batch("resend-", 100, "resent");
    streamer.v2().billing().meterEventStream().create(batch);
    streamer.v2().billing().meterEventStream().create(batch);

    MeterEventStreamCreateParams overlapping = MeterEventStreamCreateParams.builder()
        .addEvent(event("resend-5", "resent"))
        .addEvent(event("resend-new", "resent"))
        .addEvent(event("resend-new", "resent"))
        .build();
    streamer.v2().billing().meterEventStream().create(overlapping);

    assertThat(rows("resend-")).isEqualTo(101);
  }
}
