package io.metergate.testing;

import com.stripe.param.v2.billing.MeterEventStreamCreateParams;
import java.time.Instant;

/** Stream requests as the SDK builds them: identifiers prefix0..prefixN, customer cus_stream, value 2. */
public final class StreamBatches {
  private StreamBatches() {}

  public static MeterEventStreamCreateParams batch(String prefix, int size, String eventName) {
    MeterEventStreamCreateParams.Builder b = MeterEventStreamCreateParams.builder();
    for (int i = 0; i < size; i++) {
      b.addEvent(event(prefix + i, eventName));
    }
    return b.build();
  }

  public static MeterEventStreamCreateParams.Event event(String identifier, String eventName) {
    return MeterEventStreamCreateParams.Event.builder()
        .setEventName(eventName).setIdentifier(identifier)
        .putPayload("stripe_customer_id", "cus_stream").putPayload("value", "2")
        .setTimestamp(Instant.now()).build();
  }
}
