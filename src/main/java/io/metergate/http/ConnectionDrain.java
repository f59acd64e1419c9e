package io.metergate.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Graceful HTTP/1.1 draining for one verticle's connections (all on its event loop, so no locks).
 * Vert.x's server shutdown waits for connections to close but does not close idle keep-alive ones,
 * so a single idle client would hold shutdown for the whole grace period. Once draining starts,
 * idle connections are closed at once and busy ones right after their response.
 */
final class ConnectionDrain {
  private final Map<HttpConnection, Integer> inFlight = new HashMap<>();
  private boolean draining;

  void opened(HttpConnection connection) {
    if (draining) {
      connection.close();
      return;
    }
    inFlight.put(connection, 0);
    connection.closeHandler(v -> inFlight.remove(connection));
  }

  void track(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    inFlight.merge(connection, 1, Integer::sum);
    if (draining) {
      ctx.response().putHeader("Connection", "close");
    }
    ctx.addEndHandler(ar -> {
      inFlight.computeIfPresent(connection, (c, n) -> n - 1);
      if (draining && inFlight.getOrDefault(connection, 0) == 0) {
        connection.close();
      }
    });
    ctx.next();
  }

  void start() {
    draining = true;
    inFlight.forEach((connection, n) -> {
      if (n == 0) {
        connection.close();
      }
    });
  }
}
