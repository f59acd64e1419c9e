package io.metergate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.param.PriceCreateParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import io.metergate.testing.Customers;
import io.metergate.testing.Meters;
import io.metergate.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated requests against products, prices and subscriptions, built from their real parameter
 * names (nested and indexed) with hostile and almost-valid values: none may get a 5xx, and every
 * answer is a Stripe object or a Stripe error.
 */
class CatalogHostileInputTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final List<String> PATHS = List.of("name", "description", "active", "metadata[k]", "metadata",
      "type", "currency", "product", "product_data[name]", "product_data[active]", "product_data[metadata][a]",
      "unit_amount", "unit_amount_decimal", "billing_scheme", "tiers_mode", "tiers[0][up_to]", "tiers[1][up_to]",
      "tiers[0][unit_amount]", "tiers[0][unit_amount_decimal]", "tiers[1][flat_amount]", "tiers[1][flat_amount_decimal]",
      "tiers[0]", "tiers", "recurring[interval]", "recurring[interval_count]", "recurring[usage_type]",
      "recurring[meter]", "recurring", "lookup_key", "lookup_keys[]", "lookup_keys[0]", "transfer_lookup_key",
      "nickname", "tax_behavior", "customer", "items[0][price]", "items[1][price]", "items[0][quantity]",
      "items[0][metadata][m]", "items[0]", "items", "backdate_start_date", "billing_cycle_anchor", "status", "price",
      "cancellation_details[feedback]", "cancellation_details[comment]", "invoice_now", "expand[]", "expand[0]",
      "limit", "starting_after", "ending_before", "ids[]", "collection_method", "payment_behavior");
  private static TestGateway gateway;
  private static String productId;
  private static String meterId;
  private static String priceId;
  private static String customerId;
  private static String subscriptionId;

  record Hostile(String method, String path, String body) {}

  @BeforeContainer
  static void start() throws Exception {
    gateway = TestGateway.start();
    var stripe = gateway.client();
    productId = stripe.products().create(ProductCreateParams.builder().setName("fuzz").build()).getId();
    meterId = stripe.billing().meters().create(Meters.sum("catalog_fuzz", "fuzz")).getId();
    priceId = stripe.prices().create(PriceCreateParams.builder().setCurrency("usd").setProduct(productId)
        .setUnitAmount(1L).setRecurring(PriceCreateParams.Recurring.builder()
            .setInterval(PriceCreateParams.Recurring.Interval.MONTH).build()).build()).getId();
    customerId = Customers.create(gateway);
    subscriptionId = stripe.subscriptions().create(SubscriptionCreateParams.builder().setCustomer(customerId)
        .addItem(SubscriptionCreateParams.Item.builder().setPrice(priceId).build()).build()).getId();
  }

  @AfterContainer
  static void stop() {
    gateway.close();
  }

  @Property(tries = 2000, shrinking = ShrinkingMode.OFF)
  @Label("no generated catalog or subscription request gets a 5xx or a shapeless body")
  void noGeneratedRequestGetsA5xx(@ForAll("hostile") Hostile h) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + h.path()))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TestGateway.DEV_KEY)
        .method(h.method(), h.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(h.body()));
    if (h.body() != null) {
      // only with a body: a GET with a form Content-Type is a 500 gateway-wide (BodyHandler), reported apart
      b.header("Content-Type", "application/x-www-form-urlencoded");
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    String what = h.method() + " " + h.path() + " " + h.body() + " -> " + r.body();
    Statistics.collect(h.method(), r.statusCode() / 100 + "xx");
    assertThat(r.statusCode()).as(what).isLessThan(500);
    JsonObject body = new JsonObject(r.body());
    if (r.statusCode() >= 400) {
      assertThat(body.getJsonObject("error").getString("message")).as(what).isNotBlank();
    } else {
      assertThat(body.getString("object")).as(what).isNotBlank();
    }
  }

  @Provide
  Arbitrary<Hostile> hostile() {
    Arbitrary<String> form = form(10);
    return Arbitraries.oneOf(nearlyValid(),
        Combinators.combine(Arbitraries.of("/v1/products", "/v1/prices", "/v1/subscriptions",
            "/v1/products/" + productId, "/v1/prices/" + priceId), form)
            .as((path, body) -> new Hostile("POST", path, body)),
        Combinators.combine(Arbitraries.of("/v1/products", "/v1/prices", "/v1/subscriptions",
            "/v1/products/" + productId, "/v1/prices/" + priceId, "/v1/subscriptions/" + subscriptionId), form)
            .as((path, query) -> new Hostile("GET", path + "?" + query, null)),
        Combinators.combine(Arbitraries.of("/v1/subscriptions/sub_missing", "/v1/subscriptions/" + subscriptionId),
            form).as((path, query) -> new Hostile("DELETE", path + "?" + query, null)));
  }

  /** A valid create request with a few parameters added or replaced, so validation runs deep. */
  private Arbitrary<Hostile> nearlyValid() {
    Arbitrary<String[]> bases = Arbitraries.of(
        new String[] {"/v1/products", "name=x"},
        new String[] {"/v1/prices", "currency=usd&product=" + productId + "&unit_amount=1"},
        new String[] {"/v1/prices", "currency=usd&product=" + productId + "&billing_scheme=tiered&tiers_mode=graduated"
            + "&tiers[0][up_to]=10&tiers[0][unit_amount]=1&tiers[1][up_to]=inf&tiers[1][unit_amount_decimal]=0.5"
            + "&recurring[interval]=month&recurring[usage_type]=metered&recurring[meter]=" + meterId},
        new String[] {"/v1/subscriptions", "customer=" + customerId + "&items[0][price]=" + priceId},
        new String[] {"/v1/prices/" + priceId, "nickname=n&lookup_key=k"});
    return Combinators.combine(bases, form(3)).as((base, extra) ->
        new Hostile("POST", base[0], extra.isEmpty() ? base[1] : base[1] + "&" + extra));
  }

  private Arbitrary<String> form(int maxPairs) {
    Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(PATHS),
        Arbitraries.strings().withChars("[]abcitems0_").ofMaxLength(20));
    Arbitrary<String> values = Arbitraries.oneOf(
        Arbitraries.of("", "inf", "true", "false", "usd", "USD", "eur", "zzz", "per_unit", "tiered", "graduated",
            "volume", "month", "year", "week", "day", "metered", "licensed", "one_time", "recurring", "all",
            "canceled", "ended", "exclusive", "tiers", "product", "data.product", "items.data.price.tiers",
            "charge_automatically", "send_invoice", "too_expensive"),
        Arbitraries.of(productId, meterId, priceId, customerId, subscriptionId, "prod_x", "price_x", "cus_x"),
        Arbitraries.of("0", "1", "-1", "1000", "0.5", "1E-7", "1e99", "1E+30", "0.0000000000001", "99999999999999999999",
            "9223372036854775807", "-9223372036854775808", "253402300800", "999999999999999999", "NaN", "1,5", ". "),
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.strings().ofLength(300));
    Arbitrary<String> pair = Combinators.combine(keys, values).as((k, v) ->
        k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
    return pair.list().ofMaxSize(maxPairs).map(ps -> String.join("&", ps));
  }
}
