package io.metergate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.stripe.StripeClient;
import io.metergate.testing.Meters;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Metrics and health on the management port")
class MetricsTest {
  private static TestGateway gateway;
  private static StripeClient stripe;

  @BeforeAll
  static void start() throws Exception {
    gateway = TestGateway.start();
    stripe = gateway.client();
    stripe.billing().meters().create(Meters.sum("metered", "m"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static String scrape() {
    RawHttp.Response r = RawHttp.get(gateway.managementUrl() + "/metrics", null);
    assertThat(r.status()).isEqualTo(200);
    return r.body();
  }

  /** Sum of every sample whose series starts with {@code prefix} (name, or name{labels...). */
  private static double value(String scrape, String prefix) {
    return scrape.lines().filter(l -> !l.startsWith("#") && l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  @DisplayName("streaming moves the stored, batch, commit and session metrics by exactly what happened")
  void ingestMetricsMove() throws Exception {
    String before = scrape();
    var session = stripe.v2().billing().meterEventSession().create();
    var streamer = gateway.client(session.getAuthenticationToken());
    streamer.v2().billing().meterEventStream().create(io.metergate.testing.StreamBatches.batch("m1-", 100, "metered"));
    streamer.v2().billing().meterEventStream().create(io.metergate.testing.StreamBatches.batch("m1-", 100, "metered"));
    String after = scrape();

    assertThat(value(after, "metergate_events_stored_total") - value(before, "metergate_events_stored_total"))
        .isEqualTo(100);
    assertThat(value(after, "metergate_events_duplicate_total") - value(before, "metergate_events_duplicate_total"))
        .isEqualTo(100);
    assertThat(value(after, "metergate_sessions_issued_total") - value(before, "metergate_sessions_issued_total"))
        .isEqualTo(1);
    assertThat(value(after, "metergate_writer_commit_seconds_count") - value(before, "metergate_writer_commit_seconds_count"))
        .isGreaterThanOrEqualTo(1);
    assertThat(value(after, "metergate_writer_batch_events_sum") - value(before, "metergate_writer_batch_events_sum"))
        .isEqualTo(200);
    assertThat(after).contains("metergate_writer_commit_seconds_bucket{le=");
    assertThat(after).contains("metergate_writer_queue_events ");
  }

  @Test
  @DisplayName("rejected events are counted by reason")
  void rejectionsCounted() {
    String before = scrape();
    Throwable refused = catchThrowable(() -> stripe.billing().meterEvents().create(
        com.stripe.param.billing.MeterEventCreateParams.builder().setEventName("nobody")
            .putPayload("stripe_customer_id", "c").putPayload("value", "1").build()));
    assertThat(refused).isNotNull();
    String after = scrape();
    String series = "metergate_events_rejected_total{reason=\"invalid\"}";
    assertThat(value(after, series) - value(before, series)).isEqualTo(1);
  }

  @Test
  @DisplayName("HTTP requests are counted and timed by route, method and status; JVM and pool metrics are there")
  void httpAndJvmMetrics() throws Exception {
    stripe.billing().meters().list();
    String scrape = scrape();
    assertThat(scrape).containsPattern(
        "vertx_http_server_requests_total\\{code=\"200\",method=\"GET\",route=\"[^\"]*/v1/billing/meters\"\\}");
    assertThat(scrape).contains("vertx_http_server_response_time_seconds_bucket");
    assertThat(scrape).contains("vertx_pool_");
    assertThat(scrape).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");
  }

  @Test
  @DisplayName("liveness and readiness answer UP while the database answers")
  void health() {
    RawHttp.Response live = RawHttp.get(gateway.managementUrl() + "/health/live", null);
    RawHttp.Response ready = RawHttp.get(gateway.managementUrl() + "/health/ready", null);
    assertThat(live.status()).isEqualTo(200);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getString("status")).isEqualTo("UP");
  }

}
