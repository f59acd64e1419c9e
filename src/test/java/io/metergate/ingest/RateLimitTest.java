package io.metergate.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.exception.RateLimitException;
import io.metergate.testing.Meters;
import io.metergate.testing.StreamBatches;
import io.metergate.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Per-account rate limit: a noisy producer gets 429 and the others carry on")
class RateLimitTest {
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(Map.of("METERGATE_RATE_LIMIT_EVENTS_PER_SECOND", "1",
        "METERGATE_RATE_LIMIT_BURST", "100"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static StripeClient streamer(StripeClient account) throws Exception {
    account.billing().meters().create(Meters.sum("rl", "rl"));
    return gateway.client(account.v2().billing().meterEventSession().create().getAuthenticationToken());
  }

  @Test
  @DisplayName("past its burst an account gets 429 rate_limit_error with Retry-After, nothing stored; another account is unaffected")
  void noisyAccountIsLimited() throws Exception {
    StripeClient noisy = streamer(gateway.client());
    StripeClient quiet = streamer(gateway.client(gateway.newAccountKey(false)));

    noisy.v2().billing().meterEventStream().create(StreamBatches.batch("noisy-a-", 100, "rl"));
    RateLimitException refused = org.assertj.core.api.Assertions.catchThrowableOfType(RateLimitException.class,
        () -> noisy.v2().billing().meterEventStream().create(StreamBatches.batch("noisy-b-", 100, "rl")));
    assertThat(refused).isNotNull();
    assertThat(refused.getStatusCode()).isEqualTo(429);
    assertThat(refused.getStripeError().getType()).isEqualTo("rate_limit_error");

    quiet.v2().billing().meterEventStream().create(StreamBatches.batch("quiet-", 100, "rl"));

    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier LIKE 'noisy-a-%'")).isEqualTo(100);
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier LIKE 'noisy-b-%'")).isZero();
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier LIKE 'quiet-%'")).isEqualTo(100);
  }
}
