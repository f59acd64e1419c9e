package io.metergate.webhooks;

import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/** /v1/webhook_endpoints (not built yet: NotImplemented answers 501). */
public final class WebhookRoutes {
  private final Pool pool;

  public WebhookRoutes(Pool pool) {
    this.pool = pool;
  }

  public void mount(Router router) {
  }
}
