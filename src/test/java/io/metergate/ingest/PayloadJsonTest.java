package io.metergate.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PayloadJson")
class PayloadJsonTest {
  @Test
  @DisplayName("quotes, backslashes, control characters and non-ASCII text round-trip through a JSON parser")
  void roundTrips() {
    Map<String, String> payload = new LinkedHashMap<>();
    payload.put("stripe_customer_id", "cus_\"quoted\"\\back");
    payload.put("value", "12.5");
    payload.put("tab\tkey", "line\nbreak\u0001 \u00e9\u4e2d \ud83d\ude00");
    String json = PayloadJson.encode(payload);

    assertThat(new JsonObject(json).getMap()).isEqualTo(payload);
  }

  @Test
  @DisplayName("an empty payload is an empty object")
  void empty() {
    assertThat(PayloadJson.encode(Map.of())).isEqualTo("{}");
  }
}
