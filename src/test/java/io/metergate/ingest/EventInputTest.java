package io.metergate.ingest;

import static io.metergate.testing.ApiErrors.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.Params;
import io.metergate.meters.Meter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("EventInput")
class EventInputTest {
  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  private static final Principal WHO = new Principal(11L, "acct_test1", false);

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Params form(Map<String, Object> values) {
    return new Params(values, Params.Style.FORM);
  }

  private static Params json(Map<String, Object> values) {
    return new Params(values, Params.Style.JSON);
  }

  /** A JSON stream element, so that errors are named events[2]..., as the stream endpoint does. */
  private static Params jsonElement(Map<String, Object> event) {
    return json(map()).element("events", 2, event);
  }

  private static Map<String, Object> event(Object... extra) {
    Map<String, Object> m = map("event_name", "api_calls",
        "payload", map("stripe_customer_id", "cus_1", "value", "3"));
    for (int i = 0; i < extra.length; i += 2) {
      m.put((String) extra[i], extra[i + 1]);
    }
    return m;
  }

  private static Meter meter(String formula, String customerKey, String valueKey, String status) {
    return new Meter(99L, "mtr_test_1", WHO.accountId(), false, "API calls", "api_calls", formula,
        customerKey, valueKey, null, status, NOW.minus(Duration.ofDays(1)), NOW.minus(Duration.ofDays(1)),
        "inactive".equals(status) ? NOW.minus(Duration.ofHours(1)) : null);
  }

  private static Meter sumMeter() {
    return meter("sum", "stripe_customer_id", "value", "active");
  }

  @Nested
  @DisplayName("parse")
  class Parse {
    @Test
    @DisplayName("reads event name, identifier, payload and defaults the timestamp to now")
    void reads() {
      EventInput in = EventInput.parse(form(event("identifier", "idem-1")), NOW);

      assertThat(in.eventName()).isEqualTo("api_calls");
      assertThat(in.identifier()).isEqualTo("idem-1");
      assertThat(in.payload()).containsExactly(Map.entry("stripe_customer_id", "cus_1"), Map.entry("value", "3"));
      assertThat(in.timestamp()).isEqualTo(NOW);
    }

    @Test
    @DisplayName("a missing event_name is rejected as parameter_missing")
    void missingEventName() {
      Map<String, Object> e = event();
      e.remove("event_name");

      ApiError err = rejected(() -> EventInput.parse(form(e), NOW));

      assertThat(err.code()).isEqualTo("parameter_missing");
      assertThat(err.param()).isEqualTo("event_name");
    }

    @Test
    @DisplayName("a missing event_name in a stream element is named by its element path")
    void missingEventNameInStream() {
      Map<String, Object> e = event();
      e.remove("event_name");

      assertThat(rejected(() -> EventInput.parse(jsonElement(e), NOW)).param()).isEqualTo("events[2].event_name");
    }

    @Test
    @DisplayName("a missing payload is rejected as parameter_missing")
    void missingPayload() {
      Map<String, Object> e = event();
      e.remove("payload");

      ApiError err = rejected(() -> EventInput.parse(form(e), NOW));

      assertThat(err.code()).isEqualTo("parameter_missing");
      assertThat(err.param()).isEqualTo("payload");
    }

    @Test
    @DisplayName("an identifier of 101 characters is rejected as string_too_long")
    void identifierTooLong() {
      ApiError err = rejected(() -> EventInput.parse(form(event("identifier", "i".repeat(101))), NOW));

      assertThat(err.code()).isEqualTo("string_too_long");
      assertThat(err.param()).isEqualTo("identifier");
    }

    @Test
    @DisplayName("an identifier of exactly 100 characters is accepted")
    void identifierAtLimit() {
      assertThat(EventInput.parse(form(event("identifier", "i".repeat(100))), NOW).identifier()).hasSize(100);
    }

    @Test
    @DisplayName("an omitted identifier is generated, non-empty and different on every parse")
    void generatedIdentifier() {
      String a = EventInput.parse(form(event()), NOW).identifier();
      String b = EventInput.parse(form(event()), NOW).identifier();

      assertThat(a).isNotBlank();
      assertThat(b).isNotBlank();
      assertThat(a).isNotEqualTo(b);
    }

    @Test
    @DisplayName("an unknown v2 field is rejected as parameter_unknown")
    void unknownJsonField() {
      ApiError err = rejected(() -> EventInput.parse(jsonElement(event("bogus", "x")), NOW));

      assertThat(err.code()).isEqualTo("parameter_unknown");
      assertThat(err.param()).isEqualTo("events[2].bogus");
    }

