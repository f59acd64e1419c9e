package io.metergate.customers;

import static io.metergate.customers.CustomersSdkTest.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.CustomerBalanceTransaction;
import com.stripe.param.CustomerBalanceTransactionCreateParams;
import com.stripe.param.CustomerBalanceTransactionListParams;
import com.stripe.param.CustomerBalanceTransactionUpdateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.common.EmptyParam;
import io.metergate.common.ApiError;
import io.metergate.testing.BillingRows;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import io.metergate.testing.TestPool;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Customer balance transactions through the official stripe-java SDK")
class CustomerBalanceTransactionsSdkTest {
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

  private static Customer customer(StripeClient client) throws StripeException {
    return client.customers().create(CustomerCreateParams.builder().setName("balance").build());
  }

  private static CustomerBalanceTransaction adjust(StripeClient client, Customer c, long amount, String currency)
      throws StripeException {
    return client.customers().balanceTransactions().create(c.getId(),
        CustomerBalanceTransactionCreateParams.builder().setAmount(amount).setCurrency(currency).build());
  }

  @Test
  @DisplayName("a transaction has Stripe's whole shape, moves the balance and sets the customer's currency")
  void createAndRetrieve() throws StripeException {
    Customer c = customer(stripe);
    long before = Instant.now().getEpochSecond();
    CustomerBalanceTransaction t = stripe.customers().balanceTransactions().create(c.getId(),
        CustomerBalanceTransactionCreateParams.builder().setAmount(-500L).setCurrency("usd")
            .setDescription("Goodwill credit").putMetadata("ticket", "42").build());

    assertThat(t.getId()).startsWith("cbtxn_");
    assertThat(t.getObject()).isEqualTo("customer_balance_transaction");
    assertThat(t.getAmount()).isEqualTo(-500);
    assertThat(t.getCurrency()).isEqualTo("usd");
    assertThat(t.getCustomer()).isEqualTo(c.getId());
    assertThat(t.getDescription()).isEqualTo("Goodwill credit");
    assertThat(t.getEndingBalance()).isEqualTo(-500);
    assertThat(t.getType()).isEqualTo("adjustment");
    assertThat(t.getMetadata()).containsExactly(Map.entry("ticket", "42"));
    assertThat(t.getLivemode()).isFalse();
    assertThat(t.getCreated()).isBetween(before, Instant.now().getEpochSecond());
    assertThat(t.getInvoice()).isNull();
    assertThat(t.getCreditNote()).isNull();
    assertThat(t.getCheckoutSession()).isNull();
    assertThat(t.getCustomerAccount()).isNull();
    assertThat(stripe.customers().balanceTransactions().retrieve(c.getId(), t.getId())).isEqualTo(t);

    Customer after = stripe.customers().retrieve(c.getId());
    assertThat(after.getBalance()).isEqualTo(-500);
    assertThat(after.getCurrency()).isEqualTo("usd");

    CustomerBalanceTransaction debit = adjust(stripe, c, 200, "usd");
    assertThat(debit.getEndingBalance()).isEqualTo(-300);
    assertThat(debit.getDescription()).isNull();
    assertThat(debit.getMetadata()).isEmpty();
    assertThat(stripe.customers().retrieve(c.getId()).getBalance()).isEqualTo(-300);
  }

  @Test
  @DisplayName("a customer's balance holds one currency: another one is refused naming currency")
  void oneCurrency() throws StripeException {
    Customer c = customer(stripe);
    adjust(stripe, c, 100, "eur");
    refused(() -> adjust(stripe, c, 100, "usd"), 400, "currency_mismatch", "currency");
    Customer after = stripe.customers().retrieve(c.getId());
    assertThat(after.getBalance()).isEqualTo(100);
    assertThat(after.getCurrency()).isEqualTo("eur");
  }

  @Test
  @DisplayName("invalid transactions are refused by parameter, and nothing moves")
  void refusals() throws StripeException {
    Customer c = customer(stripe);
    String id = c.getId();
    var txns = stripe.customers().balanceTransactions();
    refused(() -> txns.create(id, CustomerBalanceTransactionCreateParams.builder().setCurrency("usd").build()),
        400, "parameter_missing", "amount");
    refused(() -> txns.create(id, CustomerBalanceTransactionCreateParams.builder().setAmount(5L).build()),
        400, "parameter_missing", "currency");
    refused(() -> adjust(stripe, c, 0, "usd"), 400, "parameter_invalid_integer", "amount");
    refused(() -> adjust(stripe, c, 1_000_000_000_000L, "usd"), 400, "amount_too_large", "amount");
    refused(() -> adjust(stripe, c, 5, "USD"), 400, "invalid_currency", "currency");
    refused(() -> adjust(stripe, c, 5, "dollars"), 400, "invalid_currency", "currency");
    refused(() -> txns.create(id, CustomerBalanceTransactionCreateParams.builder().setAmount(5L).setCurrency("usd")
        .setDescription("d".repeat(351)).build()), 400, "string_too_long", "description");
    refused(() -> txns.create(id, CustomerBalanceTransactionCreateParams.builder().setAmount(5L).setCurrency("usd")
        .putExtraParam("type", "initial").build()), 400, "parameter_unknown", "type");
    RawHttp.Response decimal = RawHttp.post(gateway.baseUrl() + "/v1/customers/" + id + "/balance_transactions",
        "Bearer " + TestGateway.DEV_KEY, "application/x-www-form-urlencoded", "amount=1.5&currency=usd");
    assertThat(decimal.status()).isEqualTo(400);
    assertThat(decimal.error().getString("code")).isEqualTo("parameter_invalid_integer");
    assertThat(decimal.error().getString("param")).isEqualTo("amount");
    Customer after = stripe.customers().retrieve(id);
    assertThat(after.getBalance()).isZero();
    assertThat(after.getCurrency()).isNull();
    assertThat(txns.list(id).getData()).isEmpty();
  }

