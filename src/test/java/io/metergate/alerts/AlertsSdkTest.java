package io.metergate.alerts;

import static com.stripe.param.billing.MeterCreateParams.DefaultAggregation.Formula.COUNT;
import static com.stripe.param.billing.MeterCreateParams.DefaultAggregation.Formula.LAST;
import static com.stripe.param.billing.MeterCreateParams.DefaultAggregation.Formula.SUM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.WebhookEndpoint;
import com.stripe.model.billing.Alert;
import com.stripe.model.billing.AlertTriggered;
import com.stripe.net.Webhook;
import com.stripe.param.WebhookEndpointCreateParams;
import com.stripe.model.billing.Meter;
import com.stripe.param.billing.AlertCreateParams;
import com.stripe.param.billing.AlertListParams;
import com.stripe.param.billing.AlertRetrieveParams;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.billing.MeterEventAdjustmentCreateParams;
import io.metergate.testing.TestGateway;
import io.metergate.testing.WebhookReceiver;
import io.metergate.testing.Usage;
import io.metergate.testing.UsageInvariants;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Billing alerts through the official stripe-java SDK")
class AlertsSdkTest {
  private static TestGateway gateway;
  private static StripeClient stripe;
  private static Usage usage;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start();
    stripe = gateway.client();
    usage = new Usage(gateway, stripe);
  }

  @AfterAll
  static void stop() {
    UsageInvariants.assertAggregatesMatchRawEvents(gateway);
    gateway.close();
  }

  static Alert alert(StripeClient client, Meter meter, long gte, String customer) throws StripeException {
    return Usage.alert(client, meter, gte, customer);
  }


  private static Instant now() {
    return Instant.now();
  }

  /** billing.alert.triggered events recorded for the alert, as (customer, value) JSON data objects. */
  private static List<JsonObject> triggered(Alert alert) {
    return gateway.queryJson("SELECT data_object::text FROM events WHERE type = 'billing.alert.triggered'"
        + " AND data_object->'alert'->>'id' = ? ORDER BY id", alert.getId());
  }

  /** Waits until everything committed so far is folded, so "no event" assertions are meaningful. */
  private static void settle() {
    gateway.foldUsage();
  }

  @Test
  @DisplayName("create, retrieve, expand the meter, list by meter, and the state rules")
  void lifecycle() throws StripeException {
    Meter meter = usage.meter("alerts_crud", SUM, null);
    Alert a = alert(stripe, meter, 1000, "cus_x");
    assertThat(a.getId()).startsWith("alrt_");
    assertThat(a.getObject()).isEqualTo("billing.alert");
    assertThat(a.getStatus()).isEqualTo("active");
    assertThat(a.getAlertType()).isEqualTo("usage_threshold");
    assertThat(a.getTitle()).isEqualTo("usage over 1000");
    assertThat(a.getUsageThreshold().getGte()).isEqualTo(1000);
    assertThat(a.getUsageThreshold().getMeter()).isEqualTo(meter.getId());
    assertThat(a.getUsageThreshold().getRecurrence()).isEqualTo("one_time");
    assertThat(a.getUsageThreshold().getFilters()).singleElement()
        .satisfies(f -> assertThat(f.getCustomer()).isEqualTo("cus_x"));
    Alert unfiltered = alert(stripe, meter, 5, null);
    assertThat(unfiltered.getUsageThreshold().getFilters()).isNull();

    Alert expanded = stripe.billing().alerts().retrieve(a.getId(),
        AlertRetrieveParams.builder().addExpand("usage_threshold.meter").build());
    assertThat(expanded.getUsageThreshold().getMeterObject().getEventName()).isEqualTo("alerts_crud");

    assertThat(stripe.billing().alerts().deactivate(a.getId()).getStatus()).isEqualTo("inactive");
    assertThatThrownBy(() -> stripe.billing().alerts().deactivate(a.getId()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("alert_already_inactive"));
    assertThat(stripe.billing().alerts().activate(a.getId()).getStatus()).isEqualTo("active");
    assertThat(stripe.billing().alerts().archive(a.getId()).getStatus()).isEqualTo("archived");
    assertThatThrownBy(() -> stripe.billing().alerts().activate(a.getId()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("alert_archived"));

    List<Alert> listed = stripe.billing().alerts().list(AlertListParams.builder().setMeter(meter.getId()).build())
        .getData();
    assertThat(listed).extracting(Alert::getId).as("archived alerts are hidden").containsExactly(unfiltered.getId());
    assertThat(stripe.billing().alerts().retrieve(a.getId()).getStatus()).isEqualTo("archived");
  }

  @Test
  @DisplayName("invalid alerts are refused by parameter, and another account sees none of them")
  void refusals() throws StripeException {
    Meter meter = usage.meter("alerts_refusals", SUM, null);
    assertThatThrownBy(() -> stripe.billing().alerts().create(AlertCreateParams.builder().setTitle("t")
        .setAlertType(AlertCreateParams.AlertType.USAGE_THRESHOLD).setUsageThreshold(
            AlertCreateParams.UsageThreshold.builder().setGte(10L).setMeter("mtr_nope")
                .setRecurrence(AlertCreateParams.UsageThreshold.Recurrence.ONE_TIME).build()).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getCode()).isEqualTo("resource_missing");
          assertThat(e.getStripeError().getParam()).isEqualTo("usage_threshold[meter]");
        });
    assertThatThrownBy(() -> alert(stripe, meter, 0, null))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getStripeError().getParam()).isEqualTo("usage_threshold[gte]"));
    assertThatThrownBy(() -> stripe.billing().alerts().create(AlertCreateParams.builder().setTitle("t")
        .setAlertType(AlertCreateParams.AlertType.USAGE_THRESHOLD).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getStripeError().getParam()).isEqualTo("usage_threshold"));
    for (int i = 0; i < 25; i++) {
      alert(stripe, meter, 100 + i, i % 2 == 0 ? "cus_busy" : null);
    }
    assertThatThrownBy(() -> alert(stripe, meter, 99, "cus_busy"))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("alert_limit_reached"));
    assertThatThrownBy(() -> alert(stripe, meter, 99, null)).as("an unfiltered alert watches cus_busy too")
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("alert_limit_reached"));
    alert(stripe, meter, 99, "cus_quiet");

    StripeClient other = gateway.client(gateway.newAccountKey(false));
    Alert mine = alert(stripe, usage.meter("alerts_tenancy", SUM, null), 10, null);
    assertThatThrownBy(() -> other.billing().alerts().retrieve(mine.getId()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    assertThatThrownBy(() -> alert(other, meter, 10, null))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("resource_missing"));
    assertThat(other.billing().alerts().list(AlertListParams.builder().build()).getData()).isEmpty();
  }

  @Test
  @DisplayName("an alert fires once when a customer's usage reaches gte, and never again for that customer")
  void firesOnce() throws StripeException {
    Meter meter = usage.meter("alerts_fire", SUM, null);
    Alert alert = alert(stripe, meter, 10, "cus_a");
    usage.v1("alerts_fire", "cus_a", "4", now());
    usage.v2("alerts_fire", "cus_a", "5.5", now());
    usage.v1("alerts_fire", "cus_b", "50", now());
    settle();
    assertThat(triggered(alert)).as("9.5 is below 10; cus_b is filtered out").isEmpty();

    usage.stream("alerts_fire", "cus_a", List.of(now()), List.of("0.5"));
    JsonObject fired = gateway.await(() -> triggered(alert), list -> !list.isEmpty()).get(0);
    assertThat(fired.getString("object")).isEqualTo("billing.alert_triggered");
    assertThat(fired.getString("customer")).isEqualTo("cus_a");
    assertThat(fired.getLong("value")).isEqualTo(10);
    assertThat(fired.getJsonObject("alert").getString("id")).isEqualTo(alert.getId());

    usage.v1("alerts_fire", "cus_a", "100", now());
    settle();
    assertThat(triggered(alert)).hasSize(1);
  }

  @Test
  @DisplayName("a crossing reaches a webhook endpoint exactly once, signed for Webhook.constructEvent; paused and"
      + " archived alerts send nothing")
  void webhookDelivery() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
      WebhookEndpoint endpoint = stripe.webhookEndpoints().create(WebhookEndpointCreateParams.builder()
          .setUrl(receiver.url()).addEnabledEvent(WebhookEndpointCreateParams.EnabledEvent.BILLING__ALERT__TRIGGERED)
          .build());
      Meter meter = usage.meter("alerts_webhook", SUM, null);
      Alert live = alert(stripe, meter, 10, "cus_w");
      Alert paused = alert(stripe, meter, 10, "cus_w");
      Alert archived = alert(stripe, meter, 10, "cus_w");
      stripe.billing().alerts().deactivate(paused.getId());
      stripe.billing().alerts().archive(archived.getId());

      usage.v1("alerts_webhook", "cus_w", "6", now());
      usage.v2("alerts_webhook", "cus_w", "4", now());
      usage.v1("alerts_webhook", "cus_w", "5", now());

      WebhookReceiver.Request request = receiver.next();
      Event event = Webhook.constructEvent(request.body(), request.signature(), endpoint.getSecret());
      assertThat(event.getType()).isEqualTo("billing.alert.triggered");
      AlertTriggered fired = (AlertTriggered) event.getDataObjectDeserializer().getObject().orElseThrow();
      assertThat(fired.getAlert().getId()).isEqualTo(live.getId());
      assertThat(fired.getCustomer()).isEqualTo("cus_w");
      assertThat(fired.getValue()).as("the usage when the alert was evaluated").isBetween(10L, 15L);
      assertThat(stripe.events().retrieve(event.getId()).getType()).isEqualTo("billing.alert.triggered");

      settle();
      gateway.await(() -> gateway.queryLong("SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL"
          + " AND failed_at IS NULL"), pending -> pending == 0);
      assertThat(receiver.count()).as("one crossing, one delivery").isEqualTo(1);
      assertThat(triggered(paused)).isEmpty();
      assertThat(triggered(archived)).isEmpty();
    }
  }

  @Test
  @DisplayName("an alert without a filter fires for each customer that crosses; usage reported before the alert"
      + " existed does not count, usage reported after it does even when backdated")
  void everyCustomer() throws StripeException {
    Meter meter = usage.meter("alerts_count", COUNT, null);
    usage.v1("alerts_count", "cus_early", null, now().plus(2, ChronoUnit.MINUTES));
    gateway.foldUsage();
    Alert alert = alert(stripe, meter, 2, null);
    for (String customer : List.of("cus_1", "cus_2", "cus_1", "cus_2", "cus_3", "cus_early")) {
      usage.v1("alerts_count", customer, null, now());
    }
    usage.v2("alerts_count", "cus_backdated", null, now().minus(10, ChronoUnit.DAYS));
    usage.v2("alerts_count", "cus_backdated", null, now().minus(9, ChronoUnit.DAYS));
    gateway.await(() -> triggered(alert), list -> list.size() == 3);
    settle();
    assertThat(triggered(alert)).extracting(o -> o.getString("customer"))
        .containsExactlyInAnyOrder("cus_1", "cus_2", "cus_backdated");
  }

  @Test
  @DisplayName("usage folded before an alert existed stays out of it, also after a cancellation")
  void earlierUsageNeverCounts() throws StripeException {
    Meter meter = usage.meter("alerts_before", SUM, null);
    usage.v1("alerts_before", "cus_a", "60", now().plus(2, ChronoUnit.MINUTES));
    settle();
    Alert alert = alert(stripe, meter, 100, "cus_a");
    usage.v1("alerts_before", "cus_a", "50", now());
    String small = usage.v1("alerts_before", "cus_a", "1", now());
    settle();
    stripe.billing().meterEventAdjustments().create(MeterEventAdjustmentCreateParams.builder()
        .setEventName("alerts_before").setType(MeterEventAdjustmentCreateParams.Type.CANCEL)
        .setCancel(MeterEventAdjustmentCreateParams.Cancel.builder().setIdentifier(small).build()).build());
    usage.v1("alerts_before", "cus_a", "0", now());
    settle();
    assertThat(triggered(alert)).as("50 reported since the alert").isEmpty();
    usage.v1("alerts_before", "cus_a", "50", now());
    assertThat(gateway.await(() -> triggered(alert), list -> !list.isEmpty())).singleElement()
        .satisfies(o -> assertThat(o.getLong("value")).isEqualTo(100));
    UsageInvariants.assertAggregatesMatchRawEvents(gateway);
  }

  @Test
  @DisplayName("a deactivated or archived alert does not fire; reactivated, it fires on the next usage")
  void inactiveAlertsStayQuiet() throws StripeException {
    Meter meter = usage.meter("alerts_quiet", SUM, null);
    Alert paused = alert(stripe, meter, 5, "cus_a");
    Alert archived = alert(stripe, meter, 5, "cus_a");
    stripe.billing().alerts().deactivate(paused.getId());
    stripe.billing().alerts().archive(archived.getId());
    usage.v1("alerts_quiet", "cus_a", "20", now());
    settle();
    assertThat(triggered(paused)).isEmpty();
    assertThat(triggered(archived)).isEmpty();

    stripe.billing().alerts().activate(paused.getId());
    usage.v1("alerts_quiet", "cus_a", "1", now());
    assertThat(gateway.await(() -> triggered(paused), list -> !list.isEmpty())).singleElement()
        .satisfies(o -> assertThat(o.getLong("value")).isEqualTo(21));
    assertThat(triggered(archived)).isEmpty();
  }

  @Test
  @DisplayName("a canceled event no longer counts toward an alert")
  void cancellationLowersUsage() throws StripeException {
    Meter meter = usage.meter("alerts_cancel", SUM, null);
    Alert alert = alert(stripe, meter, 10, "cus_a");
    String big = usage.v1("alerts_cancel", "cus_a", "8", now());
    settle();
    stripe.billing().meterEventAdjustments().create(MeterEventAdjustmentCreateParams.builder()
        .setEventName("alerts_cancel").setType(MeterEventAdjustmentCreateParams.Type.CANCEL)
        .setCancel(MeterEventAdjustmentCreateParams.Cancel.builder().setIdentifier(big).build()).build());
    usage.v1("alerts_cancel", "cus_a", "5", now());
    settle();
    assertThat(triggered(alert)).as("8 canceled, 5 counted").isEmpty();
    usage.v1("alerts_cancel", "cus_a", "5", now());
    assertThat(gateway.await(() -> triggered(alert), list -> !list.isEmpty())).singleElement()
        .satisfies(o -> assertThat(o.getLong("value")).isEqualTo(10));
  }

  @Test
  @DisplayName("canceling a bucket's latest event on a windowed meter gives its place back to the previous one")
  void windowedCancellation() throws StripeException {
    Meter gauge = usage.meter("alerts_gauge_cancel", SUM, MeterCreateParams.EventTimeWindow.HOUR);
    Alert alert = alert(stripe, gauge, 50, "cus_a");
    Instant minute = now().truncatedTo(ChronoUnit.MINUTES);
    usage.v1("alerts_gauge_cancel", "cus_a", "40", minute.plusSeconds(10));
    String latest = usage.v1("alerts_gauge_cancel", "cus_a", "45", minute.plusSeconds(20));
    settle();
    stripe.billing().meterEventAdjustments().create(MeterEventAdjustmentCreateParams.builder()
        .setEventName("alerts_gauge_cancel").setType(MeterEventAdjustmentCreateParams.Type.CANCEL)
        .setCancel(MeterEventAdjustmentCreateParams.Cancel.builder().setIdentifier(latest).build()).build());
    usage.v1("alerts_gauge_cancel", "cus_a", "49", minute.plusSeconds(5));
    settle();
    assertThat(triggered(alert)).as("the hour counts 40, its latest remaining event").isEmpty();
    UsageInvariants.assertAggregatesMatchRawEvents(gateway);
    usage.v1("alerts_gauge_cancel", "cus_a", "55", minute.plusSeconds(30));
    assertThat(gateway.await(() -> triggered(alert), list -> !list.isEmpty())).singleElement()
        .satisfies(o -> assertThat(o.getLong("value")).isEqualTo(55));
  }

  @Test
  @DisplayName("last and pre-aggregated meters fire on the value their summaries show")
  void lastAndWindowedMeters() throws StripeException {
    Meter last = usage.meter("alerts_last", LAST, null);
    Meter gauge = usage.meter("alerts_gauge", SUM, MeterCreateParams.EventTimeWindow.HOUR);
    Alert onLast = alert(stripe, last, 50, "cus_a");
    Alert onGauge = alert(stripe, gauge, 50, "cus_a");
    // one minute (so one hour) for all of them, at or after the alerts' creation minute
    Instant minute = now().truncatedTo(ChronoUnit.MINUTES);
    usage.v1("alerts_last", "cus_a", "30", minute.plusSeconds(1));
    usage.v1("alerts_last", "cus_a", "40", minute.plusSeconds(2));
    usage.v1("alerts_gauge", "cus_a", "30", minute.plusSeconds(1));
    usage.v1("alerts_gauge", "cus_a", "40", minute.plusSeconds(2));
    settle();
    assertThat(triggered(onLast)).as("the last value is 40").isEmpty();
    assertThat(triggered(onGauge)).as("the hour's latest is 40: it replaces 30").isEmpty();

    usage.v1("alerts_last", "cus_a", "55", minute.plusSeconds(3));
    usage.v1("alerts_gauge", "cus_a", "60", minute.plusSeconds(3));
    assertThat(gateway.await(() -> triggered(onLast), list -> !list.isEmpty())).singleElement()
        .satisfies(o -> assertThat(o.getLong("value")).isEqualTo(55));
    assertThat(gateway.await(() -> triggered(onGauge), list -> !list.isEmpty())).singleElement()
        .satisfies(o -> assertThat(o.getLong("value")).isEqualTo(60));
  }
}
