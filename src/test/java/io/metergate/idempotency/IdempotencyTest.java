package io.metergate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.billing.Meter;
import com.stripe.net.RequestOptions;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.billing.MeterEventCreateParams;
import io.metergate.testing.Meters;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Idempotency-Key: replay, parameter mismatch, concurrency, expiry")
class IdempotencyTest {
  private static TestGateway gateway;
  private static StripeClient stripe;

  @BeforeAll
  static void start() throws StripeException {
    gateway = TestGateway.start();
    stripe = gateway.client();
    stripe.billing().meters().create(Meters.sum("events_meter", "Events"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static RequestOptions key(String k) {
    return RequestOptions.builder().setIdempotencyKey(k).build();
  }

  private static long meters(String eventName) {
    return gateway.queryLong("SELECT count(*) FROM meters WHERE event_name = ?", eventName);
  }

  @Test
  @DisplayName("the same key and parameters replay the first response; the work is done once")
  void replay() throws StripeException {
    Meter first = stripe.billing().meters().create(Meters.sum("idem_replay", "Replay"), key("k-replay"));
    Meter again = stripe.billing().meters().create(Meters.sum("idem_replay", "Replay"), key("k-replay"));

    assertThat(again.getId()).isEqualTo(first.getId());
    assertThat(meters("idem_replay")).isEqualTo(1);
    RawHttp.Response raw = RawHttp.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.baseUrl() + "/v1/billing/meters"))
        .header("Authorization", "Bearer " + TestGateway.DEV_KEY).header("Idempotency-Key", "k-replay")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "event_name=idem_replay&display_name=Replay&default_aggregation[formula]=sum")).build());
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(raw.json().getString("id")).isEqualTo(first.getId());
  }

  @Test
  @DisplayName("a retried meter event with its key replays 200 instead of failing as a duplicate, stored once")
  void eventRetry() throws StripeException {
    MeterEventCreateParams params = MeterEventCreateParams.builder().setEventName("events_meter")
        .setIdentifier("idem-event-1").putPayload("stripe_customer_id", "cus_i").putPayload("value", "4").build();
    var first = stripe.billing().meterEvents().create(params, key("k-event"));
    var retried = stripe.billing().meterEvents().create(params, key("k-event"));

    assertThat(retried.getIdentifier()).isEqualTo(first.getIdentifier());
    assertThat(retried.getCreated()).isEqualTo(first.getCreated());
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier = 'idem-event-1'")).isEqualTo(1);
  }

  @Test
  @DisplayName("the same key with different parameters is a 400 idempotency_error, and nothing is done")
  void mismatch() throws StripeException {
    stripe.billing().meters().create(Meters.sum("idem_mismatch", "One"), key("k-mismatch"));
    assertThatThrownBy(() -> stripe.billing().meters().create(Meters.sum("idem_mismatch_2", "Two"), key("k-mismatch")))
        .isInstanceOfSatisfying(IdempotencyException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(400);
          assertThat(e.getStripeError().getType()).isEqualTo("idempotency_error");
        });
    assertThat(meters("idem_mismatch_2")).isZero();
  }

  @Test
  @DisplayName("as Stripe, a validation error is not stored: the corrected request may reuse the key")
  void validationErrorsAreNotStored() throws StripeException {
    MeterCreateParams bad = MeterCreateParams.builder().setDisplayName("x").setEventName("idem_bad")
        .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder().putExtraParam("formula", "avg").build())
        .build();
    assertThatThrownBy(() -> stripe.billing().meters().create(bad, key("k-bad")))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getStripeError().getParam()).isEqualTo("default_aggregation[formula]"));
    Meter fixed = stripe.billing().meters().create(Meters.sum("idem_bad", "x"), key("k-bad"));
    assertThat(fixed.getEventName()).isEqualTo("idem_bad");
  }

  @Test
  @DisplayName("a client that gives up mid-request does not free the key: its retry waits, then replays, stored once")
  void disconnectKeepsTheClaim() throws Exception {
    String form = "event_name=events_meter&payload[stripe_customer_id]=cus_d&payload[value]=5";
    java.util.function.Function<java.time.Duration, java.net.http.HttpRequest> request = timeout ->
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.baseUrl() + "/v1/billing/meter_events"))
            .header("Authorization", "Bearer " + TestGateway.DEV_KEY).header("Idempotency-Key", "k-disconnect")
            .header("Content-Type", "application/x-www-form-urlencoded").timeout(timeout)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build();
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    try (java.sql.Connection lock = io.metergate.testing.TestDatabase.connect(gateway.database(),
        gateway.database().database()); java.sql.Statement st = lock.createStatement()) {
      lock.setAutoCommit(false);
      st.execute("LOCK TABLE meter_event_identifiers IN SHARE ROW EXCLUSIVE MODE");
      assertThatThrownBy(() -> client.send(request.apply(java.time.Duration.ofSeconds(3)),
          java.net.http.HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.net.http.HttpTimeoutException.class);

      var retry = client.send(request.apply(java.time.Duration.ofSeconds(10)),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(retry.statusCode()).as(retry.body()).isEqualTo(409);
      lock.commit();
    }
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    java.net.http.HttpResponse<String> replay;
    do {
      replay = client.send(request.apply(java.time.Duration.ofSeconds(10)),
          java.net.http.HttpResponse.BodyHandlers.ofString());
    } while (replay.statusCode() == 409 && System.nanoTime() < deadline);
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(new io.vertx.core.json.JsonObject(replay.body()).getString("identifier")).startsWith("idk_");
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE customer_id = 'cus_d'")).isEqualTo(1);
  }

  @Test
  @DisplayName("concurrent requests with one key do the work once: the others replay or are told it is in progress")
  void concurrent() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(() -> {
          try {
            return stripe.billing().meters().create(Meters.sum("idem_race", "Race"), key("k-race")).getId();
          } catch (com.stripe.exception.ApiException inProgress) {
            assertThat(inProgress.getStatusCode()).isEqualTo(409);
            assertThat(inProgress.getCode()).isEqualTo("idempotency_key_in_use");
            return "in-progress";
          }
        });
      }
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : pool.invokeAll(calls)) {
        outcomes.add(f.get());
      }
      assertThat(meters("idem_race")).isEqualTo(1);
      assertThat(outcomes.stream().filter(o -> o.startsWith("mtr_")).distinct()).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("keys are per account: another account may use the same key for its own request")
  void scopedToAccount() throws StripeException {
    StripeClient other = gateway.client(gateway.newAccountKey(false));
    Meter mine = stripe.billing().meters().create(Meters.sum("idem_scope", "Mine"), key("k-shared"));
    Meter theirs = other.billing().meters().create(Meters.sum("idem_scope", "Theirs"), key("k-shared"));
    assertThat(theirs.getId()).isNotEqualTo(mine.getId());
    assertThat(theirs.getDisplayName()).isEqualTo("Theirs");
  }

  @Test
  @DisplayName("after 24 hours a key is forgotten; an abandoned in-progress claim is freed after a minute")
  void expiryAndAbandonedClaims() throws StripeException {
    stripe.billing().meters().create(Meters.sum("idem_old", "Old"), key("k-old"));
    gateway.queryLong("WITH x AS (UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"
        + " WHERE idempotency_key = 'k-old' RETURNING 1) SELECT count(*) FROM x");
    Meter fresh = stripe.billing().meters().create(Meters.sum("idem_new", "New"), key("k-old"));
    assertThat(fresh.getEventName()).isEqualTo("idem_new");

    long account = gateway.queryLong("SELECT min(id) FROM accounts");
    gateway.queryLong("WITH x AS (INSERT INTO idempotency_keys (account_id, livemode, idempotency_key, fingerprint,"
        + " created_at) VALUES (?, false, 'k-stuck', '\\x00', now() - interval '2 minutes') RETURNING 1)"
        + " SELECT count(*) FROM x", account);
    Meter unstuck = stripe.billing().meters().create(Meters.sum("idem_stuck", "Stuck"), key("k-stuck"));
    assertThat(unstuck.getEventName()).isEqualTo("idem_stuck");
  }

  @Test
  @DisplayName("a key over 255 characters is refused (stripe-java refuses it too, so this is raw HTTP)")
  void keyTooLong() {
    RawHttp.Response r = RawHttp.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.baseUrl() + "/v1/billing/meters"))
        .header("Authorization", "Bearer " + TestGateway.DEV_KEY).header("Idempotency-Key", "k".repeat(256))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "event_name=idem_long&display_name=Long&default_aggregation[formula]=sum")).build());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error().getString("code")).isEqualTo("idempotency_key_invalid");
    assertThat(meters("idem_long")).isZero();
  }
}
