package io.metergate.invoices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.InvoiceLineItemCollection;
import com.stripe.model.Price;
import com.stripe.model.Subscription;
import com.stripe.net.ApiResource;
import com.stripe.param.CustomerBalanceTransactionCreateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.InvoiceCreatePreviewParams;
import com.stripe.param.InvoiceItemCreateParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import com.stripe.param.billing.MeterCreateParams;
import io.metergate.testing.Credits;
import io.metergate.testing.TestGateway;
import io.metergate.testing.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The upcoming invoice: usage of the current period, licensed fees ahead, items, credits, balance")
class PreviewSdkTest {
  private static TestGateway gateway;
  private static StripeClient stripe;
  private static Usage usage;
  private static Price calls;
  private static Price seats;
  private static Price peak;

  @BeforeAll
  static void start() throws StripeException {
    gateway = TestGateway.start();
    stripe = gateway.client();
    usage = new Usage(gateway, stripe);
    var callsMeter = usage.meter("preview_calls", MeterCreateParams.DefaultAggregation.Formula.SUM, null);
    var peakMeter = usage.meter("preview_peak", MeterCreateParams.DefaultAggregation.Formula.LAST, null);
    calls = stripe.prices().create(metered(callsMeter.getId(), "Calls").setUnitAmountDecimal(new BigDecimal("0.25"))
        .build());
    peak = stripe.prices().create(metered(peakMeter.getId(), "Peak seats").setUnitAmount(100L).build());
    seats = stripe.prices().create(PriceCreateParams.builder().setCurrency("usd").setUnitAmount(1500L)
        .setProductData(PriceCreateParams.ProductData.builder().setName("Seats").build())
        .setRecurring(PriceCreateParams.Recurring.builder().setInterval(PriceCreateParams.Recurring.Interval.MONTH)
            .build()).build());
  }

