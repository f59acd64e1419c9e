package io.metergate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Blocking start-up code refuses to run on an event loop")
class BlockingTest {
  @Test
  @DisplayName("resolving the database from an event loop fails at once, naming the thread; off it, the guard passes")
  void refusedOnEventLoop() throws Exception {
    assertThatCode(() -> Blocking.requireOffEventLoop("test")).doesNotThrowAnyException();
    Vertx vertx = Vertx.vertx();
    try {
      Promise<Throwable> seen = Promise.promise();
      vertx.runOnContext(v -> {
        try {
          Database.resolve(Config.fromEnv(Map.of("METERGATE_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/x")));
          seen.complete(null);
        } catch (Throwable t) {
          seen.complete(t);
        }
      });
      Throwable t = seen.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(t).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("must not run on an event loop").hasMessageContaining("eventloop");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
