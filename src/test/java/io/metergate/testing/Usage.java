package io.metergate.testing;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.billing.Alert;
import com.stripe.model.billing.Meter;
import com.stripe.model.billing.MeterEventSummary;
import com.stripe.param.billing.AlertCreateParams;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.billing.MeterEventCreateParams;
import com.stripe.param.billing.MeterEventSummaryListParams;
import com.stripe.param.v2.billing.MeterEventStreamCreateParams;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Meters of each kind, events at chosen times through v1, v2 and the stream, and summaries read back. */
public final class Usage {
  private final TestGateway gateway;
  private final StripeClient stripe;
  private int sequence;

  public Usage(TestGateway gateway, StripeClient stripe) {
    this.gateway = gateway;
    this.stripe = stripe;
  }

  public Meter meter(String eventName, MeterCreateParams.DefaultAggregation.Formula formula,
                     MeterCreateParams.EventTimeWindow window) throws StripeException {
    MeterCreateParams.Builder b = MeterCreateParams.builder().setDisplayName(eventName).setEventName(eventName)
        .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder().setFormula(formula).build());
    if (window != null) {
      b.setEventTimeWindow(window);
    }
    return stripe.billing().meters().create(b.build());
  }

  /** A one_time usage_threshold alert, for one customer or (null) every customer. */
  public static Alert alert(StripeClient client, Meter meter, long gte, String customer) throws StripeException {
    AlertCreateParams.UsageThreshold.Builder threshold = AlertCreateParams.UsageThreshold.builder().setGte(gte)
        .setMeter(meter.getId()).setRecurrence(AlertCreateParams.UsageThreshold.Recurrence.ONE_TIME);
    if (customer != null) {
      threshold.addFilter(AlertCreateParams.UsageThreshold.Filter.builder().setCustomer(customer)
          .setType(AlertCreateParams.UsageThreshold.Filter.Type.CUSTOMER).build());
    }
    return client.billing().alerts().create(AlertCreateParams.builder().setTitle("usage over " + gte)
        .setAlertType(AlertCreateParams.AlertType.USAGE_THRESHOLD).setUsageThreshold(threshold.build()).build());
  }

  /** A v1 event; returns its identifier. A null value leaves the value key out (count meters). */
  public String v1(String eventName, String customer, String value, Instant at) throws StripeException {
    String id = "v1-" + eventName + "-" + (sequence++);
    MeterEventCreateParams.Builder b = MeterEventCreateParams.builder().setEventName(eventName).setIdentifier(id)
        .putPayload("stripe_customer_id", customer).setTimestamp(at.getEpochSecond());
    if (value != null) {
      b.putPayload("value", value);
    }
    stripe.billing().meterEvents().create(b.build());
    return id;
  }

  public String v2(String eventName, String customer, String value, Instant at) throws StripeException {
    String id = "v2-" + eventName + "-" + (sequence++);
    com.stripe.param.v2.billing.MeterEventCreateParams.Builder b = com.stripe.param.v2.billing.MeterEventCreateParams
        .builder().setEventName(eventName).setIdentifier(id).putPayload("stripe_customer_id", customer).setTimestamp(at);
    if (value != null) {
      b.putPayload("value", value);
    }
    stripe.v2().billing().meterEvents().create(b.build());
    return id;
  }

  /** Streams one event per (time, value) pair in a single request; returns the identifiers. */
  public List<String> stream(String eventName, String customer, List<Instant> times, List<String> values)
      throws StripeException {
    MeterEventStreamCreateParams.Builder batch = MeterEventStreamCreateParams.builder();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      String id = "stream-" + eventName + "-" + (sequence++);
      ids.add(id);
      MeterEventStreamCreateParams.Event.Builder e = MeterEventStreamCreateParams.Event.builder()
          .setEventName(eventName).setIdentifier(id).putPayload("stripe_customer_id", customer)
          .setTimestamp(times.get(i));
      if (values.get(i) != null) {
        e.putPayload("value", values.get(i));
      }
      batch.addEvent(e.build());
    }
    String token = stripe.v2().billing().meterEventSession().create().getAuthenticationToken();
    gateway.client(token).v2().billing().meterEventStream().create(batch.build());
    return ids;
  }

  /** Every summary of the range (following pagination), newest first. */
  public List<MeterEventSummary> summaries(Meter meter, String customer, Instant start, Instant end,
                                           MeterEventSummaryListParams.ValueGroupingWindow window)
      throws StripeException {
    MeterEventSummaryListParams.Builder b = MeterEventSummaryListParams.builder().setCustomer(customer)
        .setStartTime(start.getEpochSecond()).setEndTime(end.getEpochSecond()).setLimit(100L);
    if (window != null) {
      b.setValueGroupingWindow(window);
    }
    List<MeterEventSummary> out = new ArrayList<>();
    stripe.billing().meters().eventSummaries().list(meter.getId(), b.build()).autoPagingIterable().forEach(out::add);
    return out;
  }

  /** The aggregated values, newest window first, with trailing zeros stripped for comparison. */
  public static List<String> values(List<MeterEventSummary> summaries) {
    List<String> out = new ArrayList<>();
    for (MeterEventSummary s : summaries) {
      out.add(s.getAggregatedValue().stripTrailingZeros().toPlainString());
    }
    return out;
  }

  public static BigDecimal single(List<MeterEventSummary> summaries) {
    if (summaries.size() != 1) {
      throw new AssertionError("expected one summary, got " + summaries.size());
    }
    return summaries.get(0).getAggregatedValue();
  }
}
