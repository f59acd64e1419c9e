package io.metergate.credits;

import static io.metergate.credits.CreditGrantsSdkTest.customer;
import static io.metergate.credits.CreditGrantsSdkTest.movements;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.billing.CreditGrant;
import com.stripe.param.billing.CreditGrantCreateParams;
import io.metergate.credits.CreditAllocation.Line;
import io.metergate.testing.BillingRows;
import io.metergate.testing.Credits;
import io.metergate.testing.TestGateway;
import io.metergate.testing.TestPool;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The credit ledger invoices use: usable grants, applying and returning credits")
class CreditLedgerTest {
  private static TestGateway gateway;
  private static StripeClient stripe;
  private static TestPool db;
  private static long account;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start();
    stripe = gateway.client();
    db = new TestPool(gateway);
    account = db.accountId(TestGateway.DEV_KEY);
  }

  @AfterAll
  static void stop() {
    db.close();
    gateway.close();
  }

  private static CreditGrant grant(CreditGrantCreateParams params) throws StripeException {
    return stripe.billing().creditGrants().create(params);
  }

  private static List<Grant> usable(String customer, String currency) {
    long id = BillingRows.customerId(gateway, customer);
    return db.run(pool -> CreditLedger.usable(pool, id, currency, Instant.now(), false));
  }

  private static long remaining(String grant) {
    return gateway.queryLong("SELECT coalesce(sum(CASE WHEN t.type = 'credit' THEN t.amount ELSE -t.amount END), 0)"
        + " FROM credit_balance_transactions t JOIN credit_grants g ON g.id = t.credit_grant_id"
        + " WHERE g.public_id = ?", grant);
  }

  /** Locks, allocates {@code amount} of one metered line and applies it, as invoice finalization does. */
  private static Future<List<String>> finalize(SqlConnection tx, long customerId, long invoice, long amount) {
    return CreditLedger.usable(tx, customerId, "usd", Instant.now(), true).compose(grants ->
        CreditLedger.apply(tx, account, false, CreditAllocation.allocate(grants, List.of(
                new Line(0, "price_m", true, amount))).stream()
            .map(a -> new CreditLedger.Application(a.grant(), a.amount(), invoice, "in_" + invoice, "il_0"))
            .toList()));
  }

  @Test
  @DisplayName("usable leaves out future, expired, voided, used-up, other-currency and other customers' grants,"
      + " and sorts the rest in allocation order with what remains of each")
  void usableGrants() throws StripeException {
    String c = customer(stripe).getId();
    long now = Instant.now().getEpochSecond();
    CreditGrant plain = grant(Credits.metered(c, "usd", 100).build());
    CreditGrant urgent = grant(Credits.metered(c, "usd", 40).setPriority(5L).build());
    CreditGrant promo = grant(Credits.metered(c, "usd", 60).setCategory(CreditGrantCreateParams.Category.PROMOTIONAL)
        .build());
    CreditGrant expiring = grant(Credits.metered(c, "usd", 70).setExpiresAt(now + 600).build());
    String price = BillingRows.price(gateway, TestGateway.DEV_KEY, "usd", true);
    CreditGrant listed = grant(Credits.forPrices(c, "usd", 20, price).setPriority(90L).build());
    grant(Credits.metered(c, "usd", 1).setEffectiveAt(now + 600).build());
    stripe.billing().creditGrants().expire(grant(Credits.metered(c, "usd", 2).build()).getId());
    stripe.billing().creditGrants().voidGrant(grant(Credits.metered(c, "usd", 3).build()).getId());
    CreditGrant usedUp = grant(Credits.metered(c, "usd", 4).setPriority(0L).build());
    grant(Credits.metered(c, "eur", 5).build());
    grant(Credits.metered(customer(stripe).getId(), "usd", 6).build());
    long customerId = BillingRows.customerId(gateway, c);
    long invoice = BillingRows.invoice(gateway, c, "usd");
    db.inTransaction(tx -> CreditLedger.usable(tx, customerId, "usd", Instant.now(), true).compose(grants ->
        CreditLedger.apply(tx, account, false, List.of(new CreditLedger.Application(grants.get(0), 4, invoice,
            "in_x", "il_x")))));

    List<Grant> grants = usable(c, "usd");
    assertThat(grants).extracting(Grant::publicId).containsExactly(urgent.getId(), expiring.getId(),
        promo.getId(), plain.getId(), listed.getId());
    assertThat(grants).extracting(Grant::remaining).containsExactly(40L, 70L, 60L, 100L, 20L);
    Grant l = grants.get(4);
    assertThat(l.priceType()).isNull();
    assertThat(l.priceIds()).containsExactly(price);
    assertThat(l.covers(price, true)).isTrue();
    Grant p = grants.get(3);
    assertThat(p.priceType()).isEqualTo("metered");
    assertThat(p.currency()).isEqualTo("usd");
    assertThat(p.category()).isEqualTo("paid");
    assertThat(p.priority()).isEqualTo(50);
    assertThat(p.customerId()).isEqualTo(customerId);
    assertThat(p.effectiveAt().getEpochSecond()).isEqualTo(plain.getEffectiveAt());
    assertThat(grants.get(1).expiresAt().getEpochSecond()).isEqualTo(now + 600);
    assertThat(remaining(usedUp.getId())).isZero();
    List<Grant> later = db.run(pool -> CreditLedger.usable(pool, customerId, "usd", Instant.now().plusSeconds(700),
        false));
    assertThat(later).extracting(Grant::remaining).as("at a later time: the future grant is in, the expiring one out")
        .containsExactly(40L, 60L, 100L, 1L, 20L);
  }

  @Test
  @DisplayName("apply records one credits_applied debit per application, in order, and lowers what remains")
  void apply() throws StripeException {
    String c = customer(stripe).getId();
    CreditGrant first = grant(Credits.metered(c, "usd", 100).setPriority(1L).build());
    CreditGrant second = grant(Credits.metered(c, "usd", 100).setPriority(2L).build());
    long customerId = BillingRows.customerId(gateway, c);
    long invoice = BillingRows.invoice(gateway, c, "usd");
    List<String> ids = db.inTransaction(tx -> finalize(tx, customerId, invoice, 130));
    assertThat(ids).hasSize(2).allSatisfy(id -> assertThat(id).startsWith("cbtxn_"));
    assertThat(gateway.queryJson("SELECT json_build_object('id', public_id, 'amount', amount, 'line', line_public_id,"
        + " 'invoice', invoice_id)::text FROM credit_balance_transactions WHERE kind = 'credits_applied'"
        + " AND invoice_id = ? ORDER BY id", invoice)).extracting(j -> j.getString("id") + ":" + j.getLong("amount")
        + ":" + j.getString("line")).containsExactly(ids.get(0) + ":100:il_0", ids.get(1) + ":30:il_0");
    assertThat(remaining(first.getId())).isZero();
    assertThat(remaining(second.getId())).isEqualTo(70);
    assertThat(usable(c, "usd")).extracting(Grant::publicId).containsExactly(second.getId());
    List<String> none = db.inTransaction(tx -> CreditLedger.apply(tx, account, false, List.of()));
    assertThat(none).isEmpty();
  }

  @Test
  @DisplayName("apply refuses to take a grant below zero or to use another account's grant, and writes nothing")
  void applyGuards() throws StripeException {
    String c = customer(stripe).getId();
    grant(Credits.metered(c, "usd", 50).build());
    long invoice = BillingRows.invoice(gateway, c, "usd");
    Grant g = usable(c, "usd").get(0);
    assertThatThrownBy(() -> db.inTransaction(tx -> CreditLedger.apply(tx, account, false, List.of(
        new CreditLedger.Application(g, 30, invoice, "in_x", "il_1"),
        new CreditLedger.Application(g, 30, invoice, "in_x", "il_2")))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(g.publicId());
    long otherAccount = db.accountId(gateway.newAccountKey(false));
    assertThatThrownBy(() -> db.inTransaction(tx -> CreditLedger.apply(tx, otherAccount, false, List.of(
        new CreditLedger.Application(g, 10, invoice, "in_x", "il_1"))))).isInstanceOf(IllegalStateException.class);
    assertThat(remaining(g.publicId())).isEqualTo(50);
  }

  @Test
  @DisplayName("returnForInvoice gives back exactly what that invoice used, once, and nothing of other invoices")
  void returnForInvoice() throws StripeException {
    String c = customer(stripe).getId();
    CreditGrant first = grant(Credits.metered(c, "usd", 100).setPriority(1L).build());
    CreditGrant second = grant(Credits.metered(c, "usd", 100).setPriority(2L).build());
    long customerId = BillingRows.customerId(gateway, c);
    long voided = BillingRows.invoice(gateway, c, "usd");
    long kept = BillingRows.invoice(gateway, c, "usd");
    db.inTransaction(tx -> finalize(tx, customerId, voided, 150));
    db.inTransaction(tx -> finalize(tx, customerId, kept, 20));
    assertThat(remaining(first.getId()) + remaining(second.getId())).isEqualTo(30);

    db.inTransaction(tx -> CreditLedger.returnForInvoice(tx, voided));
    assertThat(remaining(first.getId())).isEqualTo(100);
    assertThat(remaining(second.getId())).as("the other invoice keeps its 20").isEqualTo(80);
    assertThat(movements(gateway, first.getId())).containsExactly("credits_granted:100", "credits_applied:100",
        "credits_application_invoice_voided:100");
    assertThat(movements(gateway, second.getId())).containsExactly("credits_granted:100", "credits_applied:50",
        "credits_applied:20", "credits_application_invoice_voided:50");

    db.inTransaction(tx -> CreditLedger.returnForInvoice(tx, voided));
    db.inTransaction(tx -> CreditLedger.returnForInvoice(tx, BillingRows.invoice(gateway, c, "usd")));
    assertThat(remaining(first.getId()) + remaining(second.getId())).as("given back once").isEqualTo(180);
  }

  @Test
  @DisplayName("two finalizations racing for one grant: the second waits for the first's lock and gets only"
      + " what is left")
  void concurrentFinalizations() throws StripeException {
    Customer customer = customer(stripe);
    String c = customer.getId();
    CreditGrant g = grant(Credits.metered(c, "usd", 100).build());
    long customerId = BillingRows.customerId(gateway, c);
    long invoiceA = BillingRows.invoice(gateway, c, "usd");
    long invoiceB = BillingRows.invoice(gateway, c, "usd");

    SqlConnection a = TestPool.await(db.pool().getConnection());
    try {
      Transaction txA = TestPool.await(a.begin());
      List<Grant> seenByA = TestPool.await(CreditLedger.usable(a, customerId, "usd", Instant.now(), true));
      assertThat(seenByA).singleElement().satisfies(x -> assertThat(x.remaining()).isEqualTo(100));

      Future<List<String>> b = db.pool().withTransaction(tx -> finalize(tx, customerId, invoiceB, 80));
      gateway.await(() -> gateway.queryLong("SELECT count(*) FROM pg_stat_activity"
          + " WHERE datname = current_database() AND wait_event_type = 'Lock'"), waiting -> waiting == 1);
      assertThat(b.isComplete()).as("B waits for A's lock").isFalse();

      TestPool.await(CreditLedger.apply(a, account, false, List.of(
          new CreditLedger.Application(seenByA.get(0), 80, invoiceA, "in_a", "il_a"))));
      TestPool.await(txA.commit());
      assertThat(TestPool.await(b)).hasSize(1);
    } finally {
      TestPool.await(a.close());
    }
    assertThat(movements(gateway, g.getId())).containsExactly("credits_granted:100", "credits_applied:80",
        "credits_applied:20");
    assertThat(remaining(g.getId())).isZero();
  }
}
