package io.metergate.invoices;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.Price;
import com.stripe.model.Subscription;
import com.stripe.model.billing.CreditGrant;
import com.stripe.model.billing.Meter;
import com.stripe.net.ApiResource;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.InvoiceCreatePreviewParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.SubscriptionCreateParams;
import com.stripe.param.billing.CreditGrantCreateParams;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.v2.billing.MeterEventStreamCreateParams;
import io.metergate.testing.TestGateway;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's worked example, step by step through stripe-java: a meter, a graduated metered
 * price, a customer on a subscription, usage streamed, a credit grant, and the upcoming invoice:
 * 12,500 requests = 1,000 x 0.5 + 11,500 x 0.3 = 3,950 cents, less 1,000 of credit = 2,950 due.
 */
@DisplayName("The README's worked example: usage becomes money")
class WorkedExampleTest {
  private static TestGateway gateway;
  private static StripeClient stripe;
  private static Customer customer;
  private static Subscription subscription;
  private static Price price;
  private static CreditGrant grant;

  @BeforeAll
  static void example() throws StripeException {
    gateway = TestGateway.start();
    stripe = gateway.client();
    Meter meter = stripe.billing().meters().create(MeterCreateParams.builder()
        .setDisplayName("API requests").setEventName("api_requests")
        .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
            .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM).build())
        .build());
    price = stripe.prices().create(PriceCreateParams.builder()
        .setCurrency("usd")
        .setProductData(PriceCreateParams.ProductData.builder().setName("API access").build())
        .setBillingScheme(PriceCreateParams.BillingScheme.TIERED)
        .setTiersMode(PriceCreateParams.TiersMode.GRADUATED)
        .addTier(PriceCreateParams.Tier.builder().setUpTo(1000L).setUnitAmountDecimal(new BigDecimal("0.5")).build())
        .addTier(PriceCreateParams.Tier.builder().setUpTo(PriceCreateParams.Tier.UpTo.INF)
            .setUnitAmountDecimal(new BigDecimal("0.3")).build())
        .setRecurring(PriceCreateParams.Recurring.builder()
            .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
            .setUsageType(PriceCreateParams.Recurring.UsageType.METERED)
            .setMeter(meter.getId()).build())
        .build());
    customer = stripe.customers().create(CustomerCreateParams.builder().setName("Acme").setEmail("billing@acme.test")
        .build());
    subscription = stripe.subscriptions().create(SubscriptionCreateParams.builder()
        .setCustomer(customer.getId())
        .addItem(SubscriptionCreateParams.Item.builder().setPrice(price.getId()).build())
        .setBackdateStartDate(Instant.now().minus(2, ChronoUnit.DAYS).getEpochSecond())
        .build());

    String token = stripe.v2().billing().meterEventSession().create().getAuthenticationToken();
    MeterEventStreamCreateParams.Builder batch = MeterEventStreamCreateParams.builder();
    for (String value : List.of("4000", "8000", "500")) {
      batch.addEvent(MeterEventStreamCreateParams.Event.builder().setEventName("api_requests")
          .putPayload("stripe_customer_id", customer.getId()).putPayload("value", value).build());
    }
    gateway.client(token).v2().billing().meterEventStream().create(batch.build());

    grant = stripe.billing().creditGrants().create(CreditGrantCreateParams.builder()
        .setCustomer(customer.getId())
        .setName("Launch credit")
        .setCategory(CreditGrantCreateParams.Category.PROMOTIONAL)
        .setAmount(CreditGrantCreateParams.Amount.builder().setType(CreditGrantCreateParams.Amount.Type.MONETARY)
            .setMonetary(CreditGrantCreateParams.Amount.Monetary.builder().setCurrency("usd").setValue(1000L).build())
            .build())
        .setApplicabilityConfig(CreditGrantCreateParams.ApplicabilityConfig.builder()
            .setScope(CreditGrantCreateParams.ApplicabilityConfig.Scope.builder()
                .setPriceType(CreditGrantCreateParams.ApplicabilityConfig.Scope.PriceType.METERED).build())
            .build())
        .build());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  @DisplayName("create_preview bills 12,500 requests at 3,950 cents and applies the 1,000-cent grant before tax")
  void preview() throws StripeException {
    Invoice upcoming = stripe.invoices().createPreview(InvoiceCreatePreviewParams.builder()
        .setCustomer(customer.getId()).build());

    assertThat(upcoming.getCustomer()).isEqualTo(customer.getId());
    assertThat(upcoming.getCurrency()).isEqualTo("usd");
    assertThat(upcoming.getSubtotal()).isEqualTo(3950);
    assertThat(upcoming.getTotal()).isEqualTo(2950);
    assertThat(upcoming.getAmountDue()).isEqualTo(2950);
    assertThat(upcoming.getTotalPretaxCreditAmounts()).singleElement()
        .satisfies(c -> assertThat(c.getAmount()).isEqualTo(1000));
    InvoiceLineItem line = upcoming.getLines().getData().get(0);
    assertThat(line.getAmount()).isEqualTo(3950);
    assertThat(line.getQuantity()).isEqualTo(12500);
    assertThat(line.getPricing().getPriceDetails().getPrice()).isEqualTo(price.getId());
    assertThat(line.getParent().getSubscriptionItemDetails().getSubscription()).isEqualTo(subscription.getId());
    assertThat(line.getPretaxCreditAmounts()).singleElement().satisfies(c -> {
      assertThat(c.getAmount()).isEqualTo(1000);
      assertThat(c.getType()).isEqualTo("credit_balance_transaction");
    });
    assertThat(line.getPeriod().getStart()).isEqualTo(subscription.getItems().getData().get(0).getCurrentPeriodStart());
  }

  @Test
  @DisplayName("the legacy GET /v1/invoices/upcoming/lines lists the same line")
  void legacyUpcomingLines() throws StripeException {
    var response = stripe.rawRequest(ApiResource.RequestMethod.GET,
        "/v1/invoices/upcoming/lines?customer=" + customer.getId(), null);
    var lines = ApiResource.GSON.fromJson(response.body(), com.stripe.model.InvoiceLineItemCollection.class);

    assertThat(lines.getData()).singleElement().satisfies(l -> {
      assertThat(l.getAmount()).isEqualTo(3950);
      assertThat(l.getPretaxCreditAmounts()).extracting(InvoiceLineItem.PretaxCreditAmount::getAmount)
          .containsExactly(1000L);
    });
  }

  @Test
  @DisplayName("a preview consumes nothing: the credit balance summary still shows the whole grant")
  void previewConsumesNothing() throws StripeException {
    stripe.invoices().createPreview(InvoiceCreatePreviewParams.builder().setCustomer(customer.getId()).build());
    var summary = stripe.billing().creditBalanceSummary().retrieve(
        com.stripe.param.billing.CreditBalanceSummaryRetrieveParams.builder().setCustomer(customer.getId())
            .setFilter(com.stripe.param.billing.CreditBalanceSummaryRetrieveParams.Filter.builder()
                .setType(com.stripe.param.billing.CreditBalanceSummaryRetrieveParams.Filter.Type.CREDIT_GRANT)
                .setCreditGrant(grant.getId()).build())
            .build());
    assertThat(summary.getBalances()).singleElement()
        .satisfies(b -> assertThat(b.getAvailableBalance().getMonetary().getValue()).isEqualTo(1000));
  }
}
