package io.metergate.subscriptions;

import static io.metergate.testing.StripeErrors.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.ApiException;
import com.stripe.exception.StripeException;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.StripeCollection;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.model.billing.Meter;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.PriceCreateParams.Recurring;
import com.stripe.param.PriceUpdateParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.SubscriptionCancelParams;
import com.stripe.param.SubscriptionCreateParams;
import com.stripe.param.SubscriptionCreateParams.Item;
import com.stripe.param.SubscriptionListParams;
import com.stripe.param.SubscriptionRetrieveParams;
import com.stripe.param.SubscriptionUpdateParams;
import io.metergate.testing.Customers;
import io.metergate.testing.Meters;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Subscriptions through the official stripe-java SDK")
class SubscriptionsSdkTest {
  private static final long DAY = 86_400;

  private static TestGateway gateway;
  private static StripeClient stripe;
  private static Product product;
  private static Meter meter;
  private static Price seats;
  private static Price calls;

  @BeforeAll
  static void start() throws StripeException {
    gateway = TestGateway.start();
    stripe = gateway.client();
    product = stripe.products().create(ProductCreateParams.builder().setName("Platform").build());
    meter = stripe.billing().meters().create(Meters.sum("sub_calls", "Calls"));
    seats = price(stripe, product, 1500, Recurring.Interval.MONTH, 1, null);
    calls = price(stripe, product, 0, Recurring.Interval.MONTH, 1, meter);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** A recurring usd price: licensed, or metered on {@code meter} when given. */
  private static Price price(StripeClient client, Product product, long unitAmount, Recurring.Interval interval,
                             long count, Meter meter) throws StripeException {
    Recurring.Builder recurring = Recurring.builder().setInterval(interval).setIntervalCount(count);
    if (meter != null) {
      recurring.setUsageType(Recurring.UsageType.METERED).setMeter(meter.getId());
    }
    return client.prices().create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setUnitAmount(unitAmount).setRecurring(recurring.build()).build());
  }

  private static SubscriptionCreateParams.Builder subscribe(String customer, Price... prices) {
    SubscriptionCreateParams.Builder b = SubscriptionCreateParams.builder().setCustomer(customer);
    for (Price p : prices) {
      b.addItem(Item.builder().setPrice(p.getId()).build());
    }
    return b;
  }

  private static Subscription create(SubscriptionCreateParams.Builder params) throws StripeException {
    return stripe.subscriptions().create(params.build());
  }

  private static Periods.Period expectedPeriod(long anchor, String interval, int count, Instant at) {
    return Periods.containing(Instant.ofEpochSecond(anchor), interval, count, at);
  }

  private static Periods.Period periodOf(SubscriptionItem item) {
    return new Periods.Period(Instant.ofEpochSecond(item.getCurrentPeriodStart()),
        Instant.ofEpochSecond(item.getCurrentPeriodEnd()));
  }

