package io.metergate.credits;

import io.metergate.http.ApiServices;
import io.vertx.ext.web.Router;

/** /v1/billing/credit_grants, /v1/billing/credit_balance_summary and /v1/billing/credit_balance_transactions (not built yet: NotImplemented answers 501). */
public final class CreditRoutes {
  private final ApiServices services;

  public CreditRoutes(ApiServices services) {
    this.services = services;
  }

  public void mount(Router router) {
  }
}
