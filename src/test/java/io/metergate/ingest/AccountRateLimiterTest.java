package io.metergate.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AccountRateLimiter")
class AccountRateLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  @DisplayName("a full bucket lets the burst through, then refuses with the seconds to wait")
  void burstThenWait() {
    AccountRateLimiter limiter = new AccountRateLimiter(100, 200);
    assertThat(limiter.acquire(1, 100, 0)).isZero();
    assertThat(limiter.acquire(1, 100, 0)).isZero();
    assertThat(limiter.acquire(1, 100, 0)).isEqualTo(1);
    assertThat(limiter.acquire(1, 100, SECOND)).isZero();
  }

  @Test
  @DisplayName("refusing takes no tokens, and the wait covers the whole request")
  void refusalTakesNothing() {
    AccountRateLimiter limiter = new AccountRateLimiter(50, 100);
    assertThat(limiter.acquire(1, 100, 0)).isZero();
    assertThat(limiter.acquire(1, 100, 0)).isEqualTo(2);
    assertThat(limiter.acquire(1, 100, SECOND)).isEqualTo(1);
    assertThat(limiter.acquire(1, 100, 2 * SECOND)).isZero();
  }

  @Test
  @DisplayName("accounts have separate buckets")
  void perAccount() {
    AccountRateLimiter limiter = new AccountRateLimiter(100, 100);
    assertThat(limiter.acquire(1, 100, 0)).isZero();
    assertThat(limiter.acquire(1, 1, 0)).isPositive();
    assertThat(limiter.acquire(2, 100, 0)).isZero();
  }

  @Test
  @DisplayName("a burst below one stream request is raised so a full request can ever pass")
  void burstAtLeastOneRequest() {
    AccountRateLimiter limiter = new AccountRateLimiter(10, 10);
    assertThat(limiter.acquire(1, 100, 0)).isZero();
  }
}