  @Test
  @DisplayName("a created subscription has Stripe's dahlia shape, with the current period on each item")
  void createAndRetrieve() throws StripeException {
    String customer = Customers.create(gateway);
    long before = Instant.now().getEpochSecond();
    Subscription s = create(SubscriptionCreateParams.builder().setCustomer(customer).putMetadata("team", "core")
        .addItem(Item.builder().setPrice(seats.getId()).setQuantity(3L).putMetadata("kind", "seats").build())
        .addItem(Item.builder().setPrice(calls.getId()).build()));
    long after = Instant.now().getEpochSecond();

    assertThat(s.getId()).startsWith("sub_");
    assertThat(s.getObject()).isEqualTo("subscription");
    assertThat(s.getStatus()).isEqualTo("active");
    assertThat(s.getCreated()).isBetween(before, after);
    assertThat(s.getStartDate()).isEqualTo(s.getCreated());
    assertThat(s.getBillingCycleAnchor()).isEqualTo(s.getStartDate());
    assertThat(s.getCancelAt()).isNull();
    assertThat(s.getCancelAtPeriodEnd()).isFalse();
    assertThat(s.getCanceledAt()).isNull();
    assertThat(s.getEndedAt()).isNull();
    assertThat(s.getCancellationDetails().getReason()).isNull();
    assertThat(s.getCollectionMethod()).isEqualTo("charge_automatically");
    assertThat(s.getCurrency()).isEqualTo("usd");
    assertThat(s.getCustomer()).isEqualTo(customer);
    assertThat(s.getDaysUntilDue()).isNull();
    assertThat(s.getDefaultPaymentMethod()).isNull();
    assertThat(s.getDiscounts()).isEmpty();
    assertThat(s.getLatestInvoice()).isNull();
    assertThat(s.getLivemode()).isFalse();
    assertThat(s.getMetadata()).containsExactly(Map.entry("team", "core"));
    assertThat(s.getAutomaticTax().getEnabled()).isFalse();
    assertThat(s.getTrialEnd()).isNull();

    assertThat(s.getItems().getObject()).isEqualTo("list");
    assertThat(s.getItems().getHasMore()).isFalse();
    assertThat(s.getItems().getUrl()).isEqualTo("/v1/subscription_items?subscription=" + s.getId());
    assertThat(s.getRawJsonObject().getAsJsonObject("items").get("total_count").getAsLong()).isEqualTo(2);
    List<SubscriptionItem> items = s.getItems().getData();
    assertThat(items).hasSize(2);
    SubscriptionItem seatItem = items.get(0);
    assertThat(seatItem.getId()).startsWith("si_");
    assertThat(seatItem.getObject()).isEqualTo("subscription_item");
    assertThat(seatItem.getCreated()).isEqualTo(s.getCreated());
    assertThat(seatItem.getCurrentPeriodStart()).isEqualTo(s.getStartDate());
    assertThat(periodOf(seatItem)).isEqualTo(expectedPeriod(s.getBillingCycleAnchor(), "month", 1,
        Instant.ofEpochSecond(s.getStartDate())));
    assertThat(seatItem.getDiscounts()).isEmpty();
    assertThat(seatItem.getMetadata()).containsExactly(Map.entry("kind", "seats"));
    assertThat(seatItem.getPrice().toJson()).isEqualTo(seats.toJson());
    assertThat(seatItem.getQuantity()).isEqualTo(3L);
    assertThat(seatItem.getSubscription()).isEqualTo(s.getId());
    assertThat(seatItem.getTaxRates()).isEmpty();
    SubscriptionItem callItem = items.get(1);
    assertThat(callItem.getPrice().getRecurring().getMeter()).isEqualTo(meter.getId());
    assertThat(callItem.getQuantity()).as("metered items have no quantity").isNull();
    assertThat(callItem.getMetadata()).isEmpty();
    assertThat(periodOf(callItem)).isEqualTo(periodOf(seatItem));

    Subscription fetched = stripe.subscriptions().retrieve(s.getId());
    assertThat(fetched.toJson()).isEqualTo(s.toJson());
    Subscription defaultQuantity = create(subscribe(customer, seats));
    assertThat(defaultQuantity.getItems().getData().get(0).getQuantity()).isEqualTo(1L);
  }

  @Test
  @DisplayName("a backdated start anchors monthly periods on its day, clamped at month ends")
  void backdatedPeriods() throws StripeException {
    String customer = Customers.create(gateway);
    long start = Instant.parse("2024-01-31T08:00:00Z").getEpochSecond();
    Instant before = Instant.now();
    Subscription s = create(subscribe(customer, seats, calls).setBackdateStartDate(start));
    Instant after = Instant.now();
    assertThat(s.getStartDate()).isEqualTo(start);
    assertThat(s.getBillingCycleAnchor()).isEqualTo(start);
    assertThat(s.getCreated()).isGreaterThan(start);
    Periods.Period current = periodOf(s.getItems().getData().get(0));
    assertThat(current).isIn(expectedPeriod(start, "month", 1, before), expectedPeriod(start, "month", 1, after));
    assertThat(current.start().atZone(java.time.ZoneOffset.UTC).getHour()).isEqualTo(8);
  }

