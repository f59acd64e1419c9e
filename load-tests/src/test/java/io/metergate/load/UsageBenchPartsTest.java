package io.metergate.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UsageBenchPartsTest {
  private static final String SECRET = "whsec_test_secret";
  private static final byte[] BODY = "{\"id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8);

  private static String sign(long t, byte[] body) {
    return HexFormat.of().formatHex(StripeSignature.hmac(SECRET, t, body));
  }

  @Test
  @DisplayName("A header t=...,v1=HMAC-SHA256(secret, t.body) is accepted; another secret, body or format is not")
  void signature() {
    long t = 1_800_000_000L;
    String good = "t=" + t + ",v1=" + sign(t, BODY);
    assertEquals(StripeSignature.Result.OK, StripeSignature.verify(good, BODY, SECRET, t + 10, 300));
    assertEquals(StripeSignature.Result.OK,
        StripeSignature.verify("t=" + t + ",v1=" + "0".repeat(64) + ",v1=" + sign(t, BODY) + ",v0=x", BODY, SECRET, t, 300));
    assertEquals(StripeSignature.Result.BAD_SIGNATURE, StripeSignature.verify(good, "{}".getBytes(), SECRET, t, 300));
    assertEquals(StripeSignature.Result.BAD_SIGNATURE, StripeSignature.verify(good, BODY, "whsec_other", t, 300));
    assertEquals(StripeSignature.Result.STALE_TIMESTAMP, StripeSignature.verify(good, BODY, SECRET, t + 301, 300));
    assertEquals(StripeSignature.Result.BAD_FORMAT, StripeSignature.verify("v1=" + sign(t, BODY), BODY, SECRET, t, 300));
    assertEquals(StripeSignature.Result.BAD_FORMAT, StripeSignature.verify("t=" + t, BODY, SECRET, t, 300));
    assertEquals(StripeSignature.Result.BAD_FORMAT, StripeSignature.verify("t=" + t + ",v1=abc", BODY, SECRET, t, 300));
    assertEquals(StripeSignature.Result.BAD_FORMAT, StripeSignature.verify(null, BODY, SECRET, t, 300));
  }

  @Test
  @DisplayName("A metric's series are summed, a longer name with the same prefix is not, a missing one is NaN")
  void prometheus() {
    String text = String.join("\n",
        "# HELP metergate_usage_unfolded_events Committed events not yet in the usage aggregates",
        "# TYPE metergate_usage_unfolded_events gauge",
        "metergate_usage_unfolded_events 1234.0",
        "metergate_usage_unfolded_events_other 99.0",
        "metergate_events_stored_total{loop=\"0\"} 10.0",
        "metergate_events_stored_total{loop=\"1\"} 5.0 1700000000000",
        "");
    assertEquals(1234.0, Prometheus.value(text, "metergate_usage_unfolded_events"));
    assertEquals(15.0, Prometheus.value(text, "metergate_events_stored_total"));
    assertTrue(Double.isNaN(Prometheus.value(text, "metergate_usage_folded_events_total")));
  }

  @Test
  @DisplayName("Timestamps are RFC 3339 UTC with exactly three fraction digits")
  void timestamps() {
    Rfc3339Millis f = new Rfc3339Millis();
    assertEquals("2026-11-01T00:00:00.000Z", f.format(1_793_491_200_000L));
    assertEquals("2026-11-01T00:00:00.007Z", f.format(1_793_491_200_007L));
    assertEquals("2026-11-01T00:00:00.250Z", f.format(1_793_491_200_250L));
    assertEquals("2026-11-01T00:00:01.000Z", f.format(1_793_491_201_000L));
    assertEquals("1969-12-31T23:59:59.999Z", f.format(-1L));
  }

  @Test
  @DisplayName("The default summary range runs from a UTC midnight before the first loaded event to the next midnight")
  void range() {
    long now = 1_793_491_200L + 13 * 3_600 + 5; // 2026-11-01 13:00:05 UTC
    long start = SummaryBench.defaultStart(now, 30, 60);
    long end = SummaryBench.defaultEnd(now);
    assertEquals(0, start % 86_400);
    assertEquals(1_793_491_200L + 86_400, end);
    assertTrue(start <= now - 30 * 86_400L - 3_600 - 3_600);
    assertEquals(31, (end - start) / 86_400);
    assertEquals(1_793_491_200L + 86_400, SummaryBench.defaultEnd(1_793_491_200L));
  }

  @Test
  @DisplayName("A summary page totals its aggregated values exactly; a value that is not a number makes it unreadable")
  void total() {
    JsonObject page = new JsonObject("{\"data\":[{\"aggregated_value\":100000},{\"aggregated_value\":2.5},"
        + "{\"aggregated_value\":0.1}],\"has_more\":false}");
    assertEquals(0, new BigDecimal("100002.6").compareTo(SummaryBench.total(page)));
    assertNull(SummaryBench.total(new JsonObject("{\"data\":[{\"aggregated_value\":\"1\"}]}")));
    assertNull(SummaryBench.total(new JsonObject("{}")));
  }

  @Test
  @DisplayName("Options refuse non-loopback targets and a summary range that is not on UTC midnights")
  void options() {
    assertThrows(IllegalArgumentException.class, () -> UsageOptions.parse(new String[] {"--base-url", "http://10.0.0.1:8080"}));
    assertThrows(IllegalArgumentException.class,
        () -> UsageOptions.parse(new String[] {"--database-url", "postgresql://postgres@db.example:5432/x"}));
    assertThrows(IllegalArgumentException.class, () -> UsageOptions.parse(new String[] {"--start-time", "86400"}));
    assertThrows(IllegalArgumentException.class,
        () -> UsageOptions.parse(new String[] {"--start-time", "86401", "--end-time", "172800"}));
    assertThrows(IllegalArgumentException.class, () -> UsageOptions.parse(new String[] {"--phases", "load,bogus"}));
    UsageOptions o = UsageOptions.parse(new String[] {"--events=200", "--value", "2.5", "--phases", "summaries",
        "--database-url", "postgresql://postgres@127.0.0.1:5432/metergate_usage_bench"});
    assertEquals(0, new BigDecimal("500").compareTo(o.expectedTotal()));
    assertEquals("ub-cus_big-", o.idPrefix);
  }
}