  @Test
  @DisplayName("only description and metadata can be updated; metadata is a patch")
  void update() throws StripeException {
    Customer c = customer(stripe);
    CustomerBalanceTransaction t = stripe.customers().balanceTransactions().create(c.getId(),
        CustomerBalanceTransactionCreateParams.builder().setAmount(-50L).setCurrency("usd").setDescription("first")
            .putMetadata("keep", "1").putMetadata("drop", "2").build());
    CustomerBalanceTransaction changed = stripe.customers().balanceTransactions().update(c.getId(), t.getId(),
        CustomerBalanceTransactionUpdateParams.builder().setDescription("second").putMetadata("drop", "")
            .putMetadata("add", "3").build());
    assertThat(changed.getDescription()).isEqualTo("second");
    assertThat(changed.getMetadata()).containsOnly(Map.entry("keep", "1"), Map.entry("add", "3"));
    assertThat(changed.getAmount()).isEqualTo(-50);
    assertThat(changed.getEndingBalance()).isEqualTo(-50);
    CustomerBalanceTransaction cleared = stripe.customers().balanceTransactions().update(c.getId(), t.getId(),
        CustomerBalanceTransactionUpdateParams.builder().setDescription(EmptyParam.EMPTY)
            .setMetadata(EmptyParam.EMPTY).build());
    assertThat(cleared.getDescription()).isNull();
    assertThat(cleared.getMetadata()).isEmpty();
    refused(() -> stripe.customers().balanceTransactions().update(c.getId(), t.getId(),
        CustomerBalanceTransactionUpdateParams.builder().putExtraParam("amount", "5").build()),
        400, "parameter_unknown", "amount");
  }

  @Test
  @DisplayName("a transaction is found only under its own customer and account")
  void scoping() throws StripeException {
    Customer a = customer(stripe);
    Customer b = customer(stripe);
    CustomerBalanceTransaction t = adjust(stripe, a, 10, "usd");
    refused(() -> stripe.customers().balanceTransactions().retrieve(b.getId(), t.getId()),
        404, "resource_missing", "transaction");
    refused(() -> stripe.customers().balanceTransactions().update(b.getId(), t.getId(),
        CustomerBalanceTransactionUpdateParams.builder().setDescription("x").build()),
        404, "resource_missing", "transaction");
    refused(() -> stripe.customers().balanceTransactions().retrieve(a.getId(), "cbtxn_unknown"),
        404, "resource_missing", "transaction");
    assertThat(stripe.customers().balanceTransactions().list(b.getId()).getData()).isEmpty();

    StripeClient other = gateway.client(gateway.newAccountKey(false));
    refused(() -> other.customers().balanceTransactions().retrieve(a.getId(), t.getId()),
        404, "resource_missing", "id");
    refused(() -> other.customers().balanceTransactions().list(a.getId()), 404, "resource_missing", "id");
    refused(() -> adjust(other, a, 5, "usd"), 404, "resource_missing", "id");
    assertThat(stripe.customers().retrieve(a.getId()).getBalance()).isEqualTo(10);
  }

  @Test
  @DisplayName("the list has the customer's concrete url, pages both ways and filters by created and invoice")
  void list() throws StripeException {
    Customer c = customer(stripe);
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      ids.add(0, adjust(stripe, c, i, "usd").getId());
    }
    var txns = stripe.customers().balanceTransactions();
    var first = txns.list(c.getId(), CustomerBalanceTransactionListParams.builder().setLimit(2L).build());
    assertThat(first.getUrl()).isEqualTo("/v1/customers/" + c.getId() + "/balance_transactions");
    assertThat(first.getHasMore()).isTrue();
    assertThat(first.getData()).extracting(CustomerBalanceTransaction::getId).containsExactly(ids.get(0), ids.get(1));
    var back = txns.list(c.getId(), CustomerBalanceTransactionListParams.builder().setLimit(3L)
        .setEndingBefore(ids.get(4)).build());
    assertThat(back.getData()).extracting(CustomerBalanceTransaction::getId)
        .containsExactly(ids.get(1), ids.get(2), ids.get(3));
    List<String> all = new ArrayList<>();
    first.autoPagingIterable().forEach(t -> all.add(t.getId()));
    assertThat(all).containsExactlyElementsOf(ids);