  @Test
  @DisplayName("an anchor after the start makes [start, anchor) a shorter first period")
  void anchorAfterStart() throws StripeException {
    String customer = Customers.create(gateway);
    long now = Instant.now().getEpochSecond();
    long start = now - 10 * DAY;
    long anchor = now + 5 * DAY;
    Subscription s = create(subscribe(customer, calls).setBackdateStartDate(start).setBillingCycleAnchor(anchor));
    assertThat(s.getStartDate()).isEqualTo(start);
    assertThat(s.getBillingCycleAnchor()).isEqualTo(anchor);
    SubscriptionItem item = s.getItems().getData().get(0);
    assertThat(item.getCurrentPeriodStart()).isEqualTo(start);
    assertThat(item.getCurrentPeriodEnd()).isEqualTo(anchor);

    Price weekly = price(stripe, product, 10, Recurring.Interval.WEEK, 2, null);
    Subscription future = create(subscribe(customer, weekly).setBillingCycleAnchor(now + 3 * DAY));
    SubscriptionItem first = future.getItems().getData().get(0);
    assertThat(first.getCurrentPeriodStart()).isEqualTo(future.getStartDate());
    assertThat(first.getCurrentPeriodEnd()).isEqualTo(now + 3 * DAY);

    refused(() -> create(subscribe(customer, weekly).setBillingCycleAnchor(now + 15 * DAY)), "parameter_invalid_integer",
        "billing_cycle_anchor");
    refused(() -> create(subscribe(customer, weekly).setBackdateStartDate(start).setBillingCycleAnchor(start - 1)),
        "parameter_invalid_integer", "billing_cycle_anchor");
    refused(() -> create(subscribe(customer, weekly).setBillingCycleAnchor(now - DAY)), "parameter_invalid_integer",
        "billing_cycle_anchor");
    refused(() -> create(subscribe(customer, weekly).setBackdateStartDate(now + DAY)), "parameter_invalid_integer",
        "backdate_start_date");
    refused(() -> create(subscribe(customer, weekly).setBillingCycleAnchor(999_999_999_999_999_999L)),
        "parameter_invalid_integer", "billing_cycle_anchor");
    refused(() -> create(subscribe(customer, weekly).setBackdateStartDate(-5L)), "parameter_invalid_integer",
        "backdate_start_date");
  }

