package io.metergate.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.WebhookEndpoint;
import com.stripe.param.WebhookEndpointCreateParams;
import com.stripe.param.WebhookEndpointCreateParams.EnabledEvent;
import com.stripe.param.WebhookEndpointListParams;
import com.stripe.param.WebhookEndpointUpdateParams;
import com.stripe.param.common.EmptyParam;
import io.metergate.events.EventLog;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Webhook endpoints through the official stripe-java SDK")
class WebhookEndpointsSdkTest {
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

  private static WebhookEndpoint create(StripeClient client, String url) throws StripeException {
    return client.webhookEndpoints().create(WebhookEndpointCreateParams.builder().setUrl(url)
        .addEnabledEvent(EnabledEvent.BILLING__ALERT__TRIGGERED).build());
  }

  private static void refused(ThrowingCallable call, int status, String code, String param) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
      assertThat(e.getStatusCode()).isEqualTo(status);
      assertThat(e.getCode()).isEqualTo(code);
      assertThat(e.getStripeError().getParam()).isEqualTo(param);
    });
  }

  @Test
  @DisplayName("a created endpoint has Stripe's shape, and its whsec_ secret is shown only in the create response")
  void createAndRetrieve() throws StripeException {
    WebhookEndpoint created = stripe.webhookEndpoints().create(WebhookEndpointCreateParams.builder()
        .setUrl("https://example.com/hooks").addEnabledEvent(EnabledEvent.BILLING__ALERT__TRIGGERED)
        .addEnabledEvent(EnabledEvent.INVOICE__PAID).setDescription("Alerts").putMetadata("team", "billing")
        .build());

    assertThat(created.getId()).startsWith("we_");
    assertThat(created.getObject()).isEqualTo("webhook_endpoint");
    assertThat(created.getSecret()).startsWith("whsec_").hasSizeGreaterThan(30);
    assertThat(created.getStatus()).isEqualTo("enabled");
    assertThat(created.getUrl()).isEqualTo("https://example.com/hooks");
    assertThat(created.getEnabledEvents()).containsExactly("billing.alert.triggered", "invoice.paid");
    assertThat(created.getDescription()).isEqualTo("Alerts");
    assertThat(created.getMetadata()).containsExactly(Map.entry("team", "billing"));
    assertThat(created.getLivemode()).isFalse();
    assertThat(created.getApplication()).isNull();
    assertThat(created.getApiVersion()).isNull();
    assertThat(created.getCreated()).isPositive();

    WebhookEndpoint fetched = stripe.webhookEndpoints().retrieve(created.getId());
    assertThat(fetched.getSecret()).isNull();
    assertThat(fetched.getUrl()).isEqualTo(created.getUrl());
    assertThat(fetched.getMetadata()).isEqualTo(created.getMetadata());
    assertThat(fetched.getCreated()).isEqualTo(created.getCreated());

    WebhookEndpoint pinned = stripe.webhookEndpoints().create(WebhookEndpointCreateParams.builder()
        .setUrl("http://127.0.0.1:1/x").addEnabledEvent(EnabledEvent.ALL)
        .setApiVersion(WebhookEndpointCreateParams.ApiVersion.valueOf("VERSION_2026_07_29_DAHLIA")).build());
    assertThat(pinned.getApiVersion()).isEqualTo(EventLog.API_VERSION);
    assertThat(pinned.getEnabledEvents()).containsExactly("*");
  }

  @Test
  @DisplayName("updates change url, events, description and metadata, and disabled toggles the status")
  void update() throws StripeException {
    WebhookEndpoint e = stripe.webhookEndpoints().create(WebhookEndpointCreateParams.builder()
        .setUrl("https://example.com/a").addEnabledEvent(EnabledEvent.BILLING__ALERT__TRIGGERED)
        .setDescription("first").putMetadata("keep", "1").putMetadata("drop", "2").build());

    WebhookEndpoint changed = stripe.webhookEndpoints().update(e.getId(), WebhookEndpointUpdateParams.builder()
        .setUrl("https://example.com/b").addEnabledEvent(WebhookEndpointUpdateParams.EnabledEvent.ALL)
        .setDescription(EmptyParam.EMPTY).putMetadata("drop", "").putMetadata("add", "3").build());
    assertThat(changed.getUrl()).isEqualTo("https://example.com/b");
    assertThat(changed.getEnabledEvents()).containsExactly("*");
    assertThat(changed.getDescription()).isNull();
    assertThat(changed.getMetadata()).containsOnly(Map.entry("keep", "1"), Map.entry("add", "3"));
    assertThat(changed.getSecret()).isNull();

    WebhookEndpoint off = stripe.webhookEndpoints().update(e.getId(),
        WebhookEndpointUpdateParams.builder().setDisabled(true).setMetadata(EmptyParam.EMPTY).build());
    assertThat(off.getStatus()).isEqualTo("disabled");
    assertThat(off.getMetadata()).isEmpty();
    assertThat(off.getUrl()).isEqualTo("https://example.com/b");
    WebhookEndpoint on = stripe.webhookEndpoints().update(e.getId(),
        WebhookEndpointUpdateParams.builder().setDisabled(false).build());
    assertThat(on.getStatus()).isEqualTo("enabled");
    assertThat(stripe.webhookEndpoints().retrieve(e.getId()).getStatus()).isEqualTo("enabled");
  }

  @Test
  @DisplayName("lists page newest first with has_more, both directions and auto-pagination; deleted endpoints vanish")
  void listAndDelete() throws StripeException {
    StripeClient client = gateway.client(gateway.newAccountKey(false));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(create(client, "https://example.com/" + i).getId());
    }

    var first = client.webhookEndpoints().list(WebhookEndpointListParams.builder().setLimit(2L).build());
    assertThat(first.getData()).extracting(WebhookEndpoint::getId).containsExactly(ids.get(3), ids.get(2));
    assertThat(first.getHasMore()).isTrue();
    assertThat(first.getUrl()).isEqualTo("/v1/webhook_endpoints");
    assertThat(first.getData()).allSatisfy(e -> assertThat(e.getSecret()).isNull());
    var back = client.webhookEndpoints().list(WebhookEndpointListParams.builder().setLimit(2L)
        .setEndingBefore(ids.get(1)).build());
    assertThat(back.getData()).extracting(WebhookEndpoint::getId).containsExactly(ids.get(3), ids.get(2));
    assertThat(back.getHasMore()).isFalse();

    WebhookEndpoint deleted = client.webhookEndpoints().delete(ids.get(2));
    assertThat(deleted.getId()).isEqualTo(ids.get(2));
    assertThat(deleted.getDeleted()).isTrue();
    assertThat(deleted.getObject()).isEqualTo("webhook_endpoint");
    List<String> all = new ArrayList<>();
    client.webhookEndpoints().list(WebhookEndpointListParams.builder().setLimit(1L).build()).autoPagingIterable()
        .forEach(e -> all.add(e.getId()));
    assertThat(all).containsExactly(ids.get(3), ids.get(1), ids.get(0));
    refused(() -> client.webhookEndpoints().retrieve(ids.get(2)), 404, "resource_missing", "id");
    refused(() -> client.webhookEndpoints().delete(ids.get(2)), 404, "resource_missing", "id");
    refused(() -> client.webhookEndpoints().update(ids.get(2), WebhookEndpointUpdateParams.builder()
        .setDisabled(true).build()), 404, "resource_missing", "id");
  }

  @Test
  @DisplayName("invalid parameters are refused with Stripe's error and the parameter's name")
  void validation() {
    refused(() -> stripe.webhookEndpoints().create(WebhookEndpointCreateParams.builder()
        .addEnabledEvent(EnabledEvent.ALL).build()), 400, "parameter_missing", "url");
    for (String bad : List.of("not a url", "ftp://example.com/x", "/relative/path", "https://")) {
      refused(() -> create(stripe, bad), 400, "url_invalid", "url");
    }
    refused(() -> stripe.webhookEndpoints().create(WebhookEndpointCreateParams.builder()
        .setUrl("https://example.com").build()), 400, "parameter_missing", "enabled_events");
    refused(() -> stripe.webhookEndpoints().create(WebhookEndpointCreateParams.builder()
        .setUrl("https://example.com").putExtraParam("enabled_events", "").build()), 400, "parameter_invalid_empty",
        "enabled_events");
    refused(() -> stripe.webhookEndpoints().create(WebhookEndpointCreateParams.builder()
        .setUrl("https://example.com").addEnabledEvent(EnabledEvent.ALL)
        .putExtraParam("enabled_events[1]", "billing.alert.trigered").build()), 400, "parameter_invalid_enum",
        "enabled_events[1]");
    refused(() -> stripe.webhookEndpoints().create(WebhookEndpointCreateParams.builder()
        .setUrl("https://example.com").addEnabledEvent(EnabledEvent.ALL).putExtraParam("colour", "blue").build()),
        400, "parameter_unknown", "colour");
    refused(() -> stripe.webhookEndpoints().create(WebhookEndpointCreateParams.builder()
        .setUrl("https://example.com").addEnabledEvent(EnabledEvent.ALL)
        .putMetadata("k".repeat(41), "v").build()), 400, "invalid_key", "metadata[" + "k".repeat(41) + "]");
  }

  @Test
  @DisplayName("other methods and paths under /v1/webhook_endpoints and /v1/events are Stripe-shaped 404s")
  void unknownRoutes() {
    String auth = "Bearer " + TestGateway.DEV_KEY;
    for (RawHttp.Response r : List.of(
        RawHttp.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/webhook_endpoints"))
            .header("Authorization", auth).PUT(HttpRequest.BodyPublishers.noBody()).build()),
        RawHttp.get(gateway.baseUrl() + "/v1/webhook_endpoints/we_1/secret", auth),
        RawHttp.post(gateway.baseUrl() + "/v1/events", auth, "application/x-www-form-urlencoded", ""),
        RawHttp.get(gateway.baseUrl() + "/v1/events/evt_1/retry", auth))) {
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.error().getString("code")).isEqualTo("resource_missing");
    }
    RawHttp.Response deleteWithParam = RawHttp.send(HttpRequest.newBuilder(
            URI.create(gateway.baseUrl() + "/v1/webhook_endpoints/we_1?force=true"))
        .header("Authorization", auth).DELETE().build());
    assertThat(deleteWithParam.status()).isEqualTo(400);
    assertThat(deleteWithParam.error().getString("param")).isEqualTo("force");
  }

  @Test
  @DisplayName("another account's endpoint is 404 for every operation and never listed")
  void tenancy() throws StripeException {
    WebhookEndpoint mine = create(stripe, "https://example.com/mine");
    StripeClient stranger = gateway.client(gateway.newAccountKey(false));
    refused(() -> stranger.webhookEndpoints().retrieve(mine.getId()), 404, "resource_missing", "id");
    refused(() -> stranger.webhookEndpoints().update(mine.getId(), WebhookEndpointUpdateParams.builder()
        .setUrl("https://evil.example.com").build()), 404, "resource_missing", "id");
    refused(() -> stranger.webhookEndpoints().delete(mine.getId()), 404, "resource_missing", "id");
    assertThat(stranger.webhookEndpoints().list(WebhookEndpointListParams.builder().build()).getData()).isEmpty();
    assertThat(stripe.webhookEndpoints().retrieve(mine.getId()).getUrl()).isEqualTo("https://example.com/mine");
  }

  @Test
  @DisplayName("an account and mode may have at most 16 endpoints; deleting one makes room")
  void limit() throws StripeException {
    StripeClient client = gateway.client(gateway.newAccountKey(false));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      ids.add(create(client, "https://example.com/" + i).getId());
    }
    refused(() -> create(client, "https://example.com/17"), 400, "webhook_endpoint_limit_reached", null);
    client.webhookEndpoints().delete(ids.get(0));
    assertThat(create(client, "https://example.com/17").getId()).startsWith("we_");
  }
}
