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
import com.stripe.model.billing.Meter;
import com.stripe.param.CustomerBalanceTransactionCreateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.InvoiceAddLinesParams;
import com.stripe.param.InvoiceCreateParams;
import com.stripe.param.InvoiceItemCreateParams;
import com.stripe.param.InvoicePayParams;
import com.stripe.param.InvoiceRemoveLinesParams;
import com.stripe.param.InvoiceUpdateLinesParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.billing.CreditGrantCreateParams;
import com.stripe.param.billing.MeterCreateParams;
import io.metergate.testing.TestGateway;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Invoices, lines and invoice items through the official stripe-java SDK")
class InvoicesSdkTest {
  private static TestGateway gateway;
  private static StripeClient stripe;
  private static Price perUnit;
  private static Price metered;

  @BeforeAll
  static void start() throws StripeException {
    gateway = TestGateway.start();
    stripe = gateway.client();
    perUnit = stripe.prices().create(PriceCreateParams.builder().setCurrency("usd").setUnitAmount(250L)
        .setProductData(PriceCreateParams.ProductData.builder().setName("Seat").build()).build());
    Meter meter = stripe.billing().meters().create(MeterCreateParams.builder().setDisplayName("calls")
        .setEventName("invoice_calls").setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
            .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM).build()).build());
    metered = stripe.prices().create(PriceCreateParams.builder().setCurrency("usd").setUnitAmountDecimal(new BigDecimal("1.5"))
        .setProductData(PriceCreateParams.ProductData.builder().setName("Calls").build())
        .setRecurring(PriceCreateParams.Recurring.builder().setInterval(PriceCreateParams.Recurring.Interval.MONTH)
            .setUsageType(PriceCreateParams.Recurring.UsageType.METERED).setMeter(meter.getId()).build())
        .build());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static Customer customer(String name) throws StripeException {
    return stripe.customers().create(CustomerCreateParams.builder().setName(name).build());
  }

  private static Invoice draft(Customer c) throws StripeException {
    return stripe.invoices().create(InvoiceCreateParams.builder().setCustomer(c.getId()).setCurrency("usd").build());
  }

  private static InvoiceAddLinesParams.Line amountLine(long amount, String description) {
    return InvoiceAddLinesParams.Line.builder().setAmount(amount).setDescription(description).build();
  }

  @Test
  @DisplayName("a draft takes lines by amount, by price and quantity, and by inline price, and totals them")
  void addLines() throws StripeException {
    Invoice inv = draft(customer("lines"));
    assertThat(inv.getStatus()).isEqualTo("draft");
    assertThat(inv.getTotal()).isZero();

    Invoice updated = stripe.invoices().addLines(inv.getId(), InvoiceAddLinesParams.builder()
        .addLine(amountLine(1000, "setup"))
        .addLine(InvoiceAddLinesParams.Line.builder().setPricing(InvoiceAddLinesParams.Line.Pricing.builder()
            .setPrice(perUnit.getId()).build()).setQuantity(3L).build())
        .addLine(InvoiceAddLinesParams.Line.builder().setPriceData(InvoiceAddLinesParams.Line.PriceData.builder()
            .setCurrency("usd").setProductData(InvoiceAddLinesParams.Line.PriceData.ProductData.builder()
                .setName("Consulting").build()).setUnitAmountDecimal(new BigDecimal("1250.5")).build())
            .setQuantityDecimal(new BigDecimal("2")).build())
        .putInvoiceMetadata("po", "42")
        .build());

    assertThat(updated.getLines().getData()).extracting(InvoiceLineItem::getAmount).containsExactly(1000L, 750L, 2501L);
    assertThat(updated.getSubtotal()).isEqualTo(4251);
    assertThat(updated.getTotal()).isEqualTo(4251);
    assertThat(updated.getAmountDue()).isEqualTo(4251);
    assertThat(updated.getMetadata()).containsEntry("po", "42");
    InvoiceLineItem priced = updated.getLines().getData().get(1);
    assertThat(priced.getId()).startsWith("il_");
    assertThat(priced.getPricing().getPriceDetails().getPrice()).isEqualTo(perUnit.getId());
    assertThat(priced.getQuantity()).isEqualTo(3);
    assertThat(priced.getParent().getInvoiceItemDetails().getInvoiceItem()).startsWith("ii_");
    assertThat(stripe.invoices().lineItems().list(inv.getId()).getData()).hasSize(3);
  }

  @Test
  @DisplayName("update_lines reprices a line; remove_lines deletes one and unassigns another, which add_lines takes back")
  void updateAndRemove() throws StripeException {
    Invoice inv = draft(customer("edit"));
    inv = stripe.invoices().addLines(inv.getId(), InvoiceAddLinesParams.builder().addLine(amountLine(500, "a"))
        .addLine(InvoiceAddLinesParams.Line.builder().setPricing(InvoiceAddLinesParams.Line.Pricing.builder()
            .setPrice(perUnit.getId()).build()).setQuantity(1L).build()).build());
    String first = inv.getLines().getData().get(0).getId();
    String second = inv.getLines().getData().get(1).getId();
    String secondItem = inv.getLines().getData().get(1).getParent().getInvoiceItemDetails().getInvoiceItem();

    inv = stripe.invoices().updateLines(inv.getId(), InvoiceUpdateLinesParams.builder()
        .addLine(InvoiceUpdateLinesParams.Line.builder().setId(second).setQuantity(4L).setDescription("four seats")
            .build()).build());
    assertThat(inv.getLines().getData().get(1).getAmount()).isEqualTo(1000);
    assertThat(inv.getLines().getData().get(1).getDescription()).isEqualTo("four seats");

    inv = stripe.invoices().removeLines(inv.getId(), InvoiceRemoveLinesParams.builder()
        .addLine(InvoiceRemoveLinesParams.Line.builder().setId(first)
            .setBehavior(InvoiceRemoveLinesParams.Line.Behavior.DELETE).build())
        .addLine(InvoiceRemoveLinesParams.Line.builder().setId(second)
            .setBehavior(InvoiceRemoveLinesParams.Line.Behavior.UNASSIGN).build())
        .build());
    assertThat(inv.getLines().getData()).isEmpty();
    InvoiceItem pending = stripe.invoiceItems().retrieve(secondItem);
    assertThat(pending.getInvoice()).isNull();
    assertThat(pending.getAmount()).isEqualTo(1000);

    inv = stripe.invoices().addLines(inv.getId(), InvoiceAddLinesParams.builder()
        .addLine(InvoiceAddLinesParams.Line.builder().setInvoiceItem(secondItem).build()).build());
    assertThat(inv.getLines().getData()).singleElement().satisfies(l -> assertThat(l.getAmount()).isEqualTo(1000));
  }

  @Test
  @DisplayName("finalizing applies billing credits to metered lines and the customer's balance, and locks the lines")
  void finalizeAppliesCreditsAndBalance() throws StripeException {
    Customer c = customer("finalize");
    stripe.customers().balanceTransactions().create(c.getId(), CustomerBalanceTransactionCreateParams.builder()
        .setAmount(-300L).setCurrency("usd").build());
    stripe.billing().creditGrants().create(CreditGrantCreateParams.builder().setCustomer(c.getId())
        .setAmount(CreditGrantCreateParams.Amount.builder().setType(CreditGrantCreateParams.Amount.Type.MONETARY)
            .setMonetary(CreditGrantCreateParams.Amount.Monetary.builder().setCurrency("usd").setValue(1000L).build())
            .build())
        .setApplicabilityConfig(CreditGrantCreateParams.ApplicabilityConfig.builder()
            .setScope(CreditGrantCreateParams.ApplicabilityConfig.Scope.builder()
                .setPriceType(CreditGrantCreateParams.ApplicabilityConfig.Scope.PriceType.METERED).build()).build())
        .build());
    Invoice inv = draft(c);
    inv = stripe.invoices().addLines(inv.getId(), InvoiceAddLinesParams.builder()
        .addLine(amountLine(2000, "support"))
        .addLine(InvoiceAddLinesParams.Line.builder().setPricing(InvoiceAddLinesParams.Line.Pricing.builder()
            .setPrice(metered.getId()).build()).setQuantity(1000L).build())
        .build());
    assertThat(inv.getTotal()).as("1500 of usage less 1000 of credit, plus 2000").isEqualTo(2500);
    assertThat(inv.getStartingBalance()).isEqualTo(-300);
    assertThat(inv.getAmountDue()).isEqualTo(2200);

    Invoice open = stripe.invoices().finalizeInvoice(inv.getId());

    assertThat(open.getStatus()).isEqualTo("open");
    assertThat(open.getNumber()).isNotBlank();
    assertThat(open.getAmountDue()).isEqualTo(2200);
    assertThat(open.getEndingBalance()).isZero();
    InvoiceLineItem usage = open.getLines().getData().get(1);
    assertThat(usage.getPretaxCreditAmounts()).singleElement().satisfies(p -> {
      assertThat(p.getAmount()).isEqualTo(1000);
      assertThat(p.getCreditBalanceTransaction()).startsWith("cbtxn_");
    });
    assertThat(stripe.customers().retrieve(c.getId()).getBalance()).isZero();
    assertThatThrownBy(() -> stripe.invoices().addLines(open.getId(), InvoiceAddLinesParams.builder()
        .addLine(amountLine(1, "late")).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("invoice_not_editable"));

    Invoice voided = stripe.invoices().voidInvoice(open.getId());
    assertThat(voided.getStatus()).isEqualTo("void");
    assertThat(stripe.customers().retrieve(c.getId()).getBalance()).as("the balance it used comes back").isEqualTo(-300);
  }

  @Test
  @DisplayName("pending invoice items join an invoice created with pending_invoice_items_behavior=include; paying out of band")
  void pendingItemsAndPayment() throws StripeException {
    Customer c = customer("pending");
    InvoiceItem item = stripe.invoiceItems().create(InvoiceItemCreateParams.builder().setCustomer(c.getId())
        .setAmount(700L).setCurrency("usd").setDescription("onboarding").build());
    assertThat(item.getInvoice()).isNull();
    Invoice inv = stripe.invoices().create(InvoiceCreateParams.builder().setCustomer(c.getId()).setCurrency("usd")
        .setPendingInvoiceItemsBehavior(InvoiceCreateParams.PendingInvoiceItemsBehavior.INCLUDE).build());
    assertThat(inv.getLines().getData()).singleElement().satisfies(l -> assertThat(l.getAmount()).isEqualTo(700));
    assertThat(stripe.invoiceItems().retrieve(item.getId()).getInvoice()).isEqualTo(inv.getId());

    Invoice open = stripe.invoices().finalizeInvoice(inv.getId());
    assertThatThrownBy(() -> stripe.invoices().pay(open.getId()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getStripeError().getParam()).isEqualTo("paid_out_of_band"));
    Invoice paid = stripe.invoices().pay(open.getId(), InvoicePayParams.builder().setPaidOutOfBand(true).build());
    assertThat(paid.getStatus()).isEqualTo("paid");
    assertThat(paid.getAmountPaid()).isEqualTo(700);
    assertThat(paid.getAmountRemaining()).isZero();
  }

  @Test
  @DisplayName("bad lines are refused by parameter, and another account sees nothing")
  void refusals() throws StripeException {
    Invoice inv = draft(customer("refusals"));
    assertThatThrownBy(() -> stripe.invoices().addLines(inv.getId(), InvoiceAddLinesParams.builder()
        .addLine(InvoiceAddLinesParams.Line.builder().setAmount(5L).setPricing(InvoiceAddLinesParams.Line.Pricing
            .builder().setPrice(perUnit.getId()).build()).build()).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("parameters_exclusive"));
    assertThatThrownBy(() -> stripe.invoices().addLines(inv.getId(), InvoiceAddLinesParams.builder()
        .addLine(InvoiceAddLinesParams.Line.builder().setPricing(InvoiceAddLinesParams.Line.Pricing.builder()
            .setPrice("price_missing").build()).build()).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getStripeError().getParam()).isEqualTo("lines[0][pricing][price]"));
    assertThatThrownBy(() -> stripe.invoices().addLines(inv.getId(), InvoiceAddLinesParams.builder()
        .addLine(InvoiceAddLinesParams.Line.builder().addTaxRate("txr_1").setAmount(5L).build()).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("parameter_unsupported"));
    assertThat(stripe.invoices().retrieve(inv.getId()).getLines().getData()).as("all or nothing").isEmpty();

    StripeClient other = gateway.client(gateway.newAccountKey(false));
    assertThatThrownBy(() -> other.invoices().retrieve(inv.getId()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    assertThat(other.invoices().list(com.stripe.param.InvoiceListParams.builder().build()).getData()).isEmpty();
  }

  @Test
  @DisplayName("deleting a draft removes it; finalized invoices cannot be deleted")
  void deleteDraft() throws StripeException {
    Invoice inv = draft(customer("delete"));
    Invoice deleted = stripe.invoices().delete(inv.getId());
    assertThat(deleted.getDeleted()).isTrue();
    assertThatThrownBy(() -> stripe.invoices().retrieve(inv.getId())).isInstanceOf(InvalidRequestException.class);
    Invoice other = draft(customer("delete2"));
    Invoice open = stripe.invoices().finalizeInvoice(other.getId());
    assertThat(open.getStatus()).as("nothing due: paid at once").isEqualTo("paid");
    assertThatThrownBy(() -> stripe.invoices().delete(open.getId()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("invoice_not_editable"));
  }

}
