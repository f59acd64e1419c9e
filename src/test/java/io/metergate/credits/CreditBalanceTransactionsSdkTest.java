package io.metergate.credits;

import static io.metergate.credits.CreditGrantsSdkTest.customer;
import static io.metergate.credits.CreditGrantsSdkTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.CustomerBalanceTransaction;
import com.stripe.model.billing.CreditBalanceTransaction;
import com.stripe.model.billing.CreditGrant;
import com.stripe.param.CustomerBalanceTransactionCreateParams;
import com.stripe.param.billing.CreditBalanceTransactionListParams;
import io.metergate.testing.BillingRows;
import io.metergate.testing.Credits;
import io.metergate.testing.TestGateway;
import io.metergate.testing.TestPool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Billing credit balance transactions through the official stripe-java SDK")
class CreditBalanceTransactionsSdkTest {
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

  private static List<CreditBalanceTransaction> list(String customer, String grant) throws StripeException {
    return stripe.billing().creditBalanceTransactions().list(CreditBalanceTransactionListParams.builder()
        .setCustomer(customer).setCreditGrant(grant).setLimit(100L).build()).getData();
  }

  @Test
  @DisplayName("creating a grant records a credits_granted credit with Stripe's whole shape, effective with the grant")
  void granted() throws StripeException {
    Customer c = customer(stripe);
    long now = Instant.now().getEpochSecond();
    CreditGrant g = stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 1200)
        .setEffectiveAt(now + 600).build());
    CreditBalanceTransaction t = list(c.getId(), null).get(0);
    assertThat(t.getId()).startsWith("cbtxn_");
    assertThat(t.getObject()).isEqualTo("billing.credit_balance_transaction");
    assertThat(t.getType()).isEqualTo("credit");
    assertThat(t.getCreditGrant()).isEqualTo(g.getId());
    assertThat(t.getCreated()).isBetween(now - 1, Instant.now().getEpochSecond());
    assertThat(t.getEffectiveAt()).isEqualTo(now + 600);
    assertThat(t.getLivemode()).isFalse();
    assertThat(t.getTestClock()).isNull();
    assertThat(t.getDebit()).isNull();
    assertThat(t.getCredit().getType()).isEqualTo("credits_granted");
    assertThat(t.getCredit().getAmount().getType()).isEqualTo("monetary");
    assertThat(t.getCredit().getAmount().getMonetary().getCurrency()).isEqualTo("usd");
    assertThat(t.getCredit().getAmount().getMonetary().getValue()).isEqualTo(1200);
    assertThat(t.getCredit().getCreditsApplicationInvoiceVoided()).isNull();
    assertThat(stripe.billing().creditBalanceTransactions().retrieve(t.getId())).isEqualTo(t);
  }

  @Test
  @DisplayName("expiring and voiding record credits_expired and credits_voided debits of what remained")
  void expiredAndVoided() throws StripeException {
    Customer c = customer(stripe);
    CreditGrant expiring = stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 300).build());
    CreditGrant voiding = stripe.billing().creditGrants().create(Credits.metered(c.getId(), "eur", 70).build());
    long before = Instant.now().getEpochSecond();
    stripe.billing().creditGrants().expire(expiring.getId());
    stripe.billing().creditGrants().voidGrant(voiding.getId());

    CreditBalanceTransaction expired = list(c.getId(), expiring.getId()).get(0);
    assertThat(expired.getType()).isEqualTo("debit");
    assertThat(expired.getCredit()).isNull();
    assertThat(expired.getDebit().getType()).isEqualTo("credits_expired");
    assertThat(expired.getDebit().getAmount().getMonetary().getValue()).isEqualTo(300);
    assertThat(expired.getDebit().getCreditsApplied()).isNull();
    assertThat(expired.getEffectiveAt()).isBetween(before, Instant.now().getEpochSecond());
    CreditBalanceTransaction voided = list(c.getId(), voiding.getId()).get(0);
    assertThat(voided.getDebit().getType()).isEqualTo("credits_voided");
    assertThat(voided.getDebit().getAmount().getMonetary().getCurrency()).isEqualTo("eur");
    assertThat(voided.getDebit().getAmount().getMonetary().getValue()).isEqualTo(70);
    assertThat(list(c.getId(), null)).hasSize(4);
  }

  @Test
  @DisplayName("credits applied on an invoice are debits naming the invoice and line; voiding the invoice credits"
      + " them back")
  void appliedAndReturned() throws StripeException {
    Customer c = customer(stripe);
    CreditGrant g = stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 500).build());
    long customerId = BillingRows.customerId(gateway, c.getId());
    long invoice = BillingRows.invoice(gateway, c.getId(), "usd");
    String invoiceId = BillingRows.invoicePublicId(gateway, invoice);
    long account = db.accountId(TestGateway.DEV_KEY);
    List<String> ids = db.inTransaction(tx -> CreditLedger.usable(tx, customerId, "usd", Instant.now(), true)
        .compose(usable -> CreditLedger.apply(tx, account, false,
            List.of(new CreditLedger.Application(usable.get(0), 120, invoice, invoiceId, "il_first"),
                new CreditLedger.Application(usable.get(0), 30, invoice, invoiceId, "il_second")))));

    CreditBalanceTransaction applied = stripe.billing().creditBalanceTransactions().retrieve(ids.get(0));
    assertThat(applied.getType()).isEqualTo("debit");
    assertThat(applied.getCreditGrant()).isEqualTo(g.getId());
    assertThat(applied.getDebit().getType()).isEqualTo("credits_applied");
    assertThat(applied.getDebit().getAmount().getMonetary().getValue()).isEqualTo(120);
    assertThat(applied.getDebit().getCreditsApplied().getInvoice()).isEqualTo(invoiceId);
    assertThat(applied.getDebit().getCreditsApplied().getInvoiceLineItem()).isEqualTo("il_first");

    db.inTransaction(tx -> CreditLedger.returnForInvoice(tx, invoice));
    List<CreditBalanceTransaction> all = list(c.getId(), g.getId());
    assertThat(all).extracting(t -> t.getType() + ":" + (t.getCredit() != null ? t.getCredit().getType()
        : t.getDebit().getType())).containsExactly("credit:credits_application_invoice_voided",
        "credit:credits_application_invoice_voided", "debit:credits_applied", "debit:credits_applied",
        "credit:credits_granted");
    CreditBalanceTransaction returned = all.get(1);
    assertThat(returned.getCredit().getAmount().getMonetary().getValue()).isEqualTo(120);
    assertThat(returned.getCredit().getCreditsApplicationInvoiceVoided().getInvoice()).isEqualTo(invoiceId);
    assertThat(returned.getCredit().getCreditsApplicationInvoiceVoided().getInvoiceLineItem()).isEqualTo("il_first");
  }

  @Test
  @DisplayName("the list has the spec's url, pages both ways, and auto-pagination following that url visits every"
      + " transaction")
  void pagination() throws StripeException {
    Customer c = customer(stripe);
    List<String> grants = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      grants.add(stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 10 + i).build()).getId());
    }
    List<String> ids = list(c.getId(), null).stream().map(CreditBalanceTransaction::getId).toList();
    assertThat(ids).hasSize(5);
    var api = stripe.billing().creditBalanceTransactions();
    var first = api.list(CreditBalanceTransactionListParams.builder().setCustomer(c.getId()).setLimit(2L).build());
    assertThat(first.getUrl()).isEqualTo("/v1/billing/credit_grants");
    assertThat(first.getHasMore()).isTrue();
    assertThat(first.getData()).extracting(CreditBalanceTransaction::getId).containsExactly(ids.get(0), ids.get(1));
    assertThat(first.getData()).extracting(CreditBalanceTransaction::getCreditGrant)
        .containsExactly(grants.get(4), grants.get(3));
    var back = api.list(CreditBalanceTransactionListParams.builder().setCustomer(c.getId()).setLimit(2L)
        .setEndingBefore(ids.get(4)).build());
    assertThat(back.getData()).extracting(CreditBalanceTransaction::getId).containsExactly(ids.get(2), ids.get(3));

    List<String> all = new ArrayList<>();
    first.autoPagingIterable().forEach(t -> all.add(t.getId()));
    assertThat(all).containsExactlyElementsOf(ids);
    assertThat(list(c.getId(), grants.get(2))).extracting(CreditBalanceTransaction::getId)
        .containsExactly(ids.get(2));
    assertThat(list(c.getId(), "credgr_nope")).isEmpty();
    refused(() -> api.list(CreditBalanceTransactionListParams.builder().setCustomer(c.getId())
        .setStartingAfter("cbtxn_nope").build()), 404, "resource_missing", "starting_after");
  }

  @Test
  @DisplayName("the list needs a customer of the account; customer_account is refused")
  void refusals() throws StripeException {
    var api = stripe.billing().creditBalanceTransactions();
    refused(() -> api.list(CreditBalanceTransactionListParams.builder().build()), 400, "parameter_missing", "customer");
    refused(() -> api.list(CreditBalanceTransactionListParams.builder().setCustomer("cus_nope").build()),
        400, "resource_missing", "customer");
    refused(() -> api.list(CreditBalanceTransactionListParams.builder().setCustomerAccount("acct_1").build()),
        400, "parameter_unsupported", "customer_account");
    refused(() -> api.retrieve("cbtxn_nope"), 404, "resource_missing", "id");
  }

  @Test
  @DisplayName("another account sees none of them, and a customer balance transaction's cbtxn_ id is not one")
  void scoping() throws StripeException {
    Customer c = customer(stripe);
    stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 5).build());
    CreditBalanceTransaction t = list(c.getId(), null).get(0);
    StripeClient other = gateway.client(gateway.newAccountKey(false));
    refused(() -> other.billing().creditBalanceTransactions().retrieve(t.getId()), 404, "resource_missing", "id");
    refused(() -> other.billing().creditBalanceTransactions().list(CreditBalanceTransactionListParams.builder()
        .setCustomer(c.getId()).build()), 400, "resource_missing", "customer");

    CustomerBalanceTransaction cash = stripe.customers().balanceTransactions().create(c.getId(),
        CustomerBalanceTransactionCreateParams.builder().setAmount(-5L).setCurrency("usd").build());
    assertThat(cash.getId()).startsWith("cbtxn_");
    refused(() -> stripe.billing().creditBalanceTransactions().retrieve(cash.getId()), 404, "resource_missing", "id");
    refused(() -> stripe.customers().balanceTransactions().retrieve(c.getId(), t.getId()),
        404, "resource_missing", "transaction");
  }
}
