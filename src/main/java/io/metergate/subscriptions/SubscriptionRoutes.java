package io.metergate.subscriptions;

import io.metergate.http.ApiServices;
import io.vertx.ext.web.Router;

/** /v1/subscriptions (not built yet: NotImplemented answers 501). */
public final class SubscriptionRoutes {
  private final ApiServices services;

  public SubscriptionRoutes(ApiServices services) {
    this.services = services;
  }

  public void mount(Router router) {
  }
}
