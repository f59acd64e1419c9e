package io.metergate.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.billing.Meter;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.PriceCreateParams.Recurring;
import com.stripe.param.PriceCreateParams.Tier;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import io.metergate.accounts.ApiKeys;
import io.metergate.accounts.Principal;
import io.metergate.catalog.PriceStore;
import io.metergate.catalog.Pricing;
import io.metergate.common.ApiError;
import io.metergate.testing.Customers;
import io.metergate.testing.Meters;
import io.metergate.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What invoice previews call: the stores' lookups, on data made through the API. */
@DisplayName("Price and subscription stores, as invoice previews use them")
class SubscriptionStoreTest {
  private static TestGateway gateway;
  private static StripeClient stripe;
  private static Pool pool;
  private static PriceStore prices;
  private static SubscriptionStore subscriptions;
  private static Principal dev;
  private static Price graduated;
  private static Price seats;
  private static Meter meter;

  @BeforeAll
  static void start() throws StripeException {
    gateway = TestGateway.start();
    stripe = gateway.client();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(gateway.database().connectOptions()).using(gateway.vertx()).build();
    prices = new PriceStore(pool);
    subscriptions = new SubscriptionStore(pool);
    dev = principal(TestGateway.DEV_KEY);
    Product product = stripe.products().create(ProductCreateParams.builder().setName("API").build());
    meter = stripe.billing().meters().create(Meters.sum("store_calls", "Calls"));
    graduated = stripe.prices().create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setRecurring(Recurring.builder().setInterval(Recurring.Interval.MONTH)
            .setUsageType(Recurring.UsageType.METERED).setMeter(meter.getId()).build())
        .setBillingScheme(PriceCreateParams.BillingScheme.TIERED).setTiersMode(PriceCreateParams.TiersMode.GRADUATED)
        .addTier(Tier.builder().setUpTo(1000L).setUnitAmountDecimal(new BigDecimal("0.5")).build())
        .addTier(Tier.builder().setUpTo(10000L).setUnitAmountDecimal(new BigDecimal("0.4")).setFlatAmount(100L).build())
        .addTier(Tier.builder().setUpTo(Tier.UpTo.INF).setUnitAmountDecimal(new BigDecimal("0.3")).build()).build());
    seats = stripe.prices().create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setUnitAmountDecimal(new BigDecimal("1500.5"))
        .setRecurring(Recurring.builder().setInterval(Recurring.Interval.MONTH).build()).build());
  }

  @AfterAll
  static void stop() {
    pool.close();
    gateway.close();
  }

  private static Principal principal(String key) {
    long account = gateway.queryLong("SELECT account_id FROM api_keys WHERE key_hash = ?", (Object) ApiKeys.hash(key));
    return new Principal(account, "acct_test", ApiKeys.livemode(key));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static com.stripe.model.Subscription subscribe(String customer, Price... items) throws StripeException {
    SubscriptionCreateParams.Builder b = SubscriptionCreateParams.builder().setCustomer(customer);
    for (Price p : items) {
      b.addItem(SubscriptionCreateParams.Item.builder().setPrice(p.getId()).build());
    }
    return stripe.subscriptions().create(b.build());
  }

  @Test
  @DisplayName("a stored price reads back exactly, tiers included, and prices usage as Pricing says")
  void priceForParam() {
    io.metergate.catalog.Price p = await(prices.findForParam(dev, graduated.getId(), "lines[0][price]"));
    assertThat(p.publicId()).isEqualTo(graduated.getId());
    assertThat(p.metered()).isTrue();
    assertThat(p.meterPublicId()).isEqualTo(meter.getId());
    assertThat(p.meterId()).isPositive();
    assertThat(p.currency()).isEqualTo("usd");
    assertThat(p.interval()).isEqualTo("month");
    assertThat(p.intervalCount()).isEqualTo(1);
    assertThat(p.tiers()).containsExactly(
        new io.metergate.catalog.Price.Tier(1000L, new BigDecimal("0.5"), null),
        new io.metergate.catalog.Price.Tier(10000L, new BigDecimal("0.4"), new BigDecimal("100")),
        new io.metergate.catalog.Price.Tier(null, new BigDecimal("0.3"), null));
    assertThat(Pricing.round(Pricing.cost(p, new BigDecimal("25000")))).isEqualTo(8700);

    io.metergate.catalog.Price s = await(prices.findForParam(dev, seats.getId(), "price"));
    assertThat(s.unitAmountDecimal()).isEqualByComparingTo("1500.5");
    assertThat(s.metered()).isFalse();
    assertThat(s.meterId()).isNull();
    assertThat(Pricing.round(Pricing.cost(s, BigDecimal.ONE))).isEqualTo(1501);

    ApiError missing = catchThrowableOfType(ApiError.class,
        () -> await(prices.findForParam(dev, "price_missing", "lines[2][pricing][price]")));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.code()).isEqualTo("resource_missing");
    assertThat(missing.param()).isEqualTo("lines[2][pricing][price]");
    Principal other = principal(gateway.newAccountKey(false));
    assertThat(catchThrowableOfType(ApiError.class, () -> await(prices.findForParam(other, seats.getId(), "price")))
        .code()).isEqualTo("resource_missing");
  }

  @Test
  @DisplayName("active lists a customer's active subscriptions oldest first, with items, prices and periods")
  void activeSubscriptions() throws StripeException {
    String customer = Customers.create(gateway);
    String neighbour = Customers.create(gateway);
    com.stripe.model.Subscription first = subscribe(customer, seats, graduated);
    com.stripe.model.Subscription canceled = subscribe(customer, seats);
    com.stripe.model.Subscription second = subscribe(customer, graduated);
    subscribe(neighbour, seats);
    stripe.subscriptions().cancel(canceled.getId());

    List<Subscription> active = await(subscriptions.active(dev, Customers.internalId(gateway, customer)));
    assertThat(active).extracting(Subscription::publicId).containsExactly(first.getId(), second.getId());
    Subscription s = active.get(0);
    assertThat(s.customerPublicId()).isEqualTo(customer);
    assertThat(s.customerId()).isEqualTo(Customers.internalId(gateway, customer));
    assertThat(s.status()).isEqualTo("active");
    assertThat(s.currency()).isEqualTo("usd");
    assertThat(s.interval()).isEqualTo("month");
    assertThat(s.intervalCount()).isEqualTo(1);
    assertThat(s.startDate().getEpochSecond()).isEqualTo(first.getStartDate());
    assertThat(s.billingCycleAnchor().getEpochSecond()).isEqualTo(first.getBillingCycleAnchor());
    assertThat(s.items()).extracting(Subscription.Item::publicId)
        .containsExactly(first.getItems().getData().get(0).getId(), first.getItems().getData().get(1).getId());
    assertThat(s.items().get(0).quantity()).isEqualTo(1L);
    assertThat(s.items().get(1).quantity()).isNull();
    assertThat(s.items().get(1).price().tiers()).hasSize(3);
    Periods.Period now = s.periodAt(Instant.ofEpochSecond(first.getCreated()));
    assertThat(now.start().getEpochSecond()).isEqualTo(first.getItems().getData().get(0).getCurrentPeriodStart());
    assertThat(now.end().getEpochSecond()).isEqualTo(first.getItems().getData().get(0).getCurrentPeriodEnd());

    Principal other = principal(gateway.newAccountKey(false));
    assertThat(await(subscriptions.active(other, Customers.internalId(gateway, customer)))).isEmpty();
  }

  @Test
  @DisplayName("findForParam finds active and canceled subscriptions and names the parameter when unknown")
  void subscriptionForParam() throws StripeException {
    com.stripe.model.Subscription created = subscribe(Customers.create(gateway), graduated);
    stripe.subscriptions().cancel(created.getId());
    Subscription found = await(subscriptions.findForParam(dev, created.getId(), "subscription"));
    assertThat(found.status()).isEqualTo("canceled");
    assertThat(found.canceledAt()).isNotNull();
    assertThat(found.items()).hasSize(1);
    ApiError missing = catchThrowableOfType(ApiError.class,
        () -> await(subscriptions.findForParam(dev, "sub_missing", "subscription")));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.code()).isEqualTo("resource_missing");
    assertThat(missing.param()).isEqualTo("subscription");
    Principal other = principal(gateway.newAccountKey(false));
    assertThat(catchThrowableOfType(ApiError.class,
        () -> await(subscriptions.findForParam(other, created.getId(), "subscription"))).param())
        .isEqualTo("subscription");
  }
}
