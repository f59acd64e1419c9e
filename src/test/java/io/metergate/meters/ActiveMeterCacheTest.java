package io.metergate.meters;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ActiveMeterCache")
class ActiveMeterCacheTest {
  private static Meter meter(String status) {
    return new Meter(1, "mtr_1", 7, false, "d", "api", "sum", "stripe_customer_id", "value", null, status,
        Instant.EPOCH, Instant.EPOCH, null);
  }

  @Test
  @DisplayName("a lookup that read the meter before it was changed does not put the stale answer back in the cache")
  void staleLoadIsNotCached() {
    ActiveMeterCache cache = new ActiveMeterCache(60_000);
    Promise<Meter> slowRead = Promise.promise();
    cache.loader((account, live, name) -> slowRead.future());

    Future<Optional<Meter>> loading = cache.load(7, false, "api");
    cache.invalidate(7, false, "api");
    slowRead.complete(meter("active"));

    assertThat(loading.result()).contains(meter("active"));
    assertThat(cache.cached(7, false, "api")).as("not cached: the meter changed during the read").isNull();

    cache.loader((account, live, name) -> Future.succeededFuture(meter("inactive")));
    cache.load(7, false, "api");
    assertThat(cache.cached(7, false, "api")).contains(meter("inactive"));
  }
}