    @Test
    @DisplayName("v1 accepts expand but v2 rejects it as parameter_unknown")
    void expandOnlyInV1() {
      assertThat(EventInput.parse(form(event("expand", java.util.List.of())), NOW).eventName()).isEqualTo("api_calls");
      assertThat(rejected(() -> EventInput.parse(json(event("expand", java.util.List.of())), NOW)).code())
          .isEqualTo("parameter_unknown");
    }

    @Test
    @DisplayName("a v1 timestamp is read as Unix seconds from a form string")
    void v1UnixSeconds() {
      Instant t = NOW.minus(Duration.ofHours(2));

      EventInput in = EventInput.parse(form(event("timestamp", Long.toString(t.getEpochSecond()))), NOW);

      assertThat(in.timestamp()).isEqualTo(t);
    }

    @Test
    @DisplayName("a v1 timestamp that is not a whole number is rejected as parameter_invalid_integer")
    void v1NotInteger() {
      ApiError err = rejected(() -> EventInput.parse(form(event("timestamp", "2024-06-01T12:00:00Z")), NOW));

      assertThat(err.code()).isEqualTo("parameter_invalid_integer");
      assertThat(err.param()).isEqualTo("timestamp");
    }

    @Test
    @DisplayName("a timestamp 36 days ago is rejected as timestamp_too_far_in_past")
    void tooOld() {
      String ts = Long.toString(NOW.minus(Duration.ofDays(36)).getEpochSecond());

      ApiError err = rejected(() -> EventInput.parse(form(event("timestamp", ts)), NOW));

      assertThat(err.code()).isEqualTo("timestamp_too_far_in_past");
      assertThat(err.param()).isEqualTo("timestamp");
    }

    @Test
    @DisplayName("a timestamp exactly 35 days ago is accepted")
    void oldestAccepted() {
      Instant t = NOW.minus(Duration.ofDays(35));

      assertThat(EventInput.parse(form(event("timestamp", Long.toString(t.getEpochSecond()))), NOW).timestamp())
          .isEqualTo(t);
    }

    @Test
    @DisplayName("a timestamp 6 minutes ahead is rejected as timestamp_in_future")
    void tooFarAhead() {
      String ts = Long.toString(NOW.plus(Duration.ofMinutes(6)).getEpochSecond());

      ApiError err = rejected(() -> EventInput.parse(form(event("timestamp", ts)), NOW));

      assertThat(err.code()).isEqualTo("timestamp_in_future");
      assertThat(err.param()).isEqualTo("timestamp");
    }

    @Test
    @DisplayName("a timestamp 5 minutes ahead is accepted")
    void aheadAccepted() {
      Instant t = NOW.plus(Duration.ofMinutes(5));

      assertThat(EventInput.parse(form(event("timestamp", Long.toString(t.getEpochSecond()))), NOW).timestamp())
          .isEqualTo(t);
    }

    @Test
    @DisplayName("a v2 timestamp too far in the past is named by its element path")
    void v2TooOldNamed() {
      ApiError err = rejected(() -> EventInput.parse(jsonElement(event("timestamp", "2024-01-01T00:00:00Z")), NOW));

      assertThat(err.code()).isEqualTo("timestamp_too_far_in_past");
      assertThat(err.param()).isEqualTo("events[2].timestamp");
    }

    @Test
    @DisplayName("a v2 RFC 3339 timestamp in UTC without a fraction is accepted")
    void v2NoFraction() {
      assertThat(EventInput.parse(json(event("timestamp", "2024-06-01T11:30:00Z")), NOW).timestamp())
          .isEqualTo(Instant.parse("2024-06-01T11:30:00Z"));
    }

    @Test
    @DisplayName("a v2 RFC 3339 timestamp with a fraction keeps the fraction")
    void v2Fraction() {
      assertThat(EventInput.parse(json(event("timestamp", "2024-06-01T11:30:00.123456Z")), NOW).timestamp())
          .isEqualTo(Instant.parse("2024-06-01T11:30:00.123456Z"));
    }

    @Test
    @DisplayName("a v2 RFC 3339 timestamp with a +00:00 offset is accepted")
    void v2ZeroOffset() {
      assertThat(EventInput.parse(json(event("timestamp", "2024-06-01T11:30:00+00:00")), NOW).timestamp())
          .isEqualTo(Instant.parse("2024-06-01T11:30:00Z"));
    }

    @Test
    @DisplayName("a v2 RFC 3339 timestamp with a non-zero offset is converted to the same instant")
    void v2Offset() {
      assertThat(EventInput.parse(json(event("timestamp", "2024-06-01T13:30:00+02:00")), NOW).timestamp())
          .isEqualTo(Instant.parse("2024-06-01T11:30:00Z"));
    }

