package io.metergate.catalog;

import static io.metergate.testing.StripeErrors.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Product;
import com.stripe.model.StripeCollection;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.ProductListParams;
import com.stripe.param.ProductRetrieveParams;
import com.stripe.param.ProductUpdateParams;
import com.stripe.param.common.EmptyParam;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Products through the official stripe-java SDK")
class ProductsSdkTest {
  private static TestGateway gateway;
  private static StripeClient stripe;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start();
    stripe = gateway.client();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static Product create(StripeClient client, String name) throws StripeException {
    return client.products().create(ProductCreateParams.builder().setName(name).build());
  }

  @Test
  @DisplayName("a created product has every field of Stripe's product object, and retrieve returns the same")
  void createAndRetrieve() throws StripeException {
    long before = Instant.now().getEpochSecond();
    Product p = stripe.products().create(ProductCreateParams.builder().setName("API calls")
        .setDescription("Metered API usage").putMetadata("plan", "pro").build());

    assertThat(p.getId()).startsWith("prod_");
    assertThat(p.getObject()).isEqualTo("product");
    assertThat(p.getActive()).isTrue();
    assertThat(p.getCreated()).isBetween(before, Instant.now().getEpochSecond());
    assertThat(p.getUpdated()).isEqualTo(p.getCreated());
    assertThat(p.getDefaultPrice()).isNull();
    assertThat(p.getDescription()).isEqualTo("Metered API usage");
    assertThat(p.getImages()).isEmpty();
    assertThat(p.getLivemode()).isFalse();
    assertThat(p.getMarketingFeatures()).isEmpty();
    assertThat(p.getMetadata()).containsExactly(Map.entry("plan", "pro"));
    assertThat(p.getName()).isEqualTo("API calls");
    assertThat(p.getPackageDimensions()).isNull();
    assertThat(p.getShippable()).isNull();
    assertThat(p.getStatementDescriptor()).isNull();
    assertThat(p.getTaxCode()).isNull();
    assertThat(p.getType()).isEqualTo("service");
    assertThat(p.getUnitLabel()).isNull();
    assertThat(p.getUrl()).isNull();

    Product fetched = stripe.products().retrieve(p.getId());
    assertThat(fetched.toJson()).isEqualTo(p.toJson());
    Product expanded = stripe.products().retrieve(p.getId(),
        ProductRetrieveParams.builder().addExpand("default_price").build(), null);
    assertThat(expanded.getDefaultPrice()).as("no default price to expand").isNull();

    Product inactive = stripe.products().create(ProductCreateParams.builder().setName("Old plan").setActive(false)
        .setType(ProductCreateParams.Type.SERVICE).build());
    assertThat(inactive.getActive()).isFalse();
    assertThat(inactive.getDescription()).isNull();
    assertThat(inactive.getMetadata()).isEmpty();
  }

  @Test
  @DisplayName("updates change name, description, active and metadata; description= and metadata= clear")
  void update() throws StripeException {
    Product p = stripe.products().create(ProductCreateParams.builder().setName("Storage").setDescription("GB-months")
        .putMetadata("keep", "1").putMetadata("drop", "2").build());

    Product changed = stripe.products().update(p.getId(), ProductUpdateParams.builder().setName("Object storage")
        .setDescription(EmptyParam.EMPTY).setActive(false).putMetadata("drop", "").putMetadata("add", "3").build());
    assertThat(changed.getName()).isEqualTo("Object storage");
    assertThat(changed.getDescription()).isNull();
    assertThat(changed.getActive()).isFalse();
    assertThat(changed.getMetadata()).containsOnly(Map.entry("keep", "1"), Map.entry("add", "3"));
    assertThat(changed.getCreated()).isEqualTo(p.getCreated());
    assertThat(changed.getUpdated()).isGreaterThanOrEqualTo(p.getUpdated());

    Product cleared = stripe.products().update(p.getId(), ProductUpdateParams.builder()
        .setMetadata(EmptyParam.EMPTY).setActive(true).setDescription("again").build());
    assertThat(cleared.getMetadata()).isEmpty();
    assertThat(cleared.getActive()).isTrue();
    assertThat(cleared.getDescription()).isEqualTo("again");
    assertThat(cleared.getName()).isEqualTo("Object storage");
    assertThat(stripe.products().retrieve(p.getId()).toJson()).isEqualTo(cleared.toJson());

    Product untouched = stripe.products().update(p.getId(), ProductUpdateParams.builder().build());
    assertThat(untouched.getName()).isEqualTo("Object storage");
  }

