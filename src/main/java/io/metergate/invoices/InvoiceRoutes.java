package io.metergate.invoices;

import io.metergate.http.ApiServices;
import io.vertx.ext.web.Router;

/** /v1/invoices, /v1/invoiceitems and the invoice preview (not built yet: NotImplemented answers 501). */
public final class InvoiceRoutes {
  private final ApiServices services;

  public InvoiceRoutes(ApiServices services) {
    this.services = services;
  }

  public void mount(Router router) {
  }
}
