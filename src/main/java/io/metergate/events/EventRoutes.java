package io.metergate.events;

import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/** GET /v1/events and GET /v1/events/:id (not built yet: NotImplemented answers 501). */
public final class EventRoutes {
  private final Pool pool;

  public EventRoutes(Pool pool) {
    this.pool = pool;
  }

  public void mount(Router router) {
  }
}