  @Test
  @DisplayName("lists page newest first in both directions, filter by active and ids, and auto-paginate")
  void listAndFilters() throws StripeException {
    StripeClient client = gateway.client(gateway.newAccountKey(false));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(create(client, "p" + i).getId());
    }
    client.products().update(ids.get(1), ProductUpdateParams.builder().setActive(false).build());

    StripeCollection<Product> first = client.products().list(ProductListParams.builder().setLimit(2L).build());
    assertThat(first.getData()).extracting(Product::getId).containsExactly(ids.get(4), ids.get(3));
    assertThat(first.getHasMore()).isTrue();
    assertThat(first.getUrl()).isEqualTo("/v1/products");
    StripeCollection<Product> next = client.products().list(ProductListParams.builder().setLimit(2L)
        .setStartingAfter(ids.get(3)).build());
    assertThat(next.getData()).extracting(Product::getId).containsExactly(ids.get(2), ids.get(1));
    assertThat(next.getHasMore()).isTrue();
    StripeCollection<Product> back = client.products().list(ProductListParams.builder().setLimit(2L)
        .setEndingBefore(ids.get(2)).build());
    assertThat(back.getData()).extracting(Product::getId).containsExactly(ids.get(4), ids.get(3));
    assertThat(back.getHasMore()).isFalse();