    @Test
    @DisplayName("a v2 timestamp that is not RFC 3339 is rejected as parameter_invalid_timestamp")
    void v2Invalid() {
      ApiError err = rejected(() -> EventInput.parse(jsonElement(event("timestamp", "yesterday")), NOW));

      assertThat(err.code()).isEqualTo("parameter_invalid_timestamp");
      assertThat(err.param()).isEqualTo("events[2].timestamp");
    }

    @Test
    @DisplayName("a v2 timestamp without an offset is rejected as parameter_invalid_timestamp")
    void v2NoOffset() {
      assertThat(rejected(() -> EventInput.parse(json(event("timestamp", "2024-06-01T11:30:00")), NOW)).code())
          .isEqualTo("parameter_invalid_timestamp");
    }

    @Test
    @DisplayName("a v2 timestamp given as Unix seconds is rejected as parameter_invalid_timestamp")
    void v2UnixSecondsString() {
      String ts = Long.toString(NOW.getEpochSecond());

      assertThat(rejected(() -> EventInput.parse(json(event("timestamp", ts)), NOW)).code())
          .isEqualTo("parameter_invalid_timestamp");
    }

    @Test
    @DisplayName("a v2 timestamp given as a JSON number is rejected as parameter_invalid_string")
    void v2NumberTimestamp() {
      assertThat(rejected(() -> EventInput.parse(json(event("timestamp", NOW.getEpochSecond())), NOW)).code())
          .isEqualTo("parameter_invalid_string");
    }
  }

  @Nested
  @DisplayName("bind")
  class Bind {
    @Test
    @DisplayName("binds a valid event to its meter, account and mode")
    void binds() {
      EventInput in = EventInput.parse(form(event("identifier", "idem-1")), NOW);

      MeterEvent e = in.bind(WHO, Optional.of(sumMeter()));

      assertThat(e.accountId()).isEqualTo(11L);
      assertThat(e.livemode()).isFalse();
      assertThat(e.meterId()).isEqualTo(99L);
      assertThat(e.eventName()).isEqualTo("api_calls");
      assertThat(e.identifier()).isEqualTo("idem-1");
      assertThat(e.customerId()).isEqualTo("cus_1");
      assertThat(e.value()).isEqualByComparingTo("3");
      assertThat(e.timestamp()).isEqualTo(NOW);
      assertThat(e.payload()).containsEntry("stripe_customer_id", "cus_1");
    }

    @Test
    @DisplayName("no meter for the event name is rejected as no_meter on event_name")
    void noMeter() {
      EventInput in = EventInput.parse(form(event()), NOW);

      ApiError err = rejected(() -> in.bind(WHO, Optional.empty()));

      assertThat(err.code()).isEqualTo("no_meter");
      assertThat(err.param()).isEqualTo("event_name");
      assertThat(err.getMessage()).contains("api_calls");
    }

    @Test
    @DisplayName("an inactive meter is rejected as archived_meter naming the meter")
    void archivedMeter() {
      EventInput in = EventInput.parse(form(event()), NOW);

      ApiError err = rejected(() -> in.bind(WHO, Optional.of(meter("sum", "stripe_customer_id", "value", "inactive"))));

      assertThat(err.code()).isEqualTo("archived_meter");
      assertThat(err.param()).isEqualTo("event_name");
      assertThat(err.getMessage()).contains("mtr_test_1");
    }

    @Test
    @DisplayName("a missing customer key is payload_no_customer_defined on payload[stripe_customer_id] in v1")
    void noCustomerForm() {
      EventInput in = EventInput.parse(form(event("payload", map("value", "3"))), NOW);

      ApiError err = rejected(() -> in.bind(WHO, Optional.of(sumMeter())));

      assertThat(err.code()).isEqualTo("payload_no_customer_defined");
      assertThat(err.param()).isEqualTo("payload[stripe_customer_id]");
    }

    @Test
    @DisplayName("a missing customer key in a stream element is named events[2].payload.stripe_customer_id")
    void noCustomerJsonElement() {
      EventInput in = EventInput.parse(jsonElement(event("payload", map("value", "3"))), NOW);

      ApiError err = rejected(() -> in.bind(WHO, Optional.of(sumMeter())));

      assertThat(err.code()).isEqualTo("payload_no_customer_defined");
      assertThat(err.param()).isEqualTo("events[2].payload.stripe_customer_id");
    }

    @Test
    @DisplayName("a blank customer is rejected as payload_no_customer_defined")
    void blankCustomer() {
      EventInput in = EventInput.parse(form(event("payload", map("stripe_customer_id", "  ", "value", "3"))), NOW);

      assertThat(rejected(() -> in.bind(WHO, Optional.of(sumMeter()))).code())
          .isEqualTo("payload_no_customer_defined");
    }

