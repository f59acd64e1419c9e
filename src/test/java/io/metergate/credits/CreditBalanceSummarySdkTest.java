package io.metergate.credits;

import static io.metergate.credits.CreditGrantsSdkTest.customer;
import static io.metergate.credits.CreditGrantsSdkTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.billing.CreditBalanceSummary;
import com.stripe.model.billing.CreditGrant;
import com.stripe.param.billing.CreditBalanceSummaryRetrieveParams;
import com.stripe.param.billing.CreditBalanceSummaryRetrieveParams.Filter;
import com.stripe.param.billing.CreditBalanceSummaryRetrieveParams.Filter.ApplicabilityScope;
import io.metergate.testing.BillingRows;
import io.metergate.testing.Credits;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import io.metergate.testing.TestPool;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The billing credit balance summary through the official stripe-java SDK")
class CreditBalanceSummarySdkTest {
  private static TestGateway gateway;
  private static StripeClient stripe;
  private static TestPool db;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start();
    stripe = gateway.client();
    db = new TestPool(gateway);
  }

  @AfterAll
  static void stop() {
    db.close();
    gateway.close();
  }

  private static CreditBalanceSummary summary(String customer, Filter filter) throws StripeException {
    return stripe.billing().creditBalanceSummary().retrieve(CreditBalanceSummaryRetrieveParams.builder()
        .setCustomer(customer).setFilter(filter).build());
  }

  private static Filter metered() {
    return Filter.builder().setType(Filter.Type.APPLICABILITY_SCOPE).setApplicabilityScope(ApplicabilityScope
        .builder().setPriceType(ApplicabilityScope.PriceType.METERED).build()).build();
  }

  private static Filter prices(String... prices) {
    ApplicabilityScope.Builder scope = ApplicabilityScope.builder();
    for (String price : prices) {
      scope.addPrice(ApplicabilityScope.Price.builder().setId(price).build());
    }
    return Filter.builder().setType(Filter.Type.APPLICABILITY_SCOPE).setApplicabilityScope(scope.build()).build();
  }

  private static Filter grant(String grant) {
    return Filter.builder().setType(Filter.Type.CREDIT_GRANT).setCreditGrant(grant).build();
  }

  /** "currency:ledger", checking that available equals ledger and both are monetary. */
  private static List<String> balances(CreditBalanceSummary s) {
    return s.getBalances().stream().map(b -> {
      assertThat(b.getAvailableBalance().getType()).isEqualTo("monetary");
      assertThat(b.getLedgerBalance().getType()).isEqualTo("monetary");
      assertThat(b.getAvailableBalance().getMonetary().getCurrency())
          .isEqualTo(b.getLedgerBalance().getMonetary().getCurrency());
      assertThat(b.getAvailableBalance().getMonetary().getValue()).as("nothing is held before finalization")
          .isEqualTo(b.getLedgerBalance().getMonetary().getValue());
      return b.getLedgerBalance().getMonetary().getCurrency() + ":" + b.getLedgerBalance().getMonetary().getValue();
    }).toList();
  }

  @Test
  @DisplayName("the ledger balance, per currency, is what remains of grants effective now, neither expired nor"
      + " voided; available equals it")
  void ledgerBalance() throws StripeException {
    Customer c = customer(stripe);
    String id = c.getId();
    long now = Instant.now().getEpochSecond();
    var grants = stripe.billing().creditGrants();
    grants.create(Credits.metered(id, "usd", 1000).build());
    grants.create(Credits.metered(id, "usd", 500).setExpiresAt(now + 3600).build());
    grants.create(Credits.metered(id, "eur", 300).build());
    CreditGrant future = grants.create(Credits.metered(id, "usd", 7000).setEffectiveAt(now + 3600).build());
    grants.expire(grants.create(Credits.metered(id, "usd", 80_000).build()).getId());
    grants.voidGrant(grants.create(Credits.metered(id, "usd", 90_000).build()).getId());
    grants.create(Credits.metered(customer(stripe).getId(), "usd", 11).build());

    CreditBalanceSummary s = summary(id, metered());
    assertThat(s.getObject()).isEqualTo("billing.credit_balance_summary");
    assertThat(s.getCustomer()).isEqualTo(id);
    assertThat(s.getCustomerAccount()).isNull();
    assertThat(s.getLivemode()).isFalse();
    assertThat(balances(s)).containsExactly("eur:300", "usd:1500");

    gateway.queryLong("UPDATE credit_grants SET effective_at = now() - interval '1 second' WHERE public_id = ?"
        + " RETURNING 1", future.getId());
    assertThat(balances(summary(id, metered()))).as("once effective").containsExactly("eur:300", "usd:8500");
    assertThat(balances(summary(customer(stripe).getId(), metered()))).as("no grants, no balances").isEmpty();
  }

  @Test
  @DisplayName("a price filter counts grants listing the price, plus metered-scope grants when the price is"
      + " metered; a metered filter counts only metered-scope grants")
  void priceFilter() throws StripeException {
    Customer c = customer(stripe);
    String id = c.getId();
    String p = BillingRows.price(gateway, TestGateway.DEV_KEY, "usd", true);
    String q = BillingRows.price(gateway, TestGateway.DEV_KEY, "usd", true);
    String licensed = BillingRows.price(gateway, TestGateway.DEV_KEY, "usd", false);
    var grants = stripe.billing().creditGrants();
    grants.create(Credits.metered(id, "usd", 1000).build());
    grants.create(Credits.forPrices(id, "usd", 200, p).build());
    grants.create(Credits.forPrices(id, "usd", 30, q).build());

    assertThat(balances(summary(id, metered()))).containsExactly("usd:1000");
    assertThat(balances(summary(id, prices(p)))).containsExactly("usd:1200");
    assertThat(balances(summary(id, prices(p, q)))).containsExactly("usd:1230");
    assertThat(balances(summary(id, prices(licensed)))).as("nothing covers a licensed price").isEmpty();
    refused(() -> summary(id, prices(p, "price_nope")), 400, "resource_missing",
        "filter[applicability_scope][prices][1][id]");
  }

  @Test
  @DisplayName("a credit_grant filter counts that grant only, and credits applied on invoices lower the balance")
  void grantFilterAndUse() throws StripeException {
    Customer c = customer(stripe);
    String id = c.getId();
    CreditGrant big = stripe.billing().creditGrants().create(Credits.metered(id, "usd", 1000).build());
    CreditGrant small = stripe.billing().creditGrants().create(Credits.metered(id, "usd", 40).build());
    assertThat(balances(summary(id, grant(small.getId())))).containsExactly("usd:40");

    long customerId = BillingRows.customerId(gateway, id);
    long invoice = BillingRows.invoice(gateway, id, "usd");
    db.inTransaction(tx -> CreditLedger.usable(tx, customerId, "usd", Instant.now(), true)
        .compose(usable -> CreditLedger.apply(tx, db.accountId(TestGateway.DEV_KEY), false, List.of(
            new CreditLedger.Application(usable.stream().filter(g -> g.publicId().equals(big.getId())).findFirst()
                .orElseThrow(), 350, invoice, "in_x", "il_x")))));
    assertThat(balances(summary(id, grant(big.getId())))).containsExactly("usd:650");
    assertThat(balances(summary(id, metered()))).containsExactly("usd:690");

    stripe.billing().creditGrants().voidGrant(small.getId());
    assertThat(balances(summary(id, grant(small.getId())))).as("a voided grant has no balance").isEmpty();
  }

  @Test
  @DisplayName("invalid requests are refused by parameter name")
  void refusals() throws StripeException {
    Customer c = customer(stripe);
    String id = c.getId();
    Customer other = customer(stripe);
    CreditGrant othersGrant = stripe.billing().creditGrants().create(Credits.metered(other.getId(), "usd", 5).build());
    var api = stripe.billing().creditBalanceSummary();
    refused(() -> api.retrieve(CreditBalanceSummaryRetrieveParams.builder().setFilter(metered()).build()),
        400, "parameter_missing", "customer");
    refused(() -> api.retrieve(CreditBalanceSummaryRetrieveParams.builder().setCustomer(id).build()),
        400, "parameter_missing", "filter");
    refused(() -> api.retrieve(CreditBalanceSummaryRetrieveParams.builder().setCustomerAccount("acct_x")
        .setFilter(metered()).build()), 400, "parameter_unsupported", "customer_account");
    refused(() -> summary(id, Filter.builder().setCreditGrant("credgr_x").build()),
        400, "parameter_missing", "filter[type]");
    refused(() -> summary(id, Filter.builder().setType(Filter.Type.CREDIT_GRANT).build()),
        400, "parameter_missing", "filter[credit_grant]");
    refused(() -> summary(id, grant("credgr_nope")), 400, "resource_missing", "filter[credit_grant]");
    refused(() -> summary(id, grant(othersGrant.getId())), 400, "resource_missing", "filter[credit_grant]");
    refused(() -> summary(id, Filter.builder().setType(Filter.Type.APPLICABILITY_SCOPE).build()),
        400, "parameter_missing", "filter[applicability_scope]");
    refused(() -> summary(id, Filter.builder().setType(Filter.Type.APPLICABILITY_SCOPE).setCreditGrant("credgr_x")
        .setApplicabilityScope(metered().getApplicabilityScope()).build()),
        400, "parameters_exclusive", "filter[credit_grant]");
    refused(() -> summary(id, Filter.builder().setType(Filter.Type.APPLICABILITY_SCOPE).setApplicabilityScope(
        ApplicabilityScope.builder().setPriceType(ApplicabilityScope.PriceType.METERED)
            .addPrice(ApplicabilityScope.Price.builder().setId("price_x").build()).build()).build()),
        400, "parameters_exclusive", "filter[applicability_scope][prices]");
    refused(() -> summary("cus_nope", metered()), 400, "resource_missing", "customer");
    RawHttp.Response badType = RawHttp.get(gateway.baseUrl() + "/v1/billing/credit_balance_summary?customer=" + id
        + "&filter[type]=everything", "Bearer " + TestGateway.DEV_KEY);
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.error().getString("param")).isEqualTo("filter[type]");
    assertThat(badType.error().getString("code")).isEqualTo("parameter_invalid_enum");
  }

  @Test
  @DisplayName("another account cannot read a customer's summary")
  void tenancy() throws StripeException {
    Customer c = customer(stripe);
    stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 5).build());
    StripeClient other = gateway.client(gateway.newAccountKey(false));
    refused(() -> other.billing().creditBalanceSummary().retrieve(CreditBalanceSummaryRetrieveParams.builder()
        .setCustomer(c.getId()).setFilter(metered()).build()), 400, "resource_missing", "customer");
  }
}
