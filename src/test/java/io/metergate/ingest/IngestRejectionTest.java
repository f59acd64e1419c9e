package io.metergate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.exception.TemporarySessionExpiredException;
import io.metergate.session.SessionTokens;
import io.metergate.testing.Meters;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rejected ingest requests: Stripe-shaped errors, and nothing of them stored")
class IngestRejectionTest {
  private static final int BODY_LIMIT = 64 * 1024;
  private static TestGateway gateway;
  private static StripeClient stripe;
  private static String token;

  @BeforeAll
  static void start() throws StripeException {
    gateway = TestGateway.start(Map.of("METERGATE_BODY_LIMIT_BYTES", Integer.toString(BODY_LIMIT)));
    stripe = gateway.client();
    for (String name : new String[] {"good", "retired"}) {
      stripe.billing().meters().create(Meters.sum(name, name));
    }
    String retired = stripe.billing().meters().list().getData().stream()
        .filter(m -> m.getEventName().equals("retired")).findFirst().orElseThrow().getId();
    stripe.billing().meters().deactivate(retired);
    token = stripe.v2().billing().meterEventSession().create().getAuthenticationToken();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static RawHttp.Response stream(JsonObject body) {
    return stream(body.encode());
  }

  private static RawHttp.Response stream(String body) {
    return RawHttp.post(gateway.baseUrl() + "/v2/billing/meter_event_stream", "Bearer " + token,
        "application/json", body);
  }

  private static JsonObject event(String identifier) {
    return new JsonObject().put("event_name", "good").put("identifier", identifier)
        .put("payload", new JsonObject().put("stripe_customer_id", "cus_r").put("value", "1"));
  }

  private static JsonObject batchWith(String prefix, int badIndex, JsonObject bad) {
    JsonArray events = new JsonArray();
    for (int i = 0; i < 5; i++) {
      events.add(i == badIndex ? bad : event(prefix + i));
    }
    return new JsonObject().put("events", events);
  }

  private static long stored(String prefix) {
    return gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier LIKE ?", prefix + "%");
  }

  private static void assertError(RawHttp.Response r, int status, String type, String code, String param) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/json"));
    assertThat(r.headers().firstValue("Request-Id")).hasValueSatisfying(v -> assertThat(v).startsWith("req_"));
    JsonObject error = r.error();
    assertThat(error.getString("type")).isEqualTo(type);
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("param")).isEqualTo(param);
    assertThat(error.getString("message")).isNotBlank();
  }

  @Test
  @DisplayName("101 events in one stream request: 400 too_many_events naming events, none stored")
  void tooManyEvents() {
    assertThatThrownBy(() -> gateway.client(token).v2().billing().meterEventStream()
        .create(io.metergate.testing.StreamBatches.batch("many-", 101, "good")))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(400);
          assertThat(e.getCode()).isEqualTo("too_many_events");
          assertThat(e.getStripeError().getParam()).isEqualTo("events");
        });
    assertThat(stored("many-")).isZero();
  }

  @Test
  @DisplayName("an empty events array: 400 naming events")
  void emptyEvents() {
    assertError(stream(new JsonObject().put("events", new JsonArray())), 400, "invalid_request_error",
        "parameter_invalid_empty", "events");
  }

  @Test
  @DisplayName("a body over the size limit: 413, Stripe-shaped, none stored")
  void bodyTooLarge() {
    JsonArray events = new JsonArray();
    for (int i = 0; i < 100; i++) {
      events.add(event("huge-" + i).put("payload", new JsonObject().put("stripe_customer_id", "c")
          .put("value", "1").put("pad", "x".repeat(99)).put("pad2", "y".repeat(99)).put("pad3", "z".repeat(99))
          .put("pad4", "w".repeat(99)).put("pad5", "v".repeat(99)).put("pad6", "u".repeat(99))));
    }
    String body = new JsonObject().put("events", events).encode();
    assertThat(body.length()).isGreaterThan(BODY_LIMIT);
    RawHttp.Response r = stream(body);
    assertError(r, 413, "invalid_request_error", "request_too_large", null);
    assertThat(stored("huge-")).isZero();
  }

  @Test
  @DisplayName("malformed JSON and a non-object body: 400 invalid_json")
  void malformedJson() {
    assertError(stream("{\"events\": [ {\"event_name\": "), 400, "invalid_request_error", "invalid_json", null);
    assertError(stream("[1, 2, 3]"), 400, "invalid_request_error", "invalid_json", null);
  }

  @Test
  @DisplayName("a non-string payload value is refused by path, and the valid events around it are not stored")
  void nonStringPayloadValue() {
    JsonObject bad = event("typed-3").put("payload", new JsonObject().put("stripe_customer_id", "cus_r").put("value", 5));
    assertError(stream(batchWith("typed-", 3, bad)), 400, "invalid_request_error", "parameter_invalid_string",
        "events[3].payload.value");
    assertThat(stored("typed-")).isZero();
  }

  @Test
  @DisplayName("a value that is not a number: payload_invalid_value naming it")
  void invalidValue() {
    JsonObject bad = event("nan-1").put("payload", new JsonObject().put("stripe_customer_id", "cus_r").put("value", "1e9"));
    assertError(stream(batchWith("nan-", 1, bad)), 400, "invalid_request_error", "payload_invalid_value",
        "events[1].payload.value");
    assertThat(stored("nan-")).isZero();
  }

  @Test
  @DisplayName("a missing customer key: payload_no_customer_defined naming the meter's key")
  void missingCustomer() {
    JsonObject bad = event("nocust-0").put("payload", new JsonObject().put("value", "1"));
    assertError(stream(batchWith("nocust-", 0, bad)), 400, "invalid_request_error", "payload_no_customer_defined",
        "events[0].payload.stripe_customer_id");
    assertThat(stored("nocust-")).isZero();
  }

  @Test
  @DisplayName("an event for an inactive meter: archived_meter; for no meter: no_meter; none of the batch stored")
  void inactiveAndUnknownMeter() {
    assertError(stream(batchWith("inactive-", 2, event("inactive-2").put("event_name", "retired"))), 400,
        "invalid_request_error", "archived_meter", "events[2].event_name");
    assertThat(stored("inactive-")).isZero();
    assertError(stream(batchWith("nometer-", 4, event("nometer-4").put("event_name", "nobody"))), 400,
        "invalid_request_error", "no_meter", "events[4].event_name");
    assertThat(stored("nometer-")).isZero();
  }

  @Test
  @DisplayName("timestamps more than 35 days old or 5 minutes ahead are refused by path, none stored")
  void timestampWindow() {
    String old = Instant.now().minus(36, ChronoUnit.DAYS).toString();
    String ahead = Instant.now().plus(10, ChronoUnit.MINUTES).toString();
    assertError(stream(batchWith("old-", 1, event("old-1").put("timestamp", old))), 400, "invalid_request_error",
        "timestamp_too_far_in_past", "events[1].timestamp");
    assertError(stream(batchWith("ahead-", 2, event("ahead-2").put("timestamp", ahead))), 400,
        "invalid_request_error", "timestamp_in_future", "events[2].timestamp");
    assertError(stream(batchWith("badts-", 0, event("badts-0").put("timestamp", "yesterday"))), 400,
        "invalid_request_error", "parameter_invalid_timestamp", "events[0].timestamp");
    assertThat(stored("old-") + stored("ahead-") + stored("badts-")).isZero();
  }

  @Test
  @DisplayName("unknown fields, at the top or inside an event, are refused by name")
  void unknownFields() {
    assertError(stream(batchWith("unk-", 0, event("unk-0")).put("extra", 1)), 400, "invalid_request_error",
        "parameter_unknown", "extra");
    assertError(stream(batchWith("unk-", 1, event("unk-1").put("customer", "x"))), 400, "invalid_request_error",
        "parameter_unknown", "events[1].customer");
    assertThat(stored("unk-")).isZero();
  }

  @Test
  @DisplayName("an identifier over 100 characters is refused by path")
  void identifierTooLong() {
    assertError(stream(batchWith("long-", 0, event("long-" + "x".repeat(100)))), 400, "invalid_request_error",
        "string_too_long", "events[0].identifier");
    assertThat(stored("long-")).isZero();
  }

  @Test
  @DisplayName("a wrong or missing secret key is 401, and the SDK raises AuthenticationException")
  void wrongKey() {
    assertThatThrownBy(() -> gateway.client("sk_test_wrongwrongwrong").billing().meters().list())
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(401);
          assertThat(e.getCode()).isEqualTo("api_key_invalid");
        });
    assertError(RawHttp.post(gateway.baseUrl() + "/v1/billing/meter_events", null,
        "application/x-www-form-urlencoded", "event_name=good&payload[stripe_customer_id]=c&payload[value]=1"),
        401, "invalid_request_error", "api_key_missing", null);
  }

  @Test
  @DisplayName("the stream refuses a secret key: it takes only session tokens")
  void secretKeyOnStream() {
    RawHttp.Response r = RawHttp.post(gateway.baseUrl() + "/v2/billing/meter_event_stream",
        "Bearer " + TestGateway.DEV_KEY, "application/json", batchWith("sk-", -1, null).encode());
    assertError(r, 401, "invalid_request_error", "session_token_required", null);
    assertThat(stored("sk-")).isZero();
  }

  @Test
  @DisplayName("an expired session token is 401 billing_meter_event_session_expired, which the SDK raises as such")
  void expiredToken() {
    long account = gateway.queryLong("SELECT min(id) FROM accounts");
    Instant past = Instant.now().minus(20, ChronoUnit.MINUTES);
    String expired = new SessionTokens(gateway.sessionSecret())
        .issue(account, false, past, past.plus(15, ChronoUnit.MINUTES)).token();
    assertThatThrownBy(() -> gateway.client(expired).v2().billing().meterEventStream()
        .create(io.metergate.testing.StreamBatches.batch("expired-", 3, "good")))
        .isInstanceOfSatisfying(TemporarySessionExpiredException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(401);
          assertThat(e.getCode()).isEqualTo("billing_meter_event_session_expired");
        });
    assertThat(stored("expired-")).isZero();
  }

  @Test
  @DisplayName("a token signed with another secret, or garbage, is 401 session_token_invalid")
  void forgedToken() {
    long account = gateway.queryLong("SELECT min(id) FROM accounts");
    String forged = new SessionTokens(new byte[32]).issue(account, false, Instant.now()).token();
    for (String bad : new String[] {forged, "ekt_test_garbage.garbage", "not-a-token"}) {
      RawHttp.Response r = RawHttp.post(gateway.baseUrl() + "/v2/billing/meter_event_stream", "Bearer " + bad,
          "application/json", batchWith("forged-", -1, null).encode());
      assertError(r, 401, "invalid_request_error", "session_token_invalid", null);
    }
    assertThat(stored("forged-")).isZero();
  }

  @Test
  @DisplayName("v1 form errors name params in bracket notation")
  void v1BracketParams() {
    StripeException e = org.assertj.core.api.Assertions.catchThrowableOfType(StripeException.class,
        () -> stripe.billing().meterEvents().create(com.stripe.param.billing.MeterEventCreateParams.builder()
            .setEventName("good").setIdentifier("v1-bad").putPayload("stripe_customer_id", "c")
            .putPayload("value", "ten").build()));
    assertThat(e.getStatusCode()).isEqualTo(400);
    assertThat(e.getCode()).isEqualTo("payload_invalid_value");
    assertThat(e.getStripeError().getParam()).isEqualTo("payload[value]");
    assertThat(stored("v1-bad")).isZero();
  }

  @Test
  @DisplayName("HTTP Basic auth with the key as user works, as curl -u sk_test_...: sends it")
  void basicAuth() {
    String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((TestGateway.DEV_KEY + ":").getBytes());
    RawHttp.Response r = RawHttp.get(gateway.baseUrl() + "/v1/billing/meters?limit=1", basic);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("object")).isEqualTo("list");
  }

  @Test
  @DisplayName("unknown routes are a Stripe-shaped 404; routes not built yet say 501 not_implemented")
  void unknownAndUnimplementedRoutes() {
    String auth = "Bearer " + TestGateway.DEV_KEY;
    assertError(RawHttp.get(gateway.baseUrl() + "/v1/unicorns", auth), 404, "invalid_request_error",
        "resource_missing", null);
    assertError(RawHttp.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.baseUrl() + "/v1/billing/meters")).header("Authorization", auth)
        .DELETE().build()), 404, "invalid_request_error", "resource_missing", null);
    assertError(RawHttp.get(gateway.baseUrl() + "/v1/test_helpers/test_clocks", auth), 501, "api_error", "not_implemented", null);
  }

  @Test
  @DisplayName("a GET that names a form or multipart content type still reads its query, not a body")
  void getWithBodyContentType() {
    for (String type : new String[] {"multipart/form-data; boundary=x", "application/x-www-form-urlencoded"}) {
      RawHttp.Response r = RawHttp.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(gateway.baseUrl() + "/v1/billing/meters?limit=1"))
          .header("Authorization", "Bearer " + TestGateway.DEV_KEY).header("Content-Type", type).GET().build());
      assertThat(r.status()).as(type + ": " + r.body()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("a session cannot be created with a session token")
  void sessionNeedsSecretKey() {
    assertError(RawHttp.post(gateway.baseUrl() + "/v2/billing/meter_event_session", "Bearer " + token,
        "application/json", "{}"), 401, "invalid_request_error", "secret_key_required", null);
  }

}