  private static PriceCreateParams.Builder metered(String meter, String name) {
    return PriceCreateParams.builder().setCurrency("usd")
        .setProductData(PriceCreateParams.ProductData.builder().setName(name).build())
        .setRecurring(PriceCreateParams.Recurring.builder().setInterval(PriceCreateParams.Recurring.Interval.MONTH)
            .setUsageType(PriceCreateParams.Recurring.UsageType.METERED).setMeter(meter).build());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static Customer customer() throws StripeException {
    return stripe.customers().create(CustomerCreateParams.builder().setName("preview").build());
  }

  private static Subscription subscribe(Customer c, Instant start, SubscriptionCreateParams.Item... items)
      throws StripeException {
    SubscriptionCreateParams.Builder b = SubscriptionCreateParams.builder().setCustomer(c.getId())
        .setBackdateStartDate(start.getEpochSecond());
    for (SubscriptionCreateParams.Item i : items) {
      b.addItem(i);
    }
    return stripe.subscriptions().create(b.build());
  }

  private static SubscriptionCreateParams.Item item(Price p, Long quantity) {
    SubscriptionCreateParams.Item.Builder b = SubscriptionCreateParams.Item.builder().setPrice(p.getId());
    if (quantity != null) {
      b.setQuantity(quantity);
    }
    return b.build();
  }

  private static Invoice preview(Customer c) throws StripeException {
    return stripe.invoices().createPreview(InvoiceCreatePreviewParams.builder().setCustomer(c.getId()).build());
  }

  @Test
  @DisplayName("metered usage bills the current period only; licensed seats bill the next period in advance")
  void meteredAndLicensed() throws StripeException {
    Customer c = customer();
    Instant start = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    Subscription sub = subscribe(c, start, item(calls, null), item(seats, 2L), item(peak, null));
    usage.v1("preview_calls", c.getId(), "1000", start.minus(1, ChronoUnit.HOURS));
    usage.v1("preview_calls", c.getId(), "300", Instant.now());
    usage.v2("preview_calls", c.getId(), "100.5", start);
    usage.v1("preview_peak", c.getId(), "7", Instant.now().minus(1, ChronoUnit.HOURS));
    usage.v1("preview_peak", c.getId(), "4", Instant.now());

    Invoice inv = preview(c);

    assertThat(inv.getLines().getData()).extracting(InvoiceLineItem::getAmount)
        .as("400.5 calls x 0.25 = 100.125 -> 100; 2 seats x 1500; last peak 4 x 100").containsExactly(100L, 3000L, 400L);
    InvoiceLineItem callsLine = inv.getLines().getData().get(0);
    assertThat(callsLine.getQuantityDecimal()).isEqualByComparingTo("400.5");
    assertThat(callsLine.getQuantity()).as("not a whole number of units").isNull();
    assertThat(callsLine.getPeriod().getStart()).isEqualTo(start.getEpochSecond());
    InvoiceLineItem seatsLine = inv.getLines().getData().get(1);
    assertThat(seatsLine.getPeriod().getStart()).as("licensed: the next period")
        .isEqualTo(sub.getItems().getData().get(1).getCurrentPeriodEnd());
    assertThat(inv.getSubtotal()).isEqualTo(3500);
    assertThat(inv.getParent().getSubscriptionDetails().getSubscription()).isEqualTo(sub.getId());
  }

  @Test
  @DisplayName("pending invoice items join the preview; credits pay only the lines they cover; the balance comes last")
  void itemsCreditsAndBalance() throws StripeException {
    Customer c = customer();
    subscribe(c, Instant.now().minus(1, ChronoUnit.DAYS), item(calls, null));
    usage.v1("preview_calls", c.getId(), "4000", Instant.now());
    stripe.invoiceItems().create(InvoiceItemCreateParams.builder().setCustomer(c.getId()).setAmount(500L)
        .setCurrency("usd").setDescription("setup").build());
    stripe.billing().creditGrants().create(Credits.forPrices(c.getId(), "usd", 2000, calls.getId()).build());
    stripe.customers().balanceTransactions().create(c.getId(), CustomerBalanceTransactionCreateParams.builder()
        .setAmount(-200L).setCurrency("usd").build());

    Invoice inv = preview(c);

    assertThat(inv.getLines().getData()).extracting(InvoiceLineItem::getAmount).containsExactly(1000L, 500L);
    assertThat(inv.getLines().getData().get(0).getPretaxCreditAmounts()).singleElement()
        .satisfies(p -> assertThat(p.getAmount()).as("the whole usage line, no more").isEqualTo(1000));
    assertThat(inv.getLines().getData().get(1).getPretaxCreditAmounts()).as("a one-off item is not covered").isEmpty();
    assertThat(inv.getTotal()).isEqualTo(500);
    assertThat(inv.getStartingBalance()).isEqualTo(-200);
    assertThat(inv.getAmountDue()).isEqualTo(300);
  }

  @Test
  @DisplayName("the legacy upcoming lines page with limit and starting_after")
  void legacyPaging() throws StripeException {
    Customer c = customer();
    subscribe(c, Instant.now().minus(1, ChronoUnit.DAYS), item(calls, null), item(seats, 1L), item(peak, null));
    var first = lines("/v1/invoices/upcoming/lines?customer=" + c.getId() + "&limit=2");
    assertThat(first.getData()).hasSize(2);
    assertThat(first.getHasMore()).isTrue();
    var rest = lines("/v1/invoices/upcoming/lines?customer=" + c.getId() + "&limit=2&starting_after="
        + first.getData().get(1).getId());
    assertThat(rest.getData()).hasSize(1);
    assertThat(rest.getHasMore()).isFalse();
    assertThat(rest.getData().get(0).getId()).startsWith("il_tmp_").isNotIn(first.getData().get(0).getId(),
        first.getData().get(1).getId());
  }

  private static InvoiceLineItemCollection lines(String path) throws StripeException {
    var response = stripe.rawRequest(ApiResource.RequestMethod.GET, path, null);
    return ApiResource.GSON.fromJson(response.body(), InvoiceLineItemCollection.class);
  }

  @Test
  @DisplayName("nothing to bill, a canceled subscription or another customer's subscription is refused clearly")
  void nothingUpcoming() throws StripeException {
    Customer idle = customer();
    assertThatThrownBy(() -> preview(idle)).isInstanceOfSatisfying(InvalidRequestException.class,
        e -> assertThat(e.getCode()).isEqualTo("invoice_upcoming_none"));
    Customer c = customer();
    Subscription sub = subscribe(c, Instant.now(), item(seats, 1L));
    assertThatThrownBy(() -> stripe.invoices().createPreview(InvoiceCreatePreviewParams.builder()
        .setCustomer(idle.getId()).setSubscription(sub.getId()).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getStripeError().getParam()).isEqualTo("subscription"));
    stripe.subscriptions().cancel(sub.getId());
    assertThatThrownBy(() -> preview(c)).isInstanceOfSatisfying(InvalidRequestException.class,
        e -> assertThat(e.getCode()).isEqualTo("invoice_upcoming_none"));
  }
}
