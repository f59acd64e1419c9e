package io.metergate.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Webhook signatures, checked by stripe-java's own verifier")
class WebhookSignatureTest {
  private static final String SECRET = "whsec_0123456789abcdefghijklmnopqrstuv";
  private static final String PAYLOAD = """
      {"id":"evt_1","object":"event","api_version":"2026-07-29.dahlia","created":1767225600,\
      "data":{"object":{"object":"billing.alert_triggered","customer":"cus_é","value":12}},"livemode":false,\
      "pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"billing.alert.triggered"}""";

  private static String sign(String secret, String payload) {
    return WebhookSignature.header(secret, System.currentTimeMillis() / 1000, payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("Webhook.constructEvent accepts the header for the exact body, including non-ASCII text")
  void verifies() throws SignatureVerificationException {
    Event event = Webhook.constructEvent(PAYLOAD, sign(SECRET, PAYLOAD), SECRET);
    assertThat(event.getId()).isEqualTo("evt_1");
    assertThat(event.getType()).isEqualTo("billing.alert.triggered");
  }

  @Test
  @DisplayName("the header is t=<unix seconds>,v1=<64 hex digits>")
  void headerShape() {
    assertThat(WebhookSignature.header(SECRET, 1767225600L, new byte[0])).matches("t=1767225600,v1=[0-9a-f]{64}");
  }

  @Test
  @DisplayName("another secret, a changed body or an old timestamp is refused")
  void refusesForgeries() {
    String header = sign(SECRET, PAYLOAD);
    assertThatThrownBy(() -> Webhook.constructEvent(PAYLOAD, header, "whsec_other"))
        .isInstanceOf(SignatureVerificationException.class);
    assertThatThrownBy(() -> Webhook.constructEvent(PAYLOAD.replace("12", "13"), header, SECRET))
        .isInstanceOf(SignatureVerificationException.class);
    String old = WebhookSignature.header(SECRET, System.currentTimeMillis() / 1000 - 3600,
        PAYLOAD.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Webhook.constructEvent(PAYLOAD, old, SECRET))
        .isInstanceOf(SignatureVerificationException.class);
  }
}
