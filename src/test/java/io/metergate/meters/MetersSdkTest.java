package io.metergate.meters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.billing.Meter;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.billing.MeterListParams;
import com.stripe.param.billing.MeterUpdateParams;
import io.metergate.testing.Meters;
import io.metergate.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Meters through the official stripe-java SDK")
class MetersSdkTest {
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

  private static Meter createSum(String eventName) throws StripeException {
    return stripe.billing().meters().create(Meters.sum(eventName, "Meter " + eventName));
  }

  @Test
  @DisplayName("a created meter has Stripe's shape, default payload keys and is retrievable")
  void createAndRetrieve() throws StripeException {
    Meter created = createSum("api_requests");

    assertThat(created.getId()).startsWith("mtr_");
    assertThat(created.getObject()).isEqualTo("billing.meter");
    assertThat(created.getStatus()).isEqualTo("active");
    assertThat(created.getLivemode()).isFalse();
    assertThat(created.getCustomerMapping().getEventPayloadKey()).isEqualTo("stripe_customer_id");
    assertThat(created.getCustomerMapping().getType()).isEqualTo("by_id");
    assertThat(created.getValueSettings().getEventPayloadKey()).isEqualTo("value");
    assertThat(created.getDefaultAggregation().getFormula()).isEqualTo("sum");
    assertThat(created.getStatusTransitions().getDeactivatedAt()).isNull();
    assertThat(created.getCreated()).isPositive();

    Meter fetched = stripe.billing().meters().retrieve(created.getId());
    assertThat(fetched.getEventName()).isEqualTo("api_requests");
    assertThat(fetched.getDisplayName()).isEqualTo("Meter api_requests");
  }

  @Test
  @DisplayName("custom customer mapping, value key, count formula and hourly window are kept")
  void createWithEveryOption() throws StripeException {
    Meter m = stripe.billing().meters().create(MeterCreateParams.builder()
        .setDisplayName("Tokens")
        .setEventName("tokens_used")
        .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
            .setFormula(MeterCreateParams.DefaultAggregation.Formula.COUNT).build())
        .setCustomerMapping(MeterCreateParams.CustomerMapping.builder()
            .setType(MeterCreateParams.CustomerMapping.Type.BY_ID).setEventPayloadKey("customer").build())
        .setValueSettings(MeterCreateParams.ValueSettings.builder().setEventPayloadKey("tokens").build())
        .setEventTimeWindow(MeterCreateParams.EventTimeWindow.HOUR)
        .build());

