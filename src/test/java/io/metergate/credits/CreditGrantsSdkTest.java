package io.metergate.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.billing.CreditGrant;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.billing.CreditGrantCreateParams;
import com.stripe.param.billing.CreditGrantCreateParams.Amount;
import com.stripe.param.billing.CreditGrantCreateParams.ApplicabilityConfig;
import com.stripe.param.billing.CreditGrantCreateParams.ApplicabilityConfig.Scope;
import com.stripe.param.billing.CreditGrantListParams;
import com.stripe.param.billing.CreditGrantUpdateParams;
import com.stripe.param.common.EmptyParam;
import io.metergate.testing.BillingRows;
import io.metergate.testing.Credits;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Billing credit grants through the official stripe-java SDK")
class CreditGrantsSdkTest {
  private static TestGateway gateway;
  private static StripeClient stripe;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start();
    stripe = gateway.client();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static Customer customer(StripeClient client) throws StripeException {
    return client.customers().create(CustomerCreateParams.builder().setName("credits").build());
  }

  static void refused(ThrowingCallable call, int status, String code, String param) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
      assertThat(e.getStatusCode()).isEqualTo(status);
      assertThat(e.getCode()).isEqualTo(code);
      assertThat(e.getStripeError().getParam()).isEqualTo(param);
    });
  }

  /** The grant's credit balance transactions as (kind, amount), oldest first. */
  static List<String> movements(TestGateway gateway, String grant) {
    return gateway.queryJson("SELECT json_build_object('m', t.kind || ':' || t.amount)::text"
            + " FROM credit_balance_transactions t JOIN credit_grants g ON g.id = t.credit_grant_id"
            + " WHERE g.public_id = ? ORDER BY t.id", grant).stream().map(j -> j.getString("m")).toList();
  }

  @Test
  @DisplayName("a created grant has Stripe's whole shape, retrieves the same, and records its credits_granted")
  void createAndRetrieve() throws StripeException {
    Customer c = customer(stripe);
    long now = Instant.now().getEpochSecond();
    CreditGrant g = stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 1000)
        .setCategory(CreditGrantCreateParams.Category.PROMOTIONAL).setEffectiveAt(now - 60)
        .setExpiresAt(now + 3600).setName("Welcome credits").setPriority(10L).putMetadata("campaign", "spring")
        .build());

    assertThat(g.getId()).startsWith("credgr_");
    assertThat(g.getObject()).isEqualTo("billing.credit_grant");
    assertThat(g.getAmount().getType()).isEqualTo("monetary");
    assertThat(g.getAmount().getMonetary().getCurrency()).isEqualTo("usd");
    assertThat(g.getAmount().getMonetary().getValue()).isEqualTo(1000);
    assertThat(g.getApplicabilityConfig().getScope().getPriceType()).isEqualTo("metered");
    assertThat(g.getApplicabilityConfig().getScope().getPrices()).isNull();
    assertThat(g.getCategory()).isEqualTo("promotional");
    assertThat(g.getCreated()).isBetween(now - 1, Instant.now().getEpochSecond());
    assertThat(g.getUpdated()).isEqualTo(g.getCreated());
    assertThat(g.getCustomer()).isEqualTo(c.getId());
    assertThat(g.getCustomerAccount()).isNull();
    assertThat(g.getEffectiveAt()).isEqualTo(now - 60);
    assertThat(g.getExpiresAt()).isEqualTo(now + 3600);
    assertThat(g.getLivemode()).isFalse();
    assertThat(g.getMetadata()).containsExactly(Map.entry("campaign", "spring"));
    assertThat(g.getName()).isEqualTo("Welcome credits");
    assertThat(g.getPriority()).isEqualTo(10);
    assertThat(g.getTestClock()).isNull();
    assertThat(g.getVoidedAt()).isNull();
    assertThat(stripe.billing().creditGrants().retrieve(g.getId())).isEqualTo(g);
    assertThat(movements(gateway, g.getId())).containsExactly("credits_granted:1000");

    CreditGrant defaults = stripe.billing().creditGrants().create(Credits.metered(c.getId(), "eur", 5).build());
    assertThat(defaults.getCategory()).isEqualTo("paid");
    assertThat(defaults.getPriority()).isEqualTo(50);
    assertThat(defaults.getEffectiveAt()).as("now").isBetween(now - 1, Instant.now().getEpochSecond());
    assertThat(defaults.getExpiresAt()).isNull();
    assertThat(defaults.getName()).isNull();
    assertThat(defaults.getMetadata()).isEmpty();
  }

  @Test
  @DisplayName("a grant can list metered prices of the account instead of every metered price")
  void priceScope() throws StripeException {
    Customer c = customer(stripe);
    String p1 = BillingRows.price(gateway, TestGateway.DEV_KEY, "usd", true);
    String p2 = BillingRows.price(gateway, TestGateway.DEV_KEY, "usd", true);
    CreditGrant g = stripe.billing().creditGrants().create(Credits.forPrices(c.getId(), "usd", 300, p1, p2).build());
    assertThat(g.getApplicabilityConfig().getScope().getPriceType()).isNull();
    assertThat(g.getApplicabilityConfig().getScope().getPrices())
        .extracting(CreditGrant.ApplicabilityConfig.Scope.Price::getId).containsExactly(p1, p2);
    assertThat(stripe.billing().creditGrants().retrieve(g.getId())).isEqualTo(g);

    String licensed = BillingRows.price(gateway, TestGateway.DEV_KEY, "usd", false);
    refused(() -> stripe.billing().creditGrants().create(Credits.forPrices(c.getId(), "usd", 1, p1, licensed).build()),
        400, "price_not_metered", "applicability_config[scope][prices][1][id]");
    refused(() -> stripe.billing().creditGrants().create(Credits.forPrices(c.getId(), "usd", 1, "price_nope").build()),
        400, "resource_missing", "applicability_config[scope][prices][0][id]");
    refused(() -> stripe.billing().creditGrants().create(Credits.forPrices(c.getId(), "usd", 1, p1, p1).build()),
        400, "parameter_invalid_array", "applicability_config[scope][prices][1][id]");
    String othersPrice = BillingRows.price(gateway, gateway.newAccountKey(false), "usd", true);
    refused(() -> stripe.billing().creditGrants().create(Credits.forPrices(c.getId(), "usd", 1, othersPrice).build()),
        400, "resource_missing", "applicability_config[scope][prices][0][id]");
  }

  @Test
  @DisplayName("invalid grants are refused by parameter name")
  void refusals() throws StripeException {
    Customer c = customer(stripe);
    String id = c.getId();
    var grants = stripe.billing().creditGrants();
    long now = Instant.now().getEpochSecond();
    refused(() -> grants.create(CreditGrantCreateParams.builder().setCustomer(id).build()),
        400, "parameter_missing", "amount");
    refused(() -> grants.create(Credits.metered(id, "usd", 1).setAmount(Amount.builder()
        .setMonetary(Amount.Monetary.builder().setCurrency("usd").setValue(5L).build()).build()).build()),
        400, "parameter_missing", "amount[type]");
    refused(() -> grants.create(Credits.metered(id, "usd", 1)
        .setAmount(Amount.builder().setType(Amount.Type.MONETARY).build()).build()),
        400, "parameter_missing", "amount[monetary]");
    refused(() -> grants.create(Credits.metered(id, "usd", 0).build()),
        400, "parameter_invalid_integer", "amount[monetary][value]");
    refused(() -> grants.create(Credits.metered(id, "usd", -5).build()),
        400, "parameter_invalid_integer", "amount[monetary][value]");
    refused(() -> grants.create(Credits.metered(id, "USD", 5).build()),
        400, "invalid_currency", "amount[monetary][currency]");
    refused(() -> grants.create(CreditGrantCreateParams.builder().setCustomer(id)
        .setAmount(Credits.amount("usd", 5)).build()), 400, "parameter_missing", "applicability_config");
    refused(() -> grants.create(Credits.metered(id, "usd", 5).setApplicabilityConfig(ApplicabilityConfig.builder()
        .setScope(Scope.builder().setPriceType(Scope.PriceType.METERED)
            .addPrice(Scope.Price.builder().setId("price_x").build()).build()).build()).build()),
        400, "parameters_exclusive", "applicability_config[scope][prices]");
    refused(() -> grants.create(Credits.metered(id, "usd", 5).setApplicabilityConfig(ApplicabilityConfig.builder()
        .setScope(Scope.builder().build()).build()).build()), 400, "parameter_missing", "applicability_config");
    refused(() -> grants.create(Credits.metered(id, "usd", 5).setEffectiveAt(now + 100).setExpiresAt(now + 100)
        .build()), 400, "parameter_invalid_integer", "expires_at");
    refused(() -> grants.create(Credits.metered(id, "usd", 5).setExpiresAt(now - 100).build()),
        400, "parameter_invalid_integer", "expires_at");
    refused(() -> grants.create(Credits.metered(id, "usd", 5).setPriority(101L).build()),
        400, "parameter_invalid_integer", "priority");
    refused(() -> grants.create(Credits.metered(id, "usd", 5).setPriority(-1L).build()),
        400, "parameter_invalid_integer", "priority");
    refused(() -> grants.create(Credits.metered(id, "usd", 5).setName("n".repeat(101)).build()),
        400, "string_too_long", "name");
    refused(() -> grants.create(Credits.metered(null, "usd", 5).build()), 400, "parameter_missing", "customer");
    refused(() -> grants.create(Credits.metered("cus_nope", "usd", 5).build()), 400, "resource_missing", "customer");
    refused(() -> grants.create(Credits.metered(id, "usd", 5).setCustomerAccount("acct_1").build()),
        400, "parameter_unsupported", "customer_account");
    refused(() -> grants.create(Credits.metered(id, "usd", 5).putExtraParam("tax_behavior", "x").build()),
        400, "parameter_unknown", "tax_behavior");
    String auth = "Bearer " + TestGateway.DEV_KEY;
    String base = "customer=" + id + "&amount[type]=monetary&amount[monetary][currency]=usd"
        + "&applicability_config[scope][price_type]=metered";
    assertRaw(RawHttp.post(gateway.baseUrl() + "/v1/billing/credit_grants", auth,
        "application/x-www-form-urlencoded", base + "&amount[monetary][value]=12.5"),
        "parameter_invalid_integer", "amount[monetary][value]");
    assertRaw(RawHttp.post(gateway.baseUrl() + "/v1/billing/credit_grants", auth,
        "application/x-www-form-urlencoded", base + "&amount[monetary][value]=5&category=free"),
        "parameter_invalid_enum", "category");
    assertRaw(RawHttp.post(gateway.baseUrl() + "/v1/billing/credit_grants", auth,
        "application/x-www-form-urlencoded", base + "&amount[monetary][value]=5&effective_at=soon"),
        "parameter_invalid_integer", "effective_at");
    assertRaw(RawHttp.post(gateway.baseUrl() + "/v1/billing/credit_grants", auth,
        "application/x-www-form-urlencoded", base + "&amount[monetary][value]=5&expires_at=99999999999999"),
        "parameter_invalid_integer", "expires_at");
    assertThat(grants.list(CreditGrantListParams.builder().setCustomer(id).build()).getData()).isEmpty();

    stripe.customers().delete(id);
    refused(() -> grants.create(Credits.metered(id, "usd", 5).build()), 400, "resource_missing", "customer");
  }

  private static void assertRaw(RawHttp.Response r, String code, String param) {
    assertThat(r.status()).isEqualTo(400);
    JsonObject error = r.error();
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("param")).isEqualTo(param);
  }

  @Test
  @DisplayName("an update moves or clears expires_at and patches metadata; a past or too early expiry is refused")
  void update() throws StripeException {
    Customer c = customer(stripe);
    long now = Instant.now().getEpochSecond();
    CreditGrant g = stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 100)
        .setEffectiveAt(now + 1000).putMetadata("keep", "1").putMetadata("drop", "2").build());
    CreditGrant moved = stripe.billing().creditGrants().update(g.getId(), CreditGrantUpdateParams.builder()
        .setExpiresAt(now + 5000).putMetadata("drop", "").putMetadata("add", "3").build());
    assertThat(moved.getExpiresAt()).isEqualTo(now + 5000);
    assertThat(moved.getMetadata()).containsOnly(Map.entry("keep", "1"), Map.entry("add", "3"));
    assertThat(moved.getUpdated()).isGreaterThanOrEqualTo(g.getUpdated());
    assertThat(moved.getEffectiveAt()).isEqualTo(now + 1000);
    CreditGrant cleared = stripe.billing().creditGrants().update(g.getId(),
        CreditGrantUpdateParams.builder().setExpiresAt(EmptyParam.EMPTY).build());
    assertThat(cleared.getExpiresAt()).isNull();
    assertThat(cleared.getMetadata()).isEqualTo(moved.getMetadata());

    refused(() -> stripe.billing().creditGrants().update(g.getId(),
        CreditGrantUpdateParams.builder().setExpiresAt(now + 500).build()), 400, "parameter_invalid_integer",
        "expires_at");
    CreditGrant current = stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 100).build());
    refused(() -> stripe.billing().creditGrants().update(current.getId(),
        CreditGrantUpdateParams.builder().setExpiresAt(now - 10).build()), 400, "parameter_invalid_integer",
        "expires_at");
    refused(() -> stripe.billing().creditGrants().update(g.getId(),
        CreditGrantUpdateParams.builder().putExtraParam("priority", "1").build()), 400, "parameter_unknown",
        "priority");
    assertThat(stripe.billing().creditGrants().retrieve(g.getId()).getExpiresAt()).isNull();
  }

  @Test
  @DisplayName("expire ends a grant now and debits what remains; an expired grant cannot be expired again or"
      + " extended, but can be voided")
  void expire() throws StripeException {
    Customer c = customer(stripe);
    CreditGrant g = stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 700).build());
    long before = Instant.now().getEpochSecond();
    CreditGrant expired = stripe.billing().creditGrants().expire(g.getId());
    assertThat(expired.getExpiresAt()).isBetween(before, Instant.now().getEpochSecond());
    assertThat(expired.getVoidedAt()).isNull();
    assertThat(expired.getUpdated()).isGreaterThanOrEqualTo(before);
    assertThat(movements(gateway, g.getId())).containsExactly("credits_granted:700", "credits_expired:700");

    refused(() -> stripe.billing().creditGrants().expire(g.getId()), 400, "credit_grant_expired", null);
    refused(() -> stripe.billing().creditGrants().update(g.getId(),
        CreditGrantUpdateParams.builder().setExpiresAt(before + 9999).build()), 400, "credit_grant_expired", null);
    CreditGrant labelled = stripe.billing().creditGrants().update(g.getId(),
        CreditGrantUpdateParams.builder().putMetadata("note", "expired early").build());
    assertThat(labelled.getMetadata()).containsEntry("note", "expired early");

    CreditGrant voided = stripe.billing().creditGrants().voidGrant(g.getId());
    assertThat(voided.getVoidedAt()).isBetween(before, Instant.now().getEpochSecond());
    assertThat(movements(gateway, g.getId())).as("nothing remained to void")
        .containsExactly("credits_granted:700", "credits_expired:700");
  }

  @Test
  @DisplayName("void sets voided_at and debits what remains; a voided grant cannot be voided, expired or extended")
  void voidGrant() throws StripeException {
    Customer c = customer(stripe);
    long now = Instant.now().getEpochSecond();
    CreditGrant g = stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 250)
        .setEffectiveAt(now + 3600).build());
    CreditGrant voided = stripe.billing().creditGrants().voidGrant(g.getId());
    assertThat(voided.getVoidedAt()).isBetween(now, Instant.now().getEpochSecond());
    assertThat(voided.getExpiresAt()).isNull();
    assertThat(movements(gateway, g.getId())).containsExactly("credits_granted:250", "credits_voided:250");
    refused(() -> stripe.billing().creditGrants().voidGrant(g.getId()), 400, "credit_grant_voided", null);
    refused(() -> stripe.billing().creditGrants().expire(g.getId()), 400, "credit_grant_voided", null);
    refused(() -> stripe.billing().creditGrants().update(g.getId(),
        CreditGrantUpdateParams.builder().setExpiresAt(now + 9999).build()), 400, "credit_grant_voided", null);
    assertThat(stripe.billing().creditGrants().retrieve(g.getId())).isEqualTo(voided);
  }

  @Test
  @DisplayName("the list filters by customer and pages both ways, newest first")
  void list() throws StripeException {
    StripeClient own = gateway.client(gateway.newAccountKey(false));
    Customer a = customer(own);
    Customer b = customer(own);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(0, own.billing().creditGrants().create(Credits.metered(a.getId(), "usd", 10 + i).build()).getId());
    }
    String ofB = own.billing().creditGrants().create(Credits.metered(b.getId(), "usd", 1).build()).getId();

    var first = own.billing().creditGrants().list(CreditGrantListParams.builder().setCustomer(a.getId())
        .setLimit(2L).build());
    assertThat(first.getUrl()).isEqualTo("/v1/billing/credit_grants");
    assertThat(first.getHasMore()).isTrue();
    assertThat(first.getData()).extracting(CreditGrant::getId).containsExactly(ids.get(0), ids.get(1));
    var back = own.billing().creditGrants().list(CreditGrantListParams.builder().setCustomer(a.getId())
        .setLimit(2L).setEndingBefore(ids.get(4)).build());
    assertThat(back.getData()).extracting(CreditGrant::getId).containsExactly(ids.get(2), ids.get(3));
    List<String> all = new ArrayList<>();
    first.autoPagingIterable().forEach(g -> all.add(g.getId()));
    assertThat(all).containsExactlyElementsOf(ids);
    assertThat(own.billing().creditGrants().list().getData()).extracting(CreditGrant::getId)
        .containsExactly(ofB, ids.get(0), ids.get(1), ids.get(2), ids.get(3), ids.get(4));
    assertThat(own.billing().creditGrants().list(CreditGrantListParams.builder().setCustomer("cus_nope").build())
        .getData()).isEmpty();
    refused(() -> own.billing().creditGrants().list(CreditGrantListParams.builder().setCustomerAccount("x").build()),
        400, "parameter_unsupported", "customer_account");
    refused(() -> own.billing().creditGrants().list(CreditGrantListParams.builder().setStartingAfter("credgr_x")
        .build()), 404, "resource_missing", "starting_after");
  }

  @Test
  @DisplayName("another account sees none of the grants and cannot grant to this account's customers")
  void tenancy() throws StripeException {
    Customer c = customer(stripe);
    CreditGrant g = stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 10).build());
    StripeClient other = gateway.client(gateway.newAccountKey(false));
    refused(() -> other.billing().creditGrants().retrieve(g.getId()), 404, "resource_missing", "id");
    refused(() -> other.billing().creditGrants().update(g.getId(),
        CreditGrantUpdateParams.builder().putMetadata("k", "v").build()), 404, "resource_missing", "id");
    refused(() -> other.billing().creditGrants().expire(g.getId()), 404, "resource_missing", "id");
    refused(() -> other.billing().creditGrants().voidGrant(g.getId()), 404, "resource_missing", "id");
    refused(() -> other.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 10).build()),
        400, "resource_missing", "customer");
    assertThat(other.billing().creditGrants().list().getData()).isEmpty();
    assertThat(stripe.billing().creditGrants().retrieve(g.getId()).getVoidedAt()).isNull();

    RawHttp.Response delete = RawHttp.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
        + "/v1/billing/credit_grants/" + g.getId())).header("Authorization", "Bearer " + TestGateway.DEV_KEY)
        .DELETE().build());
    assertThat(delete.status()).isEqualTo(404);
  }
}
