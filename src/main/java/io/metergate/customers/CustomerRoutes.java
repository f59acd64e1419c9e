package io.metergate.customers;

import io.metergate.http.ApiServices;
import io.vertx.ext.web.Router;

/** /v1/customers, /v1/customers/:id and /v1/customers/:id/balance_transactions (not built yet: NotImplemented answers 501). */
public final class CustomerRoutes {
  private final ApiServices services;

  public CustomerRoutes(ApiServices services) {
    this.services = services;
  }

  public void mount(Router router) {
  }
}
