package io.metergate.adjustments;

import static com.stripe.param.billing.MeterCreateParams.DefaultAggregation.Formula.LAST;
import static com.stripe.param.billing.MeterCreateParams.DefaultAggregation.Formula.SUM;
import static com.stripe.param.billing.MeterEventSummaryListParams.ValueGroupingWindow.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.billing.Meter;
import com.stripe.model.billing.MeterEventAdjustment;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.billing.MeterEventAdjustmentCreateParams;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import io.metergate.testing.Usage;
import io.metergate.testing.UsageInvariants;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Meter event adjustments (cancel) through the official stripe-java SDK")
class AdjustmentsSdkTest {
  private static final Instant HOUR0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(5, ChronoUnit.HOURS);
  private static TestGateway gateway;
  private static StripeClient stripe;
  private static Usage usage;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(Map.of("METERGATE_USAGE_FOLD_INTERVAL_MS", "60000"));
    stripe = gateway.client();
    usage = new Usage(gateway, stripe);
  }

  @AfterAll
  static void stop() {
    UsageInvariants.assertAggregatesMatchRawEvents(gateway);
    gateway.close();
  }

  private static Instant at(int minutes) {
    return HOUR0.plus(Duration.ofMinutes(minutes));
  }

  private static MeterEventAdjustment cancelV1(String eventName, String identifier) throws StripeException {
    return stripe.billing().meterEventAdjustments().create(MeterEventAdjustmentCreateParams.builder()
        .setEventName(eventName).setType(MeterEventAdjustmentCreateParams.Type.CANCEL)
        .setCancel(MeterEventAdjustmentCreateParams.Cancel.builder().setIdentifier(identifier).build()).build());
  }

  private static com.stripe.model.v2.billing.MeterEventAdjustment cancelV2(String eventName, String identifier)
      throws StripeException {
    return stripe.v2().billing().meterEventAdjustments().create(
        com.stripe.param.v2.billing.MeterEventAdjustmentCreateParams.builder().setEventName(eventName)
            .setType(com.stripe.param.v2.billing.MeterEventAdjustmentCreateParams.Type.CANCEL)
            .setCancel(com.stripe.param.v2.billing.MeterEventAdjustmentCreateParams.Cancel.builder()
                .setIdentifier(identifier).build()).build());
  }

  private static List<String> hourly(Meter m, String customer) throws StripeException {
    return Usage.values(usage.summaries(m, customer, at(0), at(180), HOUR));
  }

  private static String total(Meter m, String customer) throws StripeException {
    return Usage.single(usage.summaries(m, customer, at(30), at(150), null)).stripTrailingZeros().toPlainString();
  }

  @Test
  @DisplayName("a canceled event drops out of every summary, before and after it is folded, via v1 and v2")
  void canceledEventDropsOut() throws StripeException {
    Meter m = usage.meter("cancel_sum", SUM, null);
    String early = usage.v1("cancel_sum", "cus_a", "1.25", at(40));
    String kept = usage.v1("cancel_sum", "cus_a", "2", at(70));
    usage.v2("cancel_sum", "cus_a", "4", at(100));
    assertThat(hourly(m, "cus_a")).containsExactly("6", "1.25");

    MeterEventAdjustment adjustment = cancelV1("cancel_sum", early);
    assertThat(adjustment.getObject()).isEqualTo("billing.meter_event_adjustment");
    assertThat(adjustment.getStatus()).isEqualTo("complete");
    assertThat(adjustment.getType()).isEqualTo("cancel");
    assertThat(adjustment.getCancel().getIdentifier()).isEqualTo(early);
    assertThat(hourly(m, "cus_a")).as("unfolded and canceled").containsExactly("6");

    gateway.foldUsage();
    assertThat(hourly(m, "cus_a")).containsExactly("6");
    var v2 = cancelV2("cancel_sum", kept);
    assertThat(v2.getObject()).isEqualTo("v2.billing.meter_event_adjustment");
    assertThat(v2.getStatus()).isEqualTo("complete");
    assertThat(v2.getId()).startsWith("mtr_event_adj_");
    assertThat(hourly(m, "cus_a")).as("folded and canceled").containsExactly("4");
    assertThat(total(m, "cus_a")).isEqualTo("4");
    gateway.foldUsage();
    assertThat(hourly(m, "cus_a")).containsExactly("4");
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE canceled_at IS NOT NULL"
        + " AND identifier IN (?, ?)", early, kept)).as("canceled events stay stored").isEqualTo(2);
  }

  @Test
  @DisplayName("canceling the latest event of a last meter brings back the one before it")
  void lastMeterFallsBack() throws StripeException {
    Meter m = usage.meter("cancel_last", LAST, null);
    usage.v1("cancel_last", "cus_a", "3", at(60));
    usage.v1("cancel_last", "cus_a", "5", at(61).plusSeconds(10));
    String latest = usage.v1("cancel_last", "cus_a", "8", at(61).plusSeconds(20));
    gateway.foldUsage();
    assertThat(hourly(m, "cus_a")).containsExactly("8");

    cancelV1("cancel_last", latest);

    assertThat(hourly(m, "cus_a")).containsExactly("5");
    assertThat(Usage.single(usage.summaries(m, "cus_a", at(61), at(62), null))).isEqualByComparingTo("5");
  }

  @Test
  @DisplayName("on an hourly event_time_window meter, canceling the hour's latest event makes the previous one count")
  void windowedMeterFallsBack() throws StripeException {
    Meter m = usage.meter("cancel_gauge", SUM, MeterCreateParams.EventTimeWindow.HOUR);
    usage.v1("cancel_gauge", "cus_a", "10", at(65));
    String latest = usage.v1("cancel_gauge", "cus_a", "12", at(110));
    usage.v1("cancel_gauge", "cus_a", "1", at(130));
    gateway.foldUsage();
    assertThat(hourly(m, "cus_a")).containsExactly("1", "12");

    cancelV2("cancel_gauge", latest);

    assertThat(hourly(m, "cus_a")).containsExactly("1", "10");
    gateway.foldUsage();
    assertThat(hourly(m, "cus_a")).containsExactly("1", "10");
  }

  @Test
  @DisplayName("canceling twice, an unknown identifier, another meter's event or an old event is refused clearly")
  void refusals() throws StripeException {
    usage.meter("cancel_refusals", SUM, null);
    usage.meter("cancel_other", SUM, null);
    String id = usage.v1("cancel_refusals", "cus_a", "1", at(90));
    cancelV1("cancel_refusals", id);

    assertThatThrownBy(() -> cancelV1("cancel_refusals", id)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
      assertThat(e.getStatusCode()).isEqualTo(400);
      assertThat(e.getCode()).isEqualTo("meter_event_already_canceled");
      assertThat(e.getStripeError().getParam()).isEqualTo("cancel[identifier]");
    });
    assertThatThrownBy(() -> cancelV1("cancel_refusals", "never-sent")).isInstanceOfSatisfying(
        InvalidRequestException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(404);
          assertThat(e.getCode()).isEqualTo("resource_missing");
          assertThat(e.getStripeError().getParam()).isEqualTo("cancel[identifier]");
        });
    String other = usage.v1("cancel_other", "cus_a", "1", at(90));
    assertThatThrownBy(() -> cancelV2("cancel_refusals", other)).isInstanceOfSatisfying(
        InvalidRequestException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(404);
          assertThat(e.getStripeError().getParam()).isEqualTo("cancel.identifier");
        });
    assertThatThrownBy(() -> cancelV1("no_such_meter", other)).isInstanceOfSatisfying(
        InvalidRequestException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(400);
          assertThat(e.getCode()).isEqualTo("no_meter");
          assertThat(e.getStripeError().getParam()).isEqualTo("event_name");
        });
    String old = usage.v1("cancel_refusals", "cus_a", "1", at(91));
    gateway.queryLong("WITH u AS (UPDATE meter_events SET received_at = now() - interval '25 hours'"
        + " WHERE identifier = ? RETURNING 1) SELECT count(*) FROM u", old);
    assertThatThrownBy(() -> cancelV1("cancel_refusals", old)).isInstanceOfSatisfying(
        InvalidRequestException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier IN (?, ?)"
        + " AND canceled_at IS NULL", other, old)).as("refused cancellations change nothing").isEqualTo(2);
  }

  @Test
  @DisplayName("another account cannot cancel this account's event")
  void tenancy() throws StripeException {
    usage.meter("cancel_tenancy", SUM, null);
    String id = usage.v1("cancel_tenancy", "cus_a", "1", at(90));
    StripeClient other = gateway.client(gateway.newAccountKey(false));
    other.billing().meters().create(MeterCreateParams.builder().setDisplayName("x").setEventName("cancel_tenancy")
        .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
            .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM).build()).build());

    assertThatThrownBy(() -> other.billing().meterEventAdjustments().create(MeterEventAdjustmentCreateParams.builder()
        .setEventName("cancel_tenancy").setType(MeterEventAdjustmentCreateParams.Type.CANCEL)
        .setCancel(MeterEventAdjustmentCreateParams.Cancel.builder().setIdentifier(id).build()).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier = ? AND canceled_at IS NULL", id))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("a missing or malformed cancel block is refused by name")
  void validation() {
    String auth = "Bearer " + TestGateway.DEV_KEY;
    var missing = RawHttp.post(gateway.baseUrl() + "/v1/billing/meter_event_adjustments", auth,
        "application/x-www-form-urlencoded", "event_name=x&type=cancel");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.error().getString("code")).isEqualTo("parameter_missing");
    assertThat(missing.error().getString("param")).isEqualTo("cancel[identifier]");
    var malformed = RawHttp.post(gateway.baseUrl() + "/v2/billing/meter_event_adjustments", auth,
        "application/json", "{\"event_name\":\"x\",\"type\":\"cancel\",\"cancel\":\"abc\"}");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.error().getString("code")).isEqualTo("invalid_cancel_configuration");
    var wrongType = RawHttp.post(gateway.baseUrl() + "/v2/billing/meter_event_adjustments", auth,
        "application/json", "{\"event_name\":\"x\",\"type\":\"refund\",\"cancel\":{\"identifier\":\"a\"}}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.error().getString("param")).isEqualTo("type");
  }
}