  @Test
  @DisplayName("customers and items are checked by name: existence, recurring, active, one currency and interval")
  void validation() throws StripeException {
    String customer = Customers.create(gateway);
    refused(() -> create(SubscriptionCreateParams.builder().addItem(Item.builder().setPrice(seats.getId()).build())),
        "parameter_missing", "customer");
    refused(() -> create(subscribe("cus_missing", seats)), "resource_missing", "customer");
    String gone = Customers.create(gateway);
    Customers.delete(gateway, gone);
    refused(() -> create(subscribe(gone, seats)), "resource_missing", "customer");
    refused(() -> create(subscribe(customer)), "parameter_missing", "items");
    refused(() -> create(SubscriptionCreateParams.builder().setCustomer(customer)
        .addItem(Item.builder().setQuantity(1L).build())), "parameter_missing", "items[0][price]");
    refused(() -> create(SubscriptionCreateParams.builder().setCustomer(customer)
        .addItem(Item.builder().setPrice("price_missing").build())), "resource_missing", "items[0][price]");

    Price oneTime = stripe.prices().create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setUnitAmount(5L).build());
    refused(() -> create(subscribe(customer, oneTime)), "parameter_invalid", "items[0][price]");
    Price retired = price(stripe, product, 5, Recurring.Interval.MONTH, 1, null);
    stripe.prices().update(retired.getId(), PriceUpdateParams.builder().setActive(false).build());
    refused(() -> create(subscribe(customer, retired)), "parameter_invalid", "items[0][price]");
    Price euros = stripe.prices().create(PriceCreateParams.builder().setCurrency("eur").setProduct(product.getId())
        .setUnitAmount(5L).setRecurring(Recurring.builder().setInterval(Recurring.Interval.MONTH).build()).build());
    refused(() -> create(subscribe(customer, seats, euros)), "parameter_invalid", "items[1][price]");
    Price yearly = price(stripe, product, 5, Recurring.Interval.YEAR, 1, null);
    refused(() -> create(subscribe(customer, seats, yearly)), "parameter_invalid", "items[1][price]");
    Price bimonthly = price(stripe, product, 5, Recurring.Interval.MONTH, 2, null);
    refused(() -> create(subscribe(customer, seats, bimonthly)), "parameter_invalid", "items[1][price]");
    refused(() -> create(subscribe(customer, seats, seats)), "parameter_invalid", "items[1][price]");
    refused(() -> create(SubscriptionCreateParams.builder().setCustomer(customer)
        .addItem(Item.builder().setPrice(calls.getId()).setQuantity(2L).build())), "parameter_invalid",
        "items[0][quantity]");
    refused(() -> create(SubscriptionCreateParams.builder().setCustomer(customer)
        .addItem(Item.builder().setPrice(seats.getId()).setQuantity(-1L).build())), "parameter_invalid_integer",
        "items[0][quantity]");
    refused(() -> create(subscribe(customer, seats).setCurrency("eur")), "parameter_invalid", "currency");
    SubscriptionCreateParams.Builder many = SubscriptionCreateParams.builder().setCustomer(customer);
    for (int i = 0; i < 21; i++) {
      many.addItem(Item.builder().setPrice("price_" + i).build());
    }
    refused(() -> create(many), "parameter_invalid_array", "items");
    refused(() -> create(subscribe(customer, seats).putExtraParam("colour", "red")), "parameter_unknown", "colour");
    refused(() -> create(subscribe(customer, seats).addExpand("customer")), "parameter_invalid_expand", "expand[0]");
    assertThat(create(subscribe(customer, seats).setCurrency("USD")).getCurrency()).isEqualTo("usd");
  }

  @Test
  @DisplayName("unsupported settings are refused by name; settings without effect here are accepted")
  void unsupportedAndHarmless() throws StripeException {
    String customer = Customers.create(gateway);
    refused(() -> create(subscribe(customer, seats).setTrialPeriodDays(7L)), "parameter_unsupported",
        "trial_period_days");
    refused(() -> create(subscribe(customer, seats).setDefaultPaymentMethod("pm_1")), "parameter_unsupported",
        "default_payment_method");
    refused(() -> create(subscribe(customer, seats).setCancelAtPeriodEnd(true)), "parameter_unsupported",
        "cancel_at_period_end");
    refused(() -> create(subscribe(customer, seats).setProrationBehavior(
        SubscriptionCreateParams.ProrationBehavior.NONE)), "parameter_unsupported", "proration_behavior");
    refused(() -> create(SubscriptionCreateParams.builder().setCustomer(customer)
        .addItem(Item.builder().setPrice(seats.getId()).addTaxRate("txr_1").build())), "parameter_unsupported",
        "items[0][tax_rates]");
    refused(() -> create(subscribe(customer, seats).setCollectionMethod(
        SubscriptionCreateParams.CollectionMethod.SEND_INVOICE)), "parameter_unsupported", "collection_method");
    refused(() -> create(subscribe(customer, seats).setPaymentBehavior(
        SubscriptionCreateParams.PaymentBehavior.DEFAULT_INCOMPLETE)), "parameter_unsupported", "payment_behavior");

    Subscription s = create(subscribe(customer, seats)
        .setCollectionMethod(SubscriptionCreateParams.CollectionMethod.CHARGE_AUTOMATICALLY)
        .setPaymentBehavior(SubscriptionCreateParams.PaymentBehavior.ALLOW_INCOMPLETE).setOffSession(true));
    assertThat(s.getStatus()).isEqualTo("active");
    assertThat(s.getCollectionMethod()).isEqualTo("charge_automatically");
  }

  @Test
  @DisplayName("expanding items.data.price.tiers shows the tiers of each item's price")
  void expandTiers() throws StripeException {
    String customer = Customers.create(gateway);
    Price tiered = stripe.prices().create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setRecurring(Recurring.builder().setInterval(Recurring.Interval.MONTH)
            .setUsageType(Recurring.UsageType.METERED).setMeter(meter.getId()).build())
        .setBillingScheme(PriceCreateParams.BillingScheme.TIERED).setTiersMode(PriceCreateParams.TiersMode.VOLUME)
        .addTier(PriceCreateParams.Tier.builder().setUpTo(100L).setUnitAmountDecimal(new BigDecimal("0.25")).build())
        .addTier(PriceCreateParams.Tier.builder().setUpTo(PriceCreateParams.Tier.UpTo.INF).setUnitAmount(0L).build())
        .build());
    Subscription s = create(subscribe(customer, tiered).addExpand("items.data.price.tiers"));
    assertThat(s.getItems().getData().get(0).getPrice().getTiers()).hasSize(2);
    assertThat(stripe.subscriptions().retrieve(s.getId()).getItems().getData().get(0).getPrice().getTiers()).isNull();
    Subscription expanded = stripe.subscriptions().retrieve(s.getId(),
        SubscriptionRetrieveParams.builder().addExpand("items.data.price.tiers").build());
    assertThat(expanded.getItems().getData().get(0).getPrice().getTiers().get(0).getUnitAmountDecimal())
        .isEqualByComparingTo("0.25");
    assertThat(stripe.subscriptions().list(SubscriptionListParams.builder().setCustomer(customer)
        .addExpand("data.items.data.price.tiers").build()).getData().get(0).getItems().getData().get(0).getPrice()
        .getTiers()).hasSize(2);
  }

  @Test
  @DisplayName("cancel ends a subscription now with its details; a canceled subscription cannot be canceled again")
  void cancel() throws StripeException {
    String customer = Customers.create(gateway);
    Subscription s = create(subscribe(customer, seats, calls));
    long before = Instant.now().getEpochSecond();
    Subscription canceled = stripe.subscriptions().cancel(s.getId(), SubscriptionCancelParams.builder()
        .setCancellationDetails(SubscriptionCancelParams.CancellationDetails.builder().setComment("moving on")
            .setFeedback(SubscriptionCancelParams.CancellationDetails.Feedback.TOO_EXPENSIVE).build())
        .setInvoiceNow(false).setProrate(false).build());
    assertThat(canceled.getStatus()).isEqualTo("canceled");
    assertThat(canceled.getCanceledAt()).isBetween(before, Instant.now().getEpochSecond());
    assertThat(canceled.getEndedAt()).isEqualTo(canceled.getCanceledAt());
    assertThat(canceled.getCancellationDetails().getReason()).isEqualTo("cancellation_requested");
    assertThat(canceled.getCancellationDetails().getComment()).isEqualTo("moving on");
    assertThat(canceled.getCancellationDetails().getFeedback()).isEqualTo("too_expensive");
    assertThat(canceled.getItems().getData()).hasSize(2);
    assertThat(canceled.getItems().getData().get(0).getCurrentPeriodStart())
        .isEqualTo(s.getItems().getData().get(0).getCurrentPeriodStart());
    assertThat(stripe.subscriptions().retrieve(s.getId()).toJson()).isEqualTo(canceled.toJson());
    refused(() -> stripe.subscriptions().cancel(s.getId()), 404, "resource_missing", "id");
    refused(() -> stripe.subscriptions().cancel("sub_missing"), 404, "resource_missing", "id");

    Subscription other = create(subscribe(customer, seats));
    refused(() -> stripe.subscriptions().cancel(other.getId(), SubscriptionCancelParams.builder().setInvoiceNow(true)
        .build()), "parameter_unsupported", "invoice_now");
    refused(() -> stripe.subscriptions().cancel(other.getId(), SubscriptionCancelParams.builder().setProrate(true)
        .build()), "parameter_unsupported", "prorate");
    assertThat(stripe.subscriptions().retrieve(other.getId()).getStatus()).isEqualTo("active");
    assertThat(stripe.subscriptions().cancel(other.getId()).getCancellationDetails().getComment()).isNull();
  }

  @Test
  @DisplayName("lists filter by customer, status and price, hide canceled ones by default, and page both ways")
  void listAndFilters() throws StripeException {
    String key = gateway.newAccountKey(false);
    StripeClient client = gateway.client(key);
    Product p = client.products().create(ProductCreateParams.builder().setName("p").build());
    Price a = price(client, p, 1, Recurring.Interval.MONTH, 1, null);
    Price b = price(client, p, 2, Recurring.Interval.MONTH, 1, null);
    String alice = Customers.create(gateway, key);
    String bob = Customers.create(gateway, key);
    List<String> ids = new ArrayList<>();
    for (String customer : List.of(alice, bob, alice, bob)) {
      ids.add(client.subscriptions().create(subscribe(customer, customer.equals(alice) ? a : b).build()).getId());
    }
    ids.add(client.subscriptions().create(subscribe(alice, a, b).build()).getId());
    client.subscriptions().cancel(ids.get(2));

    assertThat(ids(client, SubscriptionListParams.builder().build()))
        .containsExactly(ids.get(4), ids.get(3), ids.get(1), ids.get(0));
    assertThat(ids(client, SubscriptionListParams.builder().setStatus(SubscriptionListParams.Status.ALL).build()))
        .containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
    assertThat(ids(client, SubscriptionListParams.builder().setStatus(SubscriptionListParams.Status.CANCELED).build()))
        .containsExactly(ids.get(2));
    assertThat(ids(client, SubscriptionListParams.builder().setStatus(SubscriptionListParams.Status.ENDED).build()))
        .containsExactly(ids.get(2));
    assertThat(ids(client, SubscriptionListParams.builder().setStatus(SubscriptionListParams.Status.PAST_DUE)
        .build())).isEmpty();
    assertThat(ids(client, SubscriptionListParams.builder().setStatus(SubscriptionListParams.Status.ACTIVE)
        .setCustomer(alice).build())).containsExactly(ids.get(4), ids.get(0));
    assertThat(ids(client, SubscriptionListParams.builder().setPrice(b.getId()).build()))
        .containsExactly(ids.get(4), ids.get(3), ids.get(1));
    assertThat(ids(client, SubscriptionListParams.builder().setCustomer("cus_unknown").build())).isEmpty();

    StripeCollection<Subscription> first = client.subscriptions().list(SubscriptionListParams.builder().setLimit(2L)
        .build());
    assertThat(first.getData()).extracting(Subscription::getId).containsExactly(ids.get(4), ids.get(3));
    assertThat(first.getHasMore()).isTrue();
    assertThat(first.getUrl()).isEqualTo("/v1/subscriptions");
    assertThat(first.getData().get(0).getItems().getData()).hasSize(2);
    StripeCollection<Subscription> back = client.subscriptions().list(SubscriptionListParams.builder().setLimit(2L)
        .setStatus(SubscriptionListParams.Status.ALL).setEndingBefore(ids.get(2)).build());
    assertThat(back.getData()).extracting(Subscription::getId).containsExactly(ids.get(4), ids.get(3));
    assertThat(back.getHasMore()).isFalse();
    List<String> all = new ArrayList<>();
    client.subscriptions().list(SubscriptionListParams.builder().setLimit(1L).build()).autoPagingIterable()
        .forEach(s -> all.add(s.getId()));
    assertThat(all).containsExactly(ids.get(4), ids.get(3), ids.get(1), ids.get(0));

    refused(() -> client.subscriptions().list(SubscriptionListParams.builder().setPlan("plan_1").build()),
        "parameter_unsupported", "plan");
    refused(() -> client.subscriptions().list(SubscriptionListParams.builder().setStartingAfter("sub_missing")
        .build()), 404, "resource_missing", "starting_after");
  }

  private static List<String> ids(StripeClient client, SubscriptionListParams params) throws StripeException {
    return client.subscriptions().list(params).getData().stream().map(Subscription::getId).toList();
  }

  @Test
  @DisplayName("another account's subscriptions, customers and prices are invisible to it")
  void tenancy() throws StripeException {
    String customer = Customers.create(gateway);
    Subscription mine = create(subscribe(customer, seats));
    String key = gateway.newAccountKey(false);
    StripeClient other = gateway.client(key);
    refused(() -> other.subscriptions().retrieve(mine.getId()), 404, "resource_missing", "id");
    refused(() -> other.subscriptions().cancel(mine.getId()), 404, "resource_missing", "id");
    assertThat(other.subscriptions().list(SubscriptionListParams.builder()
        .setStatus(SubscriptionListParams.Status.ALL).build()).getData()).isEmpty();
    refused(() -> other.subscriptions().create(subscribe(customer, seats).build()), "resource_missing", "customer");
    String theirCustomer = Customers.create(gateway, key);
    refused(() -> other.subscriptions().create(subscribe(theirCustomer, seats).build()), "resource_missing",
        "items[0][price]");
    String liveKey = gateway.newAccountKey(true);
    StripeClient live = gateway.client(liveKey);
    Product liveProduct = live.products().create(ProductCreateParams.builder().setName("live").build());
    Subscription liveSub = live.subscriptions().create(subscribe(Customers.create(gateway, liveKey),
        price(live, liveProduct, 1, Recurring.Interval.DAY, 1, null)).build());
    assertThat(liveSub.getLivemode()).isTrue();
    assertThat(stripe.subscriptions().retrieve(mine.getId()).getStatus()).isEqualTo("active");
  }

  @Test
  @DisplayName("Stripe's subscription routes not built here say 501; other paths are 404s")
  void unknownRoutes() throws StripeException {
    String auth = "Bearer " + TestGateway.DEV_KEY;
    Subscription s = create(subscribe(Customers.create(gateway), seats));
    assertThatThrownBy(() -> stripe.subscriptions().update(s.getId(), SubscriptionUpdateParams.builder()
        .putMetadata("a", "b").build())).isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(501);
          assertThat(e.getCode()).isEqualTo("not_implemented");
        });
    for (RawHttp.Response r : List.of(
        RawHttp.get(gateway.baseUrl() + "/v1/subscriptions/search?query=status:%27active%27", auth),
        RawHttp.get(gateway.baseUrl() + "/v1/subscription_items?subscription=" + s.getId(), auth),
        RawHttp.post(gateway.baseUrl() + "/v1/subscriptions/" + s.getId() + "/resume", auth,
            "application/x-www-form-urlencoded", ""))) {
      assertThat(r.status()).isEqualTo(501);
      assertThat(r.error().getString("code")).isEqualTo("not_implemented");
    }
    RawHttp.Response unknown = RawHttp.get(gateway.baseUrl() + "/v1/subscriptions/" + s.getId() + "/items", auth);
    assertThat(unknown.status()).isEqualTo(404);
    RawHttp.Response put = RawHttp.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/subscriptions"))
        .header("Authorization", auth).PUT(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(put.status()).isEqualTo(404);
  }
}
