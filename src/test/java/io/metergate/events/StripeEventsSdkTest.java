package io.metergate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.StripeCollection;
import com.stripe.model.billing.AlertTriggered;
import com.stripe.param.EventListParams;
import io.metergate.testing.RecordedEvents;
import io.metergate.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Stripe events (GET /v1/events) through the official stripe-java SDK")
class StripeEventsSdkTest {
  private static TestGateway gateway;
  private static RecordedEvents events;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start();
    events = new RecordedEvents(gateway);
  }

  @AfterAll
  static void stop() {
    events.close();
    gateway.close();
  }

  private static List<String> ids(StripeCollection<Event> page) {
    return page.getData().stream().map(Event::getId).toList();
  }

  private static JsonObject data(String name) {
    return new JsonObject().put("object", "test_object").put("name", name);
  }

  @Test
  @DisplayName("a recorded alert event is retrieved in Stripe's shape and its data object parses as AlertTriggered")
  void retrieve() throws StripeException {
    long before = System.currentTimeMillis() / 1000;
    String id = events.record(TestGateway.DEV_KEY, "billing.alert.triggered", RecordedEvents.alertTriggered("cus_1", 12));

    Event e = gateway.client().events().retrieve(id);
    assertThat(e.getId()).startsWith("evt_").isEqualTo(id);
    assertThat(e.getObject()).isEqualTo("event");
    assertThat(e.getApiVersion()).isEqualTo(EventLog.API_VERSION);
    assertThat(e.getCreated()).isBetween(before, before + 60);
    assertThat(e.getLivemode()).isFalse();
    assertThat(e.getPendingWebhooks()).isZero();
    assertThat(e.getRequest().getId()).isNull();
    assertThat(e.getRequest().getIdempotencyKey()).isNull();
    assertThat(e.getType()).isEqualTo("billing.alert.triggered");
    AlertTriggered alert = (AlertTriggered) e.getDataObjectDeserializer().getObject().orElseThrow();
    assertThat(alert.getCustomer()).isEqualTo("cus_1");
    assertThat(alert.getValue()).isEqualTo(12L);
    assertThat(alert.getAlert().getId()).isEqualTo("alrt_x");
  }

  @Test
  @DisplayName("lists page newest first with has_more and url, in both directions and with SDK auto-pagination")
  void listAndPage() throws StripeException {
    String key = gateway.newAccountKey(false);
    StripeClient client = gateway.client(key);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(events.record(key, "billing.alert.triggered", data("e" + i)));
    }

    var first = client.events().list(EventListParams.builder().setLimit(2L).build());
    assertThat(ids(first)).containsExactly(ids.get(4), ids.get(3));
    assertThat(first.getHasMore()).isTrue();
    assertThat(first.getUrl()).isEqualTo("/v1/events");
    var second = client.events().list(EventListParams.builder().setLimit(2L).setStartingAfter(ids.get(3)).build());
    assertThat(ids(second)).containsExactly(ids.get(2), ids.get(1));
    var back = client.events().list(EventListParams.builder().setLimit(2L).setEndingBefore(ids.get(2)).build());
    assertThat(ids(back)).containsExactly(ids.get(4), ids.get(3));
    assertThat(back.getHasMore()).isFalse();
    List<String> all = new ArrayList<>();
    client.events().list(EventListParams.builder().setLimit(2L).build()).autoPagingIterable()
        .forEach(e -> all.add(e.getId()));
    assertThat(all).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
    assertThat(client.events().list(EventListParams.builder().build()).getData()).hasSize(5);
  }

  @Test
  @DisplayName("type matches exactly or with a '*' wildcard, types[] lists exact names, and the two are exclusive")
  void typeFilters() throws StripeException {
    String key = gateway.newAccountKey(false);
    StripeClient client = gateway.client(key);
    String alert = events.record(key, "billing.alert.triggered", data("a"));
    String meter = events.record(key, "billing.meter.created", data("m"));
    String portal = events.record(key, "billing_portal.session.created", data("p"));
    String lookalike = events.record(key, "billingXportal.session.created", data("x"));

    assertThat(ids(client.events().list(EventListParams.builder().setType("billing.alert.triggered").build())))
        .containsExactly(alert);
    assertThat(ids(client.events().list(EventListParams.builder().setType("billing.*").build())))
        .containsExactly(meter, alert);
    assertThat(ids(client.events().list(EventListParams.builder().setType("billing_portal.*").build())))
        .containsExactly(portal).doesNotContain(lookalike);
    assertThat(ids(client.events().list(EventListParams.builder()
        .addType("billing.meter.created").addType("billingXportal.session.created").build())))
        .containsExactly(lookalike, meter);
    assertThatThrownBy(() -> client.events().list(EventListParams.builder().setType("billing.*")
        .addType("billing.meter.created").build()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getCode()).isEqualTo("parameters_exclusive"));
  }

  @Test
  @DisplayName("created filters by exact second or by range")
  void createdFilter() throws StripeException {
    String key = gateway.newAccountKey(false);
    StripeClient client = gateway.client(key);
    String old = events.record(key, "billing.alert.triggered", data("old"));
    String mid = events.record(key, "billing.alert.triggered", data("mid"));
    String recent = events.record(key, "billing.alert.triggered", data("recent"));
    gateway.queryLong("WITH u AS (UPDATE events SET created_at = to_timestamp(?) WHERE public_id = ? RETURNING 1)"
        + " SELECT count(*) FROM u", 1_700_000_000L, old);
    gateway.queryLong("WITH u AS (UPDATE events SET created_at = to_timestamp(?) WHERE public_id = ? RETURNING 1)"
        + " SELECT count(*) FROM u", 1_700_000_100L, mid);

    assertThat(ids(client.events().list(EventListParams.builder().setCreated(1_700_000_000L).build())))
        .containsExactly(old);
    assertThat(ids(client.events().list(EventListParams.builder().setCreated(EventListParams.Created.builder()
        .setGt(1_700_000_000L).setLte(1_700_000_100L).build()).build()))).containsExactly(mid);
    assertThat(ids(client.events().list(EventListParams.builder().setCreated(EventListParams.Created.builder()
        .setGte(1_700_000_100L).build()).build()))).containsExactly(recent, mid);
  }

  @Test
  @DisplayName("pending_webhooks counts deliveries under way, and delivery_success selects delivered or undelivered events")
  void deliveryStates() throws StripeException {
    String key = gateway.newAccountKey(false);
    StripeClient client = gateway.client(key);
    long account = events.accountId(key);
    long endpoint = gateway.queryLong("INSERT INTO webhook_endpoints (public_id, account_id, livemode, url,"
        + " enabled_events, secret) VALUES ('we_states', ?, false, 'http://127.0.0.1:9/', '{*}', 'whsec_x') RETURNING id",
        account);
    // recorded and put in their states in one transaction, so the delivery verticle never sees them due
    List<String> ids = events.inTransaction(tx -> EventLog.record(tx, List.of(
            new EventLog.NewEvent(account, false, "billing.alert.triggered", data("delivered")),
            new EventLog.NewEvent(account, false, "billing.alert.triggered", data("pending")),
            new EventLog.NewEvent(account, false, "billing.alert.triggered", data("failed"))))
        .compose(recorded -> tx.preparedQuery("""
                UPDATE webhook_deliveries d
                   SET next_attempt_at = now() + interval '1 hour',
                       delivered_at = CASE WHEN e.public_id = $1 THEN now() END,
                       failed_at = CASE WHEN e.public_id = $2 THEN now() END
                  FROM events e WHERE e.id = d.event_id AND e.public_id = ANY ($3)""")
            .execute(Tuple.tuple().addString(recorded.get(0)).addString(recorded.get(2))
                .addArrayOfString(recorded.toArray(String[]::new)))
            .map(recorded)));
    String delivered = ids.get(0);
    String pending = ids.get(1);
    String failed = ids.get(2);
    gateway.queryLong("UPDATE webhook_endpoints SET deleted_at = now() WHERE id = ? RETURNING id", endpoint);
    String none = events.record(key, "billing.alert.triggered", data("no endpoint"));

    assertThat(client.events().retrieve(pending).getPendingWebhooks()).isEqualTo(1L);
    assertThat(client.events().retrieve(delivered).getPendingWebhooks()).isZero();
    assertThat(client.events().retrieve(failed).getPendingWebhooks()).isZero();
    assertThat(client.events().retrieve(none).getPendingWebhooks()).isZero();
    assertThat(ids(client.events().list(EventListParams.builder().setDeliverySuccess(true).build())))
        .containsExactly(delivered);
    assertThat(ids(client.events().list(EventListParams.builder().setDeliverySuccess(false).build())))
        .containsExactly(failed, pending);
  }

  @Test
  @DisplayName("another account's event, or the other mode's, is 404 and never listed")
  void tenancy() throws StripeException {
    String mine = events.record(TestGateway.DEV_KEY, "billing.alert.triggered", data("mine"));
    String live = events.record(new EventLog.NewEvent(events.accountId(TestGateway.DEV_KEY), true,
        "billing.alert.triggered", data("live")));
    StripeClient stranger = gateway.client(gateway.newAccountKey(false));
    for (String id : List.of(mine, "evt_doesnotexist")) {
      assertThatThrownBy(() -> stranger.events().retrieve(id))
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(404);
            assertThat(e.getCode()).isEqualTo("resource_missing");
          });
    }
    assertThat(stranger.events().list(EventListParams.builder().build()).getData()).isEmpty();
    assertThatThrownBy(() -> gateway.client().events().retrieve(live))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    assertThat(ids(gateway.client().events().list(EventListParams.builder().setLimit(100L).build())))
        .contains(mine).doesNotContain(live);
    assertThatThrownBy(() -> stranger.events().list(EventListParams.builder().setStartingAfter(mine).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(404);
          assertThat(e.getStripeError().getParam()).isEqualTo("starting_after");
        });
  }

  @Test
  @DisplayName("unknown and malformed list parameters are refused by name")
  void validation() {
    StripeClient client = gateway.client();
    assertThatThrownBy(() -> client.events().list(EventListParams.builder().putExtraParam("colour", "blue").build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getCode()).isEqualTo("parameter_unknown");
          assertThat(e.getStripeError().getParam()).isEqualTo("colour");
        });
    assertThatThrownBy(() -> client.events().list(EventListParams.builder()
        .putExtraParam("created", java.util.Map.of("since", 1)).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getStripeError().getParam()).isEqualTo("created[since]"));
    assertThatThrownBy(() -> client.events().list(EventListParams.builder().setLimit(101L).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getStripeError().getParam()).isEqualTo("limit"));
  }

  @Test
  @DisplayName("events older than Stripe's 30-day retention are deleted with their deliveries; newer ones stay")
  void retention() throws StripeException {
    String old = events.record(TestGateway.DEV_KEY, "billing.alert.triggered", RecordedEvents.alertTriggered("cus_old", 1));
    String recent = events.record(TestGateway.DEV_KEY, "billing.alert.triggered", RecordedEvents.alertTriggered("cus_new", 1));
    gateway.queryLong("WITH u AS (UPDATE events SET created_at = now() - interval '31 days' WHERE public_id = ?"
        + " RETURNING 1) SELECT count(*) FROM u", old);

    assertThat(events.pruneExpired()).isEqualTo(1);

    StripeClient stripe = gateway.client();
    assertThatThrownBy(() -> stripe.events().retrieve(old)).isInstanceOf(InvalidRequestException.class);
    assertThat(stripe.events().retrieve(recent).getId()).isEqualTo(recent);
    assertThat(events.pruneExpired()).isZero();
  }
}
