package io.metergate.load;

import io.vertx.core.Future;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What the main threads of StreamLoad and UsageBench do while the event loop works: print progress, close. */
final class MainThread {
  private MainThread() {
  }

  /** Prints the messages the event loop queued, one a line, to stderr. */
  static void print(Queue<String> messages) {
    String m;
    while ((m = messages.poll()) != null) {
      System.err.println(m);
    }
    System.err.flush();
  }

  /** Closes something (a client, Vert.x) and waits up to 5 s; closing is best effort. */
  static void awaitQuietly(Supplier<Future<?>> close) {
    try {
      close.get().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing is best effort
    }
  }
}
