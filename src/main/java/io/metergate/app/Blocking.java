package io.metergate.app;

import io.vertx.core.Context;

/**
 * The start-up and command-line code in this package blocks on purpose (JDBC, Flyway, waiting for the
 * database, waiting on futures) because it runs on the main or shutdown thread before or after the
 * event loops. This guard makes that a checked rule rather than a comment: called from an event loop,
 * it fails at once instead of stalling every connection that loop serves.
 */
final class Blocking {
  private Blocking() {}

  static void requireOffEventLoop(String what) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(what + " blocks and must not run on an event loop ("
          + Thread.currentThread().getName() + ")");
    }
  }
}