    assertThat(m.getDefaultAggregation().getFormula()).isEqualTo("count");
    assertThat(m.getCustomerMapping().getEventPayloadKey()).isEqualTo("customer");
    assertThat(m.getValueSettings().getEventPayloadKey()).isEqualTo("tokens");
    assertThat(m.getEventTimeWindow()).isEqualTo("hour");
  }

  @Test
  @DisplayName("only display_name can be updated; other fields are refused by name")
  void update() throws StripeException {
    Meter m = createSum("renamed_meter");
    Meter renamed = stripe.billing().meters().update(m.getId(),
        MeterUpdateParams.builder().setDisplayName("New name").build());
    assertThat(renamed.getDisplayName()).isEqualTo("New name");
    assertThat(stripe.billing().meters().retrieve(m.getId()).getDisplayName()).isEqualTo("New name");

    assertThatThrownBy(() -> stripe.billing().meters().update(m.getId(),
        MeterUpdateParams.builder().putExtraParam("event_name", "other").build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(400);
          assertThat(e.getCode()).isEqualTo("parameter_unknown");
          assertThat(e.getStripeError().getParam()).isEqualTo("event_name");
        });
  }

  @Test
  @DisplayName("deactivate and reactivate change status and deactivated_at, and repeating either is refused")
  void deactivateAndReactivate() throws StripeException {
    Meter m = createSum("lifecycle_meter");

    Meter off = stripe.billing().meters().deactivate(m.getId());
    assertThat(off.getStatus()).isEqualTo("inactive");
    assertThat(off.getStatusTransitions().getDeactivatedAt()).isNotNull();
    assertThatThrownBy(() -> stripe.billing().meters().deactivate(m.getId()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getCode()).isEqualTo("meter_already_inactive"));

    Meter on = stripe.billing().meters().reactivate(m.getId());
    assertThat(on.getStatus()).isEqualTo("active");
    assertThat(on.getStatusTransitions().getDeactivatedAt()).isNull();
    assertThatThrownBy(() -> stripe.billing().meters().reactivate(m.getId()))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getCode()).isEqualTo("meter_already_active"));
  }

  @Test
  @DisplayName("lists page newest first with has_more, both directions, status filter and SDK auto-pagination")
  void listAndPage() throws StripeException {
    StripeClient other = gateway.client(gateway.newAccountKey(false));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(other.billing().meters().create(Meters.sum("paged_" + i, "Paged " + i)).getId());
    }
    other.billing().meters().deactivate(ids.get(0));

    var first = other.billing().meters().list(MeterListParams.builder().setLimit(2L).build());
    assertThat(first.getData()).extracting(Meter::getId).containsExactly(ids.get(4), ids.get(3));
    assertThat(first.getHasMore()).isTrue();
    assertThat(first.getUrl()).isEqualTo("/v1/billing/meters");

    var second = other.billing().meters().list(MeterListParams.builder().setLimit(2L)
        .setStartingAfter(ids.get(3)).build());
    assertThat(second.getData()).extracting(Meter::getId).containsExactly(ids.get(2), ids.get(1));

    var back = other.billing().meters().list(MeterListParams.builder().setLimit(2L)
        .setEndingBefore(ids.get(2)).build());
    assertThat(back.getData()).extracting(Meter::getId).containsExactly(ids.get(4), ids.get(3));
    assertThat(back.getHasMore()).isFalse();

    List<String> all = new ArrayList<>();
    other.billing().meters().list(MeterListParams.builder().setLimit(2L).build())
        .autoPagingIterable().forEach(m -> all.add(m.getId()));
    assertThat(all).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));

    var inactive = other.billing().meters().list(MeterListParams.builder()
        .setStatus(MeterListParams.Status.INACTIVE).build());
    assertThat(inactive.getData()).extracting(Meter::getId).containsExactly(ids.get(0));
  }

  @Test
  @DisplayName("an event_name already used by the account's meters is refused, even by an inactive meter")
  void eventNameUnique() throws StripeException {
    Meter m = createSum("unique_name");
    stripe.billing().meters().deactivate(m.getId());
    assertThatThrownBy(() -> createSum("unique_name"))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getStatusCode()).isEqualTo(400);
          assertThat(e.getCode()).isEqualTo("resource_already_exists");
          assertThat(e.getStripeError().getParam()).isEqualTo("event_name");
        });
  }

  @Test
  @DisplayName("invalid create parameters name the bracketed param")
  void createValidation() {
    assertThatThrownBy(() -> stripe.billing().meters().create(MeterCreateParams.builder()
        .setDisplayName("x").setEventName("bogus_formula")
        .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
            .putExtraParam("formula", "median").build()).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getCode()).isEqualTo("parameter_invalid_enum");
          assertThat(e.getStripeError().getParam()).isEqualTo("default_aggregation[formula]");
        });
    assertThatThrownBy(() -> stripe.billing().meters().create(MeterCreateParams.builder()
        .setEventName("no_display").setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
            .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM).build()).build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getCode()).isEqualTo("parameter_missing");
          assertThat(e.getStripeError().getParam()).isEqualTo("display_name");
        });
    assertThatThrownBy(() -> stripe.billing().meters().create(Meters.sum("e".repeat(101), "x")))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.getStripeError().getParam()).isEqualTo("event_name"));
  }

  @Test
  @DisplayName("an unknown meter id, or another account's, is 404 resource_missing")
  void notFound() throws StripeException {
    Meter mine = createSum("private_meter");
    StripeClient stranger = gateway.client(gateway.newAccountKey(false));
    for (String id : List.of("mtr_doesnotexist", mine.getId())) {
      assertThatThrownBy(() -> stranger.billing().meters().retrieve(id))
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(404);
            assertThat(e.getCode()).isEqualTo("resource_missing");
          });
    }
  }
}
