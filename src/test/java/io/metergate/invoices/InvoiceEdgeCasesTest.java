package io.metergate.invoices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceItem;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.Price;
import com.stripe.model.Subscription;
import com.stripe.param.CustomerBalanceTransactionCreateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.InvoiceAddLinesParams;
import com.stripe.param.InvoiceCreateParams;
import com.stripe.param.InvoiceCreatePreviewParams;
import com.stripe.param.InvoiceItemCreateParams;
import com.stripe.param.InvoiceItemUpdateParams;
import com.stripe.param.InvoiceUpdateLinesParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import com.stripe.param.billing.MeterCreateParams;
import io.metergate.testing.Credits;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import io.metergate.testing.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Invoices at their edges: bounds, partial updates, boundaries, races")
class InvoiceEdgeCasesTest {
  private static TestGateway gateway;
  private static StripeClient stripe;
  private static Usage usage;
  private static Price seat;
  private static Price calls;

  @BeforeAll
  static void start() throws StripeException {
    gateway = TestGateway.start();
    stripe = gateway.client();
    usage = new Usage(gateway, stripe);
    seat = stripe.prices().create(PriceCreateParams.builder().setCurrency("usd").setUnitAmount(250L)
        .setProductData(PriceCreateParams.ProductData.builder().setName("Seat").build()).build());
    var meter = usage.meter("edge_calls", MeterCreateParams.DefaultAggregation.Formula.SUM, null);
    calls = stripe.prices().create(PriceCreateParams.builder().setCurrency("usd").setUnitAmount(1L)
        .setProductData(PriceCreateParams.ProductData.builder().setName("Calls").build())
        .setRecurring(PriceCreateParams.Recurring.builder().setInterval(PriceCreateParams.Recurring.Interval.DAY)
            .setUsageType(PriceCreateParams.Recurring.UsageType.METERED).setMeter(meter.getId()).build()).build());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static Customer customer() throws StripeException {
    return stripe.customers().create(CustomerCreateParams.builder().setName("edge").build());
  }

  private static Invoice draft(Customer c) throws StripeException {
    return stripe.invoices().create(InvoiceCreateParams.builder().setCustomer(c.getId()).setCurrency("usd").build());
  }

  private static Invoice add(Invoice inv, InvoiceAddLinesParams.Line line) throws StripeException {
    return stripe.invoices().addLines(inv.getId(), InvoiceAddLinesParams.builder().addLine(line).build());
  }

  @Test
  @DisplayName("amounts past Stripe's bound are refused by name instead of overflowing")
  void bounds() throws StripeException {
    Invoice inv = draft(customer());
    assertThatThrownBy(() -> add(inv, InvoiceAddLinesParams.Line.builder().setAmount(1_000_000_000_000L).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getCode()).isEqualTo("amount_too_large");
          assertThat(e.getStripeError().getParam()).isEqualTo("lines[0][amount]");
        });
    assertThatThrownBy(() -> add(inv, InvoiceAddLinesParams.Line.builder().setPriceData(
            InvoiceAddLinesParams.Line.PriceData.builder().setCurrency("usd").setUnitAmount(999_999_999_999L)
                .setProductData(InvoiceAddLinesParams.Line.PriceData.ProductData.builder().setName("x").build()).build())
        .setQuantity(999_999_999_999L).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("amount_too_large"));
    assertThatThrownBy(() -> add(inv, InvoiceAddLinesParams.Line.builder().setAmount(1L)
        .setPeriod(InvoiceAddLinesParams.Line.Period.builder().setStart(1L).setEnd(100_000_000_000_000L).build()).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getStripeError().getParam()).isEqualTo("lines[0][period][end]"));
    Invoice exponent = add(inv, InvoiceAddLinesParams.Line.builder().setPriceData(InvoiceAddLinesParams.Line.PriceData
            .builder().setCurrency("usd").setUnitAmountDecimal(new BigDecimal("0.0000001"))
            .setProductData(InvoiceAddLinesParams.Line.PriceData.ProductData.builder().setName("tiny").build()).build())
        .setQuantityDecimal(new BigDecimal("1E+2")).build());
    assertThat(exponent.getLines().getData()).singleElement().satisfies(l ->
        assertThat(l.getQuantityDecimal()).isEqualByComparingTo("100"));
  }

  @Test
  @DisplayName("changing a line's price or quantity keeps its description, metadata, discountable and quantity")
  void partialUpdates() throws StripeException {
    Invoice inv = add(draft(customer()), InvoiceAddLinesParams.Line.builder().setAmount(100L)
        .setDescription("Consulting March").putMetadata("po", "PO-77").setDiscountable(false).build());
    String line = inv.getLines().getData().get(0).getId();
    inv = stripe.invoices().updateLines(inv.getId(), InvoiceUpdateLinesParams.builder()
        .addLine(InvoiceUpdateLinesParams.Line.builder().setId(line).setAmount(200L).build()).build());
    InvoiceLineItem updated = inv.getLines().getData().get(0);
    assertThat(updated.getAmount()).isEqualTo(200);
    assertThat(updated.getDescription()).isEqualTo("Consulting March");
    assertThat(updated.getMetadata()).containsEntry("po", "PO-77");
    assertThat(updated.getDiscountable()).isFalse();

    Invoice unit = add(draft(customer()), InvoiceAddLinesParams.Line.builder().setPriceData(
            InvoiceAddLinesParams.Line.PriceData.builder().setCurrency("usd").setUnitAmount(100L)
                .setProductData(InvoiceAddLinesParams.Line.PriceData.ProductData.builder().setName("u").build()).build())
        .setQuantity(5L).build());
    String unitLine = unit.getLines().getData().get(0).getId();
    unit = stripe.invoices().updateLines(unit.getId(), InvoiceUpdateLinesParams.builder()
        .addLine(InvoiceUpdateLinesParams.Line.builder().setId(unitLine).setPriceData(InvoiceUpdateLinesParams.Line
            .PriceData.builder().setCurrency("usd").setUnitAmount(200L)
            .setProductData(InvoiceUpdateLinesParams.Line.PriceData.ProductData.builder().setName("u").build()).build())
            .build()).build());
    assertThat(unit.getLines().getData().get(0).getAmount()).as("5 x 200").isEqualTo(1000);
    unit = stripe.invoices().updateLines(unit.getId(), InvoiceUpdateLinesParams.builder()
        .addLine(InvoiceUpdateLinesParams.Line.builder().setId(unitLine).setQuantity(7L).build()).build());
    assertThat(unit.getLines().getData().get(0).getAmount()).as("7 x 200").isEqualTo(1400);
  }

  @Test
  @DisplayName("usage is billed by whole minute: the boundary minute belongs to the period starting in it, once")
  void periodBoundaries() throws StripeException {
    Customer c = customer();
    long backdate = Instant.now().minus(30, ChronoUnit.HOURS).getEpochSecond() / 60 * 60 + 40;
    Subscription sub = stripe.subscriptions().create(SubscriptionCreateParams.builder().setCustomer(c.getId())
        .addItem(SubscriptionCreateParams.Item.builder().setPrice(calls.getId()).build())
        .setBackdateStartDate(backdate).build());
    assertThat(sub.getStartDate()).as("the start is kept to the second, as Stripe does").isEqualTo(backdate);
    Instant periodStart = Instant.ofEpochSecond(sub.getItems().getData().get(0).getCurrentPeriodStart());
    assertThat(periodStart.getEpochSecond()).as("second daily period").isEqualTo(backdate + 86_400);
    usage.v1("edge_calls", c.getId(), "1000", periodStart.minusSeconds(41));
    usage.v1("edge_calls", c.getId(), "100", periodStart.minusSeconds(20));
    usage.v1("edge_calls", c.getId(), "1", periodStart.plusSeconds(5));
    Invoice preview = stripe.invoices().createPreview(InvoiceCreatePreviewParams.builder().setCustomer(c.getId())
        .build());
    assertThat(preview.getSubtotal()).as("the event in the minute before the start's minute is the previous period's")
        .isEqualTo(101);
    assertThat(preview.getLines().getData().get(0).getPeriod().getStart()).isEqualTo(periodStart.getEpochSecond());
  }

  @Test
  @DisplayName("billing credits only lower what an invoice charges: they never turn into a cash balance")
  void creditsNeverBecomeCash() throws StripeException {
    Customer c = customer();
    stripe.billing().creditGrants().create(Credits.metered(c.getId(), "usd", 500).build());
    Invoice inv = stripe.invoices().addLines(draft(c).getId(), InvoiceAddLinesParams.builder()
        .addLine(InvoiceAddLinesParams.Line.builder().setPricing(InvoiceAddLinesParams.Line.Pricing.builder()
            .setPrice(calls.getId()).build()).setQuantity(500L).build())
        .addLine(InvoiceAddLinesParams.Line.builder().setAmount(-800L).build()).build());
    assertThat(inv.getTotalPretaxCreditAmounts()).isEmpty();
    Invoice done = stripe.invoices().finalizeInvoice(inv.getId());
    assertThat(done.getTotal()).isEqualTo(-300);
    assertThat(stripe.customers().retrieve(c.getId()).getBalance()).isEqualTo(-300);
  }

  @Test
  @DisplayName("an invoice item takes its currency from its price; numbers and the customer's sequence advance")
  void currencyAndNumbers() throws StripeException {
    Customer c = customer();
    InvoiceItem item = stripe.invoiceItems().create(InvoiceItemCreateParams.builder().setCustomer(c.getId())
        .setPricing(InvoiceItemCreateParams.Pricing.builder().setPrice(seat.getId()).build()).setQuantity(2L).build());
    assertThat(item.getCurrency()).isEqualTo("usd");
    assertThat(item.getAmount()).isEqualTo(500);
    InvoiceItem changed = stripe.invoiceItems().update(item.getId(), InvoiceItemUpdateParams.builder().setQuantity(3L)
        .build());
    assertThat(changed.getAmount()).isEqualTo(750);
    Invoice first = stripe.invoices().finalizeInvoice(stripe.invoices().create(InvoiceCreateParams.builder()
        .setCustomer(c.getId()).setCurrency("usd").setPendingInvoiceItemsBehavior(
            InvoiceCreateParams.PendingInvoiceItemsBehavior.INCLUDE).build()).getId());
    Invoice second = stripe.invoices().finalizeInvoice(draft(c).getId());
    assertThat(first.getNumber()).endsWith("-0001");
    assertThat(second.getNumber()).endsWith("-0002");
    assertThat(stripe.customers().retrieve(c.getId()).getNextInvoiceSequence()).isEqualTo(3);
    Customer euro = customer();
    stripe.customers().balanceTransactions().create(euro.getId(), CustomerBalanceTransactionCreateParams.builder()
        .setAmount(-100L).setCurrency("eur").build());
    Invoice credit = stripe.invoices().addLines(draft(euro).getId(), InvoiceAddLinesParams.builder()
        .addLine(InvoiceAddLinesParams.Line.builder().setAmount(-50L).build()).build());
    assertThat(stripe.invoices().finalizeInvoice(credit.getId()).getStatus())
        .as("a balance in another currency is left alone").isEqualTo("paid");
  }

  @Test
  @DisplayName("an unknown line cursor or a NUL in a line id is a 404, not a hang or a 500")
  void cursorsAndPaths() throws StripeException {
    Invoice inv = draft(customer());
    String auth = "Bearer " + TestGateway.DEV_KEY;
    var cursor = RawHttp.get(gateway.baseUrl() + "/v1/invoices/" + inv.getId() + "/lines?starting_after=il_nope", auth);
    assertThat(cursor.status()).isEqualTo(404);
    assertThat(cursor.error().getString("param")).isEqualTo("starting_after");
    var nul = RawHttp.post(gateway.baseUrl() + "/v1/invoices/" + inv.getId() + "/lines/il_%00x", auth,
        "application/x-www-form-urlencoded", "amount=1");
    assertThat(nul.status()).isEqualTo(404);
  }

  @Test
  @DisplayName("concurrent invoices taking pending items, and item edits racing line edits, stay consistent")
  void races() throws Exception {
    Customer c = customer();
    for (int i = 0; i < 12; i++) {
      stripe.invoiceItems().create(InvoiceItemCreateParams.builder().setCustomer(c.getId()).setAmount(100L)
          .setCurrency("usd").build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Invoice>> creates = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        creates.add(pool.submit(() -> stripe.invoices().create(InvoiceCreateParams.builder().setCustomer(c.getId())
            .setCurrency("usd").setPendingInvoiceItemsBehavior(InvoiceCreateParams.PendingInvoiceItemsBehavior.INCLUDE)
            .build())));
      }
      long total = 0;
      for (Future<Invoice> f : creates) {
        total += stripe.invoices().retrieve(f.get().getId()).getSubtotal();
      }
      assertThat(total).as("each item on exactly one invoice").isEqualTo(1200);

      Invoice inv = add(draft(c), InvoiceAddLinesParams.Line.builder().setAmount(1L).build());
      String line = inv.getLines().getData().get(0).getId();
      String item = inv.getLines().getData().get(0).getParent().getInvoiceItemDetails().getInvoiceItem();
      List<Future<Object>> edits = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        long amount = i + 2;
        Callable<Object> viaItem = () -> stripe.invoiceItems().update(item, InvoiceItemUpdateParams.builder()
            .setAmount(amount).build());
        Callable<Object> viaLines = () -> stripe.invoices().updateLines(inv.getId(), InvoiceUpdateLinesParams.builder()
            .addLine(InvoiceUpdateLinesParams.Line.builder().setId(line).setAmount(amount + 100).build()).build());
        edits.add(pool.submit(viaItem));
        edits.add(pool.submit(viaLines));
      }
      for (Future<Object> f : edits) {
        assertThat(f.get()).as("no deadlock turns into a 500").isNotNull();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
