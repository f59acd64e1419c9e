package io.metergate.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.WebhookEndpoint;
import com.stripe.model.billing.AlertTriggered;
import com.stripe.net.Webhook;
import com.stripe.param.EventListParams;
import com.stripe.param.WebhookEndpointCreateParams;
import com.stripe.param.WebhookEndpointCreateParams.EnabledEvent;
import com.stripe.param.WebhookEndpointUpdateParams;
import io.metergate.events.EventLog;
import io.metergate.testing.Poll;
import io.metergate.testing.RawHttp;
import io.metergate.testing.RecordedEvents;
import io.metergate.testing.TestGateway;
import io.metergate.testing.WebhookReceiver;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Webhook delivery: signed, at least once, retried with backoff")
class WebhookDeliveryTest {
  private static final String ALERT = "billing.alert.triggered";
  private static final Map<String, String> ENV =
      Map.of("METERGATE_WEBHOOK_FIRST_RETRY_MS", "50", "METERGATE_WEBHOOK_TIMEOUT_MS", "2000");
  private static TestGateway gateway;
  private static RecordedEvents events;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(ENV);
    events = new RecordedEvents(gateway);
  }

  @AfterAll
  static void stop() {
    events.close();
    gateway.close();
  }

  private static WebhookEndpoint endpoint(StripeClient client, String url, EnabledEvent type) throws StripeException {
    return client.webhookEndpoints().create(WebhookEndpointCreateParams.builder().setUrl(url).addEnabledEvent(type)
        .build());
  }

  /** Deliveries of the event that satisfy {@code condition} (SQL on webhook_deliveries d). */
  private static long deliveries(TestGateway g, String eventId, String condition) {
    return g.queryLong("SELECT count(*) FROM webhook_deliveries d JOIN events e ON e.id = d.event_id"
        + " WHERE e.public_id = ? AND " + condition, eventId);
  }

  private static long deliveries(String eventId, String condition) {
    return deliveries(gateway, eventId, condition);
  }

  private static Event verified(WebhookReceiver.Request r, String secret) throws Exception {
    return Webhook.constructEvent(r.body(), r.signature(), secret);
  }

  /** Sum of the samples of {@code series} whose labels contain {@code label} (e.g. outcome="retry"). */
  private static double metric(String scrape, String series, String label) {
    return scrape.lines().filter(l -> l.startsWith(series + " ") || l.startsWith(series + "{"))
        .filter(l -> l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static String scrape() {
    return RawHttp.get(gateway.managementUrl() + "/metrics", null).body();
  }

  @Test
  @DisplayName("an alert event reaches its subscribed endpoint once, signed so that stripe-java verifies and parses it")
  void deliveredOnce() throws Exception {
    String key = gateway.newAccountKey(false);
    StripeClient client = gateway.client(key);
    try (WebhookReceiver receiver = WebhookReceiver.answering(200);
         WebhookReceiver unsubscribed = WebhookReceiver.answering(200);
         WebhookReceiver disabled = WebhookReceiver.answering(200)) {
      WebhookEndpoint endpoint = endpoint(client, receiver.url(), EnabledEvent.BILLING__ALERT__TRIGGERED);
      endpoint(client, unsubscribed.url(), EnabledEvent.BILLING__METER__CREATED);
      client.webhookEndpoints().update(endpoint(client, disabled.url(), EnabledEvent.ALL).getId(),
          WebhookEndpointUpdateParams.builder().setDisabled(true).build());

      String id = events.record(key, ALERT, RecordedEvents.alertTriggered("cus_1", 12));
      WebhookReceiver.Request r = receiver.next();

      Event event = verified(r, endpoint.getSecret());
      assertThat(event.getId()).isEqualTo(id);
      assertThat(event.getType()).isEqualTo(ALERT);
      assertThat(event.getPendingWebhooks()).isEqualTo(1L);
      AlertTriggered alert = (AlertTriggered) event.getDataObjectDeserializer().getObject().orElseThrow();
      assertThat(alert.getCustomer()).isEqualTo("cus_1");
      assertThat(alert.getValue()).isEqualTo(12L);
      assertThat(alert.getAlert().getUsageThreshold().getMeter()).isEqualTo("mtr_x");
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/hooks");
      assertThat(r.contentType()).isEqualTo("application/json; charset=utf-8");
      assertThat(r.userAgent()).contains("Metergate");

      Poll.until("the delivery is recorded", () -> deliveries(id, "delivered_at IS NOT NULL") == 1);
      assertThat(receiver.count()).isEqualTo(1);
      assertThat(deliveries(id, "d.attempts = 1 AND d.last_status = 200")).isEqualTo(1);
      assertThat(deliveries(id, "true")).as("only the subscribed, enabled endpoint gets a delivery").isEqualTo(1);
      assertThat(unsubscribed.count() + disabled.count()).isZero();
      assertThat(client.events().retrieve(id).getPendingWebhooks()).isZero();
      assertThat(client.events().list(EventListParams.builder().setDeliverySuccess(true).build()).getData())
          .extracting(Event::getId).containsExactly(id);
    }
  }

  @Test
  @DisplayName("a receiver answering 500 twice then 200 gets three signed attempts and the delivery ends delivered")
  void retried() throws Exception {
    String key = gateway.newAccountKey(false);
    String before = scrape();
    try (WebhookReceiver receiver = WebhookReceiver.answering(500, 500, 200)) {
      WebhookEndpoint endpoint = endpoint(gateway.client(key), receiver.url(), EnabledEvent.ALL);
      String id = events.record(key, ALERT, RecordedEvents.alertTriggered("cus_2", 20));

      for (int attempt = 1; attempt <= 3; attempt++) {
        assertThat(verified(receiver.next(), endpoint.getSecret()).getId()).isEqualTo(id);
      }
      Poll.until("the delivery is recorded", () -> deliveries(id, "delivered_at IS NOT NULL") == 1);
      assertThat(deliveries(id, "d.attempts = 3 AND d.last_status = 200 AND d.last_error IS NULL")).isEqualTo(1);
      assertThat(receiver.count()).isEqualTo(3);
    }
    String total = "metergate_webhook_deliveries_total";
    String delivered = "outcome=\"delivered\"";
    // counted just after the database confirmed, so possibly a moment after the test saw the row
    Poll.until("the delivery is counted", () -> metric(scrape(), total, delivered) > metric(before, total, delivered));
    String after = scrape();
    assertThat(metric(after, total, delivered) - metric(before, total, delivered)).isEqualTo(1);
    assertThat(metric(after, total, "outcome=\"retry\"") - metric(before, total, "outcome=\"retry\"")).isEqualTo(2);
    assertThat(metric(after, "metergate_webhook_delivery_seconds_count", "")
        - metric(before, "metergate_webhook_delivery_seconds_count", "")).isEqualTo(3);
  }

  @Test
  @DisplayName("a delivery still failing once the retry window after the event has passed is given up")
  void givenUp() throws Exception {
    String key = gateway.newAccountKey(false);
    StripeClient client = gateway.client(key);
    long account = events.accountId(key);
    try (WebhookReceiver receiver = WebhookReceiver.answering(500)) {
      endpoint(client, receiver.url(), EnabledEvent.ALL);
      String id = events.inTransaction(tx -> EventLog.record(tx, List.of(new EventLog.NewEvent(account, false, ALERT,
              RecordedEvents.alertTriggered("cus_3", 30))))
          .compose(ids -> tx.preparedQuery("UPDATE events SET created_at = now() - interval '73 hours'"
              + " WHERE public_id = $1").execute(Tuple.of(ids.get(0))).map(ids.get(0))));

      receiver.next();
      Poll.until("the delivery is given up", () -> deliveries(id, "failed_at IS NOT NULL") == 1);
      assertThat(deliveries(id, "d.attempts = 1 AND d.last_status = 500 AND d.delivered_at IS NULL")).isEqualTo(1);
      assertThat(client.events().retrieve(id).getPendingWebhooks()).isZero();
      assertThat(client.events().list(EventListParams.builder().setDeliverySuccess(false).build()).getData())
          .extracting(Event::getId).containsExactly(id);
    }
  }

  @Test
  @DisplayName("an endpoint disabled after its delivery was queued is checked at send time and gets nothing")
  void disabledAtSendTime() throws Exception {
    String key = gateway.newAccountKey(false);
    long account = events.accountId(key);
    try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
      WebhookEndpoint endpoint = endpoint(gateway.client(key), receiver.url(), EnabledEvent.ALL);
      // disabled behind the API's back, so that only the sender's own check can stop the delivery
      String id = events.inTransaction(tx -> EventLog.record(tx, List.of(new EventLog.NewEvent(account, false, ALERT,
              RecordedEvents.alertTriggered("cus_4", 40))))
          .compose(ids -> tx.preparedQuery("UPDATE webhook_endpoints SET status = 'disabled' WHERE public_id = $1")
              .execute(Tuple.of(endpoint.getId())).map(ids.get(0))));

      Poll.until("the delivery is dropped", () -> deliveries(id, "failed_at IS NOT NULL") == 1);
      assertThat(deliveries(id, "d.last_error = 'endpoint deleted or disabled' AND d.last_status IS NULL"))
          .isEqualTo(1);
      assertThat(receiver.count()).isZero();
    }
  }

  @Test
  @DisplayName("deleting an endpoint gives up its pending deliveries")
  void deletedEndpoint() throws Exception {
    String key = gateway.newAccountKey(false);
    StripeClient client = gateway.client(key);
    try (WebhookReceiver receiver = WebhookReceiver.answering(500)) {
      WebhookEndpoint endpoint = endpoint(client, receiver.url(), EnabledEvent.ALL);
      String id = events.record(key, ALERT, RecordedEvents.alertTriggered("cus_5", 50));
      receiver.next();

      client.webhookEndpoints().delete(endpoint.getId());
      assertThat(deliveries(id, "d.failed_at IS NOT NULL AND d.last_error = 'endpoint deleted'")).isEqualTo(1);
      assertThat(client.events().retrieve(id).getPendingWebhooks()).isZero();
    }
  }

  @Test
  @DisplayName("a redirect is not followed: it counts as a failed attempt")
  void redirectNotFollowed() throws Exception {
    String key = gateway.newAccountKey(false);
    StripeClient client = gateway.client(key);
    try (WebhookReceiver target = WebhookReceiver.answering(200);
         WebhookReceiver redirecting = WebhookReceiver.redirectingTo(target.url())) {
      WebhookEndpoint endpoint = endpoint(client, redirecting.url(), EnabledEvent.ALL);
      String id = events.record(key, ALERT, RecordedEvents.alertTriggered("cus_8", 80));

      redirecting.next();
      Poll.until("the attempt is recorded", () -> deliveries(id, "d.last_status = 302") == 1);
      assertThat(deliveries(id, "d.delivered_at IS NULL AND d.failed_at IS NULL")).isEqualTo(1);
      assertThat(target.count()).isZero();
      client.webhookEndpoints().delete(endpoint.getId());
    }
  }

  @Test
  @DisplayName("a delivery leased by a replica that died is left alone until the lease runs out, then sent")
  void leaseExpires() throws Exception {
    String key = gateway.newAccountKey(false);
    String otherKey = gateway.newAccountKey(false);
    long account = events.accountId(key);
    try (WebhookReceiver receiver = WebhookReceiver.answering(200);
         WebhookReceiver other = WebhookReceiver.answering(200)) {
      WebhookEndpoint endpoint = endpoint(gateway.client(key), receiver.url(), EnabledEvent.ALL);
      endpoint(gateway.client(otherKey), other.url(), EnabledEvent.ALL);
      // recorded and leased for an hour in one transaction, as a replica would before crashing mid-send
      String id = events.inTransaction(tx -> EventLog.record(tx, List.of(new EventLog.NewEvent(account, false, ALERT,
              RecordedEvents.alertTriggered("cus_6", 60))))
          .compose(ids -> tx.preparedQuery(LEASE_FOR_AN_HOUR).execute(Tuple.of(ids.get(0))).map(ids.get(0))));

      // an event recorded later is delivered: the sender has looked at the queue and passed the leased row over
      String later = events.record(otherKey, ALERT, RecordedEvents.alertTriggered("cus_6b", 61));
      other.next();
      Poll.until("the later event is delivered", () -> deliveries(later, "delivered_at IS NOT NULL") == 1);
      assertThat(receiver.count()).as("nothing is sent while the lease holds").isZero();

      // the hour passes
      events.inTransaction(tx -> tx.preparedQuery(LEASE_ENDS).execute(Tuple.of(id)));
      assertThat(verified(receiver.next(), endpoint.getSecret()).getId()).isEqualTo(id);
      Poll.until("the delivery is recorded", () -> deliveries(id, "delivered_at IS NOT NULL") == 1);
      assertThat(deliveries(id, "d.attempts = 2")).isEqualTo(1);
    }
  }

  private static final String LEASE_FOR_AN_HOUR = """
      UPDATE webhook_deliveries SET attempts = 1, next_attempt_at = now() + interval '1 hour'
       WHERE event_id = (SELECT id FROM events WHERE public_id = $1)""";

  private static final String LEASE_ENDS = """
      UPDATE webhook_deliveries SET next_attempt_at = now()
       WHERE event_id = (SELECT id FROM events WHERE public_id = $1)""";

  @Test
  @DisplayName("at most METERGATE_WEBHOOK_CONCURRENCY POSTs are in flight at once, across endpoints, and a backlog drains")
  void boundedConcurrency() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("METERGATE_WEBHOOK_CONCURRENCY", "2");
    WebhookReceiver.Gate gate = new WebhookReceiver.Gate(true);
    // two endpoints on two ports: the HTTP client's per-host connection limit alone cannot hold it to 2
    try (TestGateway narrow = TestGateway.start(env); RecordedEvents narrowEvents = new RecordedEvents(narrow);
         WebhookReceiver a = WebhookReceiver.gated(gate); WebhookReceiver b = WebhookReceiver.gated(gate)) {
      endpoint(narrow.client(), a.url(), EnabledEvent.ALL);
      endpoint(narrow.client(), b.url(), EnabledEvent.ALL);
      long account = narrowEvents.accountId(TestGateway.DEV_KEY);
      List<EventLog.NewEvent> batch = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        batch.add(new EventLog.NewEvent(account, false, ALERT, RecordedEvents.alertTriggered("cus_c" + i, i)));
      }
      narrowEvents.inTransaction(tx -> EventLog.record(tx, batch));

      Poll.until("two POSTs are held", () -> gate.active() == 2);
      gate.open();
      Poll.until("every delivery is made", () -> narrow.queryLong(
          "SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NOT NULL") == 6);
      assertThat(gate.maxActive()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("a delivery under way when its gateway stops is completed by a new gateway on the same database")
  void survivesRestart() throws Exception {
    try (TestGateway first = TestGateway.start(ENV); WebhookReceiver receiver = WebhookReceiver.answering(0, 200)) {
      WebhookEndpoint endpoint = endpoint(first.client(), receiver.url(), EnabledEvent.ALL);
      String id;
      try (RecordedEvents firstEvents = new RecordedEvents(first)) {
        id = firstEvents.record(TestGateway.DEV_KEY, ALERT, RecordedEvents.alertTriggered("cus_7", 70));
      }
      assertThat(verified(receiver.next(), endpoint.getSecret()).getId()).as("first attempt, never answered")
          .isEqualTo(id);
      first.stopAsync().get(30, TimeUnit.SECONDS);

      try (TestGateway second = TestGateway.startOn(first.database(), ENV)) {
        assertThat(verified(receiver.next(), endpoint.getSecret()).getId()).isEqualTo(id);
        Poll.until("the delivery is recorded", () -> deliveries(second, id, "delivered_at IS NOT NULL") == 1);
        assertThat(deliveries(second, id, "d.attempts = 2")).isEqualTo(1);
      }
    }
  }
}