    List<String> all = new ArrayList<>();
    client.products().list(ProductListParams.builder().setLimit(2L).build()).autoPagingIterable()
        .forEach(p -> all.add(p.getId()));
    assertThat(all).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));

    assertThat(client.products().list(ProductListParams.builder().setActive(false).build()).getData())
        .extracting(Product::getId).containsExactly(ids.get(1));
    assertThat(client.products().list(ProductListParams.builder().setActive(true).build()).getData())
        .extracting(Product::getId).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(0));
    assertThat(client.products().list(ProductListParams.builder().addId(ids.get(0)).addId(ids.get(2))
        .addId("prod_unknown").build()).getData())
        .extracting(Product::getId).containsExactly(ids.get(2), ids.get(0));
    assertThat(client.products().list(ProductListParams.builder().addExpand("data.default_price").build())
        .getData()).hasSize(5);
  }

  @Test
  @DisplayName("invalid and unsupported parameters are refused by name")
  void validation() {
    refused(() -> stripe.products().create(ProductCreateParams.builder().setDescription("no name").build()),
        "parameter_missing", "name");
    refused(() -> create(stripe, ""), "parameter_invalid_empty", "name");
    refused(() -> create(stripe, "x".repeat(5001)), "string_too_long", "name");
    refused(() -> stripe.products().create(ProductCreateParams.builder().setName("n")
        .setType(ProductCreateParams.Type.GOOD).build()), "parameter_invalid_enum", "type");
    refused(() -> stripe.products().create(ProductCreateParams.builder().setName("n").addImage("https://x/y.png")
        .build()), "parameter_unsupported", "images");
    refused(() -> stripe.products().create(ProductCreateParams.builder().setName("n").setUnitLabel("GB").build()),
        "parameter_unsupported", "unit_label");
    refused(() -> stripe.products().create(ProductCreateParams.builder().setName("n").setShippable(true).build()),
        "parameter_unsupported", "shippable");
    refused(() -> stripe.products().create(ProductCreateParams.builder().setName("n").setId("prod_mine").build()),
        "parameter_unsupported", "id");
    refused(() -> stripe.products().create(ProductCreateParams.builder().setName("n")
        .setDefaultPriceData(ProductCreateParams.DefaultPriceData.builder().setCurrency("usd").setUnitAmount(1L)
            .build()).build()), "parameter_unsupported", "default_price_data");
    refused(() -> stripe.products().create(ProductCreateParams.builder().setName("n").putExtraParam("colour", "red")
        .build()), "parameter_unknown", "colour");
    refused(() -> stripe.products().create(ProductCreateParams.builder().setName("n").putExtraParam("active", "yes")
        .build()), "parameter_invalid_boolean", "active");
    refused(() -> stripe.products().create(ProductCreateParams.builder().setName("n")
        .putMetadata("k".repeat(41), "v").build()), "invalid_key", "metadata[" + "k".repeat(41) + "]");
    refused(() -> stripe.products().create(ProductCreateParams.builder().setName("n").addExpand("prices").build()),
        "parameter_invalid_expand", "expand[0]");

    refused(() -> stripe.products().update("prod_missing", ProductUpdateParams.builder().setName("x").build()),
        404, "resource_missing", "id");
    refused(() -> stripe.products().list(ProductListParams.builder().setShippable(true).build()),
        "parameter_unsupported", "shippable");
    refused(() -> stripe.products().list(ProductListParams.builder().setStartingAfter("prod_missing").build()),
        404, "resource_missing", "starting_after");
  }

  @Test
  @DisplayName("an update cannot blank the name or set what is not supported")
  void updateValidation() throws StripeException {
    Product p = create(stripe, "named");
    refused(() -> stripe.products().update(p.getId(), ProductUpdateParams.builder().setName(EmptyParam.EMPTY).build()),
        "parameter_invalid_empty", "name");
    refused(() -> stripe.products().update(p.getId(), ProductUpdateParams.builder().setUrl("https://x").build()),
        "parameter_unsupported", "url");
    refused(() -> stripe.products().update(p.getId(), ProductUpdateParams.builder().setDefaultPrice("price_1")
        .build()), "parameter_unsupported", "default_price");
    assertThat(stripe.products().retrieve(p.getId()).getName()).isEqualTo("named");
  }

  @Test
  @DisplayName("another account's product is 404 for every operation and never listed")
  void tenancy() throws StripeException {
    Product mine = create(stripe, "mine");
    StripeClient other = gateway.client(gateway.newAccountKey(false));
    refused(() -> other.products().retrieve(mine.getId()), 404, "resource_missing", "id");
    refused(() -> other.products().update(mine.getId(), ProductUpdateParams.builder().setName("theirs").build()),
        404, "resource_missing", "id");
    refused(() -> other.products().list(ProductListParams.builder().setStartingAfter(mine.getId()).build()),
        404, "resource_missing", "starting_after");
    assertThat(other.products().list(ProductListParams.builder().build()).getData()).isEmpty();
    StripeClient live = gateway.client(gateway.newAccountKey(true));
    Product liveProduct = create(live, "live one");
    assertThat(liveProduct.getLivemode()).isTrue();
    assertThat(stripe.products().retrieve(mine.getId()).getName()).isEqualTo("mine");
  }

  @Test
  @DisplayName("Stripe's product routes not built here say 501; other methods and sub-paths are 404s")
  void unknownRoutes() {
    String auth = "Bearer " + TestGateway.DEV_KEY;
    for (RawHttp.Response r : List.of(
        RawHttp.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/products/prod_1"))
            .header("Authorization", auth).DELETE().build()),
        RawHttp.get(gateway.baseUrl() + "/v1/products/search?query=name:%27x%27", auth),
        RawHttp.get(gateway.baseUrl() + "/v1/products/prod_1/features", auth))) {
      assertThat(r.status()).isEqualTo(501);
      assertThat(r.error().getString("code")).isEqualTo("not_implemented");
    }
    for (RawHttp.Response r : List.of(
        RawHttp.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/products"))
            .header("Authorization", auth).PUT(HttpRequest.BodyPublishers.noBody()).build()),
        RawHttp.get(gateway.baseUrl() + "/v1/products/prod_1/prices", auth))) {
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.error().getString("code")).isEqualTo("resource_missing");
    }
  }
}
