package io.metergate.catalog;

import static io.metergate.testing.StripeErrors.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.StripeCollection;
import com.stripe.model.billing.Meter;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.PriceCreateParams.Recurring;
import com.stripe.param.PriceCreateParams.Tier;
import com.stripe.param.PriceListParams;
import com.stripe.param.PriceRetrieveParams;
import com.stripe.param.PriceUpdateParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.common.EmptyParam;
import io.metergate.testing.Meters;
import io.metergate.testing.TestGateway;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Prices through the official stripe-java SDK")
class PricesSdkTest {
  private static TestGateway gateway;
  private static StripeClient stripe;
  private static Product product;
  private static Meter meter;

  @BeforeAll
  static void start() throws StripeException {
    gateway = TestGateway.start();
    stripe = gateway.client();
    product = stripe.products().create(ProductCreateParams.builder().setName("API").build());
    meter = meter(stripe);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static Meter meter(StripeClient client) throws StripeException {
    String name = "calls_" + UUID.randomUUID().toString().substring(0, 8);
    return client.billing().meters().create(Meters.sum(name, name));
  }

  private static PriceCreateParams.Builder usd(long unitAmount) {
    return PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId()).setUnitAmount(unitAmount);
  }

  private static Recurring metered(Meter m) {
    return Recurring.builder().setInterval(Recurring.Interval.MONTH).setUsageType(Recurring.UsageType.METERED)
        .setMeter(m.getId()).build();
  }

