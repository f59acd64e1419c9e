package io.metergate.webhooks;

import static io.metergate.testing.ApiErrors.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.param.WebhookEndpointCreateParams;
import io.metergate.common.ApiError;
import io.metergate.common.FormDecoder;
import io.metergate.common.Params;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Webhook endpoint parameters")
class EndpointParamsTest {
  private static final String OK = "url=https://example.com/hook&enabled_events[0]=billing.alert.triggered";

  private static EndpointParams.Draft create(String form) {
    return EndpointParams.create(new Params(FormDecoder.decode(form), Params.Style.FORM));
  }

  private static EndpointParams.Change update(String form) {
    return EndpointParams.update(new Params(FormDecoder.decode(form), Params.Style.FORM));
  }

  @Test
  @DisplayName("the accepted event types are exactly those stripe-java 33.3.0 lists, '*' included")
  void eventTypesMatchStripe() {
    var stripe = Arrays.stream(WebhookEndpointCreateParams.EnabledEvent.values())
        .map(WebhookEndpointCreateParams.EnabledEvent::getValue).filter(v -> !v.equals("*"))
        .collect(Collectors.toSet());
    assertThat(StripeEventTypes.ALL).isEqualTo(stripe);
  }

  @Test
  @DisplayName("a minimal create keeps url and events, with no description, metadata or api_version")
  void minimal() {
    EndpointParams.Draft d = create(OK);
    assertThat(d.url()).isEqualTo("https://example.com/hook");
    assertThat(d.enabledEvents()).containsExactly("billing.alert.triggered");
    assertThat(d.description()).isNull();
    assertThat(d.metadata()).isEmpty();
    assertThat(d.apiVersion()).isNull();
  }

  @Test
  @DisplayName("url must be an absolute http or https URL with a host, at most 5000 characters, without credentials")
  void urls() {
    assertThat(create("url=http://127.0.0.1:8080/x?y=1&enabled_events[0]=*").url()).isEqualTo("http://127.0.0.1:8080/x?y=1");
    assertThat(create("url=HTTPS://[::1]/x&enabled_events[0]=*").url()).isEqualTo("HTTPS://[::1]/x");
    for (String bad : new String[] {"ftp://example.com/x", "example.com/x", "/relative", "http://", "http:///x",
        "https://exa mple.com", "https://user:pw@example.com/x", "http://example.com:99999/"}) {
      ApiError e = rejected(() -> create("url=" + java.net.URLEncoder.encode(bad, java.nio.charset.StandardCharsets.UTF_8)
          + "&enabled_events[0]=*"));
      assertThat(e.code()).as(bad).isEqualTo("url_invalid");
      assertThat(e.param()).isEqualTo("url");
    }
    assertThat(rejected(() -> create("enabled_events[0]=*")).param()).isEqualTo("url");
    assertThat(rejected(() -> create("url=https://e.com/" + "x".repeat(5000) + "&enabled_events[0]=*")).code())
        .isEqualTo("string_too_long");
  }

  @Test
  @DisplayName("enabled_events: required, not empty, each '*' or a Stripe event type named by its index; duplicates dropped")
  void enabledEvents() {
    assertThat(create("url=https://e.com&enabled_events[0]=*&enabled_events[1]=invoice.paid&enabled_events[2]=*")
        .enabledEvents()).containsExactly("*", "invoice.paid");
    assertThat(create("url=https://e.com&enabled_events[]=billing.meter.created").enabledEvents())
        .containsExactly("billing.meter.created");
    ApiError missing = rejected(() -> create("url=https://e.com"));
    assertThat(missing.code()).isEqualTo("parameter_missing");
    assertThat(missing.param()).isEqualTo("enabled_events");
    ApiError empty = rejected(() -> create("url=https://e.com&enabled_events="));
    assertThat(empty.code()).isEqualTo("parameter_invalid_empty");
    assertThat(empty.param()).isEqualTo("enabled_events");
    ApiError unknown = rejected(() -> create(OK + "&enabled_events[1]=billing.alert.trigered"));
    assertThat(unknown.code()).isEqualTo("parameter_invalid_enum");
    assertThat(unknown.param()).isEqualTo("enabled_events[1]");
    assertThat(rejected(() -> create("url=https://e.com&enabled_events[0]=billing.*")).param())
        .isEqualTo("enabled_events[0]");
  }

  @Test
  @DisplayName("metadata follows Stripe's limits: 50 keys, keys up to 40 and values up to 500 characters")
  void metadataLimits() {
    assertThat(create(OK + "&metadata[team]=billing&metadata[gone]=").metadata()).containsExactly(Map.entry("team", "billing"));
    StringBuilder many = new StringBuilder(OK);
    for (int i = 0; i < 51; i++) {
      many.append("&metadata[k").append(i).append("]=v");
    }
    assertThat(rejected(() -> create(many.toString())).code()).isEqualTo("too_many_keys");
    assertThat(rejected(() -> create(OK + "&metadata[" + "k".repeat(41) + "]=v")).code()).isEqualTo("invalid_key");
    ApiError longValue = rejected(() -> create(OK + "&metadata[k]=" + "v".repeat(501)));
    assertThat(longValue.code()).isEqualTo("string_too_long");
    assertThat(longValue.param()).isEqualTo("metadata[k]");
  }

  @Test
  @DisplayName("on update, metadata[k]= removes a key, metadata= clears them all, and the result is still limited")
  void metadataPatch() {
    Map<String, String> current = Map.of("a", "1", "b", "2");
    assertThat(update("metadata[a]=&metadata[c]=3").metadata().applyTo(current))
        .containsOnly(Map.entry("b", "2"), Map.entry("c", "3"));
    assertThat(update("metadata=").metadata().applyTo(current)).isEmpty();
    assertThat(update("url=https://e.com").metadata().applyTo(current)).isEqualTo(current);
    Map<String, String> full = new java.util.HashMap<>();
    for (int i = 0; i < 50; i++) {
      full.put("k" + i, "v");
    }
    assertThat(rejected(() -> update("metadata[extra]=x").metadata().applyTo(full)).code()).isEqualTo("too_many_keys");
  }

  @Test
  @DisplayName("update: description= unsets, disabled is a boolean, create-only and unknown params are refused by name")
  void updates() {
    EndpointParams.Change c = update("description=&disabled=true");
    assertThat(c.describes()).isTrue();
    assertThat(c.description()).isNull();
    assertThat(c.disabled()).isTrue();
    assertThat(update("").disabled()).isNull();
    assertThat(update("").describes()).isFalse();
    assertThat(rejected(() -> update("disabled=yes")).param()).isEqualTo("disabled");
    assertThat(rejected(() -> update("api_version=2026-07-29.dahlia")).code()).isEqualTo("parameter_unknown");
    assertThat(rejected(() -> create(OK + "&disabled=true")).param()).isEqualTo("disabled");
    assertThat(rejected(() -> create(OK + "&colour=blue")).param()).isEqualTo("colour");
  }

  @Test
  @DisplayName("api_version may only name the gateway's version, and connect may only be false")
  void versionAndConnect() {
    assertThat(create(OK + "&api_version=2026-07-29.dahlia&connect=false").apiVersion()).isEqualTo("2026-07-29.dahlia");
    assertThat(rejected(() -> create(OK + "&api_version=2024-04-10")).param()).isEqualTo("api_version");
    assertThat(rejected(() -> create(OK + "&connect=true")).param()).isEqualTo("connect");
  }
}
