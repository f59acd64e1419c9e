package io.metergate.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Retry backoff")
class BackoffTest {
  @Test
  @DisplayName("doubles from the first retry delay after each failed attempt")
  void doubles() {
    assertThat(Backoff.delayMillis(5_000, 1, 0)).isEqualTo(5_000);
    assertThat(Backoff.delayMillis(5_000, 2, 0)).isEqualTo(10_000);
    assertThat(Backoff.delayMillis(5_000, 3, 0)).isEqualTo(20_000);
    assertThat(Backoff.delayMillis(5_000, 10, 0)).isEqualTo(2_560_000);
  }

  @Test
  @DisplayName("is capped at an hour, however many attempts failed")
  void capped() {
    assertThat(Backoff.delayMillis(5_000, 11, 0)).isEqualTo(Backoff.CAP_MILLIS);
    assertThat(Backoff.delayMillis(5_000, 1_000_000, 0)).isEqualTo(Backoff.CAP_MILLIS);
    assertThat(Backoff.delayMillis(3_600_000, 1, 0)).isEqualTo(Backoff.CAP_MILLIS);
  }

  @Test
  @DisplayName("jitter shortens a delay by at most a quarter and never lengthens it")
  void jitter() {
    for (int attempt = 1; attempt < 20; attempt++) {
      long full = Backoff.delayMillis(5_000, attempt, 0);
      assertThat(Backoff.delayMillis(5_000, attempt, 0.999_999)).isBetween(full * 3 / 4, full);
      assertThat(Backoff.delayMillis(5_000, attempt, 0.5)).isBetween(full * 3 / 4, full);
    }
  }
}
