package io.metergate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.metergate.testing.Meters;
import io.metergate.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * 10,000 generated hostile requests across the implemented routes: wrong types, unknown and
 * malformed parameters, bracket soup, broken and deeply nested JSON, invalid UTF-8, wrong content
 * types and credentials. None may produce a 5xx or a body that is not a Stripe error object, and the
 * gateway must keep serving valid traffic throughout.
 */
class HostileInputFuzzTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final List<String> KEYS = List.of("event_name", "payload", "identifier", "timestamp",
      "display_name", "default_aggregation", "customer_mapping", "value_settings", "event_time_window", "events",
      "limit", "starting_after", "ending_before", "status", "expand", "type", "formula", "value",
      "stripe_customer_id", "event_payload_key", "customer", "start_time", "end_time", "value_grouping_window",
      "alert_type", "title", "usage_threshold", "gte", "meter", "recurrence", "filters", "cancel", "url",
      "enabled_events", "types", "created", "delivery_success", "description", "metadata", "disabled",
      "amount", "currency", "applicability_config", "scope", "price_type", "prices", "id", "category",
      "effective_at", "expires_at", "priority", "name", "email", "phone", "balance", "filter", "credit_grant",
      "invoice", "monetary", "customer_account", "lines", "quantity", "quantity_decimal", "pricing", "price",
      "price_data", "unit_amount", "unit_amount_decimal", "period", "start", "end", "behavior", "invoice_item",
      "invoice_metadata", "items", "recurring", "interval", "usage_type", "tiers", "tiers_mode", "up_to",
      "billing_scheme", "product", "product_data", "paid_out_of_band", "pending_invoice_items_behavior",
      "collection_method", "days_until_due", "subscription", "backdate_start_date", "flat_amount");
  private static TestGateway gateway;
  private static String token;
  private static String meterId;
  private static String alertId;
  private static String customerId;
  private static String grantId;
  private static String invoiceId;
  private static final AtomicInteger tries = new AtomicInteger();

  record Hostile(String method, String path, String contentType, String auth, byte[] body) {}

  @BeforeContainer
  static void start() throws Exception {
    gateway = TestGateway.start();
    gateway.client().billing().meters().create(Meters.sum("fuzz", "fuzz"));
    // the target of path fuzzing (it may well get deactivated); "fuzz" stays for the valid traffic
    meterId = gateway.client().billing().meters().create(Meters.sum("fuzz_target", "fuzz_target")).getId();
    alertId = gateway.client().billing().alerts().create(com.stripe.param.billing.AlertCreateParams.builder()
        .setTitle("fuzz").setAlertType(com.stripe.param.billing.AlertCreateParams.AlertType.USAGE_THRESHOLD)
        .setUsageThreshold(com.stripe.param.billing.AlertCreateParams.UsageThreshold.builder().setGte(1000L)
            .setMeter(meterId).setRecurrence(com.stripe.param.billing.AlertCreateParams.UsageThreshold.Recurrence.ONE_TIME)
            .build()).build()).getId();
    token = gateway.client().v2().billing().meterEventSession().create().getAuthenticationToken();
    customerId = gateway.client().customers().create().getId();
    grantId = gateway.client().billing().creditGrants().create(
        io.metergate.testing.Credits.metered(customerId, "usd", 1000).build()).getId();
    invoiceId = gateway.client().invoices().create(com.stripe.param.InvoiceCreateParams.builder()
        .setCustomer(customerId).setCurrency("usd").build()).getId();
  }

  @AfterContainer
  static void stop() {
    gateway.close();
  }

  @Property(tries = 10_000, shrinking = net.jqwik.api.ShrinkingMode.OFF)
  void noHostileRequestGetsA5xxOrAShapelessError(@ForAll("hostile") Hostile h) throws Exception {
    HttpResponse<String> r = send(h);
    Statistics.collect(r.statusCode() / 100 + "xx");
    assertThat(r.statusCode()).as("%s %s -> %s", h.method(), h.path(), r.body()).isLessThan(500);
    JsonObject body;
    try {
      body = new JsonObject(r.body());
    } catch (io.vertx.core.json.DecodeException notJson) {
      throw new AssertionError("not a JSON object: " + h.method() + " " + abbreviate(h.path()) + " ["
          + h.contentType() + "] body=" + abbreviate(new String(h.body() == null ? new byte[0] : h.body(),
          StandardCharsets.UTF_8)) + " -> " + r.statusCode() + " " + abbreviate(r.body()));
    }
    if (r.statusCode() >= 400) {
      JsonObject error = body.getJsonObject("error");
      assertThat(error).as(r.body()).isNotNull();
      assertThat(error.getString("type")).isNotBlank();
      assertThat(error.getString("message")).isNotBlank();
    }
    if (tries.incrementAndGet() % 500 == 0) {
      assertStillServesValidTraffic();
    }
  }

  private static void assertStillServesValidTraffic() throws Exception {
    String id = "valid-" + tries.get();
    String batch = "{\"events\":[{\"event_name\":\"fuzz\",\"identifier\":\"" + id
        + "\",\"payload\":{\"stripe_customer_id\":\"cus_f\",\"value\":\"1\"}}]}";
    HttpResponse<String> r = send(new Hostile("POST", "/v2/billing/meter_event_stream", "application/json",
        "Bearer " + token, batch.getBytes(StandardCharsets.UTF_8)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier = ?", id)).isEqualTo(1);
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  private static HttpResponse<String> send(Hostile h) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + h.path()))
        .timeout(Duration.ofSeconds(30))
        .method(h.method(), h.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(h.body()));
    if (h.contentType() != null) {
      b.header("Content-Type", h.contentType());
    }
    if (h.auth() != null) {
      b.header("Authorization", h.auth());
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Provide
  Arbitrary<Hostile> hostile() {
    return Arbitraries.oneOf(
        form("POST", Arbitraries.of("/v1/billing/meters", "/v1/billing/meter_events", "/v1/billing/alerts",
            "/v1/billing/meter_event_adjustments", "/v1/webhook_endpoints")),
        form("DELETE", Arbitraries.of("/v1/webhook_endpoints/we_doesnotexist", "/v1/webhook_endpoints/%00")),
        form("POST", meterPath("", "/deactivate", "/reactivate")),
        form("POST", Arbitraries.of("/activate", "/deactivate", "/archive").map(a -> "/v1/billing/alerts/" + alertId + a)),
        query(meterPath("", "", "/event_summaries")),
        query(Arbitraries.of("/v1/billing/meters", "/v1/billing/alerts", "/v1/billing/alerts/" + alertId, "/v1/events",
            "/v1/events/evt_doesnotexist", "/v1/webhook_endpoints")),
        form("POST", Arbitraries.of("/v1/customers", "/v1/customers/" + customerId,
            "/v1/customers/" + customerId + "/balance_transactions", "/v1/billing/credit_grants",
            "/v1/billing/credit_grants/" + grantId, "/v1/billing/credit_grants/" + grantId + "/expire",
            "/v1/billing/credit_grants/" + grantId + "/void")),
        form("DELETE", Arbitraries.of("/v1/customers/cus_doesnotexist", "/v1/customers/%00")),
        query(Arbitraries.of("/v1/customers", "/v1/customers/" + customerId,
            "/v1/customers/" + customerId + "/balance_transactions", "/v1/billing/credit_grants",
            "/v1/billing/credit_balance_summary", "/v1/billing/credit_balance_transactions",
            "/v1/billing/credit_balance_transactions/cbtxn_doesnotexist")),
        form("POST", Arbitraries.of("/v1/invoices", "/v1/invoices/create_preview", "/v1/invoiceitems", "/v1/products",
            "/v1/prices", "/v1/subscriptions").map(p -> p)),
        form("POST", Arbitraries.of("", "/add_lines", "/remove_lines", "/update_lines", "/finalize", "/void", "/pay")
            .map(a -> "/v1/invoices/" + invoiceId + a)),
        query(Arbitraries.of("/v1/invoices", "/v1/invoices/" + invoiceId, "/v1/invoices/" + invoiceId + "/lines",
            "/v1/invoices/upcoming/lines", "/v1/invoiceitems", "/v1/products", "/v1/prices", "/v1/subscriptions")),
        json(Arbitraries.of("/v2/billing/meter_events", "/v2/billing/meter_event_session",
            "/v2/billing/meter_event_adjustments"), secretKeys()),
        json(Arbitraries.just("/v2/billing/meter_event_stream"), sessionTokens()),
        unknownRoutes());
  }

  private Arbitrary<String> meterPath(String... suffixes) {
    return Combinators.combine(
        Arbitraries.oneOf(Arbitraries.of("mtr_doesnotexist", meterId), Arbitraries.strings().ofMaxLength(40)
            .map(s -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8))),
        Arbitraries.of(suffixes)).as((id, suffix) -> "/v1/billing/meters/" + id + suffix);
  }

  private Arbitrary<Hostile> form(String method, Arbitrary<String> paths) {
    return Combinators.combine(paths, formBodies(), Arbitraries.of("application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded", "application/json", "text/plain", "multipart/form-data; boundary=x"),
        secretKeys()).as((path, body, type, auth) -> new Hostile(method, path, type, auth, body));
  }

  private Arbitrary<Hostile> query(Arbitrary<String> paths) {
    return Combinators.combine(paths, formBodies(), secretKeys()).as((path, query, auth) -> {
      StringBuilder q = new StringBuilder();
      for (byte b : query) {
        char c = (char) (b & 0xff);
        if (Character.isLetterOrDigit(c) && c < 128 || "-._~&=+".indexOf(c) >= 0) {
          q.append(c);
        } else {
          q.append(String.format("%%%02X", b & 0xff));
        }
      }
      return new Hostile("GET", path + "?" + q, null, auth, null);
    });
  }

  private Arbitrary<Hostile> json(Arbitrary<String> paths, Arbitrary<String> auths) {
    return Combinators.combine(paths, jsonBodies(), Arbitraries.of("application/json", "application/json",
        "text/plain"), auths).as((path, body, type, auth) -> new Hostile("POST", path, type, auth, body));
  }

  private Arbitrary<Hostile> unknownRoutes() {
    return Combinators.combine(Arbitraries.of("GET", "POST", "DELETE", "PUT", "PATCH"),
        Arbitraries.strings().alpha().numeric().withChars('/', '_', '.').ofMaxLength(60), secretKeys())
        .as((method, path, auth) -> new Hostile(method, "/v9/" + path, null, auth, null));
  }

  private Arbitrary<String> secretKeys() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.just("Bearer " + TestGateway.DEV_KEY)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMaxLength(80).map(s -> "Bearer " + s)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("Basic !!!notbase64", "Basic " + java.util.Base64.getEncoder()
            .encodeToString("sk_test_nope:".getBytes()), "Bearer ekt_test_x.y")));
  }

  private Arbitrary<String> sessionTokens() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.just("Bearer " + token)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().alpha().ofMaxLength(60).map(s -> "Bearer ekt_test_" + s)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("Bearer " + TestGateway.DEV_KEY)));
  }

  private Arbitrary<byte[]> formBodies() {
    Arbitrary<String> keys = Arbitraries.oneOf(
        Arbitraries.of(KEYS),
        Arbitraries.of(KEYS).list().ofMinSize(1).ofMaxSize(4).map(parts -> parts.get(0)
            + parts.stream().skip(1).map(p -> "[" + p + "]").reduce("", String::concat)),
        Arbitraries.strings().withChars("[]abc0123_%").ofMaxLength(30),
        Arbitraries.of("payload[stripe_customer_id]", "payload[value]", "expand[]", "events[0][event_name]",
            "a[b][c][d][e][f][g]", "[x]", "a[", "a]]", "limit"));
    Arbitrary<String> values = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(50),
        Arbitraries.strings().withChars("%zZ0+&=").ofMaxLength(10),
        Arbitraries.of("http://127.0.0.1:1/x", "https://example.com/hook", "billing.alert.triggered", "*", "true",
            "false", "usd", "eur", "inf", "month", "metered", "graduated", "volume", "tiered", "delete", "unassign",
            "include", "1E+30", "1e-40", "0.0000000000001", "999999999999999999", customerId, invoiceId),
        Arbitraries.of("", "fuzz", "sum", "count", "1", "-1", "1e9", "NaN", "99999999999999999999999", "0.0000000000001",
            "cus_1", "2024-01-01T00:00:00Z", "mtr_doesnotexist", "hour", "day", "cancel", "usage_threshold", "one_time",
            "customer", "0", "60", "3600", "86400", "9223372036854775807", "253402300799", "253402300800",
            "usd", "monetary", "metered", "applicability_scope", "credit_grant", "paid", "promotional",
            customerId, grantId),
        Arbitraries.longs().between(0, 4_000_000_000L).map(l -> Long.toString(l / 60 * 60)),
        Arbitraries.strings().ofLength(5000));
    Arbitrary<String> pair = Combinators.combine(keys, values).as((k, v) ->
        (Math.random() < 0.7 ? java.net.URLEncoder.encode(k, StandardCharsets.UTF_8).replace("%5B", "[").replace("%5D", "]") : k)
            + "=" + (Math.random() < 0.7 ? java.net.URLEncoder.encode(v, StandardCharsets.UTF_8) : v));
    return pair.list().ofMaxSize(12).map(ps -> String.join("&", ps).getBytes(StandardCharsets.UTF_8));
  }

  private Arbitrary<byte[]> jsonBodies() {
    Arbitrary<Object> leaf = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30).map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i), Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just((Object) null), Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of("fuzz", "cus_1", "1", "2024-06-01T00:00:00Z").map(s -> (Object) s));
    Arbitrary<Object> tree = Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
        inner.list().ofMaxSize(4).map(l -> (Object) new io.vertx.core.json.JsonArray(l)),
        Combinators.combine(Arbitraries.of(KEYS), inner).as((k, v) -> (Object) new JsonObject().put(k, v)),
        Combinators.combine(Arbitraries.of(KEYS), inner, Arbitraries.of(KEYS), inner)
            .as((k1, v1, k2, v2) -> (Object) new JsonObject().put(k1, v1).put(k2, v2))), 0, 6);
    Arbitrary<byte[]> wellFormed = tree.map(t -> io.vertx.core.json.Json.encode(t).getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> streamShaped = Combinators.combine(tree, tree, Arbitraries.integers().between(0, 120))
        .as((payload, ts, n) -> {
          io.vertx.core.json.JsonArray events = new io.vertx.core.json.JsonArray();
          for (int i = 0; i < n; i++) {
            events.add(new JsonObject().put("event_name", "fuzz").put("payload", payload).put("timestamp", ts));
          }
          return new JsonObject().put("events", events).encode().getBytes(StandardCharsets.UTF_8);
        });
    Arbitrary<byte[]> broken = Combinators.combine(wellFormed, Arbitraries.integers().between(0, 100))
        .as((bytes, cut) -> java.util.Arrays.copyOf(bytes, Math.min(bytes.length, cut)));
    Arbitrary<byte[]> junk = Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
        Arbitraries.integers().between(1, 5000).map(n -> ("[".repeat(n) + "]".repeat(n)).getBytes()),
        Arbitraries.integers().between(1, 5000).map(n -> ("{\"events\":" + "[".repeat(n)).getBytes()),
        Arbitraries.just(new byte[] {(byte) 0xc3, (byte) 0x28, '{', '}'}));
    return Arbitraries.oneOf(wellFormed, streamShaped, broken, junk);
  }
}
