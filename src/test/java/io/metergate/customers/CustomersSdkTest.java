package io.metergate.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.param.CustomerBalanceTransactionCreateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.common.EmptyParam;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Customers through the official stripe-java SDK")
class CustomersSdkTest {
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

  private static Customer create(StripeClient client, String name) throws StripeException {
    return client.customers().create(CustomerCreateParams.builder().setName(name).build());
  }

  static void refused(ThrowingCallable call, int status, String code, String param) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
      assertThat(e.getStatusCode()).isEqualTo(status);
      assertThat(e.getCode()).isEqualTo(code);
      assertThat(e.getStripeError().getParam()).isEqualTo(param);
    });
  }

  @Test
  @DisplayName("a created customer has Stripe's whole shape, and retrieves the same")
  void createAndRetrieve() throws StripeException {
    long before = Instant.now().getEpochSecond();
    Customer c = stripe.customers().create(CustomerCreateParams.builder().setName("Ada Lovelace")
        .setEmail("ada@example.com").setPhone("+44 20 7946 0000").setDescription("Analytical engines")
        .putMetadata("plan", "pro").putMetadata("region", "eu").build());

    assertThat(c.getId()).startsWith("cus_");
    assertThat(c.getObject()).isEqualTo("customer");
    assertThat(c.getName()).isEqualTo("Ada Lovelace");
    assertThat(c.getEmail()).isEqualTo("ada@example.com");
    assertThat(c.getPhone()).isEqualTo("+44 20 7946 0000");
    assertThat(c.getDescription()).isEqualTo("Analytical engines");
    assertThat(c.getMetadata()).containsExactlyInAnyOrderEntriesOf(Map.of("plan", "pro", "region", "eu"));
    assertThat(c.getBalance()).isZero();
    assertThat(c.getCurrency()).as("set by the first balance transaction or invoice").isNull();
    assertThat(c.getCreated()).isBetween(before, Instant.now().getEpochSecond());
    assertThat(c.getLivemode()).isFalse();
    assertThat(c.getDeleted()).isNull();
    assertThat(c.getDelinquent()).isFalse();
    assertThat(c.getAddress()).isNull();
    assertThat(c.getShipping()).isNull();
    assertThat(c.getDiscount()).isNull();
    assertThat(c.getDefaultSource()).isNull();
    assertThat(c.getTestClock()).isNull();
    assertThat(c.getCustomerAccount()).isNull();
    assertThat(c.getBusinessName()).isNull();
    assertThat(c.getIndividualName()).isNull();
    assertThat(c.getInvoicePrefix()).matches("[0-9A-F]{12}");
    assertThat(c.getNextInvoiceSequence()).isEqualTo(1);
    assertThat(c.getPreferredLocales()).isEmpty();
    assertThat(c.getTaxExempt()).isEqualTo("none");
    assertThat(c.getInvoiceSettings()).isNotNull();
    assertThat(c.getInvoiceSettings().getCustomFields()).isNull();
    assertThat(c.getInvoiceSettings().getDefaultPaymentMethod()).isNull();
    assertThat(c.getInvoiceSettings().getFooter()).isNull();
    assertThat(c.getInvoiceSettings().getRenderingOptions()).isNull();

    Customer fetched = stripe.customers().retrieve(c.getId());
    assertThat(fetched).isEqualTo(c);
    assertThat(fetched.getInvoicePrefix()).as("stable").isEqualTo(c.getInvoicePrefix());

    Customer bare = stripe.customers().create();
    assertThat(bare.getName()).isNull();
    assertThat(bare.getEmail()).isNull();
    assertThat(bare.getMetadata()).isEmpty();
    assertThat(bare.getInvoicePrefix()).isNotEqualTo(c.getInvoicePrefix());
  }

  @Test
  @DisplayName("an update changes the given fields, unsets those sent empty, and patches metadata key by key")
  void update() throws StripeException {
    Customer c = stripe.customers().create(CustomerCreateParams.builder().setName("Before").setEmail("a@b.example")
        .setPhone("123").setDescription("d").putMetadata("keep", "1").putMetadata("drop", "2").build());

    Customer changed = stripe.customers().update(c.getId(), CustomerUpdateParams.builder().setName("After")
        .setEmail(EmptyParam.EMPTY).setDescription(EmptyParam.EMPTY).putMetadata("drop", "")
        .putMetadata("add", "3").build());
    assertThat(changed.getName()).isEqualTo("After");
    assertThat(changed.getEmail()).isNull();
    assertThat(changed.getDescription()).isNull();
    assertThat(changed.getPhone()).as("not given, unchanged").isEqualTo("123");
    assertThat(changed.getMetadata()).containsOnly(Map.entry("keep", "1"), Map.entry("add", "3"));
    assertThat(changed.getCreated()).isEqualTo(c.getCreated());

    Customer cleared = stripe.customers().update(c.getId(),
        CustomerUpdateParams.builder().setMetadata(EmptyParam.EMPTY).setPhone(EmptyParam.EMPTY).build());
    assertThat(cleared.getMetadata()).isEmpty();
    assertThat(cleared.getPhone()).isNull();
    assertThat(cleared.getName()).isEqualTo("After");
    assertThat(stripe.customers().retrieve(c.getId())).isEqualTo(cleared);
    assertThat(stripe.customers().update(c.getId()).getName()).as("an empty update changes nothing").isEqualTo("After");
  }

  @Test
  @DisplayName("balance cannot be set directly: the error names balance and points to balance transactions")
  void balanceIsRefused() throws StripeException {
    assertThatThrownBy(() -> stripe.customers().create(CustomerCreateParams.builder().setBalance(500L).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(400);
          assertThat(e.getCode()).isEqualTo("parameter_unsupported");
          assertThat(e.getStripeError().getParam()).isEqualTo("balance");
          assertThat(e.getStripeError().getMessage()).contains("balance_transactions");
        });
    Customer c = create(stripe, "balance");
    refused(() -> stripe.customers().update(c.getId(), CustomerUpdateParams.builder().setBalance(-100L).build()),
        400, "parameter_unsupported", "balance");
    assertThat(stripe.customers().retrieve(c.getId()).getBalance()).isZero();
  }

  @Test
  @DisplayName("invalid parameters are refused by name: unknown, too long, a malformed email, oversized metadata")
  void refusals() throws StripeException {
    refused(() -> stripe.customers().create(CustomerCreateParams.builder()
        .setAddress(CustomerCreateParams.Address.builder().setCity("Paris").build()).build()),
        400, "parameter_unknown", "address");
    refused(() -> stripe.customers().create(CustomerCreateParams.builder().setName("n".repeat(257)).build()),
        400, "string_too_long", "name");
    refused(() -> stripe.customers().create(CustomerCreateParams.builder().setPhone("1".repeat(21)).build()),
        400, "string_too_long", "phone");
    refused(() -> stripe.customers().create(CustomerCreateParams.builder().setEmail("not an email").build()),
        400, "email_invalid", "email");
    refused(() -> stripe.customers().create(CustomerCreateParams.builder().putMetadata("k".repeat(41), "v").build()),
        400, "invalid_key", "metadata[" + "k".repeat(41) + "]");
    Customer c = create(stripe, "refusals");
    refused(() -> stripe.customers().update(c.getId(), CustomerUpdateParams.builder().setEmail("x@").build()),
        400, "email_invalid", "email");
    refused(() -> stripe.customers().list(CustomerListParams.builder().setLimit(0L).build()),
        400, "parameter_invalid_integer", "limit");
    refused(() -> stripe.customers().list(CustomerListParams.builder().putExtraParam("status", "x").build()),
        400, "parameter_unknown", "status");
    RawHttp.Response badCreated = RawHttp.get(gateway.baseUrl() + "/v1/customers?created[gte]=yesterday",
        "Bearer " + TestGateway.DEV_KEY);
    assertThat(badCreated.status()).isEqualTo(400);
    assertThat(badCreated.error().getString("param")).isEqualTo("created[gte]");
  }

  @Test
  @DisplayName("a deleted customer retrieves as a deleted stub, is gone from lists, and cannot be changed")
  void delete() throws StripeException {
    Customer c = create(stripe, "to delete");
    Customer deleted = stripe.customers().delete(c.getId());
    assertThat(deleted.getId()).isEqualTo(c.getId());
    assertThat(deleted.getDeleted()).isTrue();
    assertThat(deleted.getName()).isNull();

    Customer fetched = stripe.customers().retrieve(c.getId());
    assertThat(fetched.getDeleted()).isTrue();
    assertThat(fetched.getObject()).isEqualTo("customer");
    assertThat(fetched.getCreated()).isNull();

    refused(() -> stripe.customers().update(c.getId(), CustomerUpdateParams.builder().setName("x").build()),
        404, "resource_missing", "id");
    refused(() -> stripe.customers().delete(c.getId()), 404, "resource_missing", "id");
    refused(() -> stripe.customers().balanceTransactions().create(c.getId(),
        CustomerBalanceTransactionCreateParams.builder().setAmount(1L).setCurrency("usd").build()),
        404, "resource_missing", "id");
    assertThat(stripe.customers().list(CustomerListParams.builder().setLimit(100L).build()).getData())
        .extracting(Customer::getId).doesNotContain(c.getId());
    refused(() -> stripe.customers().retrieve("cus_unknown"), 404, "resource_missing", "id");
  }

  @Test
  @DisplayName("the list filters by exact email and by created (exact or range), newest first")
  void listFilters() throws StripeException {
    Customer old = stripe.customers().create(CustomerCreateParams.builder().setEmail("filter@example.com").build());
    Customer recent = stripe.customers().create(CustomerCreateParams.builder().setEmail("filter@example.com").build());
    Customer other = stripe.customers().create(CustomerCreateParams.builder().setEmail("Filter@example.com").build());
    gateway.queryLong("UPDATE customers SET created_at = to_timestamp(1700000000) WHERE public_id = ? RETURNING 1",
        old.getId());

    assertThat(stripe.customers().list(CustomerListParams.builder().setEmail("filter@example.com").build()).getData())
        .extracting(Customer::getId).containsExactly(recent.getId(), old.getId());
    assertThat(stripe.customers().list(CustomerListParams.builder().setEmail("Filter@example.com").build()).getData())
        .extracting(Customer::getId).as("case-sensitive, as at Stripe").containsExactly(other.getId());
    assertThat(stripe.customers().list(CustomerListParams.builder().setCreated(1_700_000_000L).build()).getData())
        .extracting(Customer::getId).containsExactly(old.getId());
    assertThat(stripe.customers().list(CustomerListParams.builder().setEmail("filter@example.com")
        .setCreated(CustomerListParams.Created.builder().setGt(1_700_000_000L).build()).build()).getData())
        .extracting(Customer::getId).containsExactly(recent.getId());
    assertThat(stripe.customers().list(CustomerListParams.builder()
        .setCreated(CustomerListParams.Created.builder().setGte(1_699_999_999L).setLte(1_700_000_000L).build())
        .build()).getData()).extracting(Customer::getId).containsExactly(old.getId());
    assertThat(stripe.customers().list(CustomerListParams.builder()
        .setCreated(CustomerListParams.Created.builder().setLt(1_700_000_000L).build()).build()).getData()).isEmpty();
  }

  @Test
  @DisplayName("the list pages with limit, starting_after and ending_before, and auto-pagination visits every customer")
  void pagination() throws StripeException {
    String key = gateway.newAccountKey(false);
    StripeClient own = gateway.client(key);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(0, create(own, "page " + i).getId());
    }
    var first = own.customers().list(CustomerListParams.builder().setLimit(2L).build());
    assertThat(first.getUrl()).isEqualTo("/v1/customers");
    assertThat(first.getHasMore()).isTrue();
    assertThat(first.getData()).extracting(Customer::getId).containsExactly(ids.get(0), ids.get(1));
    var second = own.customers().list(CustomerListParams.builder().setLimit(2L).setStartingAfter(ids.get(1)).build());
    assertThat(second.getData()).extracting(Customer::getId).containsExactly(ids.get(2), ids.get(3));
    var last = own.customers().list(CustomerListParams.builder().setLimit(2L).setStartingAfter(ids.get(3)).build());
    assertThat(last.getData()).extracting(Customer::getId).containsExactly(ids.get(4));
    assertThat(last.getHasMore()).isFalse();
    var back = own.customers().list(CustomerListParams.builder().setLimit(2L).setEndingBefore(ids.get(4)).build());
    assertThat(back.getData()).extracting(Customer::getId).containsExactly(ids.get(2), ids.get(3));
    assertThat(back.getHasMore()).isTrue();

    List<String> all = new ArrayList<>();
    own.customers().list(CustomerListParams.builder().setLimit(2L).build()).autoPagingIterable()
        .forEach(c -> all.add(c.getId()));
    assertThat(all).containsExactlyElementsOf(ids);
    refused(() -> own.customers().list(CustomerListParams.builder().setStartingAfter("cus_nope").build()),
        404, "resource_missing", "starting_after");
  }

  @Test
  @DisplayName("another account, and the other mode, see none of the customers")
  void tenancy() throws StripeException {
    Customer mine = create(stripe, "mine");
    StripeClient other = gateway.client(gateway.newAccountKey(false));
    refused(() -> other.customers().retrieve(mine.getId()), 404, "resource_missing", "id");
    refused(() -> other.customers().update(mine.getId(), CustomerUpdateParams.builder().setName("x").build()),
        404, "resource_missing", "id");
    refused(() -> other.customers().delete(mine.getId()), 404, "resource_missing", "id");
    assertThat(other.customers().list().getData()).isEmpty();

    String liveKey = gateway.newAccountKey(true);
    Customer live = create(gateway.client(liveKey), "live");
    assertThat(live.getLivemode()).isTrue();
    assertThat(stripe.customers().retrieve(mine.getId()).getName()).isEqualTo("mine");
    refused(() -> stripe.customers().retrieve(live.getId()), 404, "resource_missing", "id");
  }

  @Test
  @DisplayName("unknown methods are 404s; Stripe customer sub-resources this gateway lacks are 501 not_implemented")
  void unknownRoutes() {
    String auth = "Bearer " + TestGateway.DEV_KEY;
    RawHttp.Response put = RawHttp.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/customers"))
        .header("Authorization", auth).DELETE().build());
    assertThat(put.status()).isEqualTo(404);
    assertThat(put.error().getString("code")).isEqualTo("resource_missing");
    RawHttp.Response taxIds = RawHttp.get(gateway.baseUrl() + "/v1/customers/cus_x/tax_ids", auth);
    assertThat(taxIds.status()).isEqualTo(501);
    assertThat(taxIds.error().getString("code")).isEqualTo("not_implemented");
    RawHttp.Response search = RawHttp.get(gateway.baseUrl() + "/v1/customers/search?query=x", auth);
    assertThat(search.status()).isEqualTo(501);
  }
}