    @Test
    @DisplayName("a missing value for a sum meter is payload_no_value_defined on payload[value]")
    void noValue() {
      EventInput in = EventInput.parse(form(event("payload", map("stripe_customer_id", "cus_1"))), NOW);

      ApiError err = rejected(() -> in.bind(WHO, Optional.of(sumMeter())));

      assertThat(err.code()).isEqualTo("payload_no_value_defined");
      assertThat(err.param()).isEqualTo("payload[value]");
    }

    @Test
    @DisplayName("a non-numeric value is rejected as payload_invalid_value")
    void invalidValue() {
      EventInput in = EventInput.parse(jsonElement(event("payload", map("stripe_customer_id", "cus_1", "value", "abc"))),
          NOW);

      ApiError err = rejected(() -> in.bind(WHO, Optional.of(sumMeter())));

      assertThat(err.code()).isEqualTo("payload_invalid_value");
      assertThat(err.param()).isEqualTo("events[2].payload.value");
    }

    @Test
    @DisplayName("a value in exponent notation is rejected as payload_invalid_value")
    void exponentValue() {
      EventInput in = EventInput.parse(form(event("payload", map("stripe_customer_id", "cus_1", "value", "1e3"))), NOW);

      assertThat(rejected(() -> in.bind(WHO, Optional.of(sumMeter()))).code()).isEqualTo("payload_invalid_value");
    }

    @Test
    @DisplayName("a count meter needs no value and binds with a null value")
    void countMeter() {
      EventInput in = EventInput.parse(form(event("payload", map("stripe_customer_id", "cus_1"))), NOW);

      MeterEvent e = in.bind(WHO, Optional.of(meter("count", "stripe_customer_id", "value", "active")));

      assertThat(e.value()).isNull();
      assertThat(e.customerId()).isEqualTo("cus_1");
    }

    @Test
    @DisplayName("a count meter ignores an unparseable value")
    void countMeterIgnoresValue() {
      EventInput in = EventInput.parse(form(event("payload", map("stripe_customer_id", "cus_1", "value", "abc"))), NOW);

      assertThat(in.bind(WHO, Optional.of(meter("count", "stripe_customer_id", "value", "active"))).value()).isNull();
    }

    @Test
    @DisplayName("the meter's custom customer and value payload keys are honoured")
    void customKeys() {
      Meter custom = meter("sum", "customer", "tokens", "active");
      EventInput in = EventInput.parse(form(event("payload", map("customer", "cus_9", "tokens", "250"))), NOW);

      MeterEvent e = in.bind(WHO, Optional.of(custom));

      assertThat(e.customerId()).isEqualTo("cus_9");
      assertThat(e.value()).isEqualByComparingTo("250");
    }

    @Test
    @DisplayName("with custom keys, the default stripe_customer_id key is not used and the error names the custom key")
    void customKeysMissing() {
      Meter custom = meter("sum", "customer", "tokens", "active");
      EventInput in = EventInput.parse(form(event()), NOW);

      ApiError err = rejected(() -> in.bind(WHO, Optional.of(custom)));

      assertThat(err.code()).isEqualTo("payload_no_customer_defined");
      assertThat(err.param()).isEqualTo("payload[customer]");
    }

    @Test
    @DisplayName("a missing custom value key is named in the error")
    void customValueMissing() {
      Meter custom = meter("sum", "customer", "tokens", "active");
      EventInput in = EventInput.parse(form(event("payload", map("customer", "cus_9", "value", "3"))), NOW);

      assertThat(rejected(() -> in.bind(WHO, Optional.of(custom))).param()).isEqualTo("payload[tokens]");
    }

    @Test
    @DisplayName("the value is kept exactly as a decimal: 0.1 stays 0.1")
    void exactValue() {
      EventInput in = EventInput.parse(form(event("payload", map("stripe_customer_id", "cus_1", "value", "0.1"))), NOW);

      BigDecimal value = in.bind(WHO, Optional.of(sumMeter())).value();

      assertThat(value).isEqualTo(new BigDecimal("0.1"));
      assertThat(value.toPlainString()).isEqualTo("0.1");
    }
  }

  @Test
  @DisplayName("a JSON null timestamp counts as omitted: the event is stamped now")
  void nullTimestampMeansNow() {
    EventInput in = EventInput.parse(json(event("timestamp", null)), NOW);
    assertThat(in.timestamp()).isEqualTo(NOW);
  }

  @Test
  @DisplayName("a v1 timestamp beyond the representable range is a 400, not a crash")
  void hugeFormTimestamp() {
    assertThat(rejected(() -> EventInput.parse(form(event("timestamp", "999999999999999999")), NOW)).code())
        .isEqualTo("timestamp_in_future");
    assertThat(rejected(() -> EventInput.parse(form(event("timestamp", "-999999999999999999")), NOW)).code())
        .isEqualTo("timestamp_too_far_in_past");
  }
}