  private static PriceCreateParams.Builder graduated() {
    return PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId()).setRecurring(metered(meter))
        .setBillingScheme(PriceCreateParams.BillingScheme.TIERED)
        .setTiersMode(PriceCreateParams.TiersMode.GRADUATED)
        .addTier(Tier.builder().setUpTo(1000L).setUnitAmountDecimal(new BigDecimal("0.5")).build())
        .addTier(Tier.builder().setUpTo(10000L).setUnitAmountDecimal(new BigDecimal("0.4")).setFlatAmount(100L).build())
        .addTier(Tier.builder().setUpTo(Tier.UpTo.INF).setUnitAmountDecimal(new BigDecimal("0.3")).build());
  }

  private static Price create(PriceCreateParams.Builder params) throws StripeException {
    return stripe.prices().create(params.build());
  }

  @Test
  @DisplayName("a one-time per-unit price has every field of Stripe's price object, and retrieve returns the same")
  void oneTimePerUnit() throws StripeException {
    long before = Instant.now().getEpochSecond();
    Price p = create(usd(1000).setNickname("Setup fee").setLookupKey("setup_" + UUID.randomUUID())
        .putMetadata("kind", "fee").setTaxBehavior(PriceCreateParams.TaxBehavior.EXCLUSIVE));

    assertThat(p.getId()).startsWith("price_");
    assertThat(p.getObject()).isEqualTo("price");
    assertThat(p.getActive()).isTrue();
    assertThat(p.getBillingScheme()).isEqualTo("per_unit");
    assertThat(p.getCreated()).isBetween(before, Instant.now().getEpochSecond());
    assertThat(p.getCurrency()).isEqualTo("usd");
    assertThat(p.getCurrencyOptions()).isNull();
    assertThat(p.getCustomUnitAmount()).isNull();
    assertThat(p.getLivemode()).isFalse();
    assertThat(p.getLookupKey()).startsWith("setup_");
    assertThat(p.getMetadata()).containsExactly(Map.entry("kind", "fee"));
    assertThat(p.getNickname()).isEqualTo("Setup fee");
    assertThat(p.getProduct()).isEqualTo(product.getId());
    assertThat(p.getRecurring()).isNull();
    assertThat(p.getTaxBehavior()).isEqualTo("exclusive");
    assertThat(p.getTiers()).isNull();
    assertThat(p.getTiersMode()).isNull();
    assertThat(p.getTransformQuantity()).isNull();
    assertThat(p.getType()).isEqualTo("one_time");
    assertThat(p.getUnitAmount()).isEqualTo(1000L);
    assertThat(p.getUnitAmountDecimal()).isEqualByComparingTo("1000");
    assertThat(p.getRawJsonObject().get("unit_amount_decimal").getAsString()).isEqualTo("1000");

    assertThat(stripe.prices().retrieve(p.getId()).toJson()).isEqualTo(p.toJson());
    Price plain = create(usd(0));
    assertThat(plain.getUnitAmount()).as("a free price").isZero();
    assertThat(plain.getTaxBehavior()).isEqualTo("unspecified");
    assertThat(plain.getLookupKey()).isNull();
    assertThat(plain.getNickname()).isNull();
    assertThat(plain.getMetadata()).isEmpty();
  }

  @Test
  @DisplayName("fractional unit amounts keep up to 12 decimals; unit_amount is shown only when the amount is whole")
  void decimalAmounts() throws StripeException {
    Price half = create(PriceCreateParams.builder().setCurrency("EUR").setProduct(product.getId())
        .setUnitAmountDecimal(new BigDecimal("0.5")));
    assertThat(half.getCurrency()).as("lower-cased").isEqualTo("eur");
    assertThat(half.getUnitAmount()).isNull();
    assertThat(half.getRawJsonObject().get("unit_amount_decimal").getAsString()).isEqualTo("0.5");

    Price tiny = create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setUnitAmountDecimal(new BigDecimal("0.0000001")));
    assertThat(tiny.getRawJsonObject().get("unit_amount_decimal").getAsString())
        .as("the SDK sends 1E-7; it is read exactly").isEqualTo("0.0000001");
    Price finest = create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setUnitAmountDecimal(new BigDecimal("12.000000000001")));
    assertThat(finest.getUnitAmountDecimal()).isEqualByComparingTo("12.000000000001");
    Price whole = create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setUnitAmountDecimal(new BigDecimal("12.50000")));
    assertThat(whole.getRawJsonObject().get("unit_amount_decimal").getAsString()).isEqualTo("12.5");
    Price twelve = create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setUnitAmountDecimal(new BigDecimal("12.000")));
    assertThat(twelve.getUnitAmount()).isEqualTo(12L);
  }

  @Test
  @DisplayName("product_data creates the price's product in the same request")
  void productData() throws StripeException {
    Price p = stripe.prices().create(PriceCreateParams.builder().setCurrency("usd").setUnitAmount(5L)
        .setProductData(PriceCreateParams.ProductData.builder().setName("Made inline").setActive(false)
            .putMetadata("via", "price").build()).build());
    Product made = stripe.products().retrieve(p.getProduct());
    assertThat(made.getName()).isEqualTo("Made inline");
    assertThat(made.getActive()).isFalse();
    assertThat(made.getMetadata()).containsExactly(Map.entry("via", "price"));
    assertThat(made.getLivemode()).isFalse();
  }

  @Test
  @DisplayName("a metered graduated price shows recurring with its meter; tiers appear only when expanded")
  void meteredTiersRoundTrip() throws StripeException {
    Price p = create(graduated());
    assertThat(p.getType()).isEqualTo("recurring");
    assertThat(p.getBillingScheme()).isEqualTo("tiered");
    assertThat(p.getTiersMode()).isEqualTo("graduated");
    assertThat(p.getUnitAmount()).isNull();
    assertThat(p.getUnitAmountDecimal()).isNull();
    assertThat(p.getTiers()).as("not expanded").isNull();
    assertThat(p.getRecurring().getInterval()).isEqualTo("month");
    assertThat(p.getRecurring().getIntervalCount()).isEqualTo(1L);
    assertThat(p.getRecurring().getMeter()).isEqualTo(meter.getId());
    assertThat(p.getRecurring().getTrialPeriodDays()).isNull();
    assertThat(p.getRecurring().getUsageType()).isEqualTo("metered");

    Price expanded = stripe.prices().retrieve(p.getId(), PriceRetrieveParams.builder().addExpand("tiers")
        .addExpand("product").build());
    assertThat(expanded.getProductObject().getName()).isEqualTo("API");
    assertThat(expanded.getProduct()).isEqualTo(product.getId());
    List<Price.Tier> tiers = expanded.getTiers();
    assertThat(tiers).hasSize(3);
    assertThat(tiers.get(0).getUpTo()).isEqualTo(1000L);
    assertThat(tiers.get(0).getUnitAmount()).isNull();
    assertThat(tiers.get(0).getUnitAmountDecimal()).isEqualByComparingTo("0.5");
    assertThat(tiers.get(0).getFlatAmount()).isNull();
    assertThat(tiers.get(0).getFlatAmountDecimal()).isNull();
    assertThat(tiers.get(1).getUpTo()).isEqualTo(10000L);
    assertThat(tiers.get(1).getFlatAmount()).isEqualTo(100L);
    assertThat(tiers.get(1).getFlatAmountDecimal()).isEqualByComparingTo("100");
    assertThat(tiers.get(2).getUpTo()).isNull();
    assertThat(tiers.get(2).getUnitAmountDecimal()).isEqualByComparingTo("0.3");

    Price created = stripe.prices().create(graduated().addExpand("tiers").build());
    assertThat(created.getTiers()).hasSize(3);
    Price licensed = create(usd(100).setRecurring(Recurring.builder().setInterval(Recurring.Interval.WEEK)
        .setIntervalCount(2L).build()).addExpand("tiers"));
    assertThat(licensed.getRecurring().getUsageType()).isEqualTo("licensed");
    assertThat(licensed.getRecurring().getMeter()).isNull();
    assertThat(licensed.getRecurring().getIntervalCount()).isEqualTo(2L);
    assertThat(licensed.getTiers()).as("a per-unit price expanded").isEmpty();
  }

  @Test
  @DisplayName("volume tiers keep whole and decimal unit and flat amounts")
  void volumeTiers() throws StripeException {
    Price p = stripe.prices().create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setRecurring(metered(meter)).setBillingScheme(PriceCreateParams.BillingScheme.TIERED)
        .setTiersMode(PriceCreateParams.TiersMode.VOLUME)
        .addTier(Tier.builder().setUpTo(5L).setFlatAmountDecimal(new BigDecimal("250.25")).build())
        .addTier(Tier.builder().setUpTo(Tier.UpTo.INF).setUnitAmount(7L).setFlatAmount(0L).build())
        .addExpand("tiers").build());
    assertThat(p.getTiersMode()).isEqualTo("volume");
    assertThat(p.getTiers().get(0).getFlatAmount()).isNull();
    assertThat(p.getTiers().get(0).getFlatAmountDecimal()).isEqualByComparingTo("250.25");
    assertThat(p.getTiers().get(0).getUnitAmount()).isNull();
    assertThat(p.getTiers().get(1).getUnitAmount()).isEqualTo(7L);
    assertThat(p.getTiers().get(1).getFlatAmount()).isZero();
  }

  @Test
  @DisplayName("updates change nickname, metadata, active and lookup_key; empty values clear")
  void update() throws StripeException {
    Price p = create(usd(10).setNickname("n").putMetadata("keep", "1").putMetadata("drop", "2"));
    Price changed = stripe.prices().update(p.getId(), PriceUpdateParams.builder().setNickname(EmptyParam.EMPTY)
        .putMetadata("drop", "").putMetadata("add", "3").setActive(false).setLookupKey("upd_" + p.getId()).build());
    assertThat(changed.getNickname()).isNull();
    assertThat(changed.getMetadata()).containsOnly(Map.entry("keep", "1"), Map.entry("add", "3"));
    assertThat(changed.getActive()).isFalse();
    assertThat(changed.getLookupKey()).isEqualTo("upd_" + p.getId());
    assertThat(changed.getUnitAmount()).isEqualTo(10L);

    Price cleared = stripe.prices().update(p.getId(), PriceUpdateParams.builder().setLookupKey(EmptyParam.EMPTY)
        .setMetadata(EmptyParam.EMPTY).setActive(true).setNickname("again").build());
    assertThat(cleared.getLookupKey()).isNull();
    assertThat(cleared.getMetadata()).isEmpty();
    assertThat(cleared.getActive()).isTrue();
    assertThat(cleared.getNickname()).isEqualTo("again");
    assertThat(stripe.prices().retrieve(p.getId()).toJson()).isEqualTo(cleared.toJson());
    Price expanded = stripe.prices().update(p.getId(), PriceUpdateParams.builder().addExpand("product").build());
    assertThat(expanded.getProductObject().getId()).isEqualTo(product.getId());
  }

  @Test
  @DisplayName("a lookup key names one active price: taken keys are refused unless transferred")
  void lookupKeys() throws StripeException {
    String key = "pro_monthly_" + UUID.randomUUID();
    Price first = create(usd(100).setLookupKey(key));
    refused(() -> create(usd(200).setLookupKey(key)), "lookup_key_already_used", "lookup_key");
    Price other = create(usd(200));
    refused(() -> stripe.prices().update(other.getId(), PriceUpdateParams.builder().setLookupKey(key).build()),
        "lookup_key_already_used", "lookup_key");

    Price second = create(usd(200).setLookupKey(key).setTransferLookupKey(true));
    assertThat(second.getLookupKey()).isEqualTo(key);
    assertThat(stripe.prices().retrieve(first.getId()).getLookupKey()).as("moved away").isNull();

    stripe.prices().update(second.getId(), PriceUpdateParams.builder().setActive(false).build());
    Price third = create(usd(300).setLookupKey(key));
    assertThat(third.getLookupKey()).as("an inactive price does not hold its key").isEqualTo(key);
    refused(() -> stripe.prices().update(second.getId(), PriceUpdateParams.builder().setActive(true).build()),
        "lookup_key_already_used", "lookup_key");
    Price back = stripe.prices().update(second.getId(), PriceUpdateParams.builder().setActive(true)
        .setTransferLookupKey(true).build());
    assertThat(back.getActive()).isTrue();
    assertThat(back.getLookupKey()).isEqualTo(key);
    assertThat(stripe.prices().retrieve(third.getId()).getLookupKey()).isNull();

    StripeClient other2 = gateway.client(gateway.newAccountKey(false));
    Product theirs = other2.products().create(ProductCreateParams.builder().setName("theirs").build());
    Price same = other2.prices().create(PriceCreateParams.builder().setCurrency("usd").setUnitAmount(1L)
        .setProduct(theirs.getId()).setLookupKey(key).build());
    assertThat(same.getLookupKey()).as("keys are per account").isEqualTo(key);
  }

  @Test
  @DisplayName("lists filter by active, product, type, currency, recurring and lookup_keys, and page both ways")
  void listAndFilters() throws StripeException {
    StripeClient client = gateway.client(gateway.newAccountKey(false));
    Product a = client.products().create(ProductCreateParams.builder().setName("a").build());
    Product b = client.products().create(ProductCreateParams.builder().setName("b").build());
    Meter m = meter(client);
    Price oneTime = client.prices().create(PriceCreateParams.builder().setCurrency("usd").setProduct(a.getId())
        .setUnitAmount(1L).setLookupKey("k1").build());
    Price eur = client.prices().create(PriceCreateParams.builder().setCurrency("eur").setProduct(a.getId())
        .setUnitAmount(2L).setRecurring(Recurring.builder().setInterval(Recurring.Interval.YEAR).build()).build());
    Price usage = client.prices().create(PriceCreateParams.builder().setCurrency("usd").setProduct(b.getId())
        .setUnitAmount(3L).setRecurring(metered(m)).setLookupKey("k3").build());
    Price off = client.prices().create(PriceCreateParams.builder().setCurrency("usd").setProduct(b.getId())
        .setUnitAmount(4L).setActive(false).build());

    assertThat(ids(client, PriceListParams.builder().build())).containsExactly(off.getId(), usage.getId(),
        eur.getId(), oneTime.getId());
    assertThat(ids(client, PriceListParams.builder().setActive(true).build()))
        .containsExactly(usage.getId(), eur.getId(), oneTime.getId());
    assertThat(ids(client, PriceListParams.builder().setActive(false).build())).containsExactly(off.getId());
    assertThat(ids(client, PriceListParams.builder().setProduct(b.getId()).build()))
        .containsExactly(off.getId(), usage.getId());
    assertThat(ids(client, PriceListParams.builder().setType(PriceListParams.Type.ONE_TIME).build()))
        .containsExactly(off.getId(), oneTime.getId());
    assertThat(ids(client, PriceListParams.builder().setType(PriceListParams.Type.RECURRING).build()))
        .containsExactly(usage.getId(), eur.getId());
    assertThat(ids(client, PriceListParams.builder().setCurrency("eur").build())).containsExactly(eur.getId());
    assertThat(ids(client, PriceListParams.builder().setRecurring(PriceListParams.Recurring.builder()
        .setUsageType(PriceListParams.Recurring.UsageType.METERED).build()).build())).containsExactly(usage.getId());
    assertThat(ids(client, PriceListParams.builder().setRecurring(PriceListParams.Recurring.builder()
        .setUsageType(PriceListParams.Recurring.UsageType.LICENSED).build()).build())).containsExactly(eur.getId());
    assertThat(ids(client, PriceListParams.builder().setRecurring(PriceListParams.Recurring.builder()
        .setMeter(m.getId()).build()).build())).containsExactly(usage.getId());
    assertThat(ids(client, PriceListParams.builder().addLookupKey("k1").addLookupKey("k3").build()))
        .containsExactly(usage.getId(), oneTime.getId());
    assertThat(ids(client, PriceListParams.builder().setProduct("prod_unknown").build())).isEmpty();

    StripeCollection<Price> first = client.prices().list(PriceListParams.builder().setLimit(3L).build());
    assertThat(first.getData()).extracting(Price::getId).containsExactly(off.getId(), usage.getId(), eur.getId());
    assertThat(first.getHasMore()).isTrue();
    assertThat(first.getUrl()).isEqualTo("/v1/prices");
    StripeCollection<Price> back = client.prices().list(PriceListParams.builder().setLimit(2L)
        .setEndingBefore(eur.getId()).build());
    assertThat(back.getData()).extracting(Price::getId).containsExactly(off.getId(), usage.getId());
    assertThat(back.getHasMore()).isFalse();
    List<String> all = new ArrayList<>();
    client.prices().list(PriceListParams.builder().setLimit(1L).build()).autoPagingIterable()
        .forEach(p -> all.add(p.getId()));
    assertThat(all).hasSize(4);

    StripeCollection<Price> expanded = client.prices().list(PriceListParams.builder().setProduct(b.getId())
        .addExpand("data.product").addExpand("data.tiers").build());
    assertThat(expanded.getData()).allSatisfy(p -> {
      assertThat(p.getProductObject().getName()).isEqualTo("b");
      assertThat(p.getTiers()).isEmpty();
    });
  }

  private static List<String> ids(StripeClient client, PriceListParams params) throws StripeException {
    return client.prices().list(params).getData().stream().map(Price::getId).toList();
  }

  @Test
  @DisplayName("currency, product and amounts are checked by name")
  void basicValidation() {
    refused(() -> create(PriceCreateParams.builder().setProduct(product.getId()).setUnitAmount(1L)),
        "parameter_missing", "currency");
    refused(() -> create(usd(1).setCurrency("usdx")), "string_too_long", "currency");
    refused(() -> create(usd(1).setCurrency("zzz")), "parameter_invalid_currency", "currency");
    refused(() -> create(PriceCreateParams.builder().setCurrency("usd").setUnitAmount(1L)),
        "parameter_missing", "product");
    refused(() -> create(usd(1).setProductData(PriceCreateParams.ProductData.builder().setName("x").build())),
        "parameters_exclusive", "product_data");
    refused(() -> create(usd(1).setProduct("prod_missing")), 400, "resource_missing", "product");
    refused(() -> create(PriceCreateParams.builder().setCurrency("usd").setUnitAmount(1L)
        .setProductData(PriceCreateParams.ProductData.builder().putMetadata("a", "b").build())),
        "parameter_missing", "product_data[name]");
    refused(() -> create(PriceCreateParams.builder().setCurrency("usd").setUnitAmount(1L)
        .setProductData(PriceCreateParams.ProductData.builder().setName("x").setUnitLabel("GB").build())),
        "parameter_unsupported", "product_data[unit_label]");
    refused(() -> create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())),
        "parameter_missing", "unit_amount");
    refused(() -> create(usd(1).setUnitAmountDecimal(BigDecimal.ONE)), "parameters_exclusive", "unit_amount_decimal");
    refused(() -> create(usd(-1)), "parameter_invalid_integer", "unit_amount");
    refused(() -> create(usd(1_000_000_000_000L)), "parameter_invalid_integer", "unit_amount");
    refused(() -> create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setUnitAmountDecimal(new BigDecimal("0.0000000000001"))), "parameter_invalid_decimal", "unit_amount_decimal");
    refused(() -> create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setUnitAmountDecimal(new BigDecimal("-0.5"))), "parameter_invalid_decimal", "unit_amount_decimal");
    refused(() -> create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .putExtraParam("unit_amount_decimal", "1,5")), "parameter_invalid_decimal", "unit_amount_decimal");
    refused(() -> create(usd(1).putExtraParam("tax_behavior", "sometimes")), "parameter_invalid_enum", "tax_behavior");
    refused(() -> create(usd(1).setLookupKey("k".repeat(201))), "string_too_long", "lookup_key");
    refused(() -> create(usd(1).addExpand("currency_options")), "parameter_invalid_expand", "expand[0]");
    refused(() -> create(usd(1).putExtraParam("colour", "red")), "parameter_unknown", "colour");
  }

  @Test
  @DisplayName("what is not supported is refused by name: currency_options, custom_unit_amount, transform_quantity")
  void unsupported() {
    refused(() -> create(usd(1).putCurrencyOption("eur", PriceCreateParams.CurrencyOption.builder()
        .setUnitAmount(1L).build())), "parameter_unsupported", "currency_options");
    refused(() -> create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setCustomUnitAmount(PriceCreateParams.CustomUnitAmount.builder().setEnabled(true).build())),
        "parameter_unsupported", "custom_unit_amount");
    refused(() -> create(usd(1).setTransformQuantity(PriceCreateParams.TransformQuantity.builder().setDivideBy(10L)
        .setRound(PriceCreateParams.TransformQuantity.Round.UP).build())), "parameter_unsupported",
        "transform_quantity");
    refused(() -> create(usd(1).setRecurring(Recurring.builder().setInterval(Recurring.Interval.MONTH)
        .setTrialPeriodDays(7L).build())), "parameter_unsupported", "recurring[trial_period_days]");
    refused(() -> create(usd(1).setRecurring(Recurring.builder().setInterval(Recurring.Interval.MONTH)
        .setUsageType(Recurring.UsageType.METERED).setMeter(meter.getId())
        .putExtraParam("aggregate_usage", "sum").build())), "parameter_unsupported", "recurring[aggregate_usage]");
    refused(() -> stripe.prices().list(PriceListParams.builder().setCreated(1L).build()),
        "parameter_unsupported", "created");
  }

  @Test
  @DisplayName("recurring needs an interval, a count within three years, and a meter exactly when metered")
  void recurringValidation() throws StripeException {
    refused(() -> create(usd(1).setRecurring(Recurring.builder().setUsageType(Recurring.UsageType.LICENSED).build())),
        "parameter_missing", "recurring[interval]");
    refused(() -> create(usd(1).setRecurring(Recurring.builder().setInterval(Recurring.Interval.MONTH)
        .setIntervalCount(0L).build())), "parameter_invalid_integer", "recurring[interval_count]");
    refused(() -> create(usd(1).setRecurring(Recurring.builder().setInterval(Recurring.Interval.MONTH)
        .setIntervalCount(37L).build())), "parameter_invalid_integer", "recurring[interval_count]");
    refused(() -> create(usd(1).setRecurring(Recurring.builder().setInterval(Recurring.Interval.YEAR)
        .setIntervalCount(4L).build())), "parameter_invalid_integer", "recurring[interval_count]");
    assertThat(create(usd(1).setRecurring(Recurring.builder().setInterval(Recurring.Interval.WEEK)
        .setIntervalCount(156L).build())).getRecurring().getIntervalCount()).isEqualTo(156L);
    refused(() -> create(usd(1).setRecurring(Recurring.builder().setInterval(Recurring.Interval.MONTH)
        .setUsageType(Recurring.UsageType.METERED).build())), "parameter_missing", "recurring[meter]");
    refused(() -> create(usd(1).setRecurring(Recurring.builder().setInterval(Recurring.Interval.MONTH)
        .setMeter(meter.getId()).build())), "parameter_invalid", "recurring[meter]");
    refused(() -> create(usd(1).setRecurring(metered(new Meter() {
      @Override
      public String getId() {
        return "mtr_missing";
      }
    }))), "resource_missing", "recurring[meter]");

    Meter inactive = meter(stripe);
    stripe.billing().meters().deactivate(inactive.getId());
    refused(() -> create(usd(1).setRecurring(metered(inactive))), "meter_inactive", "recurring[meter]");
    Meter theirs = meter(gateway.client(gateway.newAccountKey(false)));
    refused(() -> create(usd(1).setRecurring(metered(theirs))), "resource_missing", "recurring[meter]");
  }

  @Test
  @DisplayName("tiered prices need tiers_mode and tiers, with increasing up_to ending in inf and an amount each")
  void tierValidation() {
    PriceCreateParams.Builder tieredNoTiers = PriceCreateParams.builder().setCurrency("usd")
        .setProduct(product.getId()).setBillingScheme(PriceCreateParams.BillingScheme.TIERED);
    refused(() -> create(tieredNoTiers), "parameter_missing", "tiers_mode");
    refused(() -> create(graduated().setUnitAmount(5L)), "parameter_invalid", "unit_amount");
    refused(() -> create(PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId())
        .setBillingScheme(PriceCreateParams.BillingScheme.TIERED)
        .setTiersMode(PriceCreateParams.TiersMode.VOLUME)), "parameter_missing", "tiers");
    refused(() -> create(usd(1).addTier(Tier.builder().setUpTo(Tier.UpTo.INF).setUnitAmount(1L).build())),
        "parameter_invalid", "tiers");
    refused(() -> create(usd(1).setTiersMode(PriceCreateParams.TiersMode.VOLUME)), "parameter_invalid",
        "tiers_mode");
    refused(() -> create(tiers(Tier.builder().setUpTo(10L).setUnitAmount(1L).build(),
        Tier.builder().setUpTo(10L).setUnitAmount(1L).build(),
        Tier.builder().setUpTo(Tier.UpTo.INF).setUnitAmount(1L).build())), "parameter_invalid", "tiers[1][up_to]");
    refused(() -> create(tiers(Tier.builder().setUpTo(0L).setUnitAmount(1L).build(),
        Tier.builder().setUpTo(Tier.UpTo.INF).setUnitAmount(1L).build())), "parameter_invalid", "tiers[0][up_to]");
    refused(() -> create(tiers(Tier.builder().setUpTo(Tier.UpTo.INF).setUnitAmount(1L).build(),
        Tier.builder().setUpTo(Tier.UpTo.INF).setUnitAmount(1L).build())), "parameter_invalid", "tiers[0][up_to]");
    refused(() -> create(tiers(Tier.builder().setUpTo(5L).setUnitAmount(1L).build(),
        Tier.builder().setUpTo(10L).setUnitAmount(1L).build())), "parameter_invalid", "tiers[1][up_to]");
    refused(() -> create(tiers(Tier.builder().setUnitAmount(1L).build())), "parameter_missing", "tiers[0][up_to]");
    refused(() -> create(tiers(Tier.builder().setUpTo(Tier.UpTo.INF).build())), "parameter_missing",
        "tiers[0][unit_amount]");
    refused(() -> create(tiers(Tier.builder().setUpTo(Tier.UpTo.INF).setUnitAmount(1L)
        .setUnitAmountDecimal(BigDecimal.ONE).build())), "parameters_exclusive", "tiers[0][unit_amount_decimal]");
    refused(() -> create(tiers(Tier.builder().setUpTo(Tier.UpTo.INF).setFlatAmount(-1L).build())),
        "parameter_invalid_integer", "tiers[0][flat_amount]");
    refused(() -> create(tiers(Tier.builder().setUpTo(Tier.UpTo.INF).setUnitAmount(1L)
        .putExtraParam("colour", "red").build())), "parameter_unknown", "tiers[0][colour]");
  }

  private static PriceCreateParams.Builder tiers(Tier... tiers) {
    return PriceCreateParams.builder().setCurrency("usd").setProduct(product.getId()).setRecurring(metered(meter))
        .setBillingScheme(PriceCreateParams.BillingScheme.TIERED).setTiersMode(PriceCreateParams.TiersMode.GRADUATED)
        .addAllTier(List.of(tiers));
  }

  @Test
  @DisplayName("another account's price and product are invisible: 404 by id, resource_missing as a parameter")
  void tenancy() throws StripeException {
    Price mine = create(usd(1));
    StripeClient other = gateway.client(gateway.newAccountKey(false));
    refused(() -> other.prices().retrieve(mine.getId()), 404, "resource_missing", "id");
    refused(() -> other.prices().update(mine.getId(), PriceUpdateParams.builder().setNickname("x").build()),
        404, "resource_missing", "id");
    refused(() -> other.prices().create(PriceCreateParams.builder().setCurrency("usd").setUnitAmount(1L)
        .setProduct(product.getId()).build()), 400, "resource_missing", "product");
    refused(() -> other.prices().list(PriceListParams.builder().setStartingAfter(mine.getId()).build()),
        404, "resource_missing", "starting_after");
    assertThat(other.prices().list(PriceListParams.builder().build()).getData()).isEmpty();
    StripeClient live = gateway.client(gateway.newAccountKey(true));
    Product liveProduct = live.products().create(ProductCreateParams.builder().setName("live").build());
    Price livePrice = live.prices().create(PriceCreateParams.builder().setCurrency("usd").setUnitAmount(1L)
        .setProduct(liveProduct.getId()).build());
    assertThat(livePrice.getLivemode()).isTrue();
  }
}
