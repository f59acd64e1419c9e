package io.metergate.usage;

import static com.stripe.param.billing.MeterCreateParams.DefaultAggregation.Formula.COUNT;
import static com.stripe.param.billing.MeterCreateParams.DefaultAggregation.Formula.LAST;
import static com.stripe.param.billing.MeterCreateParams.DefaultAggregation.Formula.SUM;
import static com.stripe.param.billing.MeterEventSummaryListParams.ValueGroupingWindow.DAY;
import static com.stripe.param.billing.MeterEventSummaryListParams.ValueGroupingWindow.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.billing.Meter;
import com.stripe.model.billing.MeterEventSummary;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.billing.MeterEventSummaryListParams;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/**
 * Known event sets through v1, v2 and the stream; each summary is read twice: while the events are
 * still raw (the folder is held back) and after they are folded into the aggregates.
 */
@DisplayName("Meter event summaries through the official stripe-java SDK")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SummariesSdkTest {
  private static final Instant DAY0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
  private static TestGateway gateway;
  private static StripeClient stripe;
  private static Usage usage;
  private static Meter sum;
  private static Meter count;
  private static Meter last;
  private static Meter hourly;

  @BeforeAll
  static void start() throws StripeException {
    gateway = TestGateway.start(Map.of("METERGATE_USAGE_FOLD_INTERVAL_MS", "60000"));
    stripe = gateway.client();
    usage = new Usage(gateway, stripe);
    sum = usage.meter("calls_sum", SUM, null);
    count = usage.meter("calls_count", COUNT, null);
    last = usage.meter("seats_last", LAST, null);
    hourly = usage.meter("gauge_hourly", SUM, MeterCreateParams.EventTimeWindow.HOUR);
    for (Meter m : List.of(sum, count)) {
      String value = m == sum ? "1.5" : null;
      usage.v1(m.getEventName(), "cus_a", value, at(0, 10));
      usage.v1(m.getEventName(), "cus_a", m == sum ? "2.25" : null, at(0, 40));
      usage.v2(m.getEventName(), "cus_a", m == sum ? "0.1" : null, at(1, 5));
      usage.v2(m.getEventName(), "cus_a", m == sum ? "0.2" : null, at(1, 59).plusSeconds(59));
      usage.stream(m.getEventName(), "cus_a", List.of(at(2, 30), at(25, 0)),
          m == sum ? List.of("10", "3.000000000001") : java.util.Arrays.asList(null, null));
      usage.v1(m.getEventName(), "cus_b", m == sum ? "100" : null, at(0, 20));
    }
    usage.v1("seats_last", "cus_a", "7", at(0, 10));
    usage.v2("seats_last", "cus_a", "4", at(0, 50));
    usage.v1("seats_last", "cus_a", "9", at(0, 30));
    usage.v1("seats_last", "cus_a", "11", at(1, 15));
    usage.v2("seats_last", "cus_a", "12", at(1, 15));
    usage.v1("gauge_hourly", "cus_a", "5", at(0, 10));
    usage.v2("gauge_hourly", "cus_a", "7", at(0, 50));
    usage.v1("gauge_hourly", "cus_a", "100", at(0, 20));
    usage.stream("gauge_hourly", "cus_a", List.of(at(1, 10), at(3, 0)), List.of("1", "2.5"));
  }

  @AfterAll
  static void stop() {
    UsageInvariants.assertAggregatesMatchRawEvents(gateway);
    gateway.close();
  }

  private static Instant at(int hours, int minutes) {
    return DAY0.plus(Duration.ofHours(hours).plusMinutes(minutes));
  }

  /** Runs the check on raw events, then again once everything is folded: both must hold. */
  private static void rawThenFolded(Check check) throws StripeException {
    assertThat(gateway.queryLong("SELECT folded_through FROM usage_fold_state")).as("nothing folded yet").isZero();
    check.run();
    gateway.foldUsage();
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events e, usage_fold_state s WHERE e.id > s.folded_through"))
        .as("everything folded").isZero();
    check.run();
  }

  private interface Check {
    void run() throws StripeException;
  }

  @Test
  @Order(1)
  @DisplayName("sums are exact decimals, by hour, by day and over a range cutting hours in the middle")
  void sums() throws StripeException {
    rawThenFolded(() -> {
      assertThat(Usage.values(usage.summaries(sum, "cus_a", at(0, 0), at(3, 0), HOUR)))
          .containsExactly("10", "0.3", "3.75");
      assertThat(Usage.values(usage.summaries(sum, "cus_a", at(0, 0), at(48, 0), DAY)))
          .containsExactly("3.000000000001", "14.05");
      assertThat(Usage.single(usage.summaries(sum, "cus_a", at(0, 30), at(2, 31), null)))
          .isEqualByComparingTo("12.55");
      assertThat(Usage.single(usage.summaries(sum, "cus_b", at(0, 0), at(48, 0), null)))
          .isEqualByComparingTo("100");
    });
  }

  @Test
  @DisplayName("counts count every event, whatever the route it came by")
  void counts() throws StripeException {
    gateway.foldUsage();
    assertThat(Usage.values(usage.summaries(count, "cus_a", at(0, 0), at(3, 0), HOUR))).containsExactly("1", "2", "2");
    assertThat(Usage.values(usage.summaries(count, "cus_a", at(0, 0), at(48, 0), DAY))).containsExactly("1", "5");
    assertThat(Usage.single(usage.summaries(count, "cus_a", at(0, 11), at(1, 6), null))).isEqualByComparingTo("2");
  }

  @Test
  @DisplayName("last takes the latest event by timestamp, and the later arrival on a tie")
  void lastValues() throws StripeException {
    gateway.foldUsage();
    assertThat(Usage.values(usage.summaries(last, "cus_a", at(0, 0), at(2, 0), HOUR))).containsExactly("12", "4");
    assertThat(Usage.single(usage.summaries(last, "cus_a", at(0, 0), at(0, 45), null))).isEqualByComparingTo("9");
  }

  @Test
  @DisplayName("with an hourly event_time_window only the latest event of each hour counts")
  void preAggregatedWindows() throws StripeException {
    gateway.foldUsage();
    assertThat(Usage.values(usage.summaries(hourly, "cus_a", at(0, 0), at(4, 0), HOUR))).containsExactly("2.5", "1", "7");
    assertThat(Usage.single(usage.summaries(hourly, "cus_a", at(0, 0), at(24, 0), DAY))).isEqualByComparingTo("10.5");
    assertThat(Usage.single(usage.summaries(hourly, "cus_a", at(0, 0), at(0, 30), null)))
        .as("the hour's latest event (00:50) lies outside the range").isEqualByComparingTo("0");
  }

  @Test
  @DisplayName("an unknown customer has one empty summary for the range and none per hour")
  void emptyRange() throws StripeException {
    assertThat(Usage.single(usage.summaries(sum, "cus_nobody", at(0, 0), at(5, 0), null))).isEqualByComparingTo("0");
    assertThat(usage.summaries(sum, "cus_nobody", at(0, 0), at(5, 0), HOUR)).isEmpty();
  }

  @Test
  @DisplayName("summaries page newest first with stable ids, forwards and backwards")
  void pagination() throws StripeException {
    var first = stripe.billing().meters().eventSummaries().list(sum.getId(), page().build());
    assertThat(first.getHasMore()).isTrue();
    assertThat(first.getData()).extracting(MeterEventSummary::getStartTime)
        .containsExactly(at(2, 0).getEpochSecond(), at(1, 0).getEpochSecond());
    MeterEventSummary summary = first.getData().get(0);
    assertThat(summary.getObject()).isEqualTo("billing.meter_event_summary");
    assertThat(summary.getMeter()).isEqualTo(sum.getId());
    assertThat(summary.getEndTime()).isEqualTo(at(3, 0).getEpochSecond());
    assertThat(summary.getLivemode()).isFalse();
    assertThat(summary.getId()).startsWith("mtrusg_");

    var second = stripe.billing().meters().eventSummaries().list(sum.getId(),
        page().setStartingAfter(first.getData().get(1).getId()).build());
    assertThat(second.getHasMore()).isFalse();
    assertThat(second.getData()).extracting(MeterEventSummary::getStartTime).containsExactly(at(0, 0).getEpochSecond());

    var back = stripe.billing().meters().eventSummaries().list(sum.getId(),
        page().setEndingBefore(second.getData().get(0).getId()).build());
    assertThat(back.getData()).extracting(MeterEventSummary::getId)
        .containsExactlyElementsOf(first.getData().stream().map(MeterEventSummary::getId).toList());
  }

  private static MeterEventSummaryListParams.Builder page() {
    return MeterEventSummaryListParams.builder().setCustomer("cus_a").setStartTime(at(0, 0).getEpochSecond())
        .setEndTime(at(3, 0).getEpochSecond()).setValueGroupingWindow(HOUR).setLimit(2L);
  }

  @Test
  @DisplayName("misaligned or inverted ranges are refused, naming the parameter")
  void validation() {
    long midnight = at(0, 0).getEpochSecond();
    assertRejected(midnight + 30, midnight + 3600, null, "start_time", "timestamp_not_aligned");
    assertRejected(midnight, midnight + 3601, null, "end_time", "timestamp_not_aligned");
    assertRejected(midnight + 60, midnight + 3600, HOUR, "start_time", "timestamp_not_aligned");
    assertRejected(midnight, midnight + 7200, DAY, "end_time", "timestamp_not_aligned");
    assertRejected(midnight + 3600, midnight, null, "end_time", "parameter_invalid_integer");
    assertThatThrownBy(() -> stripe.billing().meters().eventSummaries().list(sum.getId(),
        MeterEventSummaryListParams.builder().setCustomer("cus_a").setStartTime(midnight).setEndTime(midnight + 60)
            .setStartingAfter("mtrusg_0123456789abcdef_1_2").build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(404);
          assertThat(e.getStripeError().getParam()).isEqualTo("starting_after");
        });
    assertThatThrownBy(() -> stripe.billing().meters().eventSummaries().list("mtr_missing",
        MeterEventSummaryListParams.builder().setCustomer("cus_a").setStartTime(midnight).setEndTime(midnight + 60)
            .build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }

  private static void assertRejected(long start, long end, MeterEventSummaryListParams.ValueGroupingWindow window,
                                     String param, String code) {
    MeterEventSummaryListParams.Builder b = MeterEventSummaryListParams.builder().setCustomer("cus_a")
        .setStartTime(start).setEndTime(end);
    if (window != null) {
      b.setValueGroupingWindow(window);
    }
    assertThatThrownBy(() -> stripe.billing().meters().eventSummaries().list(sum.getId(), b.build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(400);
          assertThat(e.getCode()).isEqualTo(code);
          assertThat(e.getStripeError().getParam()).isEqualTo(param);
        });
  }

  @Test
  @DisplayName("another account sees neither the meter nor its usage")
  void tenancy() {
    StripeClient other = gateway.client(gateway.newAccountKey(false));
    assertThatThrownBy(() -> other.billing().meters().eventSummaries().list(sum.getId(),
        MeterEventSummaryListParams.builder().setCustomer("cus_a").setStartTime(at(0, 0).getEpochSecond())
            .setEndTime(at(3, 0).getEpochSecond()).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }

}