    gateway.queryLong("UPDATE customer_balance_transactions SET created_at = to_timestamp(1700000000)"
        + " WHERE public_id = ? RETURNING 1", ids.get(4));
    assertThat(txns.list(c.getId(), CustomerBalanceTransactionListParams.builder()
        .setCreated(CustomerBalanceTransactionListParams.Created.builder().setLte(1_700_000_000L).build()).build())
        .getData()).extracting(CustomerBalanceTransaction::getId).containsExactly(ids.get(4));
    assertThat(txns.list(c.getId(), CustomerBalanceTransactionListParams.builder()
        .setCreated(CustomerBalanceTransactionListParams.Created.builder().setGt(1_700_000_000L).build()).build())
        .getData()).hasSize(4);

    long invoice = BillingRows.invoice(gateway, c.getId(), "usd");
    String invoiceId = BillingRows.invoicePublicId(gateway, invoice);
    gateway.queryLong("UPDATE customer_balance_transactions SET invoice_id = ? WHERE public_id = ? RETURNING 1",
        invoice, ids.get(2));
    var byInvoice = txns.list(c.getId(), CustomerBalanceTransactionListParams.builder().setInvoice(invoiceId).build());
    assertThat(byInvoice.getData()).singleElement().satisfies(t -> {
      assertThat(t.getId()).isEqualTo(ids.get(2));
      assertThat(t.getInvoice()).isEqualTo(invoiceId);
    });
    assertThat(txns.list(c.getId(), CustomerBalanceTransactionListParams.builder().setInvoice("in_unknown").build())
        .getData()).isEmpty();
    refused(() -> txns.list(c.getId(), CustomerBalanceTransactionListParams.builder()
        .setStartingAfter("cbtxn_nope").build()), 404, "resource_missing", "starting_after");
  }

  @Test
  @DisplayName("200 concurrent transactions: the balance is their sum and the ending balances form one chain")
  void concurrentCreates() throws Exception {
    Customer c = customer(stripe);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<List<CustomerBalanceTransaction>>> workers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      workers.add(pool.submit(() -> {
        List<CustomerBalanceTransaction> made = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          long amount = ThreadLocalRandom.current().nextLong(-1000, 1000);
          made.add(adjust(stripe, c, amount == 0 ? 1 : amount, "usd"));
        }
        return made;
      }));
    }
    List<CustomerBalanceTransaction> made = Collections.synchronizedList(new ArrayList<>());
    for (var worker : workers) {
      made.addAll(worker.get());
    }
    pool.shutdown();

    long sum = made.stream().mapToLong(CustomerBalanceTransaction::getAmount).sum();
    assertThat(stripe.customers().retrieve(c.getId()).getBalance()).isEqualTo(sum);
    List<JsonObject> chain = gateway.queryJson("SELECT json_build_object('id', t.public_id, 'amount', t.amount,"
        + " 'ending', t.ending_balance)::text FROM customer_balance_transactions t JOIN customers c"
        + " ON c.id = t.customer_id WHERE c.public_id = ? ORDER BY t.id", c.getId());
    assertThat(chain).hasSize(200);
    long running = 0;
    for (JsonObject link : chain) {
      running += link.getLong("amount");
      assertThat(link.getLong("ending")).as("ending balance of %s", link.getString("id")).isEqualTo(running);
    }
    Map<String, Long> endings = new java.util.HashMap<>();
    chain.forEach(link -> endings.put(link.getString("id"), link.getLong("ending")));
    made.forEach(t -> assertThat(t.getEndingBalance()).as("as answered").isEqualTo(endings.get(t.getId())));
  }

  @Test
  @DisplayName("CustomerBalance.record, as invoices use it, links the invoice and refuses another currency")
  void recordForInvoices() throws StripeException {
    Customer c = customer(stripe);
    adjust(stripe, c, -700, "usd");
    long customerId = BillingRows.customerId(gateway, c.getId());
    long account = db.accountId(TestGateway.DEV_KEY);
    long invoice = BillingRows.invoice(gateway, c.getId(), "usd");
    CustomerBalance.Recorded recorded = db.inTransaction(tx -> CustomerBalance.record(tx, new CustomerBalance.Entry(
        account, false, customerId, 700, "usd", "applied_to_invoice", null, null, invoice)));
    assertThat(recorded.endingBalance()).isZero();
    assertThat(recorded.publicId()).startsWith("cbtxn_");

    CustomerBalanceTransaction t = stripe.customers().balanceTransactions().retrieve(c.getId(), recorded.publicId());
    assertThat(t.getType()).isEqualTo("applied_to_invoice");
    assertThat(t.getInvoice()).isEqualTo(BillingRows.invoicePublicId(gateway, invoice));
    assertThat(t.getAmount()).isEqualTo(700);
    assertThat(t.getEndingBalance()).isZero();

    assertThatThrownBy(() -> db.inTransaction(tx -> CustomerBalance.record(tx, new CustomerBalance.Entry(
        account, false, customerId, 5, "eur", "applied_to_invoice", null, null, invoice))))
        .isInstanceOfSatisfying(ApiError.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.param()).isEqualTo("currency");
        });
    assertThat(stripe.customers().retrieve(c.getId()).getBalance()).isZero();
  }
}
